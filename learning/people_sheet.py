"""The people sheet: its columns, reading it within bounds, checking each row.

`learning.people_import` runs an import with these; nothing here writes.
"""

from dataclasses import dataclass
from functools import cached_property

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from openpyxl import Workbook

from .choices import RegionLevel, Sex
from .models import Organisation, Region, User, search_key
from .models.people import validate_birth_year
from .phones import normalise_phone
from .regions import find_kabupaten, match_village
from .spreadsheets import (
    Limits,
    RowProblems,
    SheetRefused,
    cell_at,
    cell_text,
    column_positions,
    formula_name_problem,
    read_sheet,
    workbook_bytes,
)

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
# Another title a column may carry.
ALIASES = {"nama depan": "nama"}
# The template's example row: plainly nobody, and refused if left in the sheet.
EXAMPLE = {
    "username": "contoh-peserta",
    "nama": "Contoh Nama",
    "nama_belakang": "Peserta",
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
# Columns that must fit the account's fields.
MAX_LENGTHS = {
    "username": User._meta.get_field("username").max_length,
    "nama": User._meta.get_field("first_name").max_length,
    "nama_belakang": User._meta.get_field("last_name").max_length,
    "email": User._meta.get_field("email").max_length,
}
MAX_ROWS = 10_000
SHEET_LIMITS = Limits(max_rows=MAX_ROWS + 1, max_columns=40, max_cell_chars=300)

SheetRow = tuple[int, dict[str, str]]  # (row number in the sheet, cells by column)


class UnreadableFile(SheetRefused):
    """The sheet cannot be imported at all; the message says why."""


# --- reading --------------------------------------------------------------------


def read_people_sheet(upload) -> list[SheetRow]:
    """Rows of a CSV (UTF-8, comma or semicolon) or XLSX upload, keyed by header.

    Within `SHEET_LIMITS`: a file too big (or an XLSX that unpacks too big),
    too many rows, an overlong cell or a NUL byte is refused whole.
    """
    try:
        rows = read_sheet(upload, limits=SHEET_LIMITS)
    except SheetRefused as error:
        raise UnreadableFile(str(error)) from error
    if not rows:
        raise UnreadableFile(_("Berkas kosong."))
    (_header_number, header), body = rows[0], rows[1:]
    try:
        positions = column_positions(
            header, columns=COLUMNS, required=REQUIRED, aliases=ALIASES
        )
    except SheetRefused as error:
        raise UnreadableFile(str(error)) from error
    return [
        (
            number,
            {
                column: cell_text(cell_at(cells, position))
                for column, position in positions.items()
            },
        )
        for number, cells in body
    ]


@dataclass
class Account:
    user: User
    group: Group


class RowChecker:
    """Checks rows one by one, with what every row needs read once."""

    def __init__(self, *, rows: list, grantable: list[str], already_made: set[int]):
        usernames = [row.get("username", "").strip() for _number, row in rows]
        self.taken = dict(
            User.objects.filter(username__in=usernames).values_list("username", "pk")
        )
        self.already_made = already_made
        self.seen: dict[str, int] = {}
        self.groups = {
            group.name.lower(): group
            for group in Group.objects.filter(name__in=grantable)
        }
        codes = {row.get("kode_desa", "").strip() for _number, row in rows} - {""}
        self.villages_by_code = {
            village.code: village
            for village in Region.objects.filter(level=RegionLevel.DESA, code__in=codes)
        }
        self.villages_by_name: dict[tuple[str, str], tuple] = {}
        self.kabupaten: dict[str, Region | None] = {}

    @cached_property
    def organisations(self) -> dict[str, Organisation]:
        organisations = list(Organisation.objects.all())
        return {search_key(org.short_name): org for org in organisations} | {
            search_key(org.name): org for org in organisations
        }

    def check(self, number: int, row: dict, problems: RowProblems) -> Account | None:
        """The account this row makes, or None (problems added, or made before)."""
        found = RowProblems()

        def problem(column: str, message: str) -> None:
            found.add(number, message, column=column)

        username = row.get("username", "").strip()
        if username in self.taken and self.taken[username] in self.already_made:
            return None  # made by an earlier, interrupted run of this import
        if is_example_row(row):
            problems.add(
                number,
                _(
                    "Ini baris contoh dari templat (%(name)s). Hapus baris ini, atau "
                    "timpa dengan data orang yang sebenarnya."
                )
                % {"name": f"{EXAMPLE['nama']} {EXAMPLE['nama_belakang']}"},
                column="username",
            )
            return None
        for column, limit in MAX_LENGTHS.items():
            if len(row.get(column, "")) > limit:
                problem(
                    column,
                    _("Paling banyak %(max)s huruf (ada %(length)s).")
                    % {"max": limit, "length": len(row[column])},
                )
        if not username:
            problem("username", _("Wajib diisi."))
        elif username in self.taken:
            problem(
                "username", _("Nama pengguna %(u)s sudah dipakai.") % {"u": username}
            )
        elif username in self.seen:
            problem(
                "username",
                _("Nama pengguna %(u)s sudah ada di baris %(row)s.")
                % {"u": username, "row": self.seen[username]},
            )
        else:
            try:
                User.username_validator(username)
            except ValidationError as error:
                problem("username", " ".join(error.messages))
            self.seen[username] = number

        first_name = row.get("nama", "").strip()
        if not first_name:
            problem("nama", _("Wajib diisi."))
        for column in ("nama", "nama_belakang"):
            # A spreadsheet would run it when the name is exported.
            unsafe = formula_name_problem(row.get(column, ""))
            if unsafe:
                problem(column, unsafe)

        group = self.groups.get(row.get("peran", "").strip().lower())
        if group is None:
            problem(
                "peran",
                _("Peran harus salah satu dari: %(roles)s.")
                % {"roles": ", ".join(sorted(name.title() for name in self.groups))},
            )

        organisation = None
        if row.get("lembaga", "").strip():
            organisation = self.organisations.get(search_key(row["lembaga"]))
            if organisation is None:
                problem(
                    "lembaga", _("Lembaga %(o)s tidak dikenal.") % {"o": row["lembaga"]}
                )

        village = self._village(row, problem)

        sex = row.get("jenis_kelamin", "").strip().upper()[:1]
        if sex and sex not in Sex.values:
            problem("jenis_kelamin", _("Isi P (perempuan) atau L (laki-laki)."))

        birth_year = None
        if row.get("tahun_lahir", "").strip():
            try:
                birth_year = int(float(row["tahun_lahir"]))
                validate_birth_year(birth_year)
            except (ValueError, OverflowError, ValidationError):
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

        if found:
            for item in found:
                problems.add(item.row, item.message, column=item.column)
            return None
        password = row.get("kata_sandi_hash") or make_password(None)
        return Account(
            user=User(
                username=username,
                first_name=first_name,
                last_name=row.get("nama_belakang", "").strip(),
                email=email,
                organisation=organisation,
                village=village,
                sex=sex,
                birth_year=birth_year,
                phone=phone,
                password=password,
                # Without a password from the sheet, the first one is temporary.
                must_change_password=not row.get("kata_sandi_hash"),
            ),
            group=group,
        )

    def _find_kabupaten(self, text: str) -> Region | None:
        if text not in self.kabupaten:
            self.kabupaten[text] = find_kabupaten(text)
        return self.kabupaten[text]

    def _village(self, row: dict, problem) -> Region | None:
        code = row.get("kode_desa", "").strip()
        if code:
            village = self.villages_by_code.get(code)
            if village is None:
                problem("kode_desa", _("Kode desa %(c)s tidak ada.") % {"c": code})
            return village
        name = row.get("desa", "").strip()
        if not name:
            return None
        within = None
        kabupaten_text = row.get("kabupaten", "").strip()
        if kabupaten_text:
            kabupaten = self._find_kabupaten(kabupaten_text)
            if kabupaten is None:
                problem(
                    "kabupaten",
                    _("Kabupaten %(k)s tidak dikenal.") % {"k": kabupaten_text},
                )
                return None
            within = kabupaten.code
        key = (search_key(name), within or "")
        if key not in self.villages_by_name:
            match = match_village(name, within=within)
            self.villages_by_name[key] = (match.candidates, match.nearest)
        candidates, nearest = self.villages_by_name[key]
        if len(candidates) == 1:
            return candidates[0]
        if candidates:
            problem(
                "desa",
                _("Ada beberapa desa bernama %(n)s; isi kode_desa: %(options)s.")
                % {
                    "n": name,
                    "options": "; ".join(f"{r.code} ({r.label})" for r in candidates),
                },
            )
        else:
            problem(
                "desa",
                _("Desa %(n)s tidak ditemukan. Mungkin maksudnya: %(options)s.")
                % {
                    "n": name,
                    "options": "; ".join(f"{r.code} ({r.label})" for r in nearest)
                    or "-",
                },
            )
        return None


def is_example_row(row: dict) -> bool:
    """The template's example row, left in the sheet (its username or its name)."""
    username = row.get("username", "").strip().lower()
    name = (row.get("nama", "").strip(), row.get("nama_belakang", "").strip())
    return username == EXAMPLE["username"] or name == (
        EXAMPLE["nama"],
        EXAMPLE["nama_belakang"],
    )


def template_workbook() -> bytes:
    """The downloadable XLSX template: the header row and one example row."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "orang"
    sheet.append(COLUMNS)
    sheet.append([EXAMPLE[column] for column in COLUMNS])
    for column_cells in sheet.columns:
        sheet.column_dimensions[column_cells[0].column_letter].width = 18
    return workbook_bytes(workbook)
