"""Paper logs: hour entries kept on paper, typed into a sheet and imported.

A facilitator picks a placement they can see, downloads its XLSX template,
fills it from the trainee's paper log and uploads it. Every row goes through
`mentorship.hours.record_entry` (the same rules as the trainee's form and the
API) inside one transaction: one refused row means nothing is saved, and
every problem is listed by row. A row already in the log (imported before,
or logged by the trainee with the same date, times and activity) is reported
and skipped, so importing the same sheet twice saves it once. Imported
entries wait for the supervisor's verification like any submitted entry.

Imported by `mentorship.wagtail_hooks`, so its hooks register with Wagtail.
"""

import datetime
import io
import uuid
from dataclasses import dataclass, field
from functools import partial

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse, reverse_lazy
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import FormView, View

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation

from assessments.admin_access import PermissionOr403Mixin
from learning.models import User

from .admin_access import is_magang_staff
from .admin_hours import entries_url
from .choices import ActivityCategory
from .hours import EntryInput, record_entry
from .models import HourEntry, Placement
from .selectors import placements_visible_to

COLUMNS = ["tanggal", "jam_mulai", "jam_selesai", "lama_menit", "kegiatan", "uraian"]
SHEET_TITLE = "jam_magang"
CATEGORY_SHEET = "daftar_kegiatan"
TEMPLATE_ROWS = 200
MAX_ROWS = 1000
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d")
TIME_FORMATS = ("%H:%M", "%H.%M", "%H:%M:%S")
# Fixed, so the same row of the same placement always gets the same UUID.
PAPER_LOG_NAMESPACE = uuid.UUID("6f1d2c8e-3b4a-5e6f-9a0b-1c2d3e4f5a6b")


# The template


def _indonesian_labels() -> list[str]:
    with translation.override("id"):
        return [str(label) for label in ActivityCategory.labels]


