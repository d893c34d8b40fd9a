"""Numbers and times from outside, bounded so that nothing a client or a
browser sends reaches the database in a form it cannot hold.

A Python int has no limit and a database integer has (SQLite and PostgreSQL
stop at 2⁶³−1), so an id, a page offset or a year written as
99999999999999999999 would crash the query (OverflowError, a 500).

- In the JSON API every integer an operation takes uses one of the types
  below instead of `int`, and every list endpoint paginates with `paginate`
  from here; a number out of range gets the API's usual 422, by field, in
  Indonesian (the messages for `less_than_equal` and the others are in
  `learning.api`).
- An id in a URL path is `<id:name>` (`IdConverter`), never `<int:name>`.
- A page that reads an id from the query string or a form uses `parse_id`,
  which gives None for anything that is not an id a row could have, and
  ticked rows' UUIDs go through `parse_uuids`.

Times are local clock times (WITA) in this API: a time with a zone offset
("08:00:00+08:00") is refused with a message saying so, rather than
converted (an offset would also move the date).
"""

import datetime
import uuid
from typing import Annotated, Any

from ninja import Schema
from ninja.conf import settings as ninja_settings
from ninja.pagination import LimitOffsetPagination
from ninja.pagination import paginate as ninja_paginate
from pydantic import AfterValidator, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

# The largest value of a 64-bit signed integer column (BigAutoField ids).
MAX_ID = 2**63 - 1
# Integers that are not ids (minutes, counts, a month, a position) fit a
# 32-bit column; the rules give their own, narrower limits.
MAX_NUMBER = 2**31 - 1
MAX_PAGE = 500

# A row's id: positive, and no larger than the column can hold.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# Any other whole number a client sends.
Number = Annotated[int, Field(ge=-MAX_NUMBER, le=MAX_NUMBER)]
# A calendar year (dates stop at 9999).
Year = Annotated[int, Field(ge=1, le=9999)]

# The error type `learning.api` turns into an Indonesian message.
TIME_WITH_ZONE = "time_with_zone"


def _local(value: datetime.time) -> datetime.time:
    if value.tzinfo is not None:
        raise PydanticCustomError(
            TIME_WITH_ZONE,
            "A local time without a zone offset: {time}",
            {"time": value.isoformat()},
        )
    return value


# A clock time in WITA, without a zone offset. Its schema is not JSON
# Schema's "time" format, which is RFC 3339's and requires an offset: a
# client validating answers by the schema refused every "09:00:00" the API
# sent (schemathesis found it, tests/test_api_fuzz.py).
LOCAL_TIME_SCHEMA = {
    "type": "string",
    "format": "partial-time",
    "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?$",
    "description": "Jam setempat (WITA) tanpa zona waktu, misalnya `08:00`.",
}
LocalTime = Annotated[
    datetime.time, AfterValidator(_local), WithJsonSchema(LOCAL_TIME_SCHEMA)
]


def parse_id(value: object) -> int | None:
    """The id written in `value` (a query or form value), or None when it is
    not one: empty, not digits, zero, or larger than a row's id can be."""
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ID)):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


class IdConverter:
    """`<id:name>` in a URL: a row's id. Digits no row can have (zero, or more
    than a 64-bit column holds) match nothing, so the answer is 404, never
    the database's OverflowError (a 500)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValueError(value)
        return number

    def to_url(self, value) -> str:
        return str(int(value))


def parse_uuids(values: list[str]) -> list[uuid.UUID]:
    """The UUIDs among form values (ticked rows); anything else is left out."""
    found = []
    for value in values:
        try:
            found.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    return found


class Pagination(LimitOffsetPagination):
    """Limit and offset, both bounded; a page holds at most MAX_PAGE items."""

    class PageInput(Schema):
        limit: int = Field(
            ninja_settings.PAGINATION_PER_PAGE,
            ge=1,
            le=MAX_PAGE,
            description=f"Berapa butir per halaman (1–{MAX_PAGE}).",
        )
        offset: int = Field(
            0, ge=0, le=MAX_NUMBER, description="Lewati sekian butir pertama."
        )

    Input = PageInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_PAGE, **kwargs)


# `@paginate` for every list endpoint of the API.
paginate = ninja_paginate(Pagination)
