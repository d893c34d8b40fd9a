"""The second factor at sign-in: a TOTP app on the phone, and recovery codes.

Facilitators, coordinators and superusers (`scope.is_active_staff`) may add
one; with `PENDAMPING_2FA_REQUIRED` (on in production) coordinators and
superusers must, before any page. Trainees and alumni never see any of it:
their accounts hold little and a code app on a shared phone would lock them
out.

The devices are django-otp's: one confirmed `TOTPDevice` per person, named
`DEVICE_NAME`, and one `StaticDevice` holding `RECOVERY_CODE_COUNT` single-use
recovery codes. A session counts as verified once `django_otp.login` has put
the device in it (`request.user.is_verified()`, from django-otp's
OTPMiddleware).

Each rule that checks and then writes does both in one transaction that
locks a row first (the person for enrolment, the device for a code), so a
code given twenty times at once is used once.
"""

import base64
import re

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

import segno
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import audit
from .choices import AuditAction, Role
from .models import User
from .scope import is_active_staff

DEVICE_NAME = "Pendamping"
RECOVERY_CODE_COUNT = 10
# A TOTP code is six digits; a recovery code is django-otp's random token
# (eight characters of base32). Anything longer is refused before a query.
CODE_MAX_LENGTH = 16

_NOT_CODE = re.compile(r"[\s-]+")


class SecondFactorError(Exception):
    """A refusal a person can read (Indonesian)."""


def may_use(user: User) -> bool:
    """Whether `user` is someone the second factor is for (never a trainee)."""
    return is_active_staff(user)


def is_required_for(user: User) -> bool:
    """Whether `user` must have a second factor before any page: coordinators
    and superusers, while `PENDAMPING_2FA_REQUIRED` is on."""
    if not settings.PENDAMPING_2FA_REQUIRED or not is_active_staff(user):
        return False
    return user.is_superuser or user.has_role(Role.KOORDINATOR)


def has_confirmed_device(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


# Whether the session's person had a confirmed app when they signed in: asked
# once at sign-in, so the check before every staff page costs no query.
SESSION_HAS_DEVICE = "pendamping_faktor_kedua"


def remember_device_at_sign_in(sender, request, user, **kwargs) -> None:
    """user_logged_in: note in the new session whether a code will be asked."""
    session = getattr(request, "session", None)
    if session is not None and may_use(user):
        session[SESSION_HAS_DEVICE] = has_confirmed_device(user)


def session_has_device(request: HttpRequest, user: User) -> bool:
    """`has_confirmed_device`, as noted at sign-in (asked and noted once for a
    session made before the note existed). An app added later in another
    session is asked for at the next sign-in; one reset by a superuser is
    noticed by the code page, which notes it gone."""
    value = request.session.get(SESSION_HAS_DEVICE)
    if not isinstance(value, bool):
        value = has_confirmed_device(user)
        request.session[SESSION_HAS_DEVICE] = value
    return value


def pending_device(*, user: User) -> TOTPDevice:
    """The unconfirmed TOTP device `user` is enrolling, made on first asking;
    refused (SecondFactorError) once they have a confirmed one.

    One per person: asking again shows the same secret, so a page reloaded
    after scanning still matches the app.
    """
    if not may_use(user):
        raise PermissionDenied
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise SecondFactorError(_("Faktor kedua akun ini sudah terpasang."))
        device = (
            TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
        )
        if device is None:
            device = TOTPDevice.objects.create(
                user=user, name=DEVICE_NAME, confirmed=False
            )
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret as a code app asks for it when typed by hand: base32 in
    groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an inline SVG QR code (no request
    to any other host, no script)."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=2, dark="#000", light="#fff"
    )


def clean_code(value: object) -> str:
    """The code as typed, without spaces or dashes, in lower case; "" for
    anything that cannot be a code (not text, NUL bytes, too long)."""
    if not isinstance(value, str):
        return ""
    code = _NOT_CODE.sub("", value).lower()
    if not code or len(code) > CODE_MAX_LENGTH or not code.isalnum():
        return ""
    return code


def confirm_enrolment(
    *, user: User, code: str, request: HttpRequest | None = None
) -> tuple[TOTPDevice, list[str]]:
    """Confirm `user`'s pending device with its first code, and make their
    recovery codes; returns the device and the codes, shown once.

    The person's row is locked first, so twenty confirmations at once make
    one confirmed device and one set of codes: the others find it confirmed.
    """
    if not may_use(user):
        raise PermissionDenied
    code = clean_code(code)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise SecondFactorError(_("Faktor kedua akun ini sudah terpasang."))
        device = (
            TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
        )
        if device is None:
            raise SecondFactorError(
                _("Halaman ini sudah lama terbuka. Muat ulang, lalu pindai lagi.")
            )
        if not code.isdigit() or not device.verify_token(code):
            raise SecondFactorError(
                _(
                    "Kode salah atau sudah kedaluwarsa. Ketik kode 6 angka yang "
                    "sedang tampil di aplikasi."
                )
            )
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        codes = _new_recovery_codes(user)
        audit.record(
            AuditAction.SECOND_FACTOR_ADDED,
            actor=user,
            target=user,
            target_label=user.username,
            subject=user,
            detail={"recovery_codes": len(codes)},
            request=request,
        )
    return device, codes


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)
    codes = []
    while len(codes) < RECOVERY_CODE_COUNT:
        token = StaticToken.random_token()
        if token not in codes:
            codes.append(token)
    StaticToken.objects.bulk_create(
        [StaticToken(device=device, token=token) for token in codes]
    )
    return codes


def verify_code(*, user: User, code: str) -> Device | None:
    """The device `code` proves, or None: a TOTP code (six digits, each used
    once) or a recovery code (used up by this). The device's row is locked
    while it is checked, so a code given twenty times at once passes once.
    """
    code = clean_code(code)
    if not code or not may_use(user):
        return None
    if code.isdigit() and len(code) == 6:
        for device_id in TOTPDevice.objects.filter(
            user=user, confirmed=True
        ).values_list("pk", flat=True):
            with transaction.atomic():
                device = TOTPDevice.objects.select_for_update().get(pk=device_id)
                if device.verify_token(code):
                    return device
        return None
    for device_id in StaticDevice.objects.filter(user=user, confirmed=True).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            device = StaticDevice.objects.select_for_update().get(pk=device_id)
            allowed, _details = device.verify_is_allowed()
            if not allowed:
                continue
            used, _deleted = StaticToken.objects.filter(
                device=device, token=code
            ).delete()
            if used:
                device.throttle_reset(commit=False)
                device.set_last_used_timestamp(commit=False)
                device.save()
                return device
            device.throttle_increment()
    return None


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def reset(*, actor: User, person: User, request: HttpRequest | None = None) -> int:
    """Remove `person`'s second factor (a lost phone): every device goes, and
    they enrol again at their next sign-in where it is required. Superusers
    only, and never their own (another superuser does that). Returns how
    many devices went."""
    if not (actor.is_active and actor.is_superuser) or actor.pk == person.pk:
        raise PermissionDenied
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=person.pk).first()
        removed = 0
        for model in (TOTPDevice, StaticDevice):
            _count, by_model = model.objects.filter(user=person).delete()
            removed += by_model.get(model._meta.label, 0)
        audit.record(
            AuditAction.SECOND_FACTOR_RESET,
            actor=actor,
            target=person,
            target_label=person.username,
            subject=person,
            detail={"devices": removed},
            request=request,
        )
    return removed
