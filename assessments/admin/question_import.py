"""Admin screens to import questions from GIFT or CSV and to export them.

Wagtail already lets only people with admin access in; each view adds the
question permission it needs and answers 403 without it. An import ends on
the list of exactly the questions it made, each linking to its edit screen.
"""

import re

from django import forms
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse, reverse_lazy
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import FormView, TemplateView

from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import BaseListingView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton

from ..models import Category, Question
from ..question_io import (
    CSV_EXTENSIONS,
    GIFT_EXTENSIONS,
    category_paths,
    csv_header,
    export_csv,
    export_gift,
    import_questions,
    questions_for_export,
)
from .access import PermissionOr403Mixin

IMPORT_PERMISSION = "assessments.add_question"
EXPORT_PERMISSIONS = ("assessments.view_question", "assessments.change_question")
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# An import makes at most as many questions as a file has lines (5,000).
MAX_LISTED_QUESTIONS = 5_000
HOME = {"url": reverse_lazy("wagtailadmin_home"), "label": _("Beranda")}
IMPORT = {"url": reverse_lazy("assessments_import_questions"), "label": _("Impor soal")}


def can_import(user) -> bool:
    return user.has_perm(IMPORT_PERMISSION)


def can_export(user) -> bool:
    return any(user.has_perm(permission) for permission in EXPORT_PERMISSIONS)


def id_ranges(ids: list[int]) -> str:
    """Ids as short ranges for a URL: [3, 4, 5, 9] is "3-5,9"."""
    parts: list[str] = []
    ordered = sorted(set(ids))
    start = end = None
    for one in [*ordered, None]:
        if start is not None and one == end + 1:
            end = one
            continue
        if start is not None:
            parts.append(str(start) if start == end else f"{start}-{end}")
        start = end = one
    return ",".join(parts)


def ids_from_ranges(text: str) -> list[int] | None:
    """The ids "3-5,9" names; None for anything else or too many."""
    ids: list[int] = []
    for part in text.split(","):
        # ASCII digits only, and no more than a database id holds.
        matched = re.fullmatch(r"(\d{1,18})(?:-(\d{1,18}))?", part.strip(), re.ASCII)
        if matched is None:
            return None
        first = int(matched[1])
        last = int(matched[2] or first)
        if last < first or len(ids) + last - first + 1 > MAX_LISTED_QUESTIONS:
            return None
        ids.extend(range(first, last + 1))
    return ids


class ImportQuestionsForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas GIFT atau CSV"),
        help_text=_(
            "GIFT dari Moodle (.gift atau .txt, UTF-8) atau CSV dengan judul kolom "
            "di baris pertama."
        ),
    )
    category = forms.CharField(
        label=_("Kategori untuk soal tanpa kategori (boleh kosong)"),
        help_text=_(
            "Untuk soal yang tidak didahului $CATEGORY atau yang kolom kategorinya "
            "kosong. Sub-kategori ditulis dengan garis miring, mis. Konseling/Dasar. "
            "Dibuat bila belum ada."
        ),
        required=False,
        max_length=500,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(GIFT_EXTENSIONS + CSV_EXTENSIONS):
            raise forms.ValidationError(
                _("Unggah berkas .gift, .txt (GIFT Moodle) atau .csv.")
            )
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("Berkas lebih dari %(size)s MB. Bagi menjadi beberapa berkas."),
                params={"size": MAX_UPLOAD_BYTES // (1024 * 1024)},
            )
        return upload


class ImportQuestionsView(PermissionOr403Mixin, WagtailAdminTemplateMixin, FormView):
    """Many questions at once from a Moodle GIFT or CSV file; all or none."""

    allowed = staticmethod(can_import)
    template_name = "assessments/admin/import_questions.html"
    form_class = ImportQuestionsForm
    page_title = _("Impor soal")
    header_icon = "upload"
    breadcrumbs_items = [HOME, {"url": "", "label": _("Impor soal")}]

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        report = import_questions(
            content=upload.read(),
            filename=upload.name,
            category_name=form.cleaned_data["category"] or None,
            actor=self.request.user,
        )
        if not report.ok:
            return self.render_to_response(
                self.get_context_data(form=form, report=report)
            )
        message = ngettext(
            "%(count)s soal diimpor.", "%(count)s soal diimpor.", report.count
        ) % {"count": report.count}
        if report.skipped:
            message += " " + ngettext(
                "%(count)s soal sudah ada di bank soal dan dilewati.",
                "%(count)s soal sudah ada di bank soal dan dilewati.",
                report.skipped,
            ) % {"count": report.skipped}
        messages.success(self.request, message)
        if not report.created:
            return redirect("assessments_import_questions")
        return redirect(
            reverse("assessments_imported_questions")
            + "?soal="
            + id_ranges([question.pk for question in report.created])
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action_url"] = reverse("assessments_import_questions")
        context["submit_button_label"] = _("Periksa dan impor")
        context["form_is_multipart"] = True
        context["csv_columns"] = csv_header(1)
        context["can_export"] = can_export(self.request.user)
        return context


class ImportedQuestionsView(PermissionOr403Mixin, BaseListingView):
    """Exactly the questions one import made, each opening its edit screen.

    The import names them in the URL (`?soal=12-40`), so the list can be
    opened again, bookmarked or sent to a colleague; a question deleted since
    is simply not listed.
    """

    allowed = staticmethod(lambda user: can_import(user) or can_export(user))
    page_title = _("Soal yang diimpor")
    header_icon = "help"
    breadcrumbs_items = [HOME, IMPORT, {"url": "", "label": _("Soal yang diimpor")}]
    index_url_name = "assessments_imported_questions"
    paginate_by = 50
    verbose_name_plural = _("soal")
    columns = [
        TitleColumn(
            "text",
            label=_("Soal"),
            accessor=str,
            get_url=lambda question: reverse(
                "wagtailsnippets_assessments_question:edit", args=[question.pk]
            ),
        ),
        Column("kind", label=_("Jenis"), accessor="get_kind_display"),
        Column("category", label=_("Kategori")),
    ]

    @cached_property
    def question_ids(self) -> list[int] | None:
        return ids_from_ranges(self.request.GET.get("soal", ""))

    def get_base_queryset(self):
        if not self.question_ids:
            return Question.objects.none()
        return (
            Question.objects.filter(pk__in=self.question_ids)
            .select_related("category__parent")
            .order_by("pk")
        )

    @cached_property
    def header_buttons(self):
        return [
            HeaderButton(
                _("Impor lagi"),
                url=reverse("assessments_import_questions"),
                icon_name="upload",
            )
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.question_ids is None:
            context["no_results_message"] = _(
                "Alamat ini tidak menyebut soal hasil impor. Buka dari pesan "
                "setelah impor, atau cari soalnya di bank soal."
            )
        else:
            context["no_results_message"] = _(
                "Soal dari impor ini sudah tidak ada di bank soal."
            )
        return context


class ExportQuestionsForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[
            ("gift", _("GIFT (untuk Moodle)")),
            ("csv", _("CSV (untuk lembar kerja)")),
        ],
    )
    category = forms.TypedChoiceField(
        label=_("Kategori"),
        help_text=_("Termasuk semua sub-kategorinya."),
        required=False,
        coerce=int,
        empty_value=None,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        paths = category_paths()
        self.fields["category"].choices = [("", _("Semua kategori"))] + sorted(
            ((pk, " / ".join(names)) for pk, names in paths.items()),
            key=lambda choice: choice[1].lower(),
        )


class ExportQuestionsView(
    PermissionOr403Mixin, WagtailAdminTemplateMixin, TemplateView
):
    """The bank, or one category of it, as a GIFT or CSV download."""

    allowed = staticmethod(can_export)
    template_name = "assessments/admin/export_questions.html"
    page_title = _("Ekspor soal")
    header_icon = "download"
    breadcrumbs_items = [HOME, {"url": "", "label": _("Ekspor soal")}]

    def get(self, request, *args, **kwargs):
        if "format" not in request.GET:
            return self.render_to_response(
                self.get_context_data(form=ExportQuestionsForm())
            )
        form = ExportQuestionsForm(request.GET)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        category = None
        name = "soal"
        if form.cleaned_data["category"]:
            category = Category.objects.get(pk=form.cleaned_data["category"])
            name = f"soal-{slugify(str(category))}"
        questions = questions_for_export(category=category)
        if form.cleaned_data["format"] == "gift":
            response = HttpResponse(
                export_gift(questions), content_type="text/plain; charset=utf-8"
            )
            filename = f"{name}.gift"
        else:
            # The byte-order mark makes spreadsheet programs read UTF-8.
            response = HttpResponse(
                export_csv(questions).encode("utf-8-sig"),
                content_type="text/csv; charset=utf-8",
            )
            filename = f"{name}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_import"] = can_import(self.request.user)
        return context


def admin_urls() -> list:
    return [
        path(
            "soal/impor/",
            ImportQuestionsView.as_view(),
            name="assessments_import_questions",
        ),
        path(
            "soal/impor/hasil/",
            ImportedQuestionsView.as_view(),
            name="assessments_imported_questions",
        ),
        path(
            "soal/ekspor/",
            ExportQuestionsView.as_view(),
            name="assessments_export_questions",
        ),
    ]


class ImportQuestionsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_import(request.user)


def import_questions_menu_item() -> "ImportQuestionsMenuItem":
    return ImportQuestionsMenuItem(
        _("Impor soal"),
        reverse("assessments_import_questions"),
        name="impor-soal",
        icon_name="upload",
        order=100,
    )
