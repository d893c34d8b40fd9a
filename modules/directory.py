"""The referral directory (direktori layanan rujukan): finding services, and
the one rule on which of their contact details may be shown.

A shelter (rumah aman) is often a companion's own home. Its address and phone
never leave this module: `public_contact` is the only way a screen gets a
service's contact details, and for a shelter it gives nothing but the
organisation to go through.
"""

import re
from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Case, Exists, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from learning.choices import RegionLevel, Role
from learning.models import Organisation, Region
from learning.search import query_terms

from .choices import ServiceKind
from .content_cache import stamp_content_change
from .models import ReferralService

# Roles that keep the directory up to date in the admin.
DIRECTORY_EDITORS = (Role.FASILITATOR, Role.KOORDINATOR)
DIRECTORY_ACTIONS = ("add", "change", "delete", "view")

_ServedKecamatan = ReferralService.kecamatan_served.through


# --- Reading -----------------------------------------------------------------


def directory_services() -> QuerySet[ReferralService]:
    """Every service, with what a card shows fetched in a fixed number of queries.

    Listed by kind in the order `ServiceKind` declares them (UPTD PPA first,
    then health, police, legal aid, papers, national lines, shelters), then
    by name.
    """
    kind_rank = Case(
        *[
            When(kind=kind, then=Value(rank))
            for rank, kind in enumerate(ServiceKind.values)
        ],
        default=Value(len(ServiceKind.values)),
    )
    return (
        ReferralService.objects.select_related("kabupaten", "reach_through")
        .prefetch_related(
            Prefetch("kecamatan_served", queryset=Region.objects.order_by("name"))
        )
        .order_by(kind_rank, "name")
    )


def services_matching(
    *,
    query: str = "",
    kabupaten: Region | None = None,
    kecamatan: Region | None = None,
    kind: str = "",
) -> QuerySet[ReferralService]:
    """Services a companion in a place can refer to, optionally of one kind.

    - `kecamatan`: services serving it, services of its kabupaten that serve
      the whole kabupaten (no kecamatan listed), and national services.
    - `kabupaten` (ignored when `kecamatan` is given): services of that
      kabupaten, wherever in it they serve, and national services.
    - `query`: every word, and every "quoted phrase" as written, must appear
      in the name, kind, notes, address, the kabupaten or a kecamatan served,
      or the organisation to go through.
      Matching is by substring ("puskes" finds Puskesmas), the same on SQLite
      and PostgreSQL; the directory is small enough not to need the index.
    """
    services = directory_services()
    if kecamatan is not None:
        serves_it = Exists(
            _ServedKecamatan.objects.filter(
                referralservice=OuterRef("pk"), region=kecamatan
            )
        )
        lists_kecamatan = Exists(
            _ServedKecamatan.objects.filter(referralservice=OuterRef("pk"))
        )
        services = services.filter(
            Q(serves_it)
            | (Q(kabupaten_id=kecamatan.parent_id) & ~Q(lists_kecamatan))
            | Q(kabupaten__isnull=True)
        )
    elif kabupaten is not None:
        services = services.filter(Q(kabupaten=kabupaten) | Q(kabupaten__isnull=True))
    if kind:
        services = services.filter(kind=kind)
    for term in query_terms(query):
        services = services.filter(_mentions(term))
    return services


def _mentions(word: str) -> Q:
    kinds = [
        value
        for value, label in ServiceKind.choices
        if word.lower() in str(label).lower() or word.lower() in value
    ]
    serves_kecamatan_named = Exists(
        _ServedKecamatan.objects.filter(
            referralservice=OuterRef("pk"), region__name__icontains=word
        )
    )
    return (
        Q(name__icontains=word)
        | Q(kind__in=kinds)
        | Q(notes__icontains=word)
        | Q(address__icontains=word)
        | Q(kabupaten__name__icontains=word)
        | Q(reach_through__name__icontains=word)
        | Q(reach_through__short_name__icontains=word)
        | Q(serves_kecamatan_named)
    )


@dataclass(frozen=True)
class PhoneNumber:
    """One number as written by the editor, and the `tel:` link that dials it."""

    text: str
    href: str  # "" when the text holds no number to dial


