"""The flow a trainee's hour entries and practice cases share, written once.

    draft ──submit──▶ submitted ──verify / review──▶ done (locked)
      ▲  ◀──withdraw──   │
      └──change──  returned ◀──return──┘   (a returned record is corrected,
                                           then submitted again: "resubmitted")

Each kind declares what differs in a `Flow` (its model and history model, the
name of its "done" state and action, its words); `hours.py` and `cases.py`
say how a record is checked and what it holds, `verification.py` and
`cases.py` who may decide and whom to tell. Everything else is here:

- created once by the client's UUID (`idempotent.create_once`), checked and
  written inside the transaction that serialises the trainee's writers;
- changed only while a draft or returned, by its own trainee, with a
  conditional update, so a record submitted or decided meanwhile is not
  overwritten;
- submitted any number of times (twice is once); a returned one is
  "resubmitted";
- decided by a conditional update from "submitted", so of two supervisors
  acting at once one wins and the other's choice is skipped;
- withdrawn ("ditarik kembali") by its own trainee while still waiting:
  back to a draft by the same kind of conditional update, so of a withdraw
  and a supervisor's decision at once exactly one wins;
- every step written to the record's history; a return keeps the record as
  it was (`Flow.version`), so when it comes back the supervisor sees what
  changed since (`changes_since_returned`).
"""

import datetime
import uuid as uuid_module
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from learning.models import User

from .idempotent import create_once, writes_of

DRAFT = "draf"
SUBMITTED = "diajukan"
RETURNED = "dikembalikan"
EDITABLE = (DRAFT, RETURNED)

CREATED = "dibuat"
EDITED = "diubah"
SUBMITTED_ACTION = "diajukan"
RESUBMITTED = "diajukan_ulang"
RETURNED_ACTION = "dikembalikan"
WITHDRAWN_ACTION = "ditarik"


@dataclass(frozen=True)
class Words:
    """What a person is told when the flow refuses (already in gettext)."""

    locked: Callable[[], str]
    changed_meanwhile: Callable[[], str]
    uuid_taken: Callable[[], str]
    not_yours: Callable[[], str] = lambda: _("Catatan ini bukan milikmu.")
    not_waiting: Callable[[], str] = lambda: _(
        "Catatan ini tidak sedang menunggu pembimbing, jadi tidak dapat ditarik "
        "kembali. Muat ulang untuk melihat keadaannya sekarang."
    )


@dataclass(frozen=True)
class Flow:
    """One kind of record that follows the flow.

    The status and action values of the shared steps are the same for every
    kind (`DRAFT`, `SUBMITTED`, …); `done` and `done_action` name the kind's
    own end ("terverifikasi", "ditinjau").
    """

    model: type[models.Model]
    event_model: type[models.Model]
    event_field: str
    done: str
    done_action: str
    words: Words
    # What else a withdraw undoes, inside its transaction (hour entries leave
    # the countersign links made for them).
    withdrawn: Callable[[models.Model], None] | None = None
    # What the trainee wrote, field by field: {name: (label, value, text)},
    # `value` language-free for comparing, `text` as the supervisor reads it.
    # Kept on each return, compared when the record comes back.
    version: Callable[[models.Model], dict[str, tuple[str, str, str]]] | None = None

    def history(
        self,
        record: models.Model,
        action: str,
        *,
        actor: User | None = None,
        comment: str = "",
        at: datetime.datetime | None = None,
        **extra: Any,
    ) -> None:
        self.event_model.objects.create(
            **{self.event_field: record},
            action=action,
            actor=actor,
            comment=comment,
            **({"at": at} if at else {}),
            **extra,
        )

    def with_resubmitted(self, records: QuerySet) -> QuerySet:
        """Annotate `resubmitted`: waiting again after being returned."""
        returned_before = self.event_model.objects.filter(
            **{self.event_field: OuterRef("pk")}, action=RESUBMITTED
        )
        return records.annotate(resubmitted=Exists(returned_before))

    def with_returned_version(self, records: QuerySet) -> QuerySet:
        """Annotate `resubmitted` and `returned_version`: the record as it was
        when last returned (None if never, or returned before versions were
        kept). One query for the whole list."""
        last_return = (
            self.event_model.objects.filter(
                **{self.event_field: OuterRef("pk")}, action=RETURNED_ACTION
            )
            .order_by("-at", "-pk")
            .values("version")[:1]
        )
        return self.with_resubmitted(records).annotate(
            returned_version=Subquery(last_return, output_field=models.JSONField())
        )

    def kept_version(self, record: models.Model) -> dict[str, list[str]]:
        """What is stored on a return: {name: [value, text]}."""
        if self.version is None:
            return {}
        return {
            name: [value, text]
            for name, (_label, value, text) in self.version(record).items()
        }


