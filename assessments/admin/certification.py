"""Certification in the admin: the rule per programme, and the wiring of the
readiness and certificate screens (`certification_readiness`,
`certification_certificates`) into one *Sertifikasi* menu group.

The rule is Wagtail's model viewset. Seeing and changing are two rules,
side by side here: staff see the rules of the programmes they see
(`programmes_visible_to`); the coordinators who certify a programme
(`programmes_certified_by`) create and change its rule. A facilitator opens
a rule read-only (inspect). `assessments.wagtail_hooks` registers the
permission policy, the viewset group and the URLs.
"""

from django import forms
from django.db.models import QuerySet
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from learning.admin_scope import CoordinatorsWritePolicy, ScopedIndexMixin, scoped
from learning.models import User
from learning.scope import is_active_staff, programmes_visible_to
from modules.models import ModulePage

from ..certification import programmes_certified_by
from ..models import CertificationRule, Competency
from . import certification_certificates, certification_readiness
from .access import FacilitatorMenuItem

SERTIFIKASI_MENU_HOOK = "register_assessments_certification_menu_item"

# --- who may see and change a rule ---------------------------------------------


def rules_visible_to(actor: User) -> QuerySet[CertificationRule]:
    """The rules of the programmes `actor` sees (staff only)."""
    if not is_active_staff(actor):
        return CertificationRule.objects.none()
    return CertificationRule.objects.filter(
        programme__in=programmes_visible_to(actor).values("pk")
    ).select_related("programme")


def rules_managed_by(actor: User) -> QuerySet[CertificationRule]:
    """The rules `actor` may create, change and delete: those of the
    programmes whose certificates they issue."""
    return CertificationRule.objects.filter(
        programme__in=programmes_certified_by(actor).values("pk")
    ).select_related("programme")


class CertificationRulePolicy(CoordinatorsWritePolicy):
    """Roles, not Django model permissions: staff may look, coordinators may
    write; which rules each may touch is `rules_visible_to` / `rules_managed_by`."""

    def __init__(self):
        super().__init__(
            CertificationRule, scope=rules_visible_to, change_scope=rules_managed_by
        )


# --- the form ------------------------------------------------------------------


