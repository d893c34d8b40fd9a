"""The API's side of the flow hour entries and practice cases share
(`mentorship.workflow`): create by the client's UUID, change, submit,
withdraw, decide.

Each kind gives a `Records` (how its rows are reached and shown); the
endpoints in `hours.py` and `cases.py` only turn a payload into the rule's
input and call the rule. Statuses: 201/200 with the record as it is now; 422
with `errors` by field for bad input; 409 for a UUID someone else used or a
record no longer open to the change; 404 for what is outside one's view.
"""

import datetime
import inspect
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from ninja import Router, Schema, Status
from ninja.errors import HttpError

from learning.api_devices import SYNC_AUTH
from learning.api_errors import SessionAuth
from learning.models import User

from ..models import Placement
from ..models.workflow import FlowEvent, FlowRecord
from ..selectors import placements_visible_to
from .common import (
    ErrorOut,
    Refused,
    UuidsIn,
    change_refusal,
    create_refusal,
    refused,
)


class HistoryEventOut(Schema):
    """One step in a record's history."""

    action: str
    action_label: str
    by: str
    comment: str
    at: datetime.datetime

    @staticmethod
    def resolve_action_label(event: FlowEvent) -> str:
        return str(event.get_action_display())

    @staticmethod
    def resolve_by(event: FlowEvent) -> str:
        return event.actor_label


class FlowRecordOut(Schema):
    """What every record of the flow answers: its UUID, status and history."""

    uuid: uuid.UUID
    placement_id: int
    status: str
    status_label: str
    editable: bool
    history: list[HistoryEventOut]

    @staticmethod
    def resolve_status_label(record: FlowRecord) -> str:
        return str(record.get_status_display())

    @staticmethod
    def resolve_editable(record: FlowRecord) -> bool:
        return record.is_editable

    @staticmethod
    def resolve_history(record: FlowRecord) -> list[FlowEvent]:
        return list(record.history.all())


def placement_for(request: HttpRequest, placement_id: int) -> Placement:
    """The placement a record is written for, if the person can reach it."""
    placement = (
        placements_visible_to(request.auth)
        .filter(pk=placement_id)
        .select_related("trainee")
        .first()
    )
    if placement is None:
        message = _("Penempatan magang ini tidak ditemukan.")
        raise Refused(422, {"detail": message, "errors": {"placement": [message]}})
    return placement


@dataclass(frozen=True)
class Records:
    """How the API reaches and shows one kind of record."""

    model: type[Model]
    visible_to: Callable[[User], QuerySet]
    with_details: Callable[[QuerySet], QuerySet]
    order: tuple[str, ...]
    not_found: Callable[[], str]

    def own(self, request: HttpRequest) -> QuerySet:
        return self.visible_to(request.auth).filter(trainee=request.auth)

    def one(self, pk: int) -> Model:
        return self.with_details(self.model.objects.filter(pk=pk)).get()

    def named(self, records: QuerySet, uuids) -> list[Model]:
        """The records named, all of them, or 404 when one is out of reach."""
        wanted = set(uuids)
        if not wanted:
            message = _("Pilih sedikitnya satu catatan.")
            raise Refused(422, {"detail": message, "errors": {"uuids": [message]}})
        found = list(records.filter(uuid__in=wanted).order_by(*self.order))
        if len(found) != len(wanted):
            raise HttpError(404, _("Sebagian catatan yang dipilih tidak ditemukan."))
        return found

    def fresh(self, records: QuerySet, found: list[Model]) -> list[Model]:
        """The records as they are now, after a change."""
        chosen = records.filter(pk__in=[record.pk for record in found])
        return list(self.with_details(chosen).order_by(*self.order))

    def create(self, write: Callable[[], tuple[Model, bool]]) -> Status:
        """201 with the record `write()` made (or had made before, for a repeat)."""
        try:
            record, _created = write()
        except Refused as refusal:
            return Status(refusal.status, refusal.body)
        except ValidationError as error:
            return create_refusal(error)
        return Status(201, self.one(record.pk))

    def change(
        self, request: HttpRequest, uuid, write: Callable[[Model], Model]
    ) -> Status:
        """200 with the person's own record after `write(record)` changed it."""
        record = self.own(request).filter(uuid=uuid).first()
        if record is None:
            raise HttpError(404, self.not_found())
        try:
            record = write(record)
        except Refused as refusal:
            return Status(refusal.status, refusal.body)
        except ValidationError as error:
            return change_refusal(error)
        return Status(200, self.one(record.pk))

    def submit(
        self, request: HttpRequest, uuids, submit: Callable[[list[Model]], object]
    ) -> Status:
        """200 with the named records of the person's own after `submit`."""
        own = self.own(request)
        try:
            chosen = self.named(own, uuids)
            submit(chosen)
        except Refused as refusal:
            return Status(refusal.status, refusal.body)
        except ValidationError as error:
            return Status(422, refused(error))
        return Status(200, self.fresh(own, chosen))


