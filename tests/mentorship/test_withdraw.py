"""Withdrawing ("tarik kembali"): a trainee takes a submitted hour entry or
practice case back to a draft until the supervisor has acted, on its page and
through the API; nobody else can; of a withdraw and a decision at once exactly
one wins (SQLite here, PostgreSQL with the `services` marker)."""

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

import pytest

from learning.models import Notification
from mentorship.cases import (
    record_case,
    return_case,
    review_case,
    review_queue,
    withdraw_case,
)
from mentorship.digests import DigestCounts, send_weekly_digests
from mentorship.hours import record_entry, withdraw_entry
from mentorship.models import HourEntry, PracticeCase
from mentorship.selectors import supervision_queue
from mentorship.verification import (
    create_countersign_link,
    return_entries,
    verify_entries,
)
from tests.concurrency import all_at_once
from tests.factories import PlacementFactory, outside_placement
from tests.factories.people import client_for

from .test_case_rules import case_input
from .test_hours import entry_input

WITHDRAW_SENTENCE = "Tarik kembali catatan ini selama pembimbing belum memeriksanya"


@dataclass
class Kind:
    model: Any
    make: Any
    withdraw: Any
    accept: Any
    send_back: Any
    queue: Any
    page: str
    withdraw_url: str
    api: str
    done: str


def _accept_entry(record, supervisor):
    return verify_entries(entries=[record], supervisor=supervisor)


def _accept_case(record, supervisor):
    return [review_case(case=record, supervisor=supervisor, feedback="Sudah baik.")]


ENTRIES = Kind(
    model=HourEntry,
    make=lambda placement: record_entry(
        trainee=placement.trainee,
        uuid=uuid.uuid4(),
        data=entry_input(placement),
        submit=True,
    )[0],
    withdraw=lambda record, trainee: withdraw_entry(entry=record, trainee=trainee),
    accept=_accept_entry,
    send_back=lambda record, supervisor: return_entries(
        entries=[record], supervisor=supervisor, comment="Tambahkan jam selesai."
    ),
    queue=supervision_queue,
    page="mentorship:entry_detail",
    withdraw_url="mentorship:entry_withdraw",
    api="/api/magang/entries/{}/withdraw",
    done="terverifikasi",
)

CASES = Kind(
    model=PracticeCase,
    make=lambda placement: record_case(
        trainee=placement.trainee,
        uuid=uuid.uuid4(),
        data=case_input(placement),
        submit=True,
    )[0],
    withdraw=lambda record, trainee: withdraw_case(case=record, trainee=trainee),
    accept=_accept_case,
    send_back=lambda record, supervisor: return_case(
        case=record, supervisor=supervisor, feedback="Jelaskan rujukannya."
    ),
    queue=review_queue,
    page="mentorship:case_detail",
    withdraw_url="mentorship:case_withdraw",
    api="/api/magang/cases/{}/withdraw",
    done="ditinjau",
)


@pytest.fixture(params=[ENTRIES, CASES], ids=["hour_entry", "practice_case"])
def kind(request):
    return request.param


def url(kind: Kind, name: str, record) -> str:
    key = "entry_uuid" if kind is ENTRIES else "case_uuid"
    return reverse(name, kwargs={key: record.uuid})


def actions(record) -> list[str]:
    return list(record.history.order_by("at", "pk").values_list("action", flat=True))


# --- On the record's page ---------------------------------------------------------


@pytest.mark.django_db
def test_the_trainee_withdraws_a_waiting_record_from_its_page(kind):
    placement = PlacementFactory()
    record = kind.make(placement)
    assert list(kind.queue(placement.supervisor)) == [record]
    client = client_for(placement.trainee)

    page = client.get(url(kind, kind.page, record)).content.decode()
    assert WITHDRAW_SENTENCE in page
    assert f'action="{url(kind, kind.withdraw_url, record)}"' in page

    response = client.post(url(kind, kind.withdraw_url, record), follow=True)
    page = response.content.decode()
    assert "ditarik kembali dan menjadi draf lagi" in page
    assert WITHDRAW_SENTENCE not in page
    assert 'value="ajukan"' in page  # the form to change it and submit again
    assert "Ditarik kembali oleh peserta" in page  # the history row
    record.refresh_from_db()
    assert record.status == "draf"
    assert actions(record) == ["dibuat", "diajukan", "ditarik"]
    assert list(kind.queue(placement.supervisor)) == []


@pytest.mark.django_db
@pytest.mark.parametrize("decision", ["accept", "send_back"])
def test_once_the_supervisor_has_acted_it_cannot_be_withdrawn(kind, decision):
    placement = PlacementFactory()
    record = kind.make(placement)
    getattr(kind, decision)(record, placement.supervisor)
    record.refresh_from_db()
    decided = record.status
    client = client_for(placement.trainee)
    assert (
        WITHDRAW_SENTENCE
        not in client.get(url(kind, kind.page, record)).content.decode()
    )

    response = client.post(url(kind, kind.withdraw_url, record), follow=True)
    assert "tidak sedang menunggu pembimbing" in response.content.decode()
    record.refresh_from_db()
    assert record.status == decided
    assert "ditarik" not in actions(record)


