from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lokal import parse_phone


def normalise_phone(raw: str) -> str:
    """A mobile number as +62…, or "" for none; a clear message otherwise."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    parsed = parse_phone(raw)
    if not parsed.valid:
        raise ValidationError(
            _("Nomor HP tidak dikenali. Tulis seperti 0812 3456 7890 atau +62812…")
        )
    return parsed.e164