@dataclass(frozen=True)
class Change:
    """One field the trainee changed after the record was returned."""

    label: str
    old: str
    new: str

    SHORT = 60

    @property
    def short(self) -> tuple[str, str]:
        """(old, new) for a list: a long text cut to the words that differ,
        so a sentence added at the end shows as that sentence."""
        old, new = self.old, self.new
        if max(len(old), len(new)) <= self.SHORT:
            return old, new
        shorter = min(len(old), len(new))
        start = 0
        while start < shorter and old[start] == new[start]:
            start += 1
        end = 0
        while end < shorter - start and old[-1 - end] == new[-1 - end]:
            end += 1
        # Only a long shared part is left out, and only whole words of it.
        start = old.rfind(" ", 0, start) + 1 if start >= 10 else 0
        end = end if end >= 10 else 0

        def cut(text: str) -> str:
            stop = len(text)
            if end:
                found = text.find(" ", len(text) - end)
                stop = found if found != -1 else len(text)
            part = text[start:stop].strip() or "–"
            tail = "…" if stop < len(text) else ""
            if len(part) > self.SHORT:
                part, tail = part[: self.SHORT].rstrip(), "…"
            return ("…" if start else "") + part + tail

        return cut(old), cut(new)


def changes_since_returned(
    flow: Flow, record: models.Model, returned_version: dict | None
) -> list[Change] | None:
    """What differs between the record now and `returned_version`; None when
    no version was kept (returned before this was recorded)."""
    if returned_version is None or flow.version is None:
        return None
    changes = []
    for name, (label, value, text) in flow.version(record).items():
        old_value, old_text = returned_version.get(name) or ["", ""]
        if old_value != value:
            changes.append(Change(label=str(label), old=old_text, new=text))
    return changes


def create(
    flow: Flow,
    *,
    trainee: User,
    uuid: uuid_module.UUID | str,
    values: Callable[[], dict],
    submit: bool = False,
    actor: User | None = None,
    created_action: str = CREATED,
) -> tuple[models.Model, bool]:
    """The record with this client-made UUID, once: (record, created).

    `values()` checks the rules (raising ValidationError) and returns the
    fields; it runs inside the transaction that serialises the trainee's
    writes, so a rule that looks at their other records cannot be beaten by
    sending at once. A repeat of the UUID, even twenty at once, returns the
    record as it is now and changes nothing; someone else's UUID is refused.
    """

    def make() -> models.Model:
        record = flow.model.objects.create(
            uuid=uuid,
            trainee=trainee,
            status=SUBMITTED if submit else DRAFT,
            **values(),
        )
        flow.history(record, created_action, actor=actor or trainee)
        if submit:
            flow.history(record, SUBMITTED_ACTION, actor=actor or trainee)
        return record

    return create_once(
        model=flow.model,
        uuid=uuid,
        owner=trainee,
        belongs=lambda record: record.trainee_id == trainee.pk,
        create=make,
        taken=flow.words.uuid_taken(),
    )


