"""Reading an uploaded spreadsheet (or text file) within bounds.

`read_sheet` takes an uploaded CSV or XLSX and gives its rows, refusing what
would hurt the server before any of it is parsed: a file over
`Limits.max_bytes`, an XLSX whose members unpack to more than
`Limits.max_unpacked_bytes` (a zip bomb is refused from the zip's own
directory, before openpyxl opens a member), more rows than `Limits.max_rows`,
a cell longer than `Limits.max_cell_chars`, a NUL byte. `read_text` does the
same for text uploads (Moodle GIFT).
"""

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

MIB = 1024 * 1024
# Excel's own last row: a sheet claiming rows past it was not made by a spreadsheet.
EXCEL_MAX_ROWS = 1_048_576
# An XLSX is a zip of a few dozen XML files; thousands of members is not a sheet.
MAX_ZIP_MEMBERS = 500
CSV_DELIMITERS = (",", ";")


@dataclass(frozen=True)
class Limits:
    """How much of an upload is read at most; each import states its own."""

    max_bytes: int = 5 * MIB
    # The XLSX's members once unpacked (the sheet XML, shared strings, styles).
    max_unpacked_bytes: int = 25 * MIB
    # Rows with anything in them, the header included.
    max_rows: int = 10_000
    # Columns past this one are not read.
    max_columns: int = 60
    max_cell_chars: int = 5_000
    # Text files (GIFT): the longest line.
    max_line_chars: int = 20_000


DEFAULT_LIMITS = Limits()


class SheetRefused(ValueError):
    """A file refused whole; str() is the message for the person who sent it."""


class UnreadableSheet(SheetRefused):
    """Not a spreadsheet at all (or a broken one): an import may say it its own way."""


Row = tuple[int, tuple]  # (the spreadsheet's row number, the cells' values)


def _megabytes(size: int) -> str:
    value = round(size / MIB, 1)
    return number_format(int(value) if value.is_integer() else value)


def _refuse_size(data_size: int, limits: Limits) -> None:
    if data_size > limits.max_bytes:
        raise SheetRefused(
            _(
                "Berkas %(size)s MB; paling besar %(max)s MB. Bagi menjadi beberapa "
                "berkas."
            )
            % {"size": _megabytes(data_size), "max": _megabytes(limits.max_bytes)}
        )


def _read_upload(upload, limits: Limits) -> bytes:
    """The bytes of an upload or of bytes given, reading no more than the bound."""
    if isinstance(upload, bytes | bytearray):
        data = bytes(upload)
    else:
        size = getattr(upload, "size", None)
        if size is not None:
            _refuse_size(size, limits)
        data = upload.read(limits.max_bytes + 1)
    _refuse_size(len(data), limits)
    return data


def file_kind(filename: str) -> str | None:
    """ "csv" or "xlsx" by the file's extension; None for anything else."""
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        return "xlsx"
    if name.endswith(".csv"):
        return "csv"
    return None


def read_sheet(
    upload,
    *,
    filename: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    sheet_name: str | None = None,
    kinds: tuple[str, ...] = ("csv", "xlsx"),
    from_template: bool = False,
) -> list[Row]:
    """The rows of an uploaded CSV or XLSX that have anything in them.

    `upload` is an uploaded file or bytes (then `filename` says which kind).
    Each row comes with its number as the spreadsheet shows it, so problems
    can be reported by row. CSV cells are text; XLSX cells keep their type
    (numbers, dates, times), with formulas read as their last computed value.
    An XLSX is read from `sheet_name` when it has one, else its first sheet.
    `from_template`: the sheet should be a template from the site, so a
    broken one is answered with the advice to use the template.
    """
    filename = filename if filename is not None else getattr(upload, "name", "")
    kind = file_kind(filename)
    if kind not in kinds:
        raise SheetRefused(
            _("Unggah berkas .csv atau .xlsx.")
            if kinds == ("csv", "xlsx")
            else _("Unggah berkas .%(kind)s.") % {"kind": kinds[0]}
        )
    data = _read_upload(upload, limits)
    if kind == "csv":
        rows = _csv_rows(data, limits)
    else:
        rows = _xlsx_rows(data, limits, sheet_name)
    try:
        return _bounded(rows, limits)
    except UnreadableSheet as error:
        if not from_template:
            raise
        raise UnreadableSheet(
            _(
                "Berkas XLSX tidak bisa dibaca. Pakai templat yang diunduh dari "
                "halaman ini, lalu simpan sebagai .xlsx."
            )
        ) from error
    finally:
        rows.close()  # an XLSX's workbook is closed even when refused midway


def _bounded(rows: Iterable[Row], limits: Limits) -> list[Row]:
    kept: list[Row] = []
    for number, cells in rows:
        if number > EXCEL_MAX_ROWS:
            raise SheetRefused(
                _(
                    "Berkas ini punya baris sesudah baris %(max)s; simpan ulang dari "
                    "Excel atau LibreOffice."
                )
                % {"max": EXCEL_MAX_ROWS}
            )
        if not any(cell is not None and cell != "" for cell in cells):
            continue
        if len(kept) == limits.max_rows:
            raise SheetRefused(
                _("Berkas lebih dari %(max)s baris. Bagi menjadi beberapa berkas.")
                % {"max": limits.max_rows}
            )
        for column, value in enumerate(cells, start=1):
            if isinstance(value, str):
                _check_cell(value, number, column, limits)
        kept.append((number, _trimmed(cells)))
    return kept