class CertificationRuleForm(WagtailAdminModelForm):
    """The rule's form: only the programmes one certifies and that have no
    rule yet; competencies and refresher modules as plain checkboxes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        programmes = programmes_certified_by(user) if user else None
        if programmes is not None:
            taken = CertificationRule.objects.exclude(pk=self.instance.pk)
            self.fields["programme"].queryset = programmes.exclude(
                pk__in=taken.values("programme")
            ).order_by("name")
        self.fields["programme"].help_text = _(
            "Program yang kamu koordinasikan dan belum punya aturan."
        )
        # The widget first: setting the queryset gives it its choices.
        self.fields["competencies"].widget = forms.CheckboxSelectMultiple()
        self.fields["competencies"].queryset = Competency.objects.all()
        self.fields["competencies"].help_text = _(
            "Centang kompetensi yang harus dinilai kompeten. Kosongkan untuk "
            "mensyaratkan semua kompetensi kerangka."
        )
        self.fields["renewal_modules"].widget = forms.CheckboxSelectMultiple()
        self.fields["renewal_modules"].queryset = ModulePage.objects.filter(
            is_refresher=True
        ).order_by("path")
        self.fields["min_magang_hours"].help_text = _(
            "Jam magang yang sudah diverifikasi pembimbing. Bawaan: 40 jam."
        )
        self.fields["min_practice_cases"].help_text = _(
            "Kasus praktik yang sudah ditinjau fasilitator. Bawaan: 2 kasus."
        )
        self.fields["min_attendance_percent"].help_text = _(
            "Bagian hari lokakarya program yang dihadiri selama angkatannya "
            "berjalan. Bawaan: 80%."
        )
        self.fields["validity_months"].help_text = _(
            "Misalnya 36 untuk tiga tahun. Kosongkan bila sertifikat berlaku "
            "tanpa batas waktu."
        )
        self.fields["signatories"].help_text = _(
            "Satu orang per baris: nama, koma, lalu jabatan dan lembaga. "
            "Contoh: Maria Seran, Koordinator Program SSP SoE"
        )
        self.fields["signatories"].widget.attrs["rows"] = 4

    def clean_signatories(self):
        value = self.cleaned_data.get("signatories", "")
        if len(value) > 2000:
            raise forms.ValidationError(
                _("Penanda tangan paling panjang 2000 karakter.")
            )
        return value


# --- the viewset ---------------------------------------------------------------


class RuleIndexView(ScopedIndexMixin, generic.IndexView):
    pass


class RuleCreateView(generic.CreateView):
    """Wagtail's create view; the form offers only one's programmes."""


class CertificationRuleViewSet(ModelViewSet):
    model = CertificationRule
    icon = "list-ul"
    menu_label = _("Aturan")
    menu_order = 3  # after Kesiapan and Sertifikat in the group
    url_prefix = "sertifikasi/aturan"
    add_to_admin_menu = False  # in the Sertifikasi group
    copy_view_enabled = False  # one rule per programme: a copy cannot be saved
    inspect_view_enabled = True
    index_view_class = RuleIndexView
    add_view_class = RuleCreateView
    inspect_view_class = scoped(generic.InspectView, "view")
    edit_view_class = scoped(generic.EditView)
    delete_view_class = scoped(generic.DeleteView, "delete")
    history_view_class = scoped(generic.HistoryView, "view")
    usage_view_class = scoped(generic.UsageView, "view")
    list_display = [
        "programme",
        Column(
            "min_magang_hours",
            label=_("Jam magang"),
            accessor=lambda rule: (
                rule.min_magang_hours if rule.require_magang_hours else "—"
            ),
        ),
        Column(
            "min_practice_cases",
            label=_("Kasus"),
            accessor=lambda rule: (
                rule.min_practice_cases if rule.require_practice_cases else "—"
            ),
        ),
        Column(
            "min_attendance_percent",
            label=_("Kehadiran"),
            accessor=lambda rule: (
                f"{rule.min_attendance_percent}%"
                if rule.require_workshop_attendance
                else "—"
            ),
        ),
        Column(
            "validity_months",
            label=_("Masa berlaku"),
            accessor=lambda rule: (
                _("%(months)d bulan") % {"months": rule.validity_months}
                if rule.validity_months
                else _("Tanpa batas")
            ),
        ),
        "updated_at",
    ]
    inspect_view_fields = [
        "programme",
        "require_core_modules",
        "require_competencies",
        "competencies",
        "require_magang_hours",
        "min_magang_hours",
        "require_practice_cases",
        "min_practice_cases",
        "require_workshop_attendance",
        "min_attendance_percent",
        "validity_months",
        "renewal_modules",
        "signatories",
        "updated_at",
    ]
    edit_handler = ObjectList(
        CertificationRule.panels, base_form_class=CertificationRuleForm
    )


class CertificationGroup(ViewSetGroup):
    """*Sertifikasi*: Kesiapan, Sertifikat, Aturan (facilitators and coordinators)."""

    menu_label = _("Sertifikasi")
    menu_name = "sertifikasi"
    menu_icon = "success"
    menu_order = 262
    submenu_hook = SERTIFIKASI_MENU_HOOK
    items = (CertificationRuleViewSet("certification_rule"),)


def certification_policy() -> CertificationRulePolicy:
    return CertificationRulePolicy()


# --- menu items and URLs -------------------------------------------------------


def readiness_menu_item() -> FacilitatorMenuItem:
    return FacilitatorMenuItem(
        _("Kesiapan"),
        reverse("assessments_certification_cohorts"),
        name="sertifikasi-kesiapan",
        icon_name="tasks",
        order=1,
    )


def certificates_menu_item() -> FacilitatorMenuItem:
    return FacilitatorMenuItem(
        _("Sertifikat"),
        reverse("assessments_certificates"),
        name="sertifikasi-sertifikat",
        icon_name="doc-full",
        order=2,
    )


RULES = {
    "url": reverse_lazy("certification_rule:index"),
    "label": _("Aturan sertifikasi"),
}


def admin_urls() -> list:
    return [
        *certification_readiness.admin_urls(),
        *certification_certificates.admin_urls(),
    ]
