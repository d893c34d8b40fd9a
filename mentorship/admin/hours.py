"""Admin screens for magang hour entries: the supervisor's queue and decisions.

Trainees write entries on the site, so here entries are only read: Wagtail's
model viewset with an index (scoped by `entries_visible_to`, filtered, with
"menunggu verifikasi saya" as a supervisor's default view) and an inspect
view showing the entry's history. Verifying and returning, one or many at
once, are Wagtail bulk actions that call `mentorship.verification`. A panel
on the admin dashboard tells a supervisor how many entries wait for them.
Registered in `mentorship.wagtail_hooks`.
"""

from django import forms
from django.contrib.admin.utils import quote
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.http import Http404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permissions import policy_registry, register_permission_policy

import django_filters

from learning.admin_scope import ScopedPermissionPolicy
from learning.models import Organisation, User
from learning.scope import is_active_staff

from ..choices import ActivityCategory, EntryStatus
from ..hours import format_minutes
from ..links import EVERYTHING, QUEUE, hours_queue_url
from ..models import HourEntry, Placement
from ..selectors import entries_visible_to, placements_visible_to, supervision_queue
from ..verification import can_verify, return_entries, verify_entries
from .access import ReadOnlyViewSetMixin


class ReadOnlyScopedPolicy(ScopedPermissionPolicy):
    """Entries are only read in the admin, and only those in scope.

    Nobody adds, edits or deletes an entry here, superusers included: the
    trainee writes it, the supervisor decides through the bulk actions.
    """

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        if "view" not in actions:
            return User.objects.none()
        return super().users_with_any_permission(["view"])


register_permission_policy(
    HourEntry, ReadOnlyScopedPolicy(HourEntry, scope=entries_visible_to)
)


def time_label(entry: HourEntry) -> str:
    """09:00–11:00 (2 jam), "22:00–02:00 (lewat tengah malam) (4 jam)", or just
    the duration when no times were given."""
    duration = format_minutes(entry.minutes)
    if entry.start_time is None:
        return duration
    return f"{entry.time_label} ({duration})"


def supervises_any(user) -> bool:
    return Placement.objects.filter(supervisor=user).exists()


# The index: filters, columns, the supervisor's default view


class HourEntryFilterSet(WagtailFilterSet):
    tampilkan = django_filters.ChoiceFilter(
        label=gettext_lazy("Tampilkan"),
        choices=[
            (QUEUE, gettext_lazy("Menunggu verifikasi saya")),
            (EVERYTHING, gettext_lazy("Semua jam magang yang dapat saya lihat")),
        ],
        empty_label=None,
        widget=forms.RadioSelect,
        method="filter_view",
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=EntryStatus.choices,
        empty_label=gettext_lazy("Semua"),
        widget=forms.RadioSelect,
    )
    category = django_filters.ChoiceFilter(
        label=gettext_lazy("Kegiatan"),
        choices=ActivityCategory.choices,
        empty_label=gettext_lazy("Semua kegiatan"),
    )
    host = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Lembaga tempat magang"),
        field_name="placement__host",
        queryset=lambda request: Organisation.objects.filter(
            pk__in=placements_visible_to(request.user).values("host")
        ),
    )
    trainee = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Peserta"),
        queryset=lambda request: User.objects.filter(
            pk__in=placements_visible_to(request.user).values("trainee")
        ).order_by("first_name", "last_name", "username"),
    )
    penempatan = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Penempatan"),
        field_name="placement",
        queryset=lambda request: placements_visible_to(request.user).select_related(
            "trainee", "host"
        ),
    )
    date = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Tanggal"), widget=DateRangePickerWidget
    )

    class Meta:
        model = HourEntry
        fields = []

    def __init__(self, *args, default_view=EVERYTHING, **kwargs):
        super().__init__(*args, **kwargs)
        # The default view is not an active filter: no chip to remove.
        self.filters["tampilkan"].extra["initial"] = default_view

    def filter_view(self, queryset, name, value):
        if value == QUEUE:
            return queryset.filter(
                pk__in=supervision_queue(self.request.user).values("pk")
            )
        return queryset


