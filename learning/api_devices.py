"""The sync key in the JSON API: how the offline client sends a person's own
records without a session.

A signed-in browser asks for a key for itself (`POST /api/perangkat/token`,
session and CSRF) and keeps it with its outbox. The sync endpoints, and only
they, accept it as `Authorization: Bearer <key>` (`SYNC_AUTH`): creating,
changing and submitting one's own hour entries and practice cases, one's own
reflections, a wellbeing check-in, and reading one's own records, their
verdicts and one's own placements. The key is tried before the session, so
a stale CSRF cookie cannot block a sync. Every other endpoint takes the
session only, and answers a request that brings only a key 401.
"""

import uuid

from django.http import HttpRequest
from django.utils.translation import gettext as _

from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import HttpBearer

from .api_errors import ErrorOut, SessionAuth
from .devices import DeviceRevoked, device_for_token, issue_token

router = Router(tags=["perangkat"])


class DeviceTokenAuth(HttpBearer):
    """`Authorization: Bearer <kunci sinkron>`: the key's person.

    A key that is malformed, unknown or ended answers 401 at once rather than
    falling through to the session: the client learns to ask the person to
    sign in again instead of reading a CSRF refusal.
    """

    def authenticate(self, request: HttpRequest, token: str):
        device = device_for_token(token)
        if device is None:
            raise HttpError(
                401,
                _(
                    "Kunci sinkron perangkat ini tidak berlaku lagi. Masuk lagi "
                    "untuk mengirim catatan kamu."
                ),
            )
        request.device = device
        # The person for what runs after the view as well: the middleware that
        # keeps a signed-in person's answers out of every cache reads
        # `request.user`. No session is made.
        request.user = device.user
        return device.user


SYNC_AUTH = [DeviceTokenAuth(), SessionAuth(csrf=True)]


def by_device(request: HttpRequest) -> bool:
    """Whether this request came in with a sync key rather than a session: a
    sync endpoint that also shows others' records (a supervisor's) then
    answers with the person's own only."""
    return getattr(request, "device", None) is not None


class TokenIn(Schema):
    device: uuid.UUID = Field(
        ..., description="UUID yang dibuat peramban ini untuk dirinya sendiri."
    )


class TokenOut(Schema):
    token: str = Field(
        description="Kunci sinkron, hanya ditampilkan sekali. Kirim sebagai "
        "header `Authorization: Bearer <kunci>` ke endpoint sinkron."
    )


@router.post(
    "/token",
    # 401, 403 and 422 are documented for every operation (`learning.api_errors`).
    response={201: TokenOut, 409: ErrorOut},
    summary="Kunci sinkron untuk perangkat ini (masuk dan X-CSRFToken)",
)
def device_token(request: HttpRequest, payload: TokenIn):
    """A new sync key for this browser, replacing the one it had.

    401 without a session, 403 without the CSRF token, 409 for a device that
    was revoked ("cabut" on the account page): it gets no key and should drop
    what it stored and make itself a new UUID.
    """
    try:
        token = issue_token(
            user=request.auth,
            device_uuid=payload.device,
            user_agent=request.headers.get("User-Agent", ""),
        )
    except DeviceRevoked:
        message = _(
            "Perangkat ini sudah dicabut dari akun kamu dan tidak mendapat kunci "
            "sinkron."
        )
        return Status(409, {"detail": message, "errors": {"device": [message]}})
    return Status(201, {"token": token})