def paper_log_template(placement: Placement) -> bytes:
    """An XLSX sheet to type one placement's paper log into."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append(
        [
            _("Catatan jam magang: %(trainee)s di %(host)s")
            % {
                "trainee": placement.trainee.display_name,
                "host": placement.host.short_name,
            }
        ]
    )
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(
        [
            _(
                "Masa magang %(start)s sampai %(end)s. Satu baris untuk satu "
                "kegiatan. tanggal: 17-11-2024. jam_mulai dan jam_selesai: 08:30 "
                "(atau kosongkan keduanya dan isi lama_menit, mis. 90). kegiatan: "
                "pilih dari daftar. uraian: apa yang dilakukan dan dipelajari, "
                "tanpa nama, alamat atau ciri korban. Jangan ubah judul kolom."
            )
            % {
                "start": placement.start_date.strftime("%d-%m-%Y"),
                "end": placement.end_date.strftime("%d-%m-%Y"),
            }
        ]
    )
    sheet["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(COLUMNS))
    sheet.row_dimensions[2].height = 75
    sheet.append(COLUMNS)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    header_row = 3
    first, last = header_row + 1, header_row + TEMPLATE_ROWS
    # Typed as text, so a spreadsheet does not turn 17-11-2024 into something else.
    for column in "ABC":
        for row in range(first, last + 1):
            sheet[f"{column}{row}"].number_format = "@"

    labels = [str(label) for label in ActivityCategory.labels]
    choices = workbook.create_sheet(CATEGORY_SHEET)
    for label in labels:
        choices.append([label])
    choices.column_dimensions["A"].width = 55
    validation = DataValidation(
        type="list",
        formula1=f"={CATEGORY_SHEET}!$A$1:$A${len(labels)}",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Kegiatan tidak ada di daftar"),
        error=_("Pilih kegiatan dari daftar."),
    )
    validation.add(f"E{first}:E{last}")
    sheet.add_data_validation(validation)

    for column, width in zip("ABCDEF", (14, 11, 11, 11, 45, 70), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = f"A{first}"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


# Reading a filled sheet


@dataclass
class ImportReport:
    """What a paper-log import saved, skipped as already there, or refused."""

    created: int = 0
    duplicates: list[tuple[int, str]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @staticmethod
    def _by_row(problems: list[tuple[int, str]]) -> list[str]:
        return [
            _("Baris %(row)s: %(message)s") % {"row": row, "message": message}
            if row
            else message
            for row, message in problems
        ]

    @property
    def error_messages(self) -> list[str]:
        return self._by_row(self.errors)

    @property
    def duplicate_messages(self) -> list[str]:
        return self._by_row(self.duplicates)


class RowError(ValueError):
    """A cell that cannot be read; the message is for the facilitator."""


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return from_excel(value).date()
        except (TypeError, ValueError, OverflowError):
            pass
    text = _text(value)
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise RowError(
        _("Tanggal '%(value)s' tidak dikenal. Tulis seperti 17-11-2024.")
        % {"value": text}
    )


def _time(value, label: str) -> datetime.time | None:
    if value is None or _text(value) == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, datetime.time):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, float) and 0 <= value < 1:
        # A spreadsheet's time of day: a fraction of 24 hours.
        minutes = round(value * 24 * 60)
        return datetime.time(minutes // 60 % 24, minutes % 60)
    text = _text(value)
    for pattern in TIME_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).time()
        except ValueError:
            continue
    raise RowError(
        _("%(label)s '%(value)s' tidak dikenal. Tulis jam seperti 08:30.")
        % {"label": label, "value": text}
    )


def _minutes(value) -> int | None:
    text = _text(value)
    if text == "":
        return None
    try:
        return int(text)
    except ValueError:
        raise RowError(
            _("Lama '%(value)s' harus jumlah menit, mis. 90.") % {"value": text}
        ) from None


def _category_lookup() -> dict[str, str]:
    """Labels (Indonesian and the current language) and codes, casefolded."""
    lookup = {}
    for value, label, indonesian in zip(
        ActivityCategory.values,
        ActivityCategory.labels,
        _indonesian_labels(),
        strict=True,
    ):
        for name in (value, str(label), indonesian):
            lookup[" ".join(name.split()).casefold()] = value
    return lookup


def _category(value, lookup: dict[str, str]) -> str:
    text = _text(value)
    if text == "":
        raise RowError(_("Kolom kegiatan kosong. Pilih kegiatan dari daftar."))
    try:
        return lookup[text.casefold()]
    except KeyError:
        raise RowError(
            _(
                "Kegiatan '%(value)s' tidak ada di daftar. Pilih dari daftar di "
                "templat, mis. %(example)s."
            )
            % {"value": text, "example": ActivityCategory.COMPLAINTS.label}
        ) from None


def row_uuid(placement: Placement, data: EntryInput) -> uuid.UUID:
    """The same row of the same placement always gets the same UUID."""
    timed = data.start_time is not None
    parts = [
        str(placement.pk),
        data.date.isoformat(),
        data.start_time.strftime("%H:%M") if timed else "",
        data.end_time.strftime("%H:%M") if data.end_time else "",
        "" if timed else str(data.minutes or ""),
        data.category,
        " ".join(data.activity.split()).casefold(),
    ]
    return uuid.uuid5(PAPER_LOG_NAMESPACE, "|".join(parts))


def _entry_key(date, start, end, minutes, category) -> tuple:
    """What makes two entries the same work: the day, times (or length), kind."""
    return (date, start, end, None if start else minutes, category)


@dataclass
class _Row:
    number: int
    data: EntryInput
    uuid: uuid.UUID


def _read_sheet(content: bytes) -> list[tuple[int, tuple]]:
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    sheet = (
        workbook[SHEET_TITLE] if SHEET_TITLE in workbook.sheetnames else workbook.active
    )
    return list(enumerate(sheet.iter_rows(values_only=True), start=1))


def _read_row(cells, index, lookup) -> tuple[dict, list[str]]:
    """One body row's values for `EntryInput`, and what could not be read."""

    def cell(name):
        position = index[name]
        return cells[position] if position < len(cells) else None

    readers = [
        ("date", "tanggal", _date),
        ("start_time", "jam_mulai", partial(_time, label=_("Jam mulai"))),
        ("end_time", "jam_selesai", partial(_time, label=_("Jam selesai"))),
        ("minutes", "lama_menit", _minutes),
        ("category", "kegiatan", partial(_category, lookup=lookup)),
    ]
    values, problems = {}, []
    for name, column, read in readers:
        try:
            values[name] = read(cell(column))
        except RowError as error:
            problems.append(str(error))
    activity = cell("uraian")
    values["activity"] = "" if activity is None else str(activity).strip()
    return values, problems