@dataclass(frozen=True)
class PublicContact:
    """What a screen may show of how to reach a service."""

    address: str = ""
    phones: tuple[PhoneNumber, ...] = ()
    # How to get there through an organisation; for a shelter, the only way.
    through: str = ""
    is_shelter: bool = False


_NUMBER_SEPARATORS = re.compile(r"\s*(?:[/,;]|\batau\b)\s*")
_NOT_DIALLED = re.compile(r"[^\d+]")


def phone_numbers(raw: str) -> tuple[PhoneNumber, ...]:
    """ "129 / WhatsApp 08111-129-129" gives two numbers, each with its link."""
    numbers = []
    for part in _NUMBER_SEPARATORS.split(raw.strip()):
        if not part:
            continue
        digits = _NOT_DIALLED.sub("", part)
        plus = "+" if digits.startswith("+") else ""
        digits = plus + digits.replace("+", "")
        dialable = len(digits.lstrip("+")) >= 3
        numbers.append(PhoneNumber(text=part, href=f"tel:{digits}" if dialable else ""))
    return tuple(numbers)


def public_contact(service: ReferralService) -> PublicContact:
    """The contact details of `service` that may be shown to anyone signed in.

    The one place that decides it. A shelter shows no address and no phone,
    even if some reached the database; only the organisation to go through.
    """
    organisation = service.reach_through
    if service.is_shelter:
        if organisation is not None:
            through = _(
                "Alamat rumah aman tidak pernah dicantumkan. Hubungi melalui "
                "%(organisation)s."
            ) % {"organisation": organisation.name}
        else:
            through = _(
                "Alamat rumah aman tidak pernah dicantumkan. Hubungi melalui "
                "fasilitator atau lembaga pendamping kamu."
            )
        return PublicContact(through=through, is_shelter=True)
    through = ""
    if organisation is not None:
        through = _("Dapat juga dihubungi melalui %(organisation)s.") % {
            "organisation": organisation.name
        }
    return PublicContact(
        address=service.address.strip(),
        phones=phone_numbers(service.phone),
        through=through,
    )


@dataclass(frozen=True)
class ServiceLabel:
    """How a service is named on every screen and in every booklet: its
    name, its kind and the sample mark, each once."""

    name: str
    kind: str  # empty when the name already says it
    is_sample: bool

    def __str__(self) -> str:
        """One line, for print: "Layanan SAPA 129 (KemenPPPA) · Contoh"."""
        parts = [self.name, self.kind, _("Contoh") if self.is_sample else ""]
        return " · ".join(part for part in parts if part)


_SAMPLE_MARK = re.compile(r"\s*\(contoh\)\s*$", re.IGNORECASE)


def service_label(service: ReferralService) -> ServiceLabel:
    """The one rule for a service's name: a sample is marked by its flag (a
    "(contoh)" its name once carried is dropped, so it is not said twice),
    and the kind is left out where the name already says it ("Layanan SAPA
    129 (KemenPPPA)" is a "Layanan SAPA 129")."""
    name = service.name.strip()
    if service.is_sample:
        name = _SAMPLE_MARK.sub("", name) or name
    kind = str(service.get_kind_display())
    if kind.casefold() in name.casefold():
        kind = ""
    return ServiceLabel(name=name, kind=kind, is_sample=service.is_sample)


def area_served(service: ReferralService) -> str:
    """ "Layanan nasional", "Seluruh Kab. X" or "Kab. X: Kec. A, B"."""
    if service.kabupaten is None:
        return _("Layanan nasional")
    kecamatan = [region.name for region in service.kecamatan_served.all()]
    if not kecamatan:
        return _("Seluruh %(kabupaten)s") % {"kabupaten": service.kabupaten.label}
    return _("%(kabupaten)s: Kec. %(kecamatan)s") % {
        "kabupaten": service.kabupaten.label,
        "kecamatan": ", ".join(kecamatan),
    }


# --- Writing -----------------------------------------------------------------


def grant_directory_permissions() -> None:
    """Let facilitators and coordinators keep the directory up to date.

    Safe to run again. The directory is public information shared by every
    organisation, so no scope applies to it.
    """
    content_type = ContentType.objects.get_for_model(ReferralService)
    model = content_type.model
    permissions = [
        Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_{model}",
            defaults={"name": f"Can {action} {model}"},
        )[0]
        for action in DIRECTORY_ACTIONS
    ]
    for group in Group.objects.filter(
        name__in=[role.value for role in DIRECTORY_EDITORS]
    ):
        group.permissions.add(*permissions)


