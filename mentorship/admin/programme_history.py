"""*Angka sebelum Pendamping*: the admin screens for a programme's years before
Pendamping (`mentorship.programme_history`).

Wagtail's model viewset, with the scope rule as its permission policy:
coordinators enter, change and delete the years of the programmes they
coordinate; facilitators open their organisation's years read only
(inspect). The form has one number field per violence type, and every save
and delete goes through `save_history_year` / `delete_history_year`.
Registered in `mentorship.wagtail_hooks`, beside the programme view's menu
item ("Angka program").
"""

from django import forms
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import Truncator, format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log
from wagtail.permissions import register_permission_policy

from learning.admin_scope import CoordinatorsWritePolicy, ScopedIndexMixin
from learning.models import Organisation
from learning.scope import is_active_staff

from ..choices import ViolenceType
from ..models import ProgrammeHistoryYear
from ..programme_history import (
    LARGEST_FIGURE,
    delete_history_year,
    existing_history_year,
    history_years_changeable_by,
    history_years_visible_to,
    programmes_with_history_changeable_by,
    save_history_year,
)

TYPE_FIELD = "kasus_{}"
MANUAL = gettext_lazy("dicatat manual")


class HistoryYearPolicy(CoordinatorsWritePolicy):
    """Roles, not model permissions: staff may look, coordinators may write;
    which rows each may touch is `history_years_visible_to` /
    `history_years_changeable_by`."""

    def __init__(self):
        super().__init__(
            ProgrammeHistoryYear,
            scope=history_years_visible_to,
            change_scope=history_years_changeable_by,
        )


# As the other mentorship screens do: before anything looks a policy up.
register_permission_policy(ProgrammeHistoryYear, HistoryYearPolicy())


# --- the form -------------------------------------------------------------------


def _figure_field(label, help_text) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=LARGEST_FIGURE,
        help_text=help_text,
    )


class HistoryYearFormBase(WagtailAdminModelForm):
    """One year's figures: a number per violence type instead of raw JSON.
    The form only collects; `save_history_year` checks and writes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        programmes = programmes_with_history_changeable_by(user).order_by("name")
        self.fields["programme"].queryset = programmes
        self.fields["programme"].help_text = _("Program yang kamu koordinasikan.")
        self.fields["organisation"].queryset = Organisation.objects.filter(
            programmes__in=programmes.values("pk")
        ).distinct()
        self.fields["organisation"].help_text = _(
            "Lembaga pelaksana program yang angkanya dicatat."
        )
        self.fields["year"].help_text = _(
            "Tahun sebelum program memakai Pendamping: paling awal 1990, paling "
            "akhir tahun sebelum sesi refleksi pertamanya (tanpa sesi: tahun lalu)."
        )
        self.fields["cases_accompanied"].help_text = _(
            "Semua kasus yang didampingi tahun itu. Kosongkan bila laporan tidak "
            "menyebutnya; bila hanya jenis yang diisi, jumlahnya dipakai."
        )
        self.fields["villages_assisted"].help_text = _(
            "Jumlah desa dampingan tahun itu, bila laporan menyebutnya."
        )
        self.fields["active_companions"].help_text = _(
            "Hanya angka yang tertulis di laporan; kosongkan bila laporan hanya "
            "menyebut kira-kira (mis. '2-3 orang per desa')."
        )
        self.fields["source"].help_text = _(
            "Laporan asal angka ini, mis. 'Laporan tahunan SSP 2021'. Wajib."
        )
        # Bounded here as in the rule, so a huge number is refused beside its box.
        for name in ("cases_accompanied", "villages_assisted", "active_companions"):
            field = self.fields[name]
            self.fields[name] = _figure_field(field.label, field.help_text)
        known = (self.instance.cases_by_type or {}) if self.instance.pk else {}
        for value in ViolenceType.values:
            self.initial.setdefault(TYPE_FIELD.format(value), known.get(value))

    def _get_validation_exclusions(self):
        # One row per year is `save_history_year`'s to say, in words and with
        # the existing year offered; the model's generic check stays out.
        keys = {"programme", "organisation", "year"}
        return {*super()._get_validation_exclusions(), *keys}

    def cases_by_type(self) -> dict[str, int]:
        return {
            value: self.cleaned_data[TYPE_FIELD.format(value)]
            for value in ViolenceType.values
            if self.cleaned_data.get(TYPE_FIELD.format(value)) is not None
        }

    def refuse(self, error: ValidationError) -> None:
        """The rule's refusal, on the fields it names (types: above the form)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, errors in error.error_dict.items():
            target = field if field in self.fields else None
            for item in errors:
                self.add_error(target, item)