@pytest.mark.django_db
def test_a_draft_has_nothing_to_withdraw(kind):
    placement = PlacementFactory()
    record = kind.make(placement)
    kind.withdraw(record, placement.trainee)
    with pytest.raises(ValidationError):
        kind.withdraw(record, placement.trainee)
    assert actions(record).count("ditarik") == 1


@pytest.mark.django_db
def test_nobody_else_withdraws(kind):
    placement = PlacementFactory()
    record = kind.make(placement)
    stranger = PlacementFactory().trainee
    # The supervisor reads a waiting case but may not withdraw it (403); an
    # hour entry's page is the trainee's own (404). A stranger sees neither.
    supervisor_answer = 403 if kind is CASES else 404
    assert (
        client_for(placement.supervisor)
        .post(url(kind, kind.withdraw_url, record))
        .status_code
        == supervisor_answer
    )
    assert (
        client_for(stranger).post(url(kind, kind.withdraw_url, record)).status_code
        == 404
    )
    assert (
        client_for(placement.trainee)
        .get(url(kind, kind.withdraw_url, record))
        .status_code
        == 405
    )
    with pytest.raises(ValidationError):
        kind.withdraw(record, placement.supervisor)
    record.refresh_from_db()
    assert record.status == "diajukan"


# --- Through the API --------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_withdraws_like_the_page(kind):
    placement = PlacementFactory()
    record = kind.make(placement)
    path = kind.api.format(record.uuid)
    assert client_for(placement.supervisor).post(path).status_code == 404

    response = client_for(placement.trainee).post(path)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "draf" and body["editable"] is True
    assert body["history"][-1]["action"] == "ditarik"

    again = client_for(placement.trainee).post(path)
    assert again.status_code == 409
    assert "tidak sedang menunggu pembimbing" in again.json()["detail"]


@pytest.mark.django_db
def test_a_withdrawn_entry_leaves_the_countersign_links_made_for_it():
    placement = outside_placement()
    entry, other = (
        ENTRIES.make(placement),
        record_entry(
            trainee=placement.trainee,
            uuid=uuid.uuid4(),
            data=entry_input(
                placement, date=timezone.localdate() - datetime.timedelta(days=6)
            ),
            submit=True,
        )[0],
    )
    link, _token = create_countersign_link(
        trainee=placement.trainee, placement=placement, entries=[entry, other]
    )
    withdraw_entry(entry=entry, trainee=placement.trainee)
    # Changed and sent again, it needs a new link: the old one cannot sign it.
    assert list(link.entries.all()) == [other]


# --- The supervisor's reminders ----------------------------------------------------


@pytest.mark.django_db
def test_the_weekly_digest_does_not_count_a_withdrawn_entry(
    django_capture_on_commit_callbacks,
):
    placement = PlacementFactory()
    placement.supervisor.email = "pembimbing@example.org"
    placement.supervisor.save()
    kept = ENTRIES.make(placement)
    withdrawn = record_entry(
        trainee=placement.trainee,
        uuid=uuid.uuid4(),
        data=entry_input(
            placement, date=timezone.localdate() - datetime.timedelta(days=6)
        ),
        submit=True,
    )[0]
    withdraw_entry(entry=withdrawn, trainee=placement.trainee)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_weekly_digests() == DigestCounts(supervisors=1)
    message = Notification.objects.get(recipient=placement.supervisor).message
    assert kept.minutes == withdrawn.minutes == 150
    # Both counted would be 5 jam; only the one still waiting is.
    assert message == "2,5 jam magang menunggu verifikasi kamu"
    assert "1 catatan" in mail.outbox[0].body


# --- A withdraw and a decision at once ----------------------------------------------

THREADS = 20


def _withdraw_against_decide(kind: Kind) -> None:
    placement = PlacementFactory()
    record = kind.make(placement)
    trainee, supervisor = placement.trainee, placement.supervisor

    def withdraw():
        return kind.withdraw(kind.model.objects.get(pk=record.pk), trainee)

    def decide():
        return kind.accept(kind.model.objects.get(pk=record.pk), supervisor)

    calls = [withdraw if number % 2 else decide for number in range(THREADS)]
    answers = all_at_once(calls)
    unexpected = [
        answer
        for answer in answers
        if isinstance(answer, tuple) and "ValidationError" not in answer[1]
    ]
    assert unexpected == []
    won = [
        answer
        for answer in answers
        if not isinstance(answer, tuple) and answer not in ([], None)
    ]
    assert len(won) == 1, answers
    record.refresh_from_db()
    history = actions(record)
    if record.status == "draf":
        assert history == ["dibuat", "diajukan", "ditarik"]
        assert list(kind.queue(supervisor)) == []
    else:
        assert record.status == kind.done
        assert history[:2] == ["dibuat", "diajukan"] and len(history) == 3
        assert "ditarik" not in history


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrated_data")
def test_twenty_withdraws_and_decisions_at_once_one_wins(kind):
    _withdraw_against_decide(kind)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrated_data")
def test_twenty_withdraws_and_decisions_at_once_one_wins_on_postgresql(kind):
    assert connection.vendor == "postgresql"
    _withdraw_against_decide(kind)
