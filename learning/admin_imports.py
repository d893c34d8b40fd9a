"""Admin screens that import one filled XLSX sheet, whole or not at all.

The paper log (`mentorship.admin.paper_import`), workshop attendance
(`assessments.admin.events`) and reflection attendance
(`mentorship.admin.reflection`) each take one upload. `SheetUploadForm`
refuses another kind of file, or one too big, before it is read;
`SheetImportMixin` shows a refused sheet's every problem on the form again
(`report` in the template's context), or says what was saved and moves on.
The people import has its own screens: it may run in the background.
"""

from django import forms
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from wagtail.admin import messages

from .spreadsheets import DEFAULT_LIMITS, ImportReport

MAX_UPLOAD_BYTES = DEFAULT_LIMITS.max_bytes


class SheetUploadForm(forms.Form):
    """One filled XLSX sheet; the screen names the field and says how to fill it.

    `from_template`: the site hands the sheet out, so a wrong file is
    answered with the template.
    """

    sheet = forms.FileField(label=gettext_lazy("Berkas (XLSX)"))

    def __init__(
        self,
        *args,
        label: str | None = None,
        help_text: str = "",
        from_template: bool = True,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.from_template = from_template
        if label:
            self.fields["sheet"].label = label
        if help_text:
            self.fields["sheet"].help_text = help_text

    def clean_sheet(self):
        upload = self.cleaned_data["sheet"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(
                _(
                    "Unggah berkas .xlsx dari templat (bukan .xls, .csv, .pdf atau "
                    "foto). Di Excel atau LibreOffice: Simpan sebagai, pilih .xlsx."
                )
                if self.from_template
                else _("Unggah berkas .xlsx.")
            )
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("Berkas lebih dari %(size)s MB."),
                params={"size": MAX_UPLOAD_BYTES // (1024 * 1024)},
            )
        return upload


class SheetImportMixin:
    """For a `FormView` that imports the uploaded sheet with a rule.

    The view declares the field's words (`sheet_label`, `sheet_help_text`),
    whether the sheet is the site's template (`from_template`), how to
    import (`import_sheet(content)`, returning the rule's `ImportReport`),
    what to say of what was saved (`saved_message(count)`) and where to go
    then (`get_success_url()`).
    """

    form_class = SheetUploadForm
    sheet_label = gettext_lazy("Berkas (XLSX)")
    sheet_help_text = ""
    from_template = True

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "label": self.sheet_label,
            "help_text": self.sheet_help_text,
            "from_template": self.from_template,
        }

    def import_sheet(self, content: bytes) -> ImportReport:
        raise NotImplementedError

    def saved_message(self, count: int) -> str:
        raise NotImplementedError

    def form_valid(self, form):
        report = self.import_sheet(form.cleaned_data["sheet"].read())
        if not report.ok:
            return self.render_to_response(
                self.get_context_data(form=form, report=report)
            )
        messages.success(self.request, self.saved_message(report.created))
        return redirect(self.get_success_url())


class AttendanceImportMixin(SheetImportMixin):
    """A workshop's or a reflection session's attendance sheet: the same words."""

    sheet_label = gettext_lazy("Daftar hadir (XLSX)")
    page_title = gettext_lazy("Impor daftar hadir")

    def saved_message(self, count: int) -> str:
        return ngettext(
            "%(count)s kehadiran baru tercatat.",
            "%(count)s kehadiran baru tercatat.",
            count,
        ) % {"count": count}
