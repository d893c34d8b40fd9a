"""Twenty at once: an act decided once writes one line, however many send it.

The line is written in the act's own transaction, after its check on the
locked rows, so the nineteen that find the work done write nothing.
"""

import pytest

from learning.choices import AuditAction
from learning.models import AuditEvent
from mentorship.cases import review_case
from mentorship.choices import CaseStatus, EntryStatus
from mentorship.verification import verify_entries
from tests.concurrency import all_at_once
from tests.factories import HourEntryFactory, PlacementFactory, PracticeCaseFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]

COPIES = 20


def test_twenty_verifications_of_the_same_entries_write_one_line():
    placement = PlacementFactory()
    entries = HourEntryFactory.create_batch(
        2, placement=placement, status=EntryStatus.SUBMITTED
    )
    all_at_once(
        [
            lambda: verify_entries(entries=entries, supervisor=placement.supervisor)
            for _ in range(COPIES)
        ]
    )
    lines = AuditEvent.objects.filter(action=AuditAction.HOURS_VERIFIED)
    assert lines.count() == 1
    assert lines.get().detail["count"] == 2


def test_twenty_reviews_of_one_case_write_one_line():
    placement = PlacementFactory()
    case = PracticeCaseFactory(placement=placement, status=CaseStatus.SUBMITTED)
    results = all_at_once(
        [
            lambda: review_case(
                case=case, supervisor=placement.supervisor, feedback="Bagus."
            )
            for _ in range(COPIES)
        ]
    )
    refused = [r for r in results if isinstance(r, tuple) and r[0] == "raised"]
    assert len(refused) == COPIES - 1, results
    assert AuditEvent.objects.filter(action=AuditAction.CASE_CHANGED).count() == 1
