"""Twenty requests at once: the hour rules hold, and every copy of a create
gets the answer the first one got.

These run in `make test` on SQLite and in CI on PostgreSQL (the same file,
with DATABASE_URL pointing there), each request in its own thread with its own
database connection, all released together by a barrier.
"""

import datetime
import threading
import uuid
from collections import Counter

from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone

import pytest

from learning.models import Notification
from mentorship.models import (
    HourEntry,
    HourEntryEvent,
    PracticeCase,
    PracticeCaseEvent,
    Reflection,
    WellbeingCheckIn,
)
from tests.factories import (
    CohortFactory,
    HourEntryFactory,
    PlacementFactory,
    new_case,
    reflection_session,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]

COPIES = 20
JSON = "application/json"


def at_once(user, method: str, path: str, bodies: list[dict]) -> list[tuple]:
    """Send each body from its own thread, all released together:
    [(status, json body)] in the order given."""
    clients = []
    for _body in bodies:
        client = Client()
        client.force_login(user)
        clients.append(client)
    barrier = threading.Barrier(len(bodies))
    answers: list = [None] * len(bodies)

    def send(index: int) -> None:
        try:
            barrier.wait()
            response = getattr(clients[index], method)(
                f"/api/magang{path}", bodies[index], content_type=JSON
            )
            answers[index] = (response.status_code, response.json())
        except Exception as error:  # noqa: BLE001 - reported by the assert below
            answers[index] = ("raised", repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def statuses(answers) -> Counter:
    return Counter(status for status, _body in answers)


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


@pytest.fixture
def placement():
    return PlacementFactory()


def entry_body(placement, start: str, end: str, **fields) -> dict:
    body = {
        "uuid": str(uuid.uuid4()),
        "placement_id": placement.pk,
        "date": str(days_ago(2)),
        "start_time": start,
        "end_time": end,
        "category": "pengaduan",
        "activity": "Belajar menerima pengaduan tanpa mencatat identitas korban.",
    }
    body.update(fields)
    return body


# --- The hour rules (issue 15, item 4) ----------------------------------------


def test_twenty_entries_for_one_slot_at_once_make_one_entry(placement):
    bodies = [entry_body(placement, "04:00", "05:00") for _ in range(COPIES)]
    answers = at_once(placement.trainee, "post", "/entries", bodies)
    assert statuses(answers) == {201: 1, 422: COPIES - 1}, answers
    refused = [body for status, body in answers if status == 422]
    assert all("Bertumpang tindih" in body["detail"] for body in refused)
    assert HourEntry.objects.filter(trainee=placement.trainee).count() == 1


def test_twenty_one_hour_entries_on_one_day_stop_at_the_daily_cap(placement):
    bodies = [
        entry_body(placement, f"{hour:02d}:00", f"{hour + 1:02d}:00")
        for hour in range(COPIES)
    ]
    answers = at_once(placement.trainee, "post", "/entries", bodies)
    cap = settings.MAGANG_MAX_HOURS_PER_DAY
    assert statuses(answers) == {201: cap, 422: COPIES - cap}, answers
    stored = HourEntry.objects.filter(trainee=placement.trainee)
    assert sum(entry.minutes for entry in stored) == cap * 60


def test_twenty_drafts_moved_to_one_slot_at_once_leave_one_there(placement):
    drafts = [
        HourEntryFactory(
            placement=placement,
            date=days_ago(3),
            start_time=datetime.time(hour, 0),
            end_time=datetime.time(hour, 30),
            minutes=30,
        )
        for hour in range(COPIES)
    ]
    clients = []
    for _draft in drafts:
        client = Client()
        client.force_login(placement.trainee)
        clients.append(client)
    barrier = threading.Barrier(COPIES)
    answers: list = [None] * COPIES

    def move(index: int) -> None:
        body = entry_body(placement, "21:00", "22:00", date=str(days_ago(4)))
        del body["uuid"]
        try:
            barrier.wait()
            response = clients[index].put(
                f"/api/magang/entries/{drafts[index].uuid}", body, content_type=JSON
            )
            answers[index] = (response.status_code, response.json())
        except Exception as error:  # noqa: BLE001 - reported by the assert below
            answers[index] = ("raised", repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=move, args=(i,)) for i in range(COPIES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses(answers) == {200: 1, 422: COPIES - 1}, answers
    assert HourEntry.objects.filter(date=days_ago(4)).count() == 1


# --- Every copy of a create gets the first one's answer (item 5) ----------------


def assert_one_answer(answers, status: int) -> dict:
    """Every copy got `status` and the very same body; that body."""
    assert statuses(answers) == {status: COPIES}, answers
    first = answers[0][1]
    assert all(body == first for _status, body in answers)
    return first


def test_the_same_entry_twenty_times_at_once_gets_one_answer(placement):
    body = entry_body(placement, "08:00", "10:00", submit=True)
    answers = at_once(placement.trainee, "post", "/entries", [body] * COPIES)
    answer = assert_one_answer(answers, 201)
    assert answer["uuid"] == body["uuid"]
    assert HourEntry.objects.count() == 1
    assert HourEntryEvent.objects.count() == 2  # created and submitted, once each


def test_the_same_case_twenty_times_at_once_gets_one_answer(placement):
    body = new_case(placement)
    answers = at_once(placement.trainee, "post", "/cases", [body] * COPIES)
    assert assert_one_answer(answers, 201)["uuid"] == body["uuid"]
    assert PracticeCase.objects.count() == 1
    assert PracticeCaseEvent.objects.count() == 1


def test_the_same_check_in_twenty_times_at_once_gets_one_answer_and_one_alert(
    trainee, facilitator
):
    CohortFactory(facilitators=[facilitator], trainees=[trainee])
    body = {"uuid": str(uuid.uuid4()), "feeling": "berat", "wants_contact": True}
    answers = at_once(trainee, "post", "/wellbeing", [body] * COPIES)
    answer = assert_one_answer(answers, 201)
    assert answer["facilitator_told"] is True
    assert WellbeingCheckIn.objects.count() == 1
    assert Notification.objects.filter(recipient=facilitator).count() == 1


@pytest.fixture
def session(organisation, facilitator, trainee):
    return reflection_session(
        organisation=organisation, facilitator=facilitator, trainees=[trainee]
    )


def reflection_body(session) -> dict:
    return {
        "uuid": str(uuid.uuid4()),
        "session_id": session.pk,
        "case_counts": [{"type": "psikis", "path": "non_litigasi", "count": 3}],
        "partners": ["kantor_desa"],
        "learning_needs": "Mediasi yang aman.",
    }


def test_the_same_reflection_twenty_times_at_once_gets_one_answer(session, trainee):
    body = reflection_body(session)
    answers = at_once(trainee, "post", "/reflection/mine", [body] * COPIES)
    assert assert_one_answer(answers, 201)["uuid"] == body["uuid"]
    assert Reflection.objects.count() == 1


def test_twenty_reflections_for_one_session_at_once_keep_the_first(session, trainee):
    bodies = [reflection_body(session) for _ in range(COPIES)]
    answers = at_once(trainee, "post", "/reflection/mine", bodies)
    assert statuses(answers) == {201: 1, 409: COPIES - 1}, answers
    [kept] = Reflection.objects.all()
    conflicts = [body for status, body in answers if status == 409]
    assert all(body == conflicts[0] for body in conflicts)
    assert conflicts[0]["existing_uuid"] == str(kept.uuid)
