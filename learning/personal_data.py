""" "Unduh data saya": a person's own records as a ZIP (UU PDP Pasal 7).

`request_export` records the request (and its audit line) and queues
`learning.tasks.build_personal_data_export` through the outbox; the worker
runs `build_export`, which writes one JSON file per kind of record and a
README.txt in Indonesian, and keeps the ZIP under MEDIA_ROOT's `unduh-data/`,
a folder no URL serves: only `learning.views_privacy.export_download` hands
it out, to its owner, until it expires (PENDAMPING_PERSONAL_DATA_EXPORT_DAYS).

Wellbeing check-ins are health data: they go only into a ZIP of their own,
which the person asks for with a second button.

The kinds of record come from every app, and this lowest app imports none
of the higher ones: each names its kinds in a `personal_data` module listed
by import string in `SOURCES` (as the URL conf includes their URLs).
"""

import datetime
import io
import json
import logging
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import audit
from .choices import AuditAction
from .models import Enrolment, PersonalDataExport, User

logger = logging.getLogger(__name__)

Kind = PersonalDataExport.Kind
Status = PersonalDataExport.Status

# Each module holds `KINDS`: a list of PersonalDataKind.
SOURCES = (
    "learning.personal_data",
    "modules.personal_data",
    "assessments.personal_data",
    "mentorship.personal_data",
)
# Records of one kind are read this many at a time (memory stays small).
CHUNK = 500


@dataclass(frozen=True)
class PersonalDataKind:
    """One JSON file of the ZIP: its name, what the README says of it, and
    how its rows are read (a bounded number of queries, whatever the count)."""

    filename: str
    description: Promise
    rows: Callable[[User], Iterable[dict]]
    export: str = Kind.RECORDS


def when(value: datetime.datetime | datetime.date | None) -> str | None:
    """A moment or a day as ISO 8601 (moments in WITA, with their offset)."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


def name_of(person: User | None) -> str | None:
    """Another person where a record needs them (a facilitator): name only."""
    return person.display_name if person is not None else None


def _profile(person: User) -> Iterable[dict]:
    person = User.objects.select_related("organisation", "village").get(pk=person.pk)
    yield {
        "nama_pengguna": person.username,
        "nama_depan": person.first_name,
        "nama_belakang": person.last_name,
        "email": person.email,
        "nomor_hp": person.phone,
        "jenis_kelamin": person.get_sex_display() if person.sex else "",
        "tahun_lahir": person.birth_year,
        "lembaga": person.organisation.name if person.organisation else None,
        "desa": person.village.name if person.village else None,
        "peran": [str(role.label) for role in person.roles],
        "bergabung": when(person.date_joined),
        "terakhir_masuk": when(person.last_login),
        "nama_aplikasi_di_ponsel": person.app_name,
        "pemberitahuan_privasi_disetujui": [
            {"versi": consent.version, "waktu": when(consent.accepted_at)}
            for consent in person.privacy_consents.order_by("accepted_at")
        ],
    }


def _enrolments(person: User) -> Iterable[dict]:
    enrolments = (
        Enrolment.objects.filter(trainee=person)
        .select_related("cohort__programme")
        .order_by("enrolled_on", "pk")
    )
    for enrolment in enrolments.iterator(chunk_size=CHUNK):
        cohort = enrolment.cohort
        yield {
            "program": cohort.programme.name,
            "angkatan": cohort.name,
            "mulai": when(cohort.start_date),
            "selesai": when(cohort.end_date),
            "terdaftar": when(enrolment.enrolled_on),
        }


KINDS = [
    PersonalDataKind(
        "profil.json",
        gettext_lazy(
            "Data diri di akunmu: nama, nama pengguna, email, nomor HP, jenis "
            "kelamin, tahun lahir, lembaga, desa, peran, dan kapan kamu "
            "menyetujui pemberitahuan privasi."
        ),
        _profile,
    ),
    PersonalDataKind(
        "angkatan.json",
        gettext_lazy("Program dan angkatan pelatihan tempat kamu terdaftar."),
        _enrolments,
    ),
]


def all_kinds(export: str) -> list[PersonalDataKind]:
    """Every kind of record for `export`, in SOURCES' order."""
    kinds = []
    for source in SOURCES:
        kinds.extend(
            kind for kind in import_module(source).KINDS if kind.export == export
        )
    return kinds


def request_export(
    *, person: User, kind: str, request: HttpRequest | None = None
) -> tuple[PersonalDataExport, bool]:
    """Ask for a new ZIP of `kind`; (the export, whether this call asked).

    While one of that kind is being made, asking again (a double tap, twenty
    at once) returns it and queues nothing: the partial unique constraint
    lets one pending row exist. A ready file asked for again is replaced by
    a fresh one (the records may have changed).
    """
    from .outbox import enqueue  # the outbox imports Celery; kept lazy
    from .tasks import build_personal_data_export

    if kind not in Kind.values:
        raise ValueError(kind)
    pending = PersonalDataExport.objects.filter(
        person=person, kind=kind, status=Status.PENDING
    )
    try:
        with transaction.atomic():
            # Serialises competing requests of one person: a row lock on
            # PostgreSQL; SQLite takes its write lock at BEGIN (IMMEDIATE).
            list(
                User.objects.select_for_update()
                .filter(pk=person.pk)
                .values_list("pk", flat=True)
            )
            existing = pending.first()
            if existing is not None:
                return existing, False
            export = PersonalDataExport.objects.create(person=person, kind=kind)
            audit.record(
                AuditAction.PERSONAL_DATA_REQUESTED,
                actor=person,
                target=export,
                target_label=str(Kind(kind).label),
                subject=person,
                detail={"jenis": kind},
                request=request,
            )
            enqueue(build_personal_data_export, export.pk)
    except IntegrityError:
        return pending.get(), False
    return export, True


