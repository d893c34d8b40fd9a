"""The audit trail in the admin: who did what, when, to which record.

One listing, newest first, filtered by action, by person (actor or subject,
by username) and by dates. Coordinators read the lines of the programmes
they coordinate, superusers every line (`audit.lines_visible_to`); everyone
else is refused before any query about people. There is no add, edit or
delete screen: the lines are written by the acts themselves.
"""

from django import forms
from django.db.models import Q
from django.template.response import TemplateResponse
from django.urls import path, reverse, reverse_lazy
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import BaseListingView

import django_filters

from . import audit
from .choices import AuditAction
from .models import AuditEvent

USERNAME_MAX = 150


class PersonField(forms.CharField):
    """A username; NUL bytes are refused by CharField's own validator."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", USERNAME_MAX)
        super().__init__(**kwargs)


class AuditFilterSet(WagtailFilterSet):
    tindakan = django_filters.ChoiceFilter(
        label=_("Tindakan"),
        choices=AuditAction.choices,
        empty_label=_("Semua tindakan"),
        field_name="action",
    )
    orang = django_filters.CharFilter(
        label=_("Orang (nama pengguna)"),
        method="filter_person",
        max_length=USERNAME_MAX,
        help_text=_("Pelaku atau orang yang datanya, dengan nama pengguna."),
    )
    dari = django_filters.DateFilter(
        label=_("Dari tanggal"),
        field_name="at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    sampai = django_filters.DateFilter(
        label=_("Sampai tanggal"),
        field_name="at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = AuditEvent
        fields = []

    def filter_person(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(actor__username__iexact=value) | Q(subject__username__iexact=value)
        )


def _time(line: AuditEvent) -> str:
    # Shown in the site's time (WITA), whatever the server's clock says.
    return date_format(timezone.localtime(line.at), "j M Y H:i")


def _record(line: AuditEvent) -> str:
    if line.target_label:
        return line.target_label
    if line.target_type:
        return f"{line.target_type} #{line.target_id}"
    return "—"


def _person(line: AuditEvent) -> str:
    return audit.person_label(line.subject) or "—"


class AuditTrailView(BaseListingView):
    """The lines a coordinator or superuser may read, newest first."""

    page_title = _("Jejak audit")
    header_icon = "history"
    breadcrumbs_items = [
        {"url": reverse_lazy("wagtailadmin_home"), "label": _("Beranda")},
    ]
    index_url_name = "learning_audit_trail"
    index_results_url_name = "learning_audit_trail_results"
    results_template_name = "learning/admin/audit_trail_results.html"
    filterset_class = AuditFilterSet
    paginate_by = 50
    verbose_name_plural = _("baris jejak audit")

    def dispatch(self, request, *args, **kwargs):
        if not audit.may_see_trail(request.user):
            return TemplateResponse(
                request,
                "learning/admin/audit_trail_forbidden.html",
                {"page_title": self.page_title, "header_icon": "warning"},
                status=403,
            )
        return super().dispatch(request, *args, **kwargs)

    @property
    def columns(self):
        return [
            Column("at", label=_("Waktu (WITA)"), accessor=_time),
            Column(
                "actor_label",
                label=_("Pelaku"),
                accessor=lambda line: line.actor_label or "—",
            ),
            Column("action", label=_("Tindakan"), accessor="get_action_display"),
            Column("record", label=_("Catatan"), accessor=_record),
            Column("subject", label=_("Orang"), accessor=_person),
            Column(
                "programme",
                label=_("Program"),
                accessor=lambda line: line.programme.name if line.programme else "—",
            ),
            Column(
                "address",
                label=_("Alamat IP"),
                accessor=lambda line: line.address or "—",
            ),
        ]

    def get_base_queryset(self):
        return (
            audit.lines_visible_to(self.request.user)
            .select_related("subject", "programme")
            .order_by("-at", "-pk")
        )

    @cached_property
    def filter_problem(self) -> bool:
        return bool(self.filters) and not self.filters.is_valid()

    def filter_queryset(self, queryset):
        # A filter that cannot be read shows nothing, with a message, rather
        # than every line as if no filter had been asked for.
        if self.filter_problem:
            return queryset.none()
        return super().filter_queryset(queryset)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_problem"] = self.filter_problem
        return context


class AuditTrailMenuItem(MenuItem):
    def is_shown(self, request):
        return audit.may_see_trail(request.user)


def menu_item():
    return AuditTrailMenuItem(
        _("Jejak audit"),
        reverse("learning_audit_trail"),
        icon_name="history",
        order=910,
    )


def admin_urls():
    return [
        path("jejak-audit/", AuditTrailView.as_view(), name="learning_audit_trail"),
        path(
            "jejak-audit/hasil/",
            AuditTrailView.as_view(results_only=True),
            name="learning_audit_trail_results",
        ),
    ]