def change(
    flow: Flow, *, record: models.Model, trainee: User, values: Callable[[], dict]
) -> models.Model:
    """Change a draft or returned record of `trainee`'s; the others are locked.

    `values()` checks and returns the new fields, inside the trainee's
    serialised transaction.
    """
    if record.trainee_id != trainee.pk:
        raise ValidationError(flow.words.not_yours())
    if record.status not in EDITABLE:
        raise ValidationError(flow.words.locked())
    with writes_of(trainee):
        fields = values()
        if not flow.model.objects.filter(pk=record.pk, status__in=EDITABLE).update(
            updated_at=timezone.now(), **fields
        ):
            raise ValidationError(flow.words.changed_meanwhile())
        flow.history(record, EDITED, actor=trainee)
    record.refresh_from_db()
    return record


def submit(
    flow: Flow, *, trainee: User, records: Iterable[models.Model]
) -> list[models.Model]:
    """Send drafts and corrected returned records to the supervisor.

    Records already waiting or done are left as they are (submitting twice is
    once); another person's records are refused.
    """
    records = list(records)
    if any(record.trainee_id != trainee.pk for record in records):
        raise ValidationError(flow.words.not_yours())
    submitted = []
    with writes_of(trainee):
        for record in records:
            was = flow.model.objects.filter(pk=record.pk).values_list(
                "status", flat=True
            )
            was = was.first()
            if not flow.model.objects.filter(pk=record.pk, status__in=EDITABLE).update(
                status=SUBMITTED, updated_at=timezone.now()
            ):
                continue
            flow.history(
                record,
                RESUBMITTED if was == RETURNED else SUBMITTED_ACTION,
                actor=trainee,
            )
            record.status = SUBMITTED
            submitted.append(record)
    return submitted


def can_withdraw(user: User, record: models.Model) -> bool:
    """Only the record's own trainee, and only while it waits for the supervisor."""
    return (
        user.is_authenticated
        and record.trainee_id == user.pk
        and record.status == SUBMITTED
    )


def withdraw(flow: Flow, *, record: models.Model, trainee: User) -> models.Model:
    """Take a submitted record back to a draft, until the supervisor has acted.

    A conditional update from "submitted", like `decide`: when the supervisor
    verifies, reviews or returns it at the same moment, exactly one of the two
    wins; the loser changes nothing and is told so. Another person's record is
    refused.
    """
    if record.trainee_id != trainee.pk:
        raise ValidationError(flow.words.not_yours())
    with writes_of(trainee):
        if not flow.model.objects.filter(
            pk=record.pk, trainee=trainee, status=SUBMITTED
        ).update(status=DRAFT, updated_at=timezone.now()):
            raise ValidationError(flow.words.not_waiting())
        flow.history(record, WITHDRAWN_ACTION, actor=trainee)
        if flow.withdrawn is not None:
            flow.withdrawn(record)
    record.refresh_from_db()
    return record


def decide(
    flow: Flow,
    *,
    records: Iterable[models.Model],
    done: bool,
    values: dict,
    comment: str,
    actor: User | None = None,
    done_action: str | None = None,
    **history: Any,
) -> list[models.Model]:
    """Move the records still waiting to done (or back to the trainee).

    Call inside the deciding rule's transaction, after it has checked who
    decides. A conditional update: a record no longer waiting (decided by
    someone else a moment ago, or changed back) is skipped, not overwritten.
    `done_action` names a kind's own way of being done in the history (an
    hour entry verified from its signed paper log).
    """
    now = timezone.now()
    status = flow.done if done else RETURNED
    action = (done_action or flow.done_action) if done else RETURNED_ACTION
    decided = []
    for record in records:
        if flow.model.objects.filter(pk=record.pk, status=SUBMITTED).update(
            status=status, updated_at=now, **values
        ):
            if not done:
                # The record was locked by the caller and, waiting, not changed.
                history = {**history, "version": flow.kept_version(record)}
            flow.history(
                record, action, actor=actor, comment=comment, at=now, **history
            )
            record.status = status
            for name, value in values.items():
                setattr(record, name, value)
            decided.append(record)
    return decided
