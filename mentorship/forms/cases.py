"""The trainee's form for a supervised practice case, in SIMFONI-PPA's categories.

Like the hour form, it only collects input: whether every category is
chosen, the month has happened, the place is a kecamatan and the text names
nobody is decided by `mentorship.cases.check_case`, whose errors
`forms.apply_errors` puts onto these fields. So the fields here are lenient
(a missing choice reaches `check_case` and gets its message, together with
every other problem of the same submission).

The form offers no field for a name, an address, an identity number, a day
or a desa: the month comes from a list of month names, the place from a list
of kecamatan.
"""

from django import forms
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from learning.choices import RegionLevel
from learning.models import Region

from ..cases import MAX_TEXT_LENGTH, TEXT_FIELDS, CaseInput
from ..choices import (
    AgeGroup,
    CasePath,
    CaseService,
    IncidentPlace,
    PerpetratorAge,
    Relation,
    VictimSex,
    ViolenceType,
)
from ..models import Placement, PracticeCase
from .hours import PlacementChoiceField

DISABILITY_CHOICES = [
    ("", _("Tidak diketahui")),
    ("ya", _("Ya")),
    ("tidak", _("Tidak")),
]
TEXT_HELP = _("Tanpa nama, alamat, nomor, nama desa atau sekolah korban.")


def _pick(choices) -> list[tuple[str, str]]:
    """A select's choices with an empty first option, so nothing is chosen by habit."""
    return [("", _("— pilih —")), *choices]


def month_choices() -> list[tuple[str, str]]:
    return [("", _("— pilih —"))] + [(str(n), name) for n, name in MONTHS.items()]


