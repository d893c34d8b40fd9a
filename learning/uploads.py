"""What an uploaded image or document must be: checked by its content, not
its name, before anything is saved.

Wagtail already refuses an image whose extension is not allowed or whose
format does not match it, one that is too big, and one with too many pixels
(`WAGTAILIMAGES_EXTENSIONS`, `WAGTAILIMAGES_MAX_UPLOAD_SIZE`,
`WAGTAILIMAGES_MAX_IMAGE_PIXELS`), and a document whose extension is not in
`WAGTAILDOCS_EXTENSIONS`. It reads only an image's header and never looks
inside a document, so it saved a truncated photo (whose page then failed to
draw) and an HTML page named "materi.pdf". The forms below add, for every way
the admin uploads (the form, the multiple uploader, the choosers):

- an image is decoded whole by Pillow: a broken or cut-off file is refused;
- a document's first bytes must be those of the format its extension names
  (PDF, the Office and OpenDocument files, MP4/WebM video, MP3/M4A/OGG
  audio); a .txt or .csv must be text, not a program or a web page;
- an empty file is refused, and a document is at most
  `PENDAMPING_DOCUMENT_MAX_UPLOAD_SIZE` (video and audio
  `PENDAMPING_MEDIA_MAX_UPLOAD_SIZE`).

A refused file is an error on the form, in Indonesian, and nothing is saved:
the form is invalid, so neither the row nor the file is written.
"""

import io
import os
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

from PIL import Image as PILImage

# Pillow's names of the image formats the site shows (WAGTAILIMAGES_EXTENSIONS).
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}

