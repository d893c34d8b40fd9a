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
from django.db.models import Count, Sum
from django.http import Http404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin.filters import DateRangePickerWidget
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permissions import register_permission_policy

import django_filters

from learning.models import Organisation, User
from learning.scope import is_active_staff

from ..choices import ActivityCategory, EntryStatus
from ..hours import ENTRIES, format_minutes
from ..links import hours_queue_url
from ..models import HourEntry
from ..selectors import entries_visible_to, placements_visible_to, supervision_queue
from ..verification import can_verify, may_sign_for
from .queue import (
    FlowRecordViewSet,
    QueueFilterSet,
    QueueIndexView,
    ReadOnlyScopedPolicy,
    history_of,
    status_of,
    view_filter,
)

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


# The index: filters, columns, the supervisor's default view


class HourEntryFilterSet(QueueFilterSet):
    tampilkan = view_filter(
        queue_label=gettext_lazy("Menunggu verifikasi saya"),
        everything_label=gettext_lazy("Semua jam magang yang dapat saya lihat"),
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

    def queue_of(self, user):
        return supervision_queue(user)


class HourEntryIndexView(QueueIndexView):
    page_title = gettext_lazy("Jam magang")
    flow = ENTRIES
    queue_empty = gettext_lazy("Tidak ada jam magang yang menunggu verifikasi kamu.")
    none_match = gettext_lazy("Tidak ada jam magang yang cocok.")

    def records(self):
        return entries_visible_to(self.request.user).select_related(
            "trainee", "placement__host"
        )

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
            # Right after the date: on a phone the columns after it run
            # off-screen, and the status is what a supervisor looks for.
            self.status_column(),
            *self.trainee_and_host_columns(),
            Column("time", label=_("Waktu"), accessor=time_label, sort_key="minutes"),
            Column(
                "category",
                label=_("Kegiatan"),
                accessor="get_category_display",
                sort_key="category",
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


# The inspect view: one entry and its history


# The bulk actions' names (`admin.verification`), for the buttons on an entry.
VERIFY = "verifikasi"
RETURN = "kembalikan"


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
        entry, user = self.object, self.request.user
        if entry.status != EntryStatus.SUBMITTED:
            return []
        if entry.placement.has_outside_supervisor and may_sign_for(
            user, entry.placement
        ):
            # No supervisor account, so no queue: the paper log's signature.
            url = reverse("mentorship_paper_signature", args=[entry.placement_id])
            return [
                HeaderButton(
                    _("Catat tanda tangan di catatan kertas"),
                    url=url + "?" + urlencode({"entri": entry.pk}),
                    icon_name="check",
                )
            ]
        if not can_verify(user, entry):
            return []
        here = self.request.get_full_path()
        return [
            HeaderButton(
                _("Verifikasi"),
                url=decision_url(VERIFY, entry, here),
                icon_name="check",
                priority=10,
            ),
            HeaderButton(
                _("Kembalikan"),
                url=decision_url(RETURN, entry, here),
                icon_name="undo",
                priority=20,
            ),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["history"] = history_of(self.object)
        context["status"] = status_of(ENTRIES, self.object)
        return context


class HourEntryViewSet(FlowRecordViewSet):
    """Read-only: the index, its results fragment and the inspect view."""

    model = HourEntry
    icon = "time"
    menu_label = gettext_lazy("Jam magang")
    url_prefix = "magang/jam"
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

    record_path = "inspect/<id:pk>/"


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