def _parse(placement: Placement, content: bytes, report: ImportReport) -> list[_Row]:
    try:
        rows = _read_sheet(content)
    except Exception:  # noqa: BLE001 - any parse failure means "unreadable"
        report.errors.append(
            (
                0,
                _(
                    "Berkas XLSX tidak bisa dibaca. Pakai templat yang diunduh dari "
                    "halaman ini, lalu simpan sebagai .xlsx."
                ),
            )
        )
        return []
    header_at = next(
        (
            number
            for number, cells in rows
            if cells and _text(cells[0]).casefold() == COLUMNS[0]
        ),
        None,
    )
    if header_at is None:
        report.errors.append(
            (
                0,
                _(
                    "Judul kolom tidak ditemukan: baris judul harus dimulai dengan "
                    "'tanggal'. Pakai templat yang diunduh dari halaman ini."
                ),
            )
        )
        return []
    header = [_text(value).casefold() for value in rows[header_at - 1][1]]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        report.errors.append(
            (
                header_at,
                _("Kolom %(columns)s tidak ada di baris judul.")
                % {"columns": ", ".join(missing)},
            )
        )
        return []
    index = {name: header.index(name) for name in COLUMNS}
    body = [
        (number, cells)
        for number, cells in rows[header_at:]
        if any(_text(value) for value in cells)
    ]
    if not body:
        report.errors.append(
            (
                0,
                _(
                    "Tidak ada baris catatan di berkas. Isi catatan di bawah baris "
                    "judul kolom."
                ),
            )
        )
        return []
    if len(body) > MAX_ROWS:
        report.errors.append(
            (
                0,
                _("Berkas terlalu panjang: paling banyak %(max)s baris sekali impor.")
                % {"max": MAX_ROWS},
            )
        )
        return []

    lookup = _category_lookup()
    parsed = []
    for number, cells in body:
        values, problems = _read_row(cells, index, lookup)
        if problems:
            report.errors.extend((number, problem) for problem in problems)
            continue
        data = EntryInput(placement=placement, **values)
        parsed.append(_Row(number, data, row_uuid(placement, data)))
    return parsed


def import_paper_log(
    *, placement: Placement, actor: User, content: bytes
) -> ImportReport:
    """Record a filled template's rows as submitted entries; all or none."""
    report = ImportReport()
    if not (
        is_magang_staff(actor)
        and placements_visible_to(actor).filter(pk=placement.pk).exists()
    ):
        report.errors.append(
            (0, _("Anda tidak dapat mengimpor catatan untuk penempatan ini."))
        )
        return report
    rows = _parse(placement, content, report)
    if not rows:
        return report

    trainee = placement.trainee
    already_imported = set(
        HourEntry.objects.filter(uuid__in=[row.uuid for row in rows]).values_list(
            "uuid", flat=True
        )
    )
    logged = {
        _entry_key(*values)
        for values in HourEntry.objects.filter(
            trainee=trainee, date__in={row.data.date for row in rows}
        ).values_list("date", "start_time", "end_time", "minutes", "category")
    }
    seen: dict[uuid.UUID, int] = {}
    to_record = []
    for row in rows:
        data = row.data
        key = _entry_key(
            data.date, data.start_time, data.end_time, data.minutes, data.category
        )
        if row.uuid in seen:
            report.duplicates.append(
                (
                    row.number,
                    _("sama dengan baris %(row)s; dilewati.") % {"row": seen[row.uuid]},
                )
            )
        elif row.uuid in already_imported:
            report.duplicates.append(
                (row.number, _("sudah diimpor sebelumnya; dilewati."))
            )
        elif key in logged:
            report.duplicates.append(
                (
                    row.number,
                    _(
                        "sudah ada di catatan peserta (tanggal, jam dan kegiatan "
                        "sama); dilewati."
                    ),
                )
            )
        else:
            seen[row.uuid] = row.number
            to_record.append(row)

    created = 0
    with transaction.atomic():
        for row in to_record:
            try:
                _entry, was_created = record_entry(
                    trainee=trainee,
                    uuid=row.uuid,
                    data=row.data,
                    submit=True,
                    actor=actor,
                    imported=True,
                )
            except ValidationError as error:
                messages = (
                    [m for ms in error.message_dict.values() for m in ms]
                    if hasattr(error, "error_dict")
                    else error.messages
                )
                report.errors.extend((row.number, message) for message in messages)
                continue
            created += was_created
        if report.errors:
            transaction.set_rollback(True)
        else:
            report.created = created
    report.errors.sort(key=lambda problem: problem[0])
    return report


# Admin screens


class PaperImportMixin(PermissionOr403Mixin, WagtailAdminTemplateMixin):
    """Facilitators and coordinators only; a placement out of scope is not found."""

    allowed = staticmethod(is_magang_staff)
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        if is_magang_staff(request.user) and "pk" in kwargs:
            self.placement = get_object_or_404(
                placements_visible_to(request.user).select_related(
                    "trainee", "host", "supervisor"
                ),
                pk=kwargs["pk"],
            )
        return super().dispatch(request, *args, **kwargs)