SAMPLE_KABUPATEN = "53.02"  # Timor Tengah Selatan; SoE is its capital
# Sample names once ended so; the flag marks a sample now (see service_label).
SAMPLE_SUFFIX = " (contoh)"
SAMPLE_NOTE = "Data contoh: periksa sebelum dipakai."
SHELTER_ORGANISATION = "SSP"
OFFICE_HOURS = "Senin–Jumat 08.00–15.00 WITA (contoh)"


@dataclass(frozen=True)
class _Sample:
    name: str
    kind: ServiceKind
    national: bool = False
    kecamatan: tuple[str, ...] = ()
    address: str = ""
    phone: str = ""
    opening_hours: str = OFFICE_HOURS
    notes: str = ""


# Addresses are made up and say so; phones are left blank except the national
# lines the ministry publishes (SAPA 129 and its WhatsApp).
SAMPLES = [
    _Sample(
        "UPTD PPA Kabupaten Timor Tengah Selatan",
        ServiceKind.UPTD_PPA,
        address="Jl. Contoh No. 1, SoE (alamat contoh)",
        notes="Pendampingan korban, rujukan ke rumah aman, konseling.",
    ),
    _Sample(
        "Puskesmas Kota SoE",
        ServiceKind.PUSKESMAS,
        kecamatan=("53.02.01",),
        address="Jl. Contoh No. 2, SoE (alamat contoh)",
        notes="Pemeriksaan dan perawatan awal korban.",
    ),
    _Sample(
        "RSUD SoE",
        ServiceKind.HOSPITAL,
        address="Jl. Contoh No. 3, SoE (alamat contoh)",
        opening_hours="IGD 24 jam (contoh)",
        notes="Visum et repertum atas permintaan polisi.",
    ),
    _Sample(
        "Polsek Amanuban Timur",
        ServiceKind.POLSEK,
        kecamatan=("53.02.04",),
        address="Jl. Contoh No. 4, Amanuban Timur (alamat contoh)",
        opening_hours="24 jam (contoh)",
        notes="Laporan pertama; kasus perempuan dan anak diteruskan ke Unit PPA.",
    ),
    _Sample(
        "Unit PPA Polres Timor Tengah Selatan",
        ServiceKind.UNIT_PPA,
        address="Jl. Contoh No. 5, SoE (alamat contoh)",
        notes="Penyidikan kasus kekerasan terhadap perempuan dan anak.",
    ),
    _Sample(
        "Organisasi Bantuan Hukum SoE",
        ServiceKind.LEGAL_AID,
        address="Jl. Contoh No. 6, SoE (alamat contoh)",
        notes="Bantuan hukum gratis bagi warga yang tidak mampu.",
    ),
    _Sample(
        "Posbankum Desa Oe'Ekam",
        ServiceKind.POSBANKUM,
        kecamatan=("53.02.04",),
        address="Kantor Desa Oe'Ekam (alamat contoh)",
        opening_hours="Sesuai jadwal paralegal desa (contoh)",
        notes="Konsultasi hukum di desa bersama paralegal.",
    ),
    _Sample(
        "Dinas Dukcapil Kabupaten Timor Tengah Selatan",
        ServiceKind.DUKCAPIL,
        address="Jl. Contoh No. 7, SoE (alamat contoh)",
        notes="Akta kelahiran, KK dan KTP bagi korban yang belum memilikinya.",
    ),
    _Sample(
        "Kantor BPJS Kesehatan SoE",
        ServiceKind.BPJS,
        address="Jl. Contoh No. 8, SoE (alamat contoh)",
        notes=(
            "Mengurus atau mengaktifkan kembali kepesertaan JKN. Kartu JKN yang "
            "aktif menanggung pengobatan korban untuk sakit dan perawatan yang bukan "
            "akibat kekerasan, misalnya kehamilan atau penyakit lain. JKN tidak "
            "menanggung perawatan luka akibat penganiayaan, kekerasan seksual, "
            "terorisme atau perdagangan orang (Perpres 82/2018 pasal 52 ayat (1) "
            "huruf r). Untuk biaya itu: tanyakan UPTD PPA tentang anggaran daerah, "
            "ajukan bantuan medis ke LPSK (UU 31/2014 pasal 6), dan minta "
            "restitusi dari pelaku lewat proses hukum. Jangan tunda berobat."
        ),
    ),
    _Sample(
        "LPSK (Lembaga Perlindungan Saksi dan Korban)",
        ServiceKind.LPSK,
        national=True,
        notes="Perlindungan saksi dan korban; periksa nomor layanan di situs resmi.",
    ),
    _Sample(
        "BP3MI Nusa Tenggara Timur",
        ServiceKind.MIGRANT_WORKERS,
        address="Kupang (alamat contoh)",
        notes=(
            "Pengaduan dan pendampingan pekerja migran dan keluarganya, termasuk "
            "pemulangan dari luar negeri; periksa nomor layanan di situs resmi."
        ),
    ),
    _Sample(
        "Organisasi penyandang disabilitas SoE",
        ServiceKind.DISABILITY,
        address="Jl. Contoh No. 9, SoE (alamat contoh)",
        notes=(
            "Juru bahasa isyarat dan pendamping bagi korban dengan disabilitas; "
            "tanyakan UPTD PPA organisasi yang ada di kabupatenmu."
        ),
    ),
    _Sample(
        "Layanan SAPA 129 (KemenPPPA)",
        ServiceKind.HOTLINE,
        national=True,
        phone="129 / WhatsApp 08111-129-129",
        opening_hours="24 jam",
        notes="Pengaduan kekerasan terhadap perempuan dan anak.",
    ),
    _Sample(
        "Rumah aman jaringan pendamping",
        ServiceKind.SHELTER,
        opening_hours="",
        notes="Korban diantar oleh pendamping lembaga; alamat tidak dicantumkan.",
    ),
]


