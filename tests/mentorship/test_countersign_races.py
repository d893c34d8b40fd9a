"""Twenty countersign POSTs at once: every entry is decided once, the trainee
told once per kind of decision, whatever the order the copies arrive in.

Runs on SQLite in `make test` and on PostgreSQL in CI (DATABASE_URL), each
request in its own thread and database connection, released together.
"""

import datetime
from collections import Counter

from django.test import Client
from django.utils import timezone

import pytest

from learning.models import Notification
from mentorship.choices import EntryAction, EntryStatus
from mentorship.models import HourEntryEvent
from mentorship.verification import create_countersign_link
from tests.concurrency import all_at_once
from tests.factories import HourEntryFactory, outside_placement

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]

COPIES = 20
DECIDED = (EntryAction.VERIFIED, EntryAction.RETURNED)


@pytest.fixture
def link():
    placement = outside_placement()
    entries = [
        HourEntryFactory(
            placement=placement,
            status=EntryStatus.SUBMITTED,
            date=timezone.localdate() - datetime.timedelta(days=days),
        )
        for days in (2, 4, 6)
    ]
    _link, token = create_countersign_link(
        trainee=placement.trainee, placement=placement, entries=entries
    )
    return token, entries


def body(choices: dict) -> dict:
    data = {"nama": "Maria Bria", "jabatan": "Bidan koordinator"}
    for entry, (choice, reason) in choices.items():
        data[f"keputusan-{entry.uuid}"] = choice
        data[f"alasan-{entry.uuid}"] = reason
    return data


def post_all(token: str, bodies: list[dict]) -> list[int]:
    url = f"/magang/tanda-tangan/{token}/"
    return all_at_once(
        [lambda data=data: Client().post(url, data).status_code for data in bodies]
    )


def decisions(entry) -> list[str]:
    return list(
        HourEntryEvent.objects.filter(entry=entry, action__in=DECIDED).values_list(
            "action", flat=True
        )
    )


def test_the_same_decisions_sent_twenty_times_decide_each_entry_once(link):
    token, (first, second, third) = link
    data = body(
        {
            first: ("verifikasi", ""),
            second: ("kembalikan", "Jam selesai 11.30."),
            third: ("nanti", ""),
        }
    )
    answers = post_all(token, [data] * COPIES)
    assert set(answers) == {200}, answers
    assert decisions(first) == [EntryAction.VERIFIED]
    assert decisions(second) == [EntryAction.RETURNED]
    assert decisions(third) == []
    for entry in (first, second, third):
        entry.refresh_from_db()
    assert [first.status, second.status, third.status] == [
        EntryStatus.VERIFIED,
        EntryStatus.RETURNED,
        EntryStatus.SUBMITTED,
    ]
    assert Notification.objects.filter(recipient=first.trainee).count() == 2


def test_opposite_decisions_at_once_leave_one_and_overwrite_nothing(link):
    token, (first, second, third) = link
    verify = body({first: ("verifikasi", ""), second: ("verifikasi", "")})
    give_back = body(
        {first: ("kembalikan", "Salah tanggal."), second: ("kembalikan", "Salah.")}
    )
    answers = post_all(token, [verify, give_back] * (COPIES // 2))
    assert set(answers) == {200}, answers
    for entry in (first, second):
        assert len(decisions(entry)) == 1, Counter(decisions(entry))
        entry.refresh_from_db()
        expected = {
            EntryAction.VERIFIED: EntryStatus.VERIFIED,
            EntryAction.RETURNED: EntryStatus.RETURNED,
        }[decisions(entry)[0]]
        assert entry.status == expected
    third.refresh_from_db()
    assert third.status == EntryStatus.SUBMITTED
