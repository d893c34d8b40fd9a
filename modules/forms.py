from django import forms
from django.utils.translation import gettext_lazy as _

from learning.choices import RegionLevel
from learning.models import Region
from learning.regions import NTT

from .choices import ServiceKind

# --- Direktori layanan: the filter on /layanan/ ------------------------------


def _ntt(level: RegionLevel):
    return Region.objects.filter(level=level, code__startswith=NTT + ".")


class ServiceFilterForm(forms.Form):
    """Find referral services by place, kind and words, from a GET query.

    Regions travel as Kemendagri codes (`?kabupaten=53.02&kecamatan=53.02.04`)
    so that a lesson can link to a filtered list that stays valid.
    """

    q = forms.CharField(
        label=_("Kata kunci"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("misalnya visum, SoE, 129")}
        ),
    )
    kabupaten = forms.ModelChoiceField(
        label=_("Kabupaten/kota"),
        queryset=_ntt(RegionLevel.KABUPATEN),
        to_field_name="code",
        required=False,
        empty_label=_("Semua kabupaten/kota"),
    )
    kecamatan = forms.ModelChoiceField(
        label=_("Kecamatan"),
        queryset=_ntt(RegionLevel.KECAMATAN),
        to_field_name="code",
        required=False,
        help_text=_(
            "Layanan untuk seluruh kabupaten dan layanan nasional ikut tampil."
        ),
    )
    kind = forms.ChoiceField(
        label=_("Jenis layanan"),
        choices=[("", _("Semua jenis")), *ServiceKind.choices],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].choices = self._kecamatan_choices()

    def _kecamatan_choices(self) -> list:
        """The chosen kabupaten's kecamatan, or every NTT kecamatan by kabupaten.

        Without JavaScript the list cannot follow the kabupaten select as it
        changes; it narrows once the form has been sent.
        """
        chosen = (self.data.get(self.add_prefix("kabupaten")) or "").strip()
        rows = list(
            self.fields["kecamatan"]
            .queryset.order_by("parent__code", "name")
            .values_list("code", "name", "parent__label")
        )
        everything = [("", _("Semua kecamatan"))]
        within = [
            (code, name) for code, name, _kab in rows if code.startswith(chosen + ".")
        ]
        if chosen and within:
            return everything + within
        groups: dict[str, list] = {}
        for code, name, kabupaten in rows:
            groups.setdefault(kabupaten, []).append((code, name))
        return everything + list(groups.items())

    def clean(self):
        cleaned = super().clean()
        kabupaten = cleaned.get("kabupaten")
        kecamatan = cleaned.get("kecamatan")
        if kabupaten and kecamatan and kecamatan.parent_id != kabupaten.pk:
            self.add_error(
                "kecamatan",
                _(
                    "Kecamatan %(kecamatan)s tidak berada di %(kabupaten)s. Pilih "
                    "kecamatan lain atau kosongkan."
                )
                % {"kecamatan": kecamatan.name, "kabupaten": kabupaten.label},
            )
        return cleaned