# Notes of the first edition's samples that were wrong, by service name: a
# sample still holding them word for word gets the corrected notes.
FIRST_EDITION_NOTES = {
    "Kantor BPJS Kesehatan SoE": "Kepesertaan JKN untuk biaya perawatan korban.",
}


def _correct_untouched_notes(service: ReferralService, sample: "_Sample") -> None:
    wrong = FIRST_EDITION_NOTES.get(sample.name)
    if service.is_sample and wrong and service.notes == f"{SAMPLE_NOTE} {wrong}":
        service.notes = f"{SAMPLE_NOTE} {sample.notes}".strip()
        service.save(update_fields=["notes"])


@transaction.atomic
def load_sample_services() -> list[ReferralService]:
    """A few clearly marked sample services in TTS for the demo; idempotent.

    Matched by name, so running it again creates nothing new and leaves an
    editor's changes to a sample alone.
    """
    regions = {
        region.code: region
        for region in Region.objects.filter(
            Q(code=SAMPLE_KABUPATEN) | Q(code__startswith=SAMPLE_KABUPATEN + "."),
            level__in=[RegionLevel.KABUPATEN, RegionLevel.KECAMATAN],
        )
    }
    if SAMPLE_KABUPATEN not in regions:
        raise RuntimeError(_("Muat wilayah dulu: manage.py load_regions"))
    shelter_organisation = Organisation.objects.filter(
        short_name=SHELTER_ORGANISATION
    ).first()
    services = []
    for sample in SAMPLES:
        # A sample loaded under its older name gets the plain one.
        if not ReferralService.objects.filter(name=sample.name).exists():
            renamed = ReferralService.objects.filter(
                name=sample.name + SAMPLE_SUFFIX, is_sample=True
            ).update(name=sample.name)
            if renamed:
                stamp_content_change()  # a lesson may name the service
        service, created = ReferralService.objects.get_or_create(
            name=sample.name,
            defaults={
                "kind": sample.kind,
                "kabupaten": None if sample.national else regions[SAMPLE_KABUPATEN],
                "address": sample.address,
                "phone": sample.phone,
                "opening_hours": sample.opening_hours,
                "notes": f"{SAMPLE_NOTE} {sample.notes}".strip(),
                "reach_through": (
                    shelter_organisation if sample.kind == ServiceKind.SHELTER else None
                ),
                "last_verified": None,
                "is_sample": True,
            },
        )
        if created and sample.kecamatan:
            service.kecamatan_served.set([regions[code] for code in sample.kecamatan])
        _correct_untouched_notes(service, sample)
        services.append(service)
    return services