# One number field per violence type, declared so the panels can name them.
HistoryYearForm = type(
    "HistoryYearForm",
    (HistoryYearFormBase,),
    {
        TYPE_FIELD.format(value): _figure_field(
            format_lazy("{}: {}", gettext_lazy("Kasus"), label),
            gettext_lazy("Kosongkan bila laporan tidak memisahkan jenis ini."),
        )
        for value, label in ViolenceType.choices
    },
)

PANELS = [
    FieldPanel("programme"),
    FieldPanel("organisation"),
    FieldPanel("year"),
    FieldPanel("cases_accompanied"),
    *[FieldPanel(TYPE_FIELD.format(value)) for value in ViolenceType.values],
    FieldPanel("villages_assisted"),
    FieldPanel("active_companions"),
    FieldPanel("source"),
]


# --- the views ------------------------------------------------------------------


def _row_id(raw) -> int | None:
    """A row id from an address, or None for anything that is not one."""
    text = str(raw)
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        return None
    return int(text)


class InScope:
    """Opens only a row the person sees: another programme's row or an ugly id
    is not found (404); a row one sees but may not change is refused (403)."""

    scope_action = "change"

    def get_object(self, queryset=None):
        if getattr(self, "object", None) is not None:
            return self.object
        raw = self.kwargs.get(self.pk_url_kwarg, self.args[0] if self.args else "")
        row_id = _row_id(unquote(str(raw)))
        user = self.request.user
        row = (
            history_years_visible_to(user).filter(pk=row_id).first()
            if row_id is not None
            else None
        )
        if row is None:
            raise Http404(_("Catatan ini tidak ditemukan."))
        if self.scope_action != "view" and not (
            history_years_changeable_by(user).filter(pk=row.pk).exists()
        ):
            raise PermissionDenied
        return row


class SavingThroughTheRule:
    """Create and edit views whose save is `save_history_year`."""

    def form_valid(self, form):
        self.form = form
        data = form.cleaned_data
        try:
            row = save_history_year(
                actor=self.request.user,
                programme=data.get("programme"),
                organisation=data.get("organisation"),
                year=data.get("year"),
                cases_accompanied=data.get("cases_accompanied"),
                cases_by_type=form.cases_by_type(),
                villages_assisted=data.get("villages_assisted"),
                active_companions=data.get("active_companions"),
                source=data.get("source") or "",
                instance=self.saved_instance(),
            )
        except ValidationError as error:
            # Before the refusal: adding an error takes the field's value away.
            buttons = self.existing_year_buttons(data)
            form.refuse(error)
            messages.validation_error(
                self.request,
                _("Angka ini belum disimpan. Perbaiki yang ditandai di bawah."),
                form,
                buttons=buttons,
            )
            self.produced_error_message = None  # said above, with its button
            return self.form_invalid(form)
        self.object = row
        log(
            instance=row,
            action="wagtail.create" if self.is_new else "wagtail.edit",
            user=self.request.user,
        )
        return self.save_action()

    def existing_year_buttons(self, data) -> list:
        """A year already entered: a button to change that one instead."""
        keys = ("programme", "organisation", "year")
        if not all(data.get(key) for key in keys):
            return []
        existing = existing_history_year(
            programme=data["programme"],
            organisation=data["organisation"],
            year=data["year"],
        )
        mine = getattr(self, "object", None)
        if existing is None or (mine is not None and existing.pk == mine.pk):
            return []
        changeable = history_years_changeable_by(self.request.user)
        if not changeable.filter(pk=existing.pk).exists():
            return []
        return [
            messages.button(
                reverse("programme_history:edit", args=[existing.pk]),
                _("Ubah catatan tahun %(year)d yang ada") % {"year": existing.year},
            )
        ]


class HistoryCreateView(SavingThroughTheRule, generic.CreateView):
    is_new = True

    def saved_instance(self):
        return None

    def get_success_message(self, instance=None):
        return _("Angka tahun %(year)d dicatat.") % {"year": self.object.year}