class ChoosePlacementForm(forms.Form):
    penempatan = forms.ModelChoiceField(
        label=gettext_lazy("Penempatan"),
        queryset=Placement.objects.none(),
        empty_label=gettext_lazy("Pilih penempatan…"),
        error_messages={
            "invalid_choice": gettext_lazy(
                "Penempatan ini tidak ada atau di luar cakupan Anda."
            )
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["penempatan"].queryset = (
            placements_visible_to(user)
            .select_related("trainee", "host")
            .order_by("trainee__first_name", "-start_date")
        )


class ChoosePlacementView(PaperImportMixin, FormView):
    """Which placement's paper log to import."""

    http_method_names = ["get"]
    template_name = "mentorship/admin/paper_import_choose.html"
    form_class = ChoosePlacementForm
    page_title = gettext_lazy("Impor catatan kertas")
    breadcrumbs_items = [
        {"url": reverse_lazy("wagtailadmin_home"), "label": gettext_lazy("Beranda")},
        {"url": "", "label": gettext_lazy("Impor catatan kertas")},
    ]

    def get_form_kwargs(self):
        kwargs = {"user": self.request.user}
        if "penempatan" in self.request.GET:
            kwargs["data"] = self.request.GET
        return kwargs

    def get(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_bound and form.is_valid():
            return redirect(
                "mentorship_paper_import_placement",
                pk=form.cleaned_data["penempatan"].pk,
            )
        return self.render_to_response(self.get_context_data(form=form))


class PaperLogForm(forms.Form):
    sheet = forms.FileField(
        label=gettext_lazy("Catatan jam magang (XLSX)"),
        help_text=gettext_lazy("Templat yang diunduh dari halaman ini, sudah diisi."),
    )

    def clean_sheet(self):
        upload = self.cleaned_data["sheet"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(
                _(
                    "Unggah berkas .xlsx dari templat (bukan .xls, .csv, .pdf atau "
                    "foto). Di Excel atau LibreOffice: Simpan sebagai, pilih .xlsx."
                )
            )
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("Berkas lebih dari %(size)s MB."),
                params={"size": MAX_UPLOAD_BYTES // (1024 * 1024)},
            )
        return upload


class PaperImportView(PaperImportMixin, FormView):
    """A filled sheet for one placement, checked whole before anything is saved."""

    template_name = "mentorship/admin/paper_import.html"
    form_class = PaperLogForm
    page_title = gettext_lazy("Impor catatan kertas")

    def get_page_subtitle(self):
        return str(self.placement)

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Beranda")},
            {
                "url": reverse("mentorship_placement:index"),
                "label": _("Penempatan magang"),
            },
            {
                "url": reverse("mentorship_placement:edit", args=[self.placement.pk]),
                "label": str(self.placement),
            },
            {"url": "", "label": self.page_title},
        ]

    def form_valid(self, form):
        report = import_paper_log(
            placement=self.placement,
            actor=self.request.user,
            content=form.cleaned_data["sheet"].read(),
        )
        return self.render_to_response(
            self.get_context_data(form=self.form_class(), report=report)
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = kwargs.get("report")
        context.update(
            placement=self.placement,
            action_url=reverse(
                "mentorship_paper_import_placement", args=[self.placement.pk]
            ),
            template_url=reverse("mentorship_paper_template", args=[self.placement.pk]),
            entries_url=entries_url(self.placement),
            submit_button_label=_("Periksa dan impor"),
            form_is_multipart=True,
        )
        if report is not None and report.ok:
            context["created_message"] = (
                ngettext(
                    "%(count)s catatan jam magang diimpor dan menunggu verifikasi "
                    "pembimbing.",
                    "%(count)s catatan jam magang diimpor dan menunggu verifikasi "
                    "pembimbing.",
                    report.created,
                )
                % {"count": report.created}
                if report.created
                else _("Tidak ada catatan baru yang diimpor.")
            )
        return context


class PaperTemplateView(PaperImportMixin, View):
    page_title = gettext_lazy("Templat catatan jam magang")

    def get(self, request, *args, **kwargs):
        response = HttpResponse(paper_log_template(self.placement), content_type=XLSX)
        name = slugify(self.placement.trainee.display_name) or "peserta"
        response["Content-Disposition"] = (
            f'attachment; filename="catatan-magang-{name}.xlsx"'
        )
        return response


@hooks.register("register_admin_urls")
def register_paper_import_urls():
    return [
        path(
            "magang/impor/",
            ChoosePlacementView.as_view(),
            name="mentorship_paper_import",
        ),
        path(
            "magang/impor/<int:pk>/",
            PaperImportView.as_view(),
            name="mentorship_paper_import_placement",
        ),
        path(
            "magang/impor/<int:pk>/templat.xlsx",
            PaperTemplateView.as_view(),
            name="mentorship_paper_template",
        ),
    ]


class PaperImportMenuItem(MenuItem):
    def is_shown(self, request):
        return is_magang_staff(request.user)


@hooks.register("register_magang_menu_item")
def register_paper_import_menu_item():
    return PaperImportMenuItem(
        gettext_lazy("Impor catatan kertas"),
        reverse("mentorship_paper_import"),
        icon_name="upload",
        order=900,
    )
