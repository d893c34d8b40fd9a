"""Creating many accounts at once from a CSV or XLSX sheet.

Every row is checked before anything is written: one bad row means nothing
is imported, and each problem is reported with its row number, so a
facilitator fixes the sheet and sends it again without half an import to
clean up.
"""

import csv
import io
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from openpyxl import Workbook, load_workbook

from .accounts import generate_one_time_password
from .choices import RegionLevel, Sex
from .models import Cohort, Enrolment, Organisation, Region, User, search_key
from .models.people import validate_birth_year
from .phones import normalise_phone
from .regions import find_kabupaten, match_village

COLUMNS = [
    "username",
    "nama",
    "nama_belakang",
    "peran",
    "lembaga",
    "kode_desa",
    "desa",
    "kabupaten",
    "jenis_kelamin",
    "tahun_lahir",
    "no_hp",
    "email",
    "kata_sandi",
]
REQUIRED = ["username", "nama", "peran"]
EXAMPLE = {
    "username": "paralegal-oelet",
    "nama": "Rut",
    "nama_belakang": "Nomleni",
    "peran": "Peserta",
    "lembaga": "SSP",
    "kode_desa": "53.02.04.2002",
    "desa": "",
    "kabupaten": "",
    "jenis_kelamin": "P",
    "tahun_lahir": "1988",
    "no_hp": "0812 3456 7890",
    "email": "",
    "kata_sandi": "",
}