@dataclass(frozen=True)
class Summaries:
    """The OpenAPI summaries of one kind's write routes, in Indonesian."""

    create: str
    change: str
    submit: str
    withdraw: str = ""


def add_write_routes(
    router: Router,
    records: Records,
    *,
    path: str,
    out: type[Schema],
    create_in: type[Schema],
    change_in: type[Schema],
    create: Callable[[HttpRequest, Schema], tuple[Model, bool]],
    change: Callable[[HttpRequest, Model, Schema], Model],
    submit: Callable[[HttpRequest, list[Model]], object],
    summaries: Summaries,
    name: str,
    uuid_name: str,
    withdraw: Callable[[HttpRequest, Model], Model] | None = None,
) -> None:
    """The trainee's create, change, submit and withdraw routes of one kind:

    POST `path` (safe to repeat with the same UUID), PUT `path/{uuid}`,
    POST `path/submit`, POST `path/{uuid}/withdraw` (back to a draft while
    the supervisor has not acted; 409 once they have). Each calls the kind's
    rule. All are sync endpoints: they take the device's sync key too.
    """

    @router.post(
        path,
        response={201: out, 409: ErrorOut, 422: ErrorOut},
        auth=SYNC_AUTH,
        summary=summaries.create,
        operation_id=f"create_{name}",
    )
    def create_route(request: HttpRequest, payload: create_in):
        return records.create(lambda: create(request, payload))

    def change_route(request: HttpRequest, payload, **path_values):
        return records.change(
            request,
            path_values[uuid_name],
            lambda record: change(request, record, payload),
        )

    # The path names its UUID as the kind does (`entry_uuid`, `case_uuid`).
    request_parameter = inspect.Parameter(
        "request", inspect.Parameter.POSITIONAL_OR_KEYWORD
    )
    uuid_parameter = inspect.Parameter(
        uuid_name, inspect.Parameter.KEYWORD_ONLY, annotation=uuid.UUID
    )
    change_route.__signature__ = inspect.Signature(
        [
            request_parameter,
            uuid_parameter,
            inspect.Parameter(
                "payload", inspect.Parameter.KEYWORD_ONLY, annotation=change_in
            ),
        ]
    )
    router.put(
        f"{path}/{{uuid:{uuid_name}}}",
        response={200: out, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
        auth=SYNC_AUTH,
        summary=summaries.change,
        operation_id=f"change_{name}",
    )(change_route)

    @router.post(
        f"{path}/submit",
        response={200: list[out], 404: ErrorOut, 422: ErrorOut},
        auth=SYNC_AUTH,
        summary=summaries.submit,
        operation_id=f"submit_{name}",
    )
    def submit_route(request: HttpRequest, payload: UuidsIn):
        return records.submit(
            request, payload.uuids, lambda chosen: submit(request, chosen)
        )

    if withdraw is None:
        return

    def withdraw_route(request: HttpRequest, **path_values):
        return records.change(
            request,
            path_values[uuid_name],
            lambda record: withdraw(request, record),
        )

    withdraw_route.__signature__ = inspect.Signature(
        [request_parameter, uuid_parameter]
    )
    router.post(
        f"{path}/{{uuid:{uuid_name}}}/withdraw",
        response={200: out, 404: ErrorOut, 409: ErrorOut},
        # Not a sync of something written offline: the signed-in session only.
        auth=SessionAuth(csrf=True),
        summary=summaries.withdraw,
        operation_id=f"withdraw_{name}",
    )(withdraw_route)
