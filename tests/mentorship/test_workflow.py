"""The one flow, run for both kinds of record that follow it: hour entries and
practice cases (draft → submitted → returned → corrected → resubmitted →
done), created once by the client's UUID, locked once decided."""

import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse

import pytest

from mentorship.cases import record_case, return_case, review_case, submit_cases
from mentorship.cases import update_case as change_case
from mentorship.hours import record_entry, submit_entries, update_entry
from mentorship.models import HourEntry, PracticeCase
from mentorship.verification import return_entries, verify_entries
from tests.factories import PlacementFactory
from tests.factories.people import client_for

from .test_case_rules import case_input
from .test_hours import days_ago, entry_input

pytestmark = pytest.mark.django_db


@dataclass
class Kind:
    """How the test drives one kind through the rules' own functions."""

    model: Any
    admin_index: str
    make: Any
    change: Any
    submit: Any
    send_back: Any
    accept: Any
    done: str


ENTRIES = Kind(
    model=HourEntry,
    admin_index="mentorship_hourentry:index",
    make=lambda placement, key, day=5: record_entry(
        trainee=placement.trainee,
        uuid=key,
        data=entry_input(placement, date=days_ago(day)),
    ),
    change=lambda placement, record, trainee: update_entry(
        entry=record, trainee=trainee, data=entry_input(placement, activity="Lagi.")
    ),
    submit=lambda trainee, records: submit_entries(trainee=trainee, entries=records),
    send_back=lambda record, supervisor: return_entries(
        entries=[record], supervisor=supervisor, comment="Tambahkan jam selesai."
    ),
    accept=lambda record, supervisor: verify_entries(
        entries=[record], supervisor=supervisor
    ),
    done="terverifikasi",
)

CASES = Kind(
    model=PracticeCase,
    admin_index="mentorship_practicecase:index",
    make=lambda placement, key, day=5: record_case(
        trainee=placement.trainee, uuid=key, data=case_input(placement)
    ),
    change=lambda placement, record, trainee: change_case(
        case=record,
        trainee=trainee,
        data=case_input(placement, learned="Mendengar lebih dulu, baru bertanya."),
    ),
    submit=lambda trainee, records: submit_cases(trainee=trainee, cases=records),
    send_back=lambda record, supervisor: return_case(
        case=record, supervisor=supervisor, feedback="Jelaskan rujukannya."
    ),
    accept=lambda record, supervisor: review_case(
        case=record, supervisor=supervisor, feedback="Sudah baik."
    ),
    done="ditinjau",
)


@pytest.fixture(params=[ENTRIES, CASES], ids=["hour_entry", "practice_case"])
def kind(request):
    return request.param


def actions(record) -> list[str]:
    return list(record.history.order_by("at", "pk").values_list("action", flat=True))


def test_the_same_uuid_makes_one_record_and_answers_the_same(kind):
    placement = PlacementFactory()
    key = uuid.uuid4()
    first, created = kind.make(placement, key)
    again, created_again = kind.make(placement, key)
    assert created and not created_again and again.pk == first.pk
    assert kind.model.objects.count() == 1


def test_someone_elses_uuid_is_refused(kind):
    key = uuid.uuid4()
    kind.make(PlacementFactory(), key)
    with pytest.raises(ValidationError) as caught:
        kind.make(PlacementFactory(), key)
    assert "uuid" in caught.value.message_dict
    assert kind.model.objects.count() == 1


def test_a_returned_record_is_corrected_resubmitted_and_then_locked(kind):
    placement = PlacementFactory()
    trainee, supervisor = placement.trainee, placement.supervisor
    record, _ = kind.make(placement, uuid.uuid4())
    assert kind.submit(trainee, [record]) and kind.submit(trainee, [record]) == []

    kind.send_back(record, supervisor)
    record.refresh_from_db()
    assert record.status == "dikembalikan"
    record = kind.change(placement, record, trainee)
    kind.submit(trainee, [record])
    record.refresh_from_db()
    assert record.status == "diajukan"

    kind.accept(record, supervisor)
    record.refresh_from_db()
    assert record.status == kind.done
    assert actions(record) == [
        "dibuat",
        "diajukan",
        "dikembalikan",
        "diubah",
        "diajukan_ulang",
        kind.done if kind is CASES else "diverifikasi",
    ]
    with pytest.raises(ValidationError):
        kind.change(placement, record, trainee)


def test_another_trainee_cannot_change_or_submit_the_record(kind):
    placement = PlacementFactory()
    record, _ = kind.make(placement, uuid.uuid4())
    stranger = PlacementFactory().trainee
    with pytest.raises(ValidationError):
        kind.change(placement, record, stranger)
    with pytest.raises(ValidationError):
        kind.submit(stranger, [record])
    record.refresh_from_db()
    assert record.status == "draf" and actions(record) == ["dibuat"]


def test_a_resubmitted_record_says_so_in_the_supervisors_queue(kind):
    placement = PlacementFactory()
    trainee, supervisor = placement.trainee, placement.supervisor
    first_time, _ = kind.make(placement, uuid.uuid4())
    came_back, _ = kind.make(placement, uuid.uuid4(), day=6)
    kind.submit(trainee, [first_time, came_back])
    kind.send_back(came_back, supervisor)
    came_back.refresh_from_db()
    kind.submit(trainee, [came_back])

    page = client_for(supervisor).get(reverse(kind.admin_index))
    assert page.status_code == 200
    text = page.content.decode()
    assert text.count("dikirim ulang") == 1
