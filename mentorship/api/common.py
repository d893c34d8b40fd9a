"""What every mentorship API module answers the same way: its error body and
how a refused create or change maps to a status.

A refused record answers 422 with `detail` (the first message) and `errors`
(every message, keyed by field); a state that forbids the change (a locked
record, a UUID someone else used) answers 409.
"""

import uuid

from django.core.exceptions import ValidationError

from ninja import Field, Schema, Status

# The API's one refusal body, documented for every operation in `learning`.
from learning.api_errors import ErrorOut as ErrorOut

MAX_UUIDS = 200


def codes(choices) -> str:
    """A choice's codes as the schema describes them: `a`, `b`, `c`."""
    return ", ".join(f"`{code}`" for code in choices.values)


class UuidsIn(Schema):
    uuids: list[uuid.UUID] = Field(..., max_length=MAX_UUIDS)


class Refused(Exception):
    """Carries a status and body out of a helper to the endpoint."""

    def __init__(self, status: int, body: dict):
        self.status = status
        self.body = body


def refused(error: ValidationError) -> dict:
    """An error body: the first message as `detail`, every message by field."""
    if hasattr(error, "error_dict"):
        errors = error.message_dict
        detail = next(iter(errors.values()))[0]
    else:
        errors = {}
        detail = error.messages[0]
    return {"detail": detail, "errors": errors}


def create_refusal(error: ValidationError) -> Status:
    """A refused create: a UUID already on someone else's record is a conflict
    (409); anything else is bad input (422)."""
    body = refused(error)
    return Status(409 if "uuid" in body["errors"] else 422, body)


def change_refusal(error: ValidationError) -> Status:
    """A refused change: field errors are bad input (422); an error about the
    record itself means it is locked or no longer waiting (409)."""
    body = refused(error)
    return Status(422 if body["errors"] else 409, body)