def _trimmed(cells: tuple) -> tuple:
    end = len(cells)
    while end and (cells[end - 1] is None or cells[end - 1] == ""):
        end -= 1
    return tuple(cells[:end])


def _check_cell(value: str, row: int, column: int, limits: Limits) -> None:
    where = {"row": row, "column": get_column_letter(column)}
    if "\x00" in value:
        raise SheetRefused(
            _(
                "Baris %(row)s, kolom %(column)s berisi karakter NUL (byte nol). "
                "Hapus isinya lalu ketik ulang."
            )
            % where
        )
    if len(value) > limits.max_cell_chars:
        raise SheetRefused(
            _(
                "Baris %(row)s, kolom %(column)s berisi %(length)s huruf; paling "
                "banyak %(max)s."
            )
            % {**where, "length": len(value), "max": limits.max_cell_chars}
        )


# --- CSV ----------------------------------------------------------------------


def decode_text(data: bytes, *, what: str = "CSV") -> str:
    """UTF-8 text (with or without a byte-order mark); NUL refused."""
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise SheetRefused(
            _(
                "Baris %(line)s berisi karakter NUL (byte nol): berkas %(what)s ini "
                "rusak atau bukan teks."
            )
            % {"line": line, "what": what}
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise SheetRefused(
            _(
                "Baris %(line)s: Berkas ini bukan teks UTF-8. Simpan ulang sebagai "
                "UTF-8."
            )
            % {"line": line}
        ) from error


def csv_delimiter(text: str) -> str:
    """Comma or semicolon (Excel in Indonesian saves with ;), from the first line."""
    first_line = text.split("\n", 1)[0]
    return max(CSV_DELIMITERS, key=first_line.count)


def _csv_rows(data: bytes, limits: Limits) -> Iterator[Row]:
    text = decode_text(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=csv_delimiter(text))
    number = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise SheetRefused(
                _("Baris %(row)s tidak bisa dibaca sebagai CSV: %(error)s")
                % {"row": number + 1, "error": error}
            ) from error
        number += 1
        yield number, tuple(cells[: limits.max_columns])


# --- XLSX ---------------------------------------------------------------------


def _unreadable_xlsx() -> UnreadableSheet:
    return UnreadableSheet(
        _(
            "Berkas XLSX tidak bisa dibaca. Simpan ulang sebagai .xlsx dari Excel "
            "atau LibreOffice."
        )
    )


def check_xlsx_archive(data: bytes, limits: Limits) -> None:
    """Refuse an XLSX that would unpack past the bound, from the zip's directory.

    Python's zipfile never unpacks a member past the size the directory
    declares, so bounding the declared sizes bounds what openpyxl reads.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as error:
        raise _unreadable_xlsx() from error
    if len(members) > MAX_ZIP_MEMBERS:
        raise _unreadable_xlsx()
    unpacked = sum(member.file_size for member in members)
    if unpacked > limits.max_unpacked_bytes:
        raise SheetRefused(
            _(
                "Isi berkas XLSX ini %(size)s MB setelah dibuka; paling besar "
                "%(max)s MB. Hapus lembar, gambar atau baris yang tidak perlu, atau "
                "bagi menjadi beberapa berkas."
            )
            % {
                "size": _megabytes(unpacked),
                "max": _megabytes(limits.max_unpacked_bytes),
            }
        )


def _xlsx_rows(data: bytes, limits: Limits, sheet_name: str | None) -> Iterator[Row]:
    check_xlsx_archive(data, limits)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - any parse failure is "unreadable"
        raise _unreadable_xlsx() from error
    try:
        sheet = (
            workbook[sheet_name]
            if sheet_name and sheet_name in workbook.sheetnames
            else workbook.worksheets[0]
        )
        # The <dimension> a file declares may be wrong (too small or absurdly
        # large): read the rows that are there.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(max_col=limits.max_columns, values_only=True)
        yield from enumerate(_reraising(rows), start=1)
    finally:
        workbook.close()


def _reraising(rows: Iterator[tuple]) -> Iterator[tuple]:
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except Exception as error:  # noqa: BLE001 - broken XML mid-sheet
            raise _unreadable_xlsx() from error
        yield row


# --- text files -----------------------------------------------------------------


def read_text(upload, *, limits: Limits = DEFAULT_LIMITS, what: str = "GIFT") -> str:
    """An uploaded text file (UTF-8), within the size and line-length bounds."""
    data = _read_upload(upload, limits)
    text = decode_text(data, what=what)
    for number, line in enumerate(text.splitlines(), start=1):
        if len(line) > limits.max_line_chars:
            raise SheetRefused(
                _(
                    "Baris %(line)s berisi %(length)s huruf; paling banyak %(max)s "
                    "huruf per baris."
                )
                % {"line": number, "length": len(line), "max": limits.max_line_chars}
            )
    return text
