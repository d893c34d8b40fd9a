"""The public verification page of a certificate, its JSON, and a form to type a code.

Anyone may open them, signed in or not, and everyone sees the same few
facts: the name, programme and organisation on the certificate, when it was
issued, until when it is valid, and its status today. Nothing else of the
holder (contact, village, cohort, scores, what it rests on) and nothing of a
revocation but its date; staff who need more have the admin. A certificate
whose holder's data was erased says only that it can no longer be verified.

Every answer carries `X-Robots-Tag: noindex` and `Cache-Control: private,
no-store`: the page names a person, so no shared cache may keep it, and a
browser keeps nothing either, so a revocation shows at once and a shared
phone holds no copy (the page is a few KB, fetching it again costs little).
Lookups are counted per client address (`learning.throttle`).
"""

import dataclasses
import datetime
import re

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from learning.throttle import allow

from ..certification import certificate_status, grouped_code
from ..choices import CertificateStatus
from ..models import Certificate
from ..models.certification import CODE_ALPHABET, CODE_LENGTH

LOOKUPS_PER_MINUTE = 30
WINDOW_SECONDS = 60
THROTTLE_BUCKET = "certificate-verification"

_CODE = re.compile(f"[{CODE_ALPHABET}]{{{CODE_LENGTH}}}")
# What a person copying a code off paper or a chat may add: spaces (also
# non-breaking), dashes (a phone may turn "-" into "–").
_TYPED_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015]+")


def normalised_code(typed: str) -> str | None:
    """The code as stored (upper case, no spaces or dashes), or None when
    what was typed cannot be a certificate's code."""
    if len(typed) > CODE_LENGTH * 3:
        return None
    code = _TYPED_SEPARATORS.sub("", typed).upper()
    return code if _CODE.fullmatch(code) else None


@dataclasses.dataclass(frozen=True)
class PublicFacts:
    """What the public may know of one certificate today."""

    code: str
    status: str
    holder: str = ""
    programme: str = ""
    organisations: str = ""
    issued_on: datetime.date | None = None
    valid_until: datetime.date | None = None
    revoked_on: datetime.date | None = None

    @property
    def verifiable(self) -> bool:
        return self.status != CertificateStatus.UNVERIFIABLE

    @property
    def expired_since(self) -> datetime.date | None:
        if self.status != CertificateStatus.EXPIRED or self.valid_until is None:
            return None
        return self.valid_until + datetime.timedelta(days=1)

    @property
    def code_for_reading(self) -> str:
        return grouped_code(self.code)

    def as_json(self) -> dict:
        if not self.verifiable:
            return {"code": self.code, "status": self.status}
        return {
            "code": self.code,
            "holder": self.holder,
            "programme": self.programme,
            "organisations": self.organisations,
            "issued_on": self.issued_on.isoformat() if self.issued_on else None,
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "status": self.status,
            "revoked_on": self.revoked_on.isoformat() if self.revoked_on else None,
        }


def public_facts(certificate: Certificate) -> PublicFacts:
    status = str(certificate_status(certificate))
    if status == CertificateStatus.UNVERIFIABLE:
        return PublicFacts(code=certificate.code, status=status)
    return PublicFacts(
        code=certificate.code,
        status=status,
        holder=certificate.holder_name,
        programme=certificate.programme_name,
        organisations=certificate.organisation_names,
        issued_on=certificate.issued_on,
        valid_until=certificate.valid_until,
        revoked_on=(
            timezone.localdate(certificate.revoked_at)
            if certificate.revoked_at
            else None
        ),
    )


def _find(code: str) -> Certificate | None:
    return (
        Certificate.objects.filter(code=code)
        .only(
            "code",
            "holder_name",
            "programme_name",
            "organisation_names",
            "issued_on",
            "valid_until",
            "revoked_at",
            "unverifiable_since",
        )
        .first()
    )


def _public(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex"
    add_never_cache_headers(response)
    return response


def _allowed(request: HttpRequest) -> bool:
    return allow(
        request,
        bucket=THROTTLE_BUCKET,
        limit=LOOKUPS_PER_MINUTE,
        per_seconds=WINDOW_SECONDS,
    )


def _throttled_message() -> str:
    return _(
        "Terlalu banyak pemeriksaan dari alamat ini dalam satu menit. "
        "Tunggu sebentar, lalu coba lagi."
    )


def _not_found_message() -> str:
    return _("Tidak ada sertifikat dengan kode ini.")


@require_safe
def verification_lookup(request: HttpRequest) -> HttpResponse:
    """A form to type the code printed on a certificate; GET ?kode= opens its page."""
    typed = request.GET.get("kode")
    error = ""
    if typed is not None:
        # A QR reader may hand over the whole address: its last part is the code.
        last_part = typed.strip().rstrip("/").rsplit("/", 1)[-1]
        code = normalised_code(last_part.removesuffix(".json"))
        if code is not None:
            return _public(redirect("assessments:certificate_verification", code=code))
        error = _(
            "Kode verifikasi terdiri dari %(length)s huruf dan angka, seperti yang "
            "tercetak pada sertifikat. Periksa lagi kode yang kamu ketik."
        ) % {"length": CODE_LENGTH}
    return _public(
        render(
            request,
            "assessments/verification/lookup.html",
            {
                "typed": (typed or "").replace("\x00", "")[: CODE_LENGTH * 3],
                "error": error,
            },
        )
    )


@require_safe
def verification_page(request: HttpRequest, code: str) -> HttpResponse:
    canonical = normalised_code(code)
    if canonical is None:
        return _public(render(request, "404.html", status=404))
    if canonical != code:
        # Typed from paper in lower case or with dashes: the one address.
        return _public(redirect("assessments:certificate_verification", code=canonical))
    if not _allowed(request):
        response = render(
            request,
            "assessments/verification/throttled.html",
            {"message": _throttled_message()},
            status=429,
        )
        response["Retry-After"] = str(WINDOW_SECONDS)
        return _public(response)
    certificate = _find(canonical)
    if certificate is None:
        return _public(render(request, "404.html", status=404))
    return _public(
        render(
            request,
            "assessments/verification/certificate.html",
            {"facts": public_facts(certificate)},
        )
    )


def _json(body: dict, status: int = 200) -> HttpResponse:
    return _public(
        JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    )


@require_safe
def verification_json(request: HttpRequest, code: str) -> HttpResponse:
    canonical = normalised_code(code)
    if canonical is None:
        return _json({"detail": _not_found_message()}, status=404)
    if not _allowed(request):
        response = _json({"detail": _throttled_message()}, status=429)
        response["Retry-After"] = str(WINDOW_SECONDS)
        return response
    certificate = _find(canonical)
    if certificate is None:
        return _json({"detail": _not_found_message()}, status=404)
    return _json(public_facts(certificate).as_json())
