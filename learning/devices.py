"""The phones and browsers a person used offline, and taking one away.

The service worker makes a UUID for its browser and reports it while the
person is signed in (`POST /akun/perangkat/lapor/`); the account page lists
the person's devices under "Perangkat" and lets her revoke ("cabut") one she
lost or no longer holds. A revoked device stays revoked: reporting it again
answers "revoked", and the browser is expected to drop what it stored and
make itself a new UUID. Nothing is kept about a device but a short label read
from its User-Agent and when it was first and last used: no IP address.

A device may also hold a sync key ("kunci sinkron", `issue_token`): the
offline client sends it as `Authorization: Bearer <key>` to send the
person's own records when her session has expired or its CSRF cookie is
stale. Only the key's SHA-256 is stored. Revoking the device or signing out
on it ends the key.
"""

import datetime
import hashlib
import re
import secrets
import uuid as uuid_module

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from .models import Device, User

# A device's "last used" moves at most this often: a page load is not a write.
SEEN_EVERY = datetime.timedelta(minutes=1)
# Enough of any real User-Agent to tell the system and the browser.
USER_AGENT_READ = 512
LABEL_LENGTH = 60

# First match wins: more specific names before the engines they are built on.
_SYSTEMS = (
    ("KaiOS", "KaiOS"),
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("CrOS ", "ChromeOS"),
    ("Windows", "Windows"),
    ("Macintosh", "Mac"),
    ("Linux", "Linux"),
)
_BROWSERS = (
    ("SamsungBrowser/", "Samsung Internet"),
    ("MiuiBrowser/", "Mi Browser"),
    ("UCBrowser/", "UC Browser"),
    ("OPR/", "Opera"),
    ("Opera", "Opera"),
    ("Edg", "Edge"),
    ("Firefox/", "Firefox"),
    ("FxiOS/", "Firefox"),
    ("CriOS/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
_PRINTABLE = re.compile(r"[^\x20-\x7e]")

# 32 random bytes, written as 43 URL-safe characters: nothing else is a key,
# so anything else is refused before it reaches the database.
TOKEN_BYTES = 32
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}", re.ASCII)


class DeviceRevoked(Exception):
    """A revoked device asked for a sync key: it gets none, ever."""

    def __init__(self, device: Device):
        super().__init__(f"device {device.uuid} is revoked")
        self.device = device


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("ascii")).hexdigest()


def label_for(user_agent: str) -> str:
    """ "Android · Chrome" from a User-Agent; "" when neither is recognised."""
    text = _PRINTABLE.sub("", (user_agent or "")[:USER_AGENT_READ]).lower()
    system = next((name for key, name in _SYSTEMS if key.lower() in text), "")
    browser = next((name for key, name in _BROWSERS if key.lower() in text), "")
    return " · ".join(part for part in (system, browser) if part)[:LABEL_LENGTH]


def report_device(
    *, user: User, device_uuid: uuid_module.UUID, user_agent: str
) -> Device:
    """The person's device with this UUID, made on its first report.

    Twenty reports at once of a new device make one row. "Last used" moves
    at most once a minute, and never on a revoked device, which stays
    revoked (`revoked_at` tells the caller).
    """
    now = timezone.now()
    # Most reports change nothing: answer them without taking a write lock.
    device = Device.objects.filter(user=user, uuid=device_uuid).first()
    if device is not None and (
        device.revoked_at is not None or now - device.last_seen_at < SEEN_EVERY
    ):
        return device
    label = label_for(user_agent)
    with transaction.atomic():
        # get_or_create recovers from the IntegrityError of a report that
        # created the row between its read and its insert.
        device, created = Device.objects.get_or_create(
            user=user,
            uuid=device_uuid,
            defaults={"label": label, "created_at": now, "last_seen_at": now},
        )
        if (
            not created
            and device.revoked_at is None
            and now - device.last_seen_at >= SEEN_EVERY
        ):
            Device.objects.filter(pk=device.pk, revoked_at__isnull=True).update(
                last_seen_at=now, label=label or device.label
            )
            device.last_seen_at, device.label = now, label or device.label
    return device


def revoke_device(*, user: User, device_uuid: uuid_module.UUID) -> Device:
    """Revoke one of the person's own devices (again: nothing changes); its
    sync key ends with it.

    Raises Device.DoesNotExist for a UUID that is not one of hers, someone
    else's device included: the view answers 404.
    """
    with transaction.atomic():
        device = Device.objects.select_for_update().get(user=user, uuid=device_uuid)
        if device.revoked_at is None:
            device.revoked_at = timezone.now()
            device.token_hash = None
            device.save(update_fields=["revoked_at", "token_hash"])
    return device


def issue_token(*, user: User, device_uuid: uuid_module.UUID, user_agent: str) -> str:
    """A new sync key for the person's device with this UUID: the key itself,
    which is shown this once and stored only as its hash.

    The device is made if it is new, as a report would make it. Asking again
    replaces the old key (a browser that lost its key gets a new one). A
    revoked device gets none: raises DeviceRevoked.
    """
    raw = secrets.token_urlsafe(TOKEN_BYTES)
    now = timezone.now()
    with transaction.atomic():
        device, _created = Device.objects.select_for_update().get_or_create(
            user=user,
            uuid=device_uuid,
            defaults={
                "label": label_for(user_agent),
                "created_at": now,
                "last_seen_at": now,
            },
        )
        if device.revoked_at is not None:
            raise DeviceRevoked(device)
        device.token_hash = _token_hash(raw)
        device.token_issued_at = now
        device.token_used_at = None
        device.last_seen_at = now
        device.save(
            update_fields=[
                "token_hash",
                "token_issued_at",
                "token_used_at",
                "last_seen_at",
            ]
        )
    return raw


def device_for_token(raw: str) -> Device | None:
    """The device holding this sync key, with its person; None when the key
    is malformed, unknown, ended, or its device revoked, or when the person
    can no longer sign in or must first choose a new password.

    The key's last use (and the device's) moves at most once a minute.
    """
    if not isinstance(raw, str) or not _TOKEN_SHAPE.fullmatch(raw):
        return None
    digest = _token_hash(raw)
    device = (
        Device.objects.select_related("user")
        .filter(
            token_hash=digest,
            revoked_at__isnull=True,
            user__is_active=True,
            user__must_change_password=False,
        )
        .first()
    )
    if device is None:
        return None
    now = timezone.now()
    if device.token_used_at is None or now - device.token_used_at >= SEEN_EVERY:
        # One statement, and only while the key is still this one: a sign-out
        # in between is not undone.
        Device.objects.filter(pk=device.pk, token_hash=digest).update(
            token_used_at=now, last_seen_at=now
        )
        device.token_used_at = device.last_seen_at = now
    return device


def sign_out_device(*, user: User, device_uuid: uuid_module.UUID) -> bool:
    """End the sync key of the person's device with this UUID, at sign-out.

    The device itself stays in use (she may sign in on it again and get a new
    key). Whether a key was ended; a UUID not hers ends nothing.
    """
    with transaction.atomic():
        ended = Device.objects.filter(
            user=user, uuid=device_uuid, token_hash__isnull=False
        ).update(token_hash=None)
    return ended > 0


def devices_of(user: User) -> QuerySet[Device]:
    """The person's devices, those still in use first, the latest used first."""
    return Device.objects.filter(user=user).order_by(
        F("revoked_at").asc(nulls_first=True), "-last_seen_at", "-pk"
    )