class HistoryEditView(SavingThroughTheRule, InScope, generic.EditView):
    is_new = False

    def saved_instance(self):
        return self.object

    def get_success_message(self, instance=None):
        return _("Angka tahun %(year)d diubah.") % {"year": self.object.year}


class HistoryDeleteView(InScope, generic.DeleteView):
    def delete_action(self):
        log(instance=self.object, action="wagtail.delete", user=self.request.user)
        try:
            delete_history_year(actor=self.request.user, instance=self.object)
        except ValidationError as error:
            raise PermissionDenied from error


class HistoryIndexView(ScopedIndexMixin, generic.IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .order_by("programme__short_name", "organisation__short_name", "-year")
        )


def _types_text(row: ProgrammeHistoryYear) -> str:
    labels = dict(ViolenceType.choices)
    parts = [
        f"{labels.get(key, key)}: {count}"
        for key, count in (row.cases_by_type or {}).items()
    ]
    return "; ".join(parts) or "—"


class HistoryInspectView(InScope, generic.InspectView):
    scope_action = "view"

    def get_cases_by_type_display_value(self):
        return _types_text(self.object)

    def get_edit_url(self):
        if (
            history_years_changeable_by(self.request.user)
            .filter(pk=self.object.pk)
            .exists()
        ):
            return super().get_edit_url()
        return None

    def get_delete_url(self):
        return self.get_edit_url() and super().get_delete_url()


def _blank(value):
    return "—" if value is None else value


class ProgrammeHistoryViewSet(ModelViewSet):
    model = ProgrammeHistoryYear
    icon = "history"
    menu_label = gettext_lazy("Angka sebelum Pendamping")
    url_prefix = "angka-program/sebelum-pendamping"
    add_to_admin_menu = False  # its own menu item, beside "Angka program"
    copy_view_enabled = False  # one row per year: a copy could never be saved
    inspect_view_enabled = True
    index_view_class = HistoryIndexView
    add_view_class = HistoryCreateView
    edit_view_class = HistoryEditView
    delete_view_class = HistoryDeleteView
    inspect_view_class = HistoryInspectView
    history_view_class = type(
        "HistoryHistoryView", (InScope, generic.HistoryView), {"scope_action": "view"}
    )
    usage_view_class = type(
        "HistoryUsageView", (InScope, generic.UsageView), {"scope_action": "view"}
    )
    list_display = [
        "programme",
        "organisation",
        "year",
        Column(
            "cases_accompanied",
            label=gettext_lazy("Kasus"),
            accessor=lambda row: _blank(row.cases_accompanied),
        ),
        Column(
            "villages_assisted",
            label=gettext_lazy("Desa"),
            accessor=lambda row: _blank(row.villages_assisted),
        ),
        Column(
            "active_companions",
            label=gettext_lazy("Pendamping aktif"),
            accessor=lambda row: _blank(row.active_companions),
        ),
        Column(
            "source",
            label=gettext_lazy("Sumber"),
            # Whole on the row's own page; cut here so a row stays one line high.
            accessor=lambda row: Truncator(row.source).chars(40),
        ),
        Column(
            "manual",
            label=gettext_lazy("Cara"),
            accessor=lambda row: MANUAL,
        ),
        Column(
            "entered_by",
            label=gettext_lazy("Dicatat oleh"),
            accessor=lambda row: (
                format_html(
                    "{} · {}",
                    row.entered_by.get_full_name() or row.entered_by.username,
                    date_format(timezone.localtime(row.entered_at), "j M Y"),
                )
                if row.entered_by
                else "—"
            ),
        ),
    ]
    inspect_view_fields = [
        "programme",
        "organisation",
        "year",
        "cases_accompanied",
        "cases_by_type",
        "villages_assisted",
        "active_companions",
        "source",
        "entered_by",
        "entered_at",
    ]
    edit_handler = ObjectList(PANELS, base_form_class=HistoryYearForm)


class HistoryMenuItem(MenuItem):
    def is_shown(self, request):
        return is_active_staff(request.user)


def programme_history_viewset() -> ProgrammeHistoryViewSet:
    return ProgrammeHistoryViewSet("programme_history")


def programme_history_menu_item() -> HistoryMenuItem:
    return HistoryMenuItem(
        gettext_lazy("Angka sebelum Pendamping"),
        reverse("programme_history:index"),
        name="angka-sebelum-pendamping",
        icon_name="history",
        order=191,  # right after "Angka program" (190)
    )