def _readme(person: User, kinds: list[PersonalDataKind], export: str) -> str:
    lines = [
        _("Salinan data pribadi dari Pendamping"),
        "",
        _("Untuk: %(name)s (%(username)s)")
        % {"name": person.display_name, "username": person.username},
        _("Dibuat: %(when)s") % {"when": when(timezone.now())},
        "",
        _(
            "Ini salinan data tentang dirimu yang tersimpan di situs ini, sesuai "
            "hak kamu menurut UU Nomor 27 Tahun 2022 tentang Pelindungan Data "
            "Pribadi (Pasal 7). Setiap berkas .json bisa dibuka dengan "
            "aplikasi pembaca teks atau dibaca oleh komputer. Waktu ditulis "
            "dalam WITA."
        ),
        "",
    ]
    if export == Kind.WELLBEING:
        lines += [
            _(
                "Berkas ini berisi cek kesejahteraanmu. Ini data kesehatan: "
                "simpan di tempat yang aman dan jangan dibagikan."
            ),
            "",
        ]
    else:
        lines += [
            _(
                "Cek kesejahteraan tidak ada di sini: itu data kesehatan, dan "
                "bisa kamu minta dalam berkas tersendiri di halaman Akun saya."
            ),
            "",
        ]
    lines.append(_("Isi berkas:"))
    for kind in kinds:
        lines.append(f"- {kind.filename}: {kind.description}")
    lines += [
        "",
        _(
            "Hati-hati: berkas yang diunduh tetap ada di folder Download "
            "ponsel sampai kamu menghapusnya. Bila ponsel dipakai bersama, "
            "hapus berkas ini sesudah dibaca."
        ),
        "",
    ]
    return "\n".join(lines)


def _json_file(rows: Iterable[dict]) -> bytes:
    return json.dumps(list(rows), ensure_ascii=False, indent=2).encode("utf-8")


def build_export(*, export_id: int) -> bool:
    """Write the ZIP of one pending export; True if it was written now.

    Safe to run twice: an export no longer pending is left alone.
    """
    export = (
        PersonalDataExport.objects.select_related("person").filter(pk=export_id).first()
    )
    if export is None or export.status != Status.PENDING:
        return False
    person = export.person
    kinds = all_kinds(export.kind)
    buffer = io.BytesIO()
    try:
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(
                "README.txt", _readme(person, kinds, export.kind).encode("utf-8")
            )
            for kind in kinds:
                archive.writestr(kind.filename, _json_file(kind.rows(person)))
    except Exception:
        logger.exception("Personal data export %s could not be built", export_id)
        PersonalDataExport.objects.filter(pk=export_id, status=Status.PENDING).update(
            status=Status.FAILED
        )
        raise
    now = timezone.now()
    stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M%S")
    with transaction.atomic():
        export = (
            PersonalDataExport.objects.select_for_update()
            .filter(pk=export_id, status=Status.PENDING)
            .first()
        )
        if export is None:
            return False
        export.file.save(
            f"{export.pk}-{stamp}.zip", ContentFile(buffer.getvalue()), save=False
        )
        export.status = Status.READY
        export.ready_at = now
        export.expires_at = now + datetime.timedelta(
            days=settings.PENDAMPING_PERSONAL_DATA_EXPORT_DAYS
        )
        export.save(update_fields=["file", "status", "ready_at", "expires_at"])
        # The person's earlier files of this kind are no longer needed.
        for older in PersonalDataExport.objects.filter(
            person=export.person_id, kind=export.kind
        ).exclude(pk=export.pk):
            _forget(older)
    return True


def _forget(export: PersonalDataExport) -> None:
    if export.file:
        export.file.delete(save=False)
    export.delete()


def latest_exports(person: User) -> dict[str, PersonalDataExport]:
    """The person's newest export of each kind that is not expired."""
    newest: dict[str, PersonalDataExport] = {}
    for export in PersonalDataExport.objects.filter(person=person).order_by(
        "-requested_at", "-pk"
    )[:10]:
        if export.kind not in newest and not is_expired(export):
            newest[export.kind] = export
    return newest


def is_expired(
    export: PersonalDataExport, now: datetime.datetime | None = None
) -> bool:
    return export.expires_at is not None and export.expires_at <= (
        now or timezone.now()
    )


def purge_expired(*, now: datetime.datetime | None = None) -> int:
    """Delete the files past their time, and requests stuck for a day; how many."""
    now = now or timezone.now()
    stale = PersonalDataExport.objects.filter(
        expires_at__lte=now
    ) | PersonalDataExport.objects.filter(
        status__in=[Status.PENDING, Status.FAILED],
        requested_at__lte=now - datetime.timedelta(days=1),
    )
    count = 0
    for export in stale.iterator(chunk_size=CHUNK):
        _forget(export)
        count += 1
    return count


def export_filename(export: PersonalDataExport) -> str:
    """The name the phone saves the file under: neutral, no person's name."""
    stamp = timezone.localtime(export.ready_at or export.requested_at)
    prefix = "data-saya" if export.kind == Kind.RECORDS else "cek-kesejahteraan"
    return f"{prefix}-{stamp:%Y%m%d}.zip"
