"""What the admin lists of hour entries and practice cases share: the
supervisor's queue as the default view, a status that says when a returned
record came back ("dikirim ulang") and what the trainee changed since, the
history on its page, links that open the record.

Each list declares its flow (`mentorship.workflow`), what its queue holds and
its words; `hours.py` and `cases.py` keep only what is their own.
"""

from dataclasses import dataclass

from django import forms
from django.urls import path
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import policy_registry

import django_filters

from learning.admin_scope import ScopedPermissionPolicy
from learning.models import User

from .. import workflow
from ..links import EVERYTHING, QUEUE
from ..models import Placement


class ReadOnlyScopedPolicy(ScopedPermissionPolicy):
    """Records of the flow are only read in the admin, and only those in scope.

    Nobody adds, edits or deletes one here, superusers included: the trainee
    writes it, the supervisor decides through the bulk actions or the review.
    """

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        if "view" not in actions:
            return User.objects.none()
        return super().users_with_any_permission(["view"])


def supervises_any(user) -> bool:
    return Placement.objects.filter(supervisor=user).exists()


def view_filter(*, queue_label: str, everything_label: str):
    """The "Tampilkan" choice: my queue, or everything I may see."""
    return django_filters.ChoiceFilter(
        label=gettext_lazy("Tampilkan"),
        choices=[(QUEUE, queue_label), (EVERYTHING, everything_label)],
        empty_label=None,
        widget=forms.RadioSelect,
        method="filter_view",
    )


class QueueFilterSet(WagtailFilterSet):
    """Filters of a list whose default view is the supervisor's queue."""

    def __init__(self, *args, default_view=EVERYTHING, **kwargs):
        super().__init__(*args, **kwargs)
        # The default view is not an active filter: no chip to remove.
        self.filters["tampilkan"].extra["initial"] = default_view

    def queue_of(self, user):
        raise NotImplementedError

    def filter_view(self, queryset, name, value):
        if value == QUEUE:
            return queryset.filter(pk__in=self.queue_of(self.request.user).values("pk"))
        return queryset


class QueueIndexView(generic.IndexView):
    """An index that opens on the supervisor's queue when they supervise."""

    flow: workflow.Flow
    queue_empty = ""
    none_match = ""

    def records(self):
        raise NotImplementedError

    def get_base_queryset(self):
        return self.flow.with_returned_version(self.records())

    @cached_property
    def default_view(self) -> str:
        return QUEUE if supervises_any(self.request.user) else EVERYTHING

    @cached_property
    def showing_queue(self) -> bool:
        return self.request.GET.get("tampilkan", self.default_view) == QUEUE

    def get_filterset_kwargs(self):
        kwargs = super().get_filterset_kwargs()
        data = kwargs["data"].copy()
        if data.get("tampilkan") not in (QUEUE, EVERYTHING):
            data["tampilkan"] = self.default_view
        kwargs["data"] = data
        kwargs["default_view"] = self.default_view
        return kwargs

    def trainee_and_host_columns(self) -> list[Column]:
        return [
            Column(
                "trainee",
                label=_("Peserta"),
                accessor=lambda record: record.trainee.display_name,
                sort_key="trainee__first_name",
            ),
            Column(
                "host",
                label=_("Tempat magang"),
                accessor=lambda record: record.placement.host.short_name,
            ),
        ]

    def status_column(self) -> Column:
        return StatusColumn(
            "status",
            label=_("Status"),
            accessor=lambda record: status_of(self.flow, record),
            sort_key="status",
        )

    @cached_property
    def no_results_message(self):
        if self.showing_queue and not self.is_searching:
            return self.queue_empty
        return self.none_match

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["showing_queue"] = self.showing_queue
        return context


@dataclass
class Status:
    """A record's status in a list; a returned record sent again says so, and
    what changed since it was returned, for the supervisor who read it before.

    `changes` is None when the return kept no version (before it was kept).
    """

    label: str
    resubmitted: bool = False
    changes: list[workflow.Change] | None = None

    def __str__(self) -> str:
        if self.resubmitted:
            return _("%(status)s (dikirim ulang)") % {"status": self.label}
        return self.label


def status_of(flow: workflow.Flow, record) -> Status:
    """Needs `Flow.with_returned_version`'s annotations, or fetches them."""
    label = record.get_status_display()
    if record.status != workflow.SUBMITTED:
        return Status(label)
    if not hasattr(record, "resubmitted"):
        record = flow.with_returned_version(
            flow.model.objects.filter(pk=record.pk)
        ).get()
    if not record.resubmitted:
        return Status(label)
    return Status(
        label,
        resubmitted=True,
        changes=workflow.changes_since_returned(flow, record, record.returned_version),
    )


class StatusColumn(Column):
    """The status, with "dikirim ulang" and the changes under it."""

    cell_template_name = "mentorship/admin/includes/status_cell.html"


def history_of(record) -> list:
    return list(record.history.select_related("actor").order_by("at", "pk"))


class InspectURLFinder(ModelAdminURLFinder):
    """Links to a record open its page, for those who may read it: the admin
    has no edit view for records a trainee writes."""

    def get_edit_url(self, instance):
        policy = policy_registry.get(instance)
        if self.user and not policy.user_has_permission_for_instance(
            self.user, "view", instance
        ):
            return None
        return self.construct_edit_url(instance)


class FlowRecordViewSet(ModelViewSet):
    """Only an index, its results and one page per record, linked from the
    reference index nowhere: trainees write these records on the site; the
    admin reads and decides."""

    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True

    record_path = "<id:pk>/"

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            **{
                "add_url_name": None,
                "edit_url_name": None,
                "delete_url_name": None,
                "history_url_name": None,
                "usage_url_name": None,
                **kwargs,
            }
        )

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path(self.record_path, self.inspect_view, name="inspect"),
        ]

    @cached_property
    def url_finder_class(self):
        return type(
            "InspectURLFinder",
            (InspectURLFinder,),
            {"edit_url_name": self.get_url_name("inspect")},
        )