# How many bytes of a file are read to know what it is.
HEAD = 4096

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls, .ppt
_OPENDOCUMENT = {
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
_OFFICE_XML = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
MEDIA_EXTENSIONS = {"mp4", "webm", "mp3", "m4a", "ogg"}
# What a web page or a script starts with: never a text document.
_MARKUP = (b"<!doctype", b"<html", b"<script", b"<svg", b"<?xml", b"<head", b"<body")

KIND_NAMES = {
    "pdf": "PDF",
    "doc": "Word (.doc)",
    "docx": "Word (.docx)",
    "odt": "OpenDocument (.odt)",
    "xls": "Excel (.xls)",
    "xlsx": "Excel (.xlsx)",
    "ods": "OpenDocument (.ods)",
    "ppt": "PowerPoint (.ppt)",
    "pptx": "PowerPoint (.pptx)",
    "odp": "OpenDocument (.odp)",
    "txt": "teks",
    "csv": "CSV",
    "mp4": "video MP4",
    "webm": "video WebM",
    "mp3": "audio MP3",
    "m4a": "audio M4A",
    "ogg": "audio OGG",
}


def _empty() -> str:
    return _("Berkas ini kosong (0 byte). Pilih berkas yang berisi.")


def _extension(name: str) -> str:
    return os.path.splitext(name or "")[1].lower().lstrip(".")


def _read_all(upload) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _head(upload) -> bytes:
    upload.seek(0)
    data = upload.read(HEAD)
    upload.seek(0)
    return data


def _zip_names(upload) -> tuple[list[str], bytes] | None:
    """The names in a ZIP file, and its `mimetype` entry; None if not a ZIP."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            mimetype = b""
            if "mimetype" in names:
                mimetype = archive.read("mimetype")[:100]
            return names, mimetype
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError):
        return None
    finally:
        upload.seek(0)


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return not start.startswith(_MARKUP)


def document_content_matches(upload, extension: str) -> bool:
    """Whether the file's bytes are those of the format `extension` names."""
    head = _head(upload)
    if extension == "pdf":
        # PDF readers accept the header anywhere in the first kilobyte.
        return b"%PDF-" in head[:1024]
    if extension in ("doc", "xls", "ppt"):
        return head.startswith(_OLE2)
    if extension in _OFFICE_XML:
        found = head.startswith(b"PK\x03\x04") and _zip_names(upload)
        return bool(found) and (
            "[Content_Types].xml" in found[0]
            and any(name.startswith(_OFFICE_XML[extension]) for name in found[0])
        )
    if extension in _OPENDOCUMENT:
        found = head.startswith(b"PK\x03\x04") and _zip_names(upload)
        return bool(found) and found[1].strip() == _OPENDOCUMENT[extension].encode()
    if extension in ("mp4", "m4a"):
        return head[4:8] == b"ftyp"
    if extension == "webm":
        return head.startswith(b"\x1a\x45\xdf\xa3")
    if extension == "mp3":
        return head.startswith(b"ID3") or (
            len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0
        )
    if extension == "ogg":
        return head.startswith(b"OggS")
    if extension in ("txt", "csv"):
        return _is_text(head)
    # An extension a setting allows that this module has no rule for.
    return False


def _size_limit(extension: str) -> int:
    if extension in MEDIA_EXTENSIONS:
        return settings.PENDAMPING_MEDIA_MAX_UPLOAD_SIZE
    return settings.PENDAMPING_DOCUMENT_MAX_UPLOAD_SIZE


def check_document(upload) -> None:
    """Raise a ValidationError, in words, unless the upload is what it says."""
    extension = _extension(upload.name)
    if upload.size == 0:
        raise ValidationError(
            _("Berkas ini kosong (0 byte). Pilih berkas yang berisi.")
        )
    limit = _size_limit(extension)
    if upload.size > limit:
        raise ValidationError(
            _("Berkas ini terlalu besar (%(size)s). Paling besar %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    if extension not in KIND_NAMES:
        # Wagtail's own check names the allowed extensions.
        return
    if not document_content_matches(upload, extension):
        raise ValidationError(
            _(
                "Isi berkas ini bukan %(kind)s seperti namanya (.%(ext)s). Simpan "
                "ulang dari program aslinya sebagai %(kind)s, lalu unggah lagi."
            )
            % {"kind": KIND_NAMES[extension], "ext": extension}
        )


def _not_an_image() -> ValidationError:
    return ValidationError(
        _(
            "Berkas ini bukan gambar JPEG, PNG, WebP atau GIF, walaupun namanya "
            "begitu. Simpan ulang gambarnya sebagai JPEG atau PNG, lalu unggah lagi."
        )
    )


def check_image(upload) -> None:
    """Raise a ValidationError, in words, unless Pillow decodes the whole
    image and it is one of the formats the site shows."""
    if upload.size == 0:
        raise ValidationError(_empty())
    data = _read_all(upload)
    try:
        image = PILImage.open(io.BytesIO(data))
    except PILImage.DecompressionBombError:
        raise _too_many_pixels() from None
    except (OSError, SyntaxError, ValueError, EOFError, MemoryError):
        raise _not_an_image() from None
    with image:
        if image.format not in IMAGE_FORMATS:
            raise _not_an_image()
    try:
        with PILImage.open(io.BytesIO(data)) as image:
            image.verify()
        # verify() does not decode the pixels: a file cut off after its
        # header can pass it. Decoding every frame finds the missing bytes.
        with PILImage.open(io.BytesIO(data)) as image:
            for frame in range(getattr(image, "n_frames", 1)):
                image.seek(frame)
                image.load()
    except PILImage.DecompressionBombError:
        raise _too_many_pixels() from None
    except (OSError, SyntaxError, ValueError, EOFError, MemoryError):
        raise ValidationError(
            _(
                "Gambar ini rusak atau tidak lengkap (mungkin terpotong saat "
                "dikirim). Buka gambarnya di ponsel atau komputer, simpan ulang "
                "sebagai JPEG atau PNG, lalu unggah lagi."
            )
        ) from None


def _too_many_pixels() -> ValidationError:
    return ValidationError(
        _("Gambar ini terlalu besar ukurannya (jumlah titiknya). Perkecil dulu.")
    )


class CheckedImageField(WagtailImageField):
    """Wagtail's image field, decoding the whole image first.

    Wagtail reads the pixels only to count them, and a cut-off file made
    that raise (a 500 on the upload). The check runs once the file's name
    and size pass, so those refusals keep Wagtail's own words."""

    def to_python(self, data):
        name = getattr(data, "name", "") or ""
        size = getattr(data, "size", 0) or 0
        if (
            size
            and _extension(name) in self.allowed_image_extensions
            and (self.max_upload_size is None or size <= self.max_upload_size)
        ):
            check_image(data)
        return super().to_python(data)


def _new_upload(form):
    """The file this submission uploads, or None (an edit keeping its file)."""
    upload = form.cleaned_data.get("file")
    return upload if isinstance(upload, UploadedFile) else None


class CheckedImageForm(BaseImageForm):
    """Wagtail's image form, refusing a broken image (WAGTAILIMAGES_IMAGE_FORM_BASE).

    Wagtail builds the file field from the model on every form (the
    uploader, the chooser, the edit page); it becomes a CheckedImageField
    here, keeping its widget, label and messages."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        if isinstance(field, WagtailImageField):
            field.__class__ = CheckedImageField


class CheckedDocumentForm(BaseDocumentForm):
    """Wagtail's document form, refusing a file whose content is not what its
    name says (WAGTAILDOCS_DOCUMENT_FORM_BASE)."""

    def clean_file(self):
        upload = _new_upload(self)
        if upload is not None:
            check_document(upload)
        return self.cleaned_data.get("file")

    def _post_clean(self):
        # A refused file leaves the document without one, and the model's own
        # check then added 'Ekstensi berkas "" tidak diizinkan' under the
        # real reason: keep only the reason.
        refusal = self.errors.get("file")
        kept = list(refusal) if refusal else None
        super()._post_clean()
        if kept:
            self.errors["file"] = self.error_class(kept)