class HourEntryIndexView(generic.IndexView):
    page_title = gettext_lazy("Jam magang")

    def get_base_queryset(self):
        return entries_visible_to(self.request.user).select_related(
            "trainee", "placement__host"
        )

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

    @cached_property
    def columns(self):
        title_column = self._get_title_column_class(TitleColumn)
        return [
            BulkActionsCheckboxColumn("bulk_actions", obj_type="hourentry"),
            title_column(
                "date",
                label=_("Tanggal"),
                accessor=lambda entry: entry.date.strftime("%d-%m-%Y"),
                sort_key="date",
                get_url=self.get_inspect_url,
                get_title_id=lambda entry: f"hourentry_{quote(entry.pk)}_title",
            ),
            Column(
                "trainee",
                label=_("Peserta"),
                accessor=lambda entry: entry.trainee.display_name,
                sort_key="trainee__first_name",
            ),
            Column(
                "host",
                label=_("Tempat magang"),
                accessor=lambda entry: entry.placement.host.short_name,
            ),
            Column("time", label=_("Waktu"), accessor=time_label, sort_key="minutes"),
            Column(
                "category",
                label=_("Kegiatan"),
                accessor="get_category_display",
                sort_key="category",
            ),
            Column(
                "status",
                label=_("Status"),
                accessor="get_status_display",
                sort_key="status",
            ),
            Column(
                "activity",
                label=_("Uraian"),
                accessor=lambda entry: Truncator(entry.activity).chars(80),
            ),
        ]

    @cached_property
    def header_buttons(self):
        if not is_active_staff(self.request.user):
            return []
        return [
            HeaderButton(
                _("Impor catatan kertas"),
                url=reverse("mentorship_paper_import"),
                icon_name="upload",
            )
        ]

    @cached_property
    def no_results_message(self):
        if self.showing_queue and not self.is_searching:
            return _("Tidak ada jam magang yang menunggu verifikasi Anda.")
        return _("Tidak ada jam magang yang cocok.")

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["showing_queue"] = self.showing_queue
        return context


# The inspect view: one entry and its history


def decision_url(action: str, entry: HourEntry, next_url: str) -> str:
    return (
        reverse("wagtail_bulk_action", args=["mentorship", "hourentry", action])
        + "?"
        + urlencode({"id": entry.pk, "next": next_url})
    )


INSPECT_FIELDS = [
    "trainee",
    "placement",
    "date",
    "time",
    "category",
    "activity",
    "status",
    "supervisor_comment",
    "verifier",
    "verified_at",
]


