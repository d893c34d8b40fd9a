"""Editions of the sample curriculum: what a site holds, and what a newer one does.

The sample modules, their quizzes and the practice bank come in editions
(`edition = { number = 2, changes = [...] }` in a module's file; a quiz and a
bank share their module's edition). Loading a newer edition decides, piece by
piece:

- a piece the site has not edited since it was loaded is replaced in place
  (a module keeps its pages, so learners' progress stays where lessons still
  exist);
- an edited one is left as the organisation made it, and a notice lists what
  the new edition corrected, on the admin home of those who can change it;
- a piece already at that edition is left alone.

"Edited" means changed after `SampleContent.recorded_at`: a page revision, a
logged edit in the admin, or a question saved again. A piece loaded before
editions were recorded counts as edition 1, loaded when its first revision or
question was made.
"""

import datetime
from collections.abc import Callable, Iterable
from enum import StrEnum

from django.contrib.contenttypes.models import ContentType
from django.db.models import Min
from django.utils import timezone

from wagtail.models import ModelLogEntry, Page, Revision

from .models import ModulePage, SampleContent, SampleKind

FIRST_EDITION = 1
# A piece loaded before editions were recorded: what was made within this long
# of its first revision came from the same load.
LOAD_WINDOW = datetime.timedelta(minutes=10)


class Outcome(StrEnum):
    NEW = "baru"
    REPLACED = "diganti"
    NOTICED = "diberi catatan"
    CURRENT = "sudah terbaru"


def file_edition(data: dict) -> tuple[int, list[str]]:
    """A module file's edition number and the corrections it lists."""
    edition = data.get("edition") or {}
    return int(edition.get("number", FIRST_EDITION)), list(edition.get("changes", []))


def _record(kind, key, title, edition, recorded_at, newer=None, changes=()):
    SampleContent.objects.update_or_create(
        kind=kind,
        key=key,
        defaults={
            "title": title,
            "edition": edition,
            "recorded_at": recorded_at,
            "newer_edition": newer,
            "newer_changes": list(changes),
            "noticed_at": timezone.now() if newer else None,
        },
    )


def record_loaded(kind: SampleKind, key: str, title: str, edition: int) -> None:
    """This copy is now the given edition, loaded now; any notice is settled."""
    _record(kind, key, title, edition, timezone.now())


def update(
    *,
    kind: SampleKind,
    key: str,
    title: str,
    edition: int,
    changes: list[str],
    loaded_at: Callable[[], datetime.datetime | None],
    edited_since: Callable[[datetime.datetime], bool],
    replace: Callable[[], None],
) -> Outcome:
    """Bring one existing piece up to `edition`, or note why it was not.

    `loaded_at` says when a piece without a record was first loaded;
    `edited_since` whether it changed after a moment; `replace` writes the new
    edition over it.
    """
    record = SampleContent.objects.filter(kind=kind, key=key).first()
    held = record.edition if record else FIRST_EDITION
    if held >= edition:
        return Outcome.CURRENT
    since = record.recorded_at if record else _legacy_load_time(loaded_at())
    if since is not None and not edited_since(since):
        replace()
        record_loaded(kind, key, title, edition)
        return Outcome.REPLACED
    _record(kind, key, title, held, since or timezone.now(), edition, changes)
    return Outcome.NOTICED


def _legacy_load_time(first: datetime.datetime | None) -> datetime.datetime | None:
    return first + LOAD_WINDOW if first is not None else None


# --- modules ---------------------------------------------------------------------


def first_revision_at(page: Page) -> datetime.datetime | None:
    """When a page's first revision was made: when the loader published it."""
    return Revision.page_revisions.filter(object_id=str(page.pk)).aggregate(
        first=Min("created_at")
    )["first"]


def pages_edited_since(pages, since: datetime.datetime) -> bool:
    """Any of these pages saved, added or left as a draft since then."""
    ids = [str(pk) for pk in pages.values_list("pk", flat=True)]
    return (
        pages.filter(has_unpublished_changes=True).exists()
        or Revision.page_revisions.filter(
            object_id__in=ids, created_at__gt=since
        ).exists()
    )


def module_edited_since(module: ModulePage, since: datetime.datetime) -> bool:
    """The module or one of its lessons changed since then.

    A module no longer marked as sample content counts as edited: someone made
    it their own.
    """
    return not module.is_sample or pages_edited_since(
        Page.objects.descendant_of(module, inclusive=True), since
    )


# --- quizzes and questions ---------------------------------------------------------


def logged_edits_since(model, pks: Iterable, since: datetime.datetime) -> bool:
    """Whether the admin logged a change to any of these objects since then."""
    return (
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=[str(pk) for pk in pks],
            timestamp__gt=since,
        )
        .exclude(action="wagtail.create")
        .exists()
    )
