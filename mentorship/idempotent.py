"""One person's records written one at a time, and each created exactly once.

Hour entries, practice cases, reflections and wellbeing check-ins are created
by a UUID the client made (the page's form, the offline phone), so a double
tap, a retry on a bad connection or twenty copies sent at once make one
record and all get the answer the first one got. The flow is written here
once; each kind says what differs (how it checks and creates, what "mine"
means, the message for a UUID someone else used).

`writes_of(person)` is the transaction that serialises one person's writers,
so a rule that looks at their other records (no overlapping hours, the daily
cap, one reflection per session) is checked against what is really there
and cannot be beaten by sending at once:

- on PostgreSQL it locks the person's row (`FOR NO KEY UPDATE`, which leaves
  rows that merely point at the person free to be written by others);
- on SQLite every transaction begins IMMEDIATE (`transaction_mode` in the
  settings), which takes the database's one write lock at BEGIN, so writers
  already queue up there; the lock query is then a plain read.
"""

import uuid as uuid_module
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from learning.models import User

Record = TypeVar("Record", bound=models.Model)


@contextmanager
def writes_of(person: User) -> Iterator[None]:
    """One transaction in which nobody else writes `person`'s records."""
    with transaction.atomic():
        # select_for_update is ignored where the backend has no row locks
        # (SQLite), whose IMMEDIATE transactions already serialise writers.
        User.objects.select_for_update(no_key=True).filter(pk=person.pk).exists()
        yield


def create_once(
    *,
    model: type[Record],
    uuid: uuid_module.UUID | str,
    owner: User,
    belongs: Callable[[Record], bool],
    create: Callable[[], Record],
    taken: str,
) -> tuple[Record, bool]:
    """The record with this client-made UUID: (record, created).

    Inside one transaction that serialises the owner's writes:

    - no record has the UUID: `create()` checks the rules and writes; a
      ValidationError it raises refuses the create and nothing is kept;
    - the owner's record has it (`belongs`): it is returned as it is now and
      nothing changes, so a repeat answers like the first request;
    - someone else's record has it: ValidationError keyed `uuid` with
      `taken` (the API's 409).
    """
    try:
        with writes_of(owner):
            existing = model.objects.filter(uuid=uuid).first()
            if existing is None:
                return create(), True
    except IntegrityError:
        # Not one of the owner's copies (those wait for the lock): another
        # person's request used the same UUID at the same moment.
        existing = model.objects.filter(uuid=uuid).first()
        if existing is None:
            raise
    if not belongs(existing):
        raise ValidationError({"uuid": [taken]})
    return existing, False