class HourEntryInspectView(generic.InspectView):
    labels = {
        "time": gettext_lazy("Waktu"),
        "activity": gettext_lazy("Uraian kegiatan"),
        "verifier": gettext_lazy("Diverifikasi oleh"),
    }

    def get_object(self, queryset=None):
        entry = (
            entries_visible_to(self.request.user)
            .select_related("trainee", "placement__host", "placement__trainee")
            .filter(pk=self.pk)
            .first()
        )
        if entry is None:
            raise Http404
        return entry

    def get_field_label(self, field_name, field):
        if field_name in self.labels:
            return self.labels[field_name]
        return super().get_field_label(field_name, field)

    def get_time_display_value(self):
        return time_label(self.object)

    def get_verifier_display_value(self):
        if self.object.status != EntryStatus.VERIFIED:
            return "–"
        return self.object.verifier_label

    def get_date_display_value(self):
        return self.object.date.strftime("%d-%m-%Y")

    def get_supervisor_comment_display_value(self):
        return self.object.supervisor_comment or "–"

    def get_verified_at_display_value(self):
        return self.object.verified_at or "–"

    @cached_property
    def header_buttons(self):
        entry = self.object
        if entry.status != EntryStatus.SUBMITTED or not can_verify(
            self.request.user, entry
        ):
            return []
        here = self.request.get_full_path()
        return [
            HeaderButton(
                _("Verifikasi"),
                url=decision_url(VerifyBulkAction.action_type, entry, here),
                icon_name="check",
                priority=10,
            ),
            HeaderButton(
                _("Kembalikan"),
                url=decision_url(ReturnBulkAction.action_type, entry, here),
                icon_name="undo",
                priority=20,
            ),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["history"] = list(
            self.object.history.select_related("actor").order_by("at", "pk")
        )
        return context


class HourEntryURLFinder(ModelAdminURLFinder):
    """Links to an entry open its inspect view: there is no edit view."""

    edit_url_name = "mentorship_hourentry:inspect"

    def get_edit_url(self, instance):
        policy = policy_registry.get(instance)
        if self.user and not policy.user_has_permission_for_instance(
            self.user, "view", instance
        ):
            return None
        return self.construct_edit_url(instance)


class HourEntryViewSet(ReadOnlyViewSetMixin, ModelViewSet):
    """Read-only: the index, its results fragment and the inspect view."""

    model = HourEntry
    icon = "time"
    menu_label = gettext_lazy("Jam magang")
    url_prefix = "magang/jam"
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = INSPECT_FIELDS
    index_view_class = HourEntryIndexView
    inspect_view_class = HourEntryInspectView
    filterset_class = HourEntryFilterSet
    search_fields = [
        "activity",
        "trainee__first_name",
        "trainee__last_name",
        "trainee__username",
    ]
    search_backend_name = None
    index_template_name = "mentorship/admin/hourentry/index.html"
    inspect_template_name = "mentorship/admin/hourentry/inspect.html"
    url_finder_class = HourEntryURLFinder

    record_path = "inspect/<int:pk>/"


# Verify or return, one or many at once


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Komentar untuk peserta"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, comment_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        comment = self.fields["comment"]
        if comment_required:
            comment.required = True
            comment.error_messages["required"] = _(
                "Tulis apa yang perlu diperbaiki peserta."
            )
            comment.help_text = _(
                "Wajib: peserta membaca komentar ini untuk memperbaiki catatannya."
            )
        else:
            comment.help_text = _("Boleh kosong.")

    def clean_comment(self):
        comment = self.cleaned_data["comment"].strip()
        if self.fields["comment"].required and not comment:
            raise forms.ValidationError(_("Tulis apa yang perlu diperbaiki peserta."))
        return comment


class HourEntryDecisionBulkAction(BulkAction):
    """Shared by verify and return: only the entries the user supervises.

    Selected entries of placements the user does not supervise are listed as
    refused and left unchanged; entries no longer waiting are skipped.
    """

    models = [HourEntry]
    form_class = DecisionForm
    template_name = "mentorship/admin/hourentry/confirm_decision.html"
    comment_required = False

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "comment_required": self.comment_required}

    def get_queryset(self, model, object_ids):
        ids = [str(pk) for pk in object_ids if str(pk).isdigit()]
        return list(
            entries_visible_to(self.request.user)
            .filter(pk__in=ids)
            .select_related("trainee", "placement__host")
            .order_by("date", "start_time", "pk")
        )

    def get_all_objects_in_listing_query(self, parent_id):
        # "Select all" means everything waiting for this supervisor.
        return supervision_queue(self.request.user).values_list("pk", flat=True)

    def get_actionable_objects(self):
        waiting, not_yours, not_waiting = [], [], []
        for entry in self.get_queryset(self.model, self._selected_ids()):
            if not can_verify(self.request.user, entry):
                not_yours.append(entry)
            elif entry.status != EntryStatus.SUBMITTED:
                not_waiting.append(entry)
            else:
                waiting.append(entry)
        return waiting, {
            "items_with_no_access": not_yours,
            "items_not_waiting": not_waiting,
        }

    def _selected_ids(self):
        ids = self.request.GET.getlist("id")
        if "all" in ids:
            return list(self.get_all_objects_in_listing_query(None))
        return ids

    def object_context(self, entry):
        return {
            "item": entry,
            "time": time_label(entry),
            "activity": Truncator(entry.activity).chars(120),
            "url": reverse("mentorship_hourentry:inspect", args=[entry.pk]),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        no_access, not_waiting = (
            context["items_with_no_access"],
            context["items_not_waiting"],
        )
        context.update(
            header_icon="time",
            page_title=self.display_name,
            action_button_text=self.display_name,
            no_action_button_text=_("Batal"),
            items_with_no_access=[self.object_context(e) for e in no_access],
            items_not_waiting=[self.object_context(e) for e in not_waiting],
        )
        return context

    def prepare_action(self, objects, objects_without_access):
        if not objects:
            self.cleaned_form.add_error(
                None,
                _(
                    "Tidak ada catatan yang dapat Anda putuskan: Anda hanya dapat "
                    "memverifikasi atau mengembalikan catatan yang menunggu "
                    "verifikasi di penempatan yang Anda bimbing."
                ),
            )
            return self.form_invalid(self.cleaned_form)
        return None

    def get_execution_context(self):
        return {
            "supervisor": self.request.user,
            "comment": self.cleaned_form.cleaned_data["comment"],
        }

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            # Decided by someone else in the meantime, or the rule refused.
            form.add_error(None, error.messages)
            return self.form_invalid(form)


class VerifyBulkAction(HourEntryDecisionBulkAction):
    display_name = gettext_lazy("Verifikasi")
    action_type = "verifikasi"
    aria_label = gettext_lazy("Verifikasi jam magang yang dipilih")
    action_priority = 10

    @classmethod
    def execute_action(cls, objects, supervisor=None, comment="", **kwargs):
        done = verify_entries(entries=objects, supervisor=supervisor, comment=comment)
        return len(done), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)s catatan jam magang diverifikasi.",
            "%(count)s catatan jam magang diverifikasi.",
            num_parent_objects,
        ) % {"count": num_parent_objects}


class ReturnBulkAction(HourEntryDecisionBulkAction):
    display_name = gettext_lazy("Kembalikan")
    action_type = "kembalikan"
    aria_label = gettext_lazy("Kembalikan jam magang yang dipilih kepada peserta")
    action_priority = 20
    comment_required = True

    @classmethod
    def execute_action(cls, objects, supervisor=None, comment="", **kwargs):
        done = return_entries(entries=objects, supervisor=supervisor, comment=comment)
        return len(done), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)s catatan jam magang dikembalikan kepada peserta.",
            "%(count)s catatan jam magang dikembalikan kepada peserta.",
            num_parent_objects,
        ) % {"count": num_parent_objects}


# The dashboard


class WaitingHoursPanel(Component):
    """On a supervisor's admin dashboard: how many entries wait for them."""

    name = "magang_waiting_hours"
    template_name = "mentorship/admin/panels/waiting_hours.html"
    order = 90

    def __init__(self, count: int, minutes: int):
        self.count = count
        self.minutes = minutes

    def get_context_data(self, parent_context=None):
        return {
            "count": self.count,
            "duration": format_minutes(self.minutes),
            "url": hours_queue_url(),
        }


def add_waiting_hours_panel(request, panels) -> None:
    waiting = supervision_queue(request.user).aggregate(
        count=Count("pk"), minutes=Sum("minutes")
    )
    if waiting["count"]:
        panels.append(WaitingHoursPanel(waiting["count"], waiting["minutes"]))