@dataclass
class RowProblem:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    """Accounts made (with the one-time password each got, if any) or problems."""

    created: list[tuple[User, str | None]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class UnreadableFile(ValueError):
    pass


def read_sheet(upload) -> list[dict[str, str]]:
    """Rows of a CSV (UTF-8, comma or semicolon) or XLSX upload, keyed by header."""
    name = (getattr(upload, "name", "") or "").lower()
    data = upload.read()
    if name.endswith(".xlsx"):
        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True).active
        except Exception as error:  # noqa: BLE001 - any parse failure is "unreadable"
            raise UnreadableFile(_("Berkas XLSX tidak bisa dibaca.")) from error
        values = [
            ["" if cell is None else str(cell).strip() for cell in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    elif name.endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise UnreadableFile(
                _("Simpan berkas CSV dengan encoding UTF-8.")
            ) from error
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;") if text else "excel"
        values = [
            [cell.strip() for cell in row]
            for row in csv.reader(io.StringIO(text), dialect)
        ]
    else:
        raise UnreadableFile(_("Unggah berkas .csv atau .xlsx."))
    if not values:
        raise UnreadableFile(_("Berkas kosong."))
    header = [search_key(cell).replace("namadepan", "nama") for cell in values[0]]
    known = {search_key(column): column for column in COLUMNS}
    missing = [column for column in REQUIRED if search_key(column) not in header]
    if missing:
        raise UnreadableFile(
            _("Kolom wajib tidak ada: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    rows = []
    for cells in values[1:]:
        if not any(cells):
            continue
        rows.append(
            {
                known[key]: (cells[index] if index < len(cells) else "")
                for index, key in enumerate(header)
                if key in known
            }
        )
    return rows


def import_people(
    *,
    rows: list[dict[str, str]],
    actor: User,
    grantable_roles: list[str],
    cohort: Cohort | None = None,
) -> ImportResult:
    """Check every row, then create all accounts (and enrolments) or none."""
    result = ImportResult()
    organisations = {
        search_key(org.short_name): org for org in Organisation.objects.all()
    } | {search_key(org.name): org for org in Organisation.objects.all()}
    groups = {
        group.name.lower(): group
        for group in Group.objects.filter(name__in=grantable_roles)
    }
    existing = set(
        User.objects.filter(
            username__in=[row.get("username", "") for row in rows]
        ).values_list("username", flat=True)
    )
    seen: dict[str, int] = {}
    prepared = []
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        problems, account = _check_row(
            number, row, organisations, groups, existing, seen
        )
        result.problems += problems
        prepared.append(account)
    if not rows:
        result.problems.append(RowProblem(0, "", _("Tidak ada baris berisi data.")))
    if result.problems:
        return result
    with transaction.atomic():
        for user, group, password, one_time in prepared:
            user.set_password(password)
            user.must_change_password = one_time
            user.save()
            user.groups.add(group)
            if cohort is not None:
                Enrolment.objects.get_or_create(cohort=cohort, trainee=user)
            result.created.append((user, password if one_time else None))
    return result


def _check_row(number, row, organisations, groups, existing, seen):
    problems = []

    def problem(column, message):
        problems.append(RowProblem(number, column, message))

    username = row.get("username", "").strip()
    if not username:
        problem("username", _("Wajib diisi."))
    elif username in existing:
        problem("username", _("Nama pengguna %(u)s sudah dipakai.") % {"u": username})
    elif username in seen:
        problem(
            "username",
            _("Nama pengguna %(u)s sudah ada di baris %(row)s.")
            % {"u": username, "row": seen[username]},
        )
    else:
        try:
            User.username_validator(username)
        except ValidationError as error:
            problem("username", " ".join(error.messages))
        seen[username] = number
    first_name = row.get("nama", "").strip()
    if not first_name:
        problem("nama", _("Wajib diisi."))

    group = groups.get(row.get("peran", "").strip().lower())
    if group is None:
        problem(
            "peran",
            _("Peran harus salah satu dari: %(roles)s.")
            % {"roles": ", ".join(sorted(name.title() for name in groups))},
        )

    organisation = None
    if row.get("lembaga", "").strip():
        organisation = organisations.get(search_key(row["lembaga"]))
        if organisation is None:
            problem(
                "lembaga", _("Lembaga %(o)s tidak dikenal.") % {"o": row["lembaga"]}
            )

    village = _village(row, problem)

    sex = row.get("jenis_kelamin", "").strip().upper()[:1]
    if sex and sex not in Sex.values:
        problem("jenis_kelamin", _("Isi P (perempuan) atau L (laki-laki)."))

    birth_year = None
    if row.get("tahun_lahir", "").strip():
        try:
            birth_year = int(float(row["tahun_lahir"]))
            validate_birth_year(birth_year)
        except (ValueError, ValidationError):
            problem("tahun_lahir", _("Tahun lahir tidak masuk akal."))
            birth_year = None

    phone = ""
    try:
        phone = normalise_phone(row.get("no_hp", ""))
    except ValidationError as error:
        problem("no_hp", " ".join(error.messages))

    email = row.get("email", "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problem("email", _("Alamat email tidak sah."))

    user = User(
        username=username,
        first_name=first_name,
        last_name=row.get("nama_belakang", "").strip(),
        email=email,
        organisation=organisation,
        village=village,
        sex=sex,
        birth_year=birth_year,
        phone=phone,
    )
    password = row.get("kata_sandi", "").strip()
    one_time = not password
    if one_time:
        password = generate_one_time_password()
    else:
        try:
            validate_password(password, user)
        except ValidationError as error:
            problem("kata_sandi", " ".join(error.messages))
    return problems, (user, group, password, one_time)


def _village(row, problem) -> Region | None:
    code = row.get("kode_desa", "").strip()
    if code:
        village = Region.objects.filter(code=code, level=RegionLevel.DESA).first()
        if village is None:
            problem("kode_desa", _("Kode desa %(c)s tidak ada.") % {"c": code})
        return village
    name = row.get("desa", "").strip()
    if not name:
        return None
    within = None
    if row.get("kabupaten", "").strip():
        kabupaten = find_kabupaten(row["kabupaten"])
        if kabupaten is None:
            problem(
                "kabupaten",
                _("Kabupaten %(k)s tidak dikenal.") % {"k": row["kabupaten"]},
            )
            return None
        within = kabupaten.code
    match = match_village(name, within=within)
    if match.is_unique:
        return match.candidates[0]
    if match.candidates:
        problem(
            "desa",
            _("Ada beberapa desa bernama %(n)s; isi kode_desa: %(options)s.")
            % {
                "n": name,
                "options": "; ".join(f"{r.code} ({r.label})" for r in match.candidates),
            },
        )
    else:
        problem(
            "desa",
            _("Desa %(n)s tidak ditemukan. Mungkin maksudnya: %(options)s.")
            % {
                "n": name,
                "options": "; ".join(f"{r.code} ({r.label})" for r in match.nearest)
                or "-",
            },
        )
    return None


def template_workbook() -> bytes:
    """The downloadable XLSX template: the header row and one example row."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "orang"
    sheet.append(COLUMNS)
    sheet.append([EXAMPLE[column] for column in COLUMNS])
    for column_cells in sheet.columns:
        sheet.column_dimensions[column_cells[0].column_letter].width = 18
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
