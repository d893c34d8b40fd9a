"""The one upload form of the admin's sheet imports."""

from django.core.files.uploadedfile import SimpleUploadedFile

from learning.admin_imports import MAX_UPLOAD_BYTES, SheetUploadForm


def errors(name: str, size: int = 10, **declared) -> list[str]:
    upload = SimpleUploadedFile(name, b"x" * size)
    form = SheetUploadForm(data={}, files={"sheet": upload}, **declared)
    return form.errors.get("sheet", [])


def test_another_kind_of_file_is_refused_before_it_is_read():
    assert errors("daftar.xlsx") == []
    assert errors("daftar.csv", from_template=False) == ["Unggah berkas .xlsx."]
    assert errors("foto.jpg") == [
        "Unggah berkas .xlsx dari templat (bukan .xls, .csv, .pdf atau foto). Di "
        "Excel atau LibreOffice: Simpan sebagai, pilih .xlsx."
    ]


def test_a_file_over_the_bound_is_refused_with_its_size():
    assert errors("daftar.xlsx", size=MAX_UPLOAD_BYTES + 1) == [
        "Berkas lebih dari 5 MB."
    ]


def test_the_screen_names_the_field():
    form = SheetUploadForm(label="Daftar hadir (XLSX)", help_text="Satu per baris.")
    assert (form.fields["sheet"].label, form.fields["sheet"].help_text) == (
        "Daftar hadir (XLSX)",
        "Satu per baris.",
    )