def _text(label, help_text, *, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


# The form's sections, each short enough for a thumb (fields.html draws them):
# which fields each holds, so a section holding an error after a refused save
# is drawn open.
SECTIONS = {
    "kasus": (
        "placement",
        "violence_types",
        "incident_place",
        "month",
        "year",
        "kecamatan",
    ),
    "orang": (
        "victim_sex",
        "victim_age_group",
        "victim_disability",
        "perpetrator_relation",
        "perpetrator_age",
    ),
    "jalur": ("services", "path"),
    "cerita": TEXT_FIELDS,
}


class PracticeCaseForm(forms.Form):
    """What a trainee learned from one case, without who the victim is."""

    # Made when the empty form is shown, so sending it twice (a double tap, a
    # retry on a bad connection) records one case.
    uuid = forms.UUIDField(widget=forms.HiddenInput)
    placement = PlacementChoiceField(
        label=_("Tempat magang"),
        queryset=Placement.objects.none(),
        empty_label=None,
        help_text=_("Pembimbing penempatan ini meninjau catatanmu."),
    )
    violence_types = forms.MultipleChoiceField(
        label=_("Jenis kekerasan"),
        choices=ViolenceType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Boleh lebih dari satu."),
    )
    victim_sex = forms.ChoiceField(
        label=_("Jenis kelamin korban"),
        choices=_pick(VictimSex.choices),
        required=False,
    )
    victim_age_group = forms.ChoiceField(
        label=_("Kelompok umur korban (tahun)"),
        choices=_pick(AgeGroup.choices),
        required=False,
    )
    victim_disability = forms.ChoiceField(
        label=_("Korban penyandang disabilitas?"),
        choices=DISABILITY_CHOICES,
        required=False,
    )
    perpetrator_relation = forms.ChoiceField(
        label=_("Hubungan pelaku dengan korban"),
        choices=_pick(Relation.choices),
        required=False,
    )
    perpetrator_age = forms.ChoiceField(
        label=_("Umur pelaku"), choices=_pick(PerpetratorAge.choices), required=False
    )
    incident_place = forms.ChoiceField(
        label=_("Tempat kejadian"), choices=_pick(IncidentPlace.choices), required=False
    )
    month = forms.TypedChoiceField(
        label=_("Bulan"),
        choices=month_choices,
        coerce=int,
        empty_value=None,
        required=False,
    )
    year = forms.TypedChoiceField(
        label=_("Tahun"), choices=(), coerce=int, empty_value=None, required=False
    )
    kecamatan = forms.ChoiceField(
        label=_("Kecamatan"),
        choices=(),
        required=False,
        help_text=_("Tidak lebih rinci dari kecamatan: desa tidak dicatat."),
    )
    services = forms.MultipleChoiceField(
        label=_("Layanan yang dirujuk"),
        choices=CaseService.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Boleh lebih dari satu, atau tidak ada."),
    )
    path = forms.ChoiceField(
        label=_("Jalur penyelesaian"),
        choices=_pick(CasePath.choices),
        required=False,
        help_text=_(
            "Ingat: kekerasan seksual dengan pelaku dewasa tidak boleh diselesaikan "
            "di luar pengadilan (UU 12/2022 pasal 23)."
        ),
    )
    trainee_role = _text(
        _("Peranmu dalam kasus ini"),
        format_lazy(
            "{} {}", _("Misalnya: mendampingi staf saat menerima pengaduan."), TEXT_HELP
        ),
        rows=2,
    )
    actions = _text(
        _("Langkah yang kamu ambil"),
        format_lazy(
            "{} {}",
            _("Sebut korban dengan perannya saja, misalnya “seorang ibu”."),
            TEXT_HELP,
        ),
        rows=4,
    )
    went_well = _text(_("Yang berjalan baik"), TEXT_HELP)
    was_hard = _text(_("Yang sulit"), TEXT_HELP)
    learned = _text(_("Yang kamu pelajari"), TEXT_HELP)

    def __init__(self, *args, trainee, with_uuid: bool = True, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        placements = list(
            Placement.objects.filter(trainee=trainee)
            .select_related("host")
            .order_by("-start_date", "pk")
        )
        self.fields["placement"].queryset = Placement.objects.filter(
            trainee=trainee
        ).select_related("host")
        self.fields["year"].choices = _pick(self._years(placements, case))
        self._kecamatan = {}
        self.fields["kecamatan"].choices = self._kecamatan_choices(placements)
        if not with_uuid:
            del self.fields["uuid"]

    @staticmethod
    def _years(placements, case) -> list[tuple[int, str]]:
        this_year = timezone.localdate().year
        first = min(
            [placement.start_date.year for placement in placements] + [this_year]
        )
        if case is not None:
            first = min(first, case.year)
        return [(year, str(year)) for year in range(this_year, first - 1, -1)]

    def _kecamatan_choices(self, placements) -> list:
        """Every kecamatan, grouped by kabupaten; the placements' kabupaten first."""
        home = []
        for placement in placements:
            if placement.host.kabupaten_id not in home:
                home.append(placement.host.kabupaten_id)
        groups: dict[Region, list[tuple[str, str]]] = {}
        for region in (
            Region.objects.filter(level=RegionLevel.KECAMATAN)
            .select_related("parent")
            .order_by("parent__code", "name")
        ):
            self._kecamatan[region.code] = region
            groups.setdefault(region.parent, []).append((region.code, region.name))
        ordered = sorted(
            groups,
            key=lambda kabupaten: (
                home.index(kabupaten.pk) if kabupaten.pk in home else len(home),
                kabupaten.code,
            ),
        )
        return [("", _("— pilih kecamatan —"))] + [
            (kabupaten.label, groups[kabupaten]) for kabupaten in ordered
        ]

    @property
    def open_sections(self) -> dict[str, bool]:
        """Which sections are drawn open: those holding an error after a
        refused save; on a fresh form (or one refused as a whole) the first."""
        errors = set(self.errors) if self.is_bound else set()
        opened = {name: bool(errors & set(fields)) for name, fields in SECTIONS.items()}
        if not any(opened.values()):
            opened["kasus"] = True
        return opened

    def clean_kecamatan(self) -> Region | None:
        return self._kecamatan.get(self.cleaned_data.get("kecamatan") or "")

    def clean_victim_disability(self) -> bool | None:
        return {"ya": True, "tidak": False}.get(self.cleaned_data["victim_disability"])

    def case_input(self) -> CaseInput:
        data = self.cleaned_data
        return CaseInput(
            placement=data["placement"],
            violence_types=list(data.get("violence_types") or []),
            victim_sex=data.get("victim_sex") or "",
            victim_age_group=data.get("victim_age_group") or "",
            victim_disability=data.get("victim_disability"),
            perpetrator_relation=data.get("perpetrator_relation") or "",
            perpetrator_age=data.get("perpetrator_age") or "",
            incident_place=data.get("incident_place") or "",
            month=data.get("month"),
            year=data.get("year"),
            kecamatan=data.get("kecamatan"),
            services=list(data.get("services") or []),
            path=data.get("path") or "",
            trainee_role=data.get("trainee_role") or "",
            actions=data.get("actions") or "",
            went_well=data.get("went_well") or "",
            was_hard=data.get("was_hard") or "",
            learned=data.get("learned") or "",
        )


def case_initial(case: PracticeCase) -> dict:
    """A saved case as the form's starting values."""
    disability = {True: "ya", False: "tidak"}.get(case.victim_disability, "")
    return {
        "placement": case.placement_id,
        "violence_types": case.violence_types,
        "victim_sex": case.victim_sex,
        "victim_age_group": case.victim_age_group,
        "victim_disability": disability,
        "perpetrator_relation": case.perpetrator_relation,
        "perpetrator_age": case.perpetrator_age,
        "incident_place": case.incident_place,
        "month": case.month,
        "year": case.year,
        "kecamatan": case.kecamatan.code,
        "services": case.services,
        "path": case.path,
        "trainee_role": case.trainee_role,
        "actions": case.actions,
        "went_well": case.went_well,
        "was_hard": case.was_hard,
        "learned": case.learned,
    }
