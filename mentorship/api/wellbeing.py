"""Wellbeing check-ins in the JSON API.

Health data under UU PDP: a person reads and deletes only their own. Creating
is idempotent by the client's UUID (the same body answers a repeat); a UUID
someone else used is 409; a note that names someone is 422. Facilitators
learn of a risk through `mentorship.wellbeing`, never through this API.
"""

import datetime
import uuid as uuid_module

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from learning.api_devices import SYNC_AUTH
from learning.bounds import paginate

from ..choices import (
    Feeling,
)
from ..models import (
    WellbeingCheckIn,
)
from ..wellbeing import (
    delete_checkin,
    may_check_in,
    own_checkins,
    record_checkin,
)
from .common import (
    ErrorOut,
    codes,
    create_refusal,
)

router = Router(tags=["kesejahteraan"])


class CheckInOut(Schema):
    uuid: uuid_module.UUID
    feeling: str = Field(description=f"Salah satu dari: {codes(Feeling)}")
    feeling_label: str
    threatened: bool
    wants_contact: bool
    note: str
    created_at: datetime.datetime
    signals_risk: bool
    facilitator_told: bool = Field(
        description="Fasilitator sudah diberi tahu (hanya bila menandai risiko)."
    )
    contacted_at: datetime.datetime | None

    @staticmethod
    def resolve_feeling_label(checkin: WellbeingCheckIn) -> str:
        return str(checkin.get_feeling_display())

    @staticmethod
    def resolve_facilitator_told(checkin: WellbeingCheckIn) -> bool:
        return bool(checkin.alerted.all())


class CheckInIn(Schema):
    uuid: uuid_module.UUID
    feeling: str = Field(description=f"Salah satu dari: {codes(Feeling)}")
    threatened: bool = False
    wants_contact: bool = False
    note: str = ""


def _own_checkins(request: HttpRequest) -> QuerySet[WellbeingCheckIn]:
    if not may_check_in(request.auth):
        raise HttpError(403, _("Cek kesejahteraan hanya untuk pendamping."))
    return own_checkins(request.auth).prefetch_related("alerted")


@router.get(
    "/wellbeing/mine",
    response={200: list[CheckInOut], 403: ErrorOut},
    summary="Cek kesejahteraan saya (hanya milik sendiri)",
)
@paginate
def my_checkins(request: HttpRequest):
    return _own_checkins(request)


@router.post(
    "/wellbeing",
    response={201: CheckInOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=SYNC_AUTH,
    summary="Isi cek kesejahteraan (aman dikirim ulang dengan UUID yang sama)",
)
def create_checkin(request: HttpRequest, payload: CheckInIn):
    """Sending the same UUID again creates nothing and answers as the first time."""
    try:
        checkin, _created = record_checkin(
            person=request.auth,
            uuid=payload.uuid,
            feeling=payload.feeling,
            threatened=payload.threatened,
            wants_contact=payload.wants_contact,
            note=payload.note,
        )
    except PermissionDenied as refused:
        message = str(refused) or _("Cek kesejahteraan hanya untuk pendamping.")
        return Status(403, {"detail": message, "errors": {}})
    except ValidationError as error:
        return create_refusal(error)
    return Status(201, _own_checkins(request).get(pk=checkin.pk))


@router.delete(
    "/wellbeing/{uuid:checkin_uuid}",
    response={204: None, 403: ErrorOut, 404: ErrorOut},
    summary="Hapus cek kesejahteraan saya untuk selamanya",
)
def remove_checkin(request: HttpRequest, checkin_uuid: uuid_module.UUID):
    checkin = _own_checkins(request).filter(uuid=checkin_uuid).first()
    if checkin is None:
        raise HttpError(404, _("Cek kesejahteraan ini tidak ditemukan."))
    delete_checkin(checkin=checkin, person=request.auth)
    return Status(204, None)
