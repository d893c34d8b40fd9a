"""A returned record sent again: the supervisor's queue marks it "dikirim
ulang" and says what the trainee changed since it was returned, for hour
entries and practice cases alike (the flow is shared)."""

import uuid

from django.urls import reverse

import pytest

from mentorship.hours import record_entry, submit_entries
from mentorship.verification import return_entries
from tests.factories import PlacementFactory
from tests.factories.people import client_for

from .test_hours import days_ago, entry_input
from .test_workflow import CASES, ENTRIES

pytestmark = pytest.mark.django_db

INSPECT = {
    id(ENTRIES): "mentorship_hourentry:inspect",
    id(CASES): "mentorship_practicecase:inspect",
}
# What `Kind.change` writes, under which label.
CHANGED = {
    id(ENTRIES): ("Uraian", "Lagi."),
    id(CASES): ("Yang dipelajari", "Mendengar lebih dulu, baru bertanya."),
}


@pytest.fixture(params=[ENTRIES, CASES], ids=["hour_entry", "practice_case"])
def kind(request):
    return request.param


def returned(kind, placement):
    trainee, supervisor = placement.trainee, placement.supervisor
    record, _ = kind.make(placement, uuid.uuid4())
    kind.submit(trainee, [record])
    kind.send_back(record, supervisor)
    record.refresh_from_db()
    return record


def queue_text(kind, supervisor) -> str:
    page = client_for(supervisor).get(reverse(kind.admin_index))
    assert page.status_code == 200
    return page.content.decode()


def test_a_corrected_record_sent_again_shows_what_changed(kind):
    placement = PlacementFactory()
    record = returned(kind, placement)
    before = kind.model.objects.get(pk=record.pk)
    record = kind.change(placement, record, placement.trainee)
    kind.submit(placement.trainee, [record])

    text = queue_text(kind, placement.supervisor)
    label, new = CHANGED[id(kind)]
    assert text.count("dikirim ulang") == 1
    assert f"<strong>{label}:</strong>" in text
    assert new in text
    old = before.activity if kind is ENTRIES else before.learned
    assert old[:40] in text
    assert "Tidak ada perubahan" not in text

    page = client_for(placement.supervisor).get(
        reverse(INSPECT[id(kind)], args=[record.pk])
    )
    assert page.status_code == 200
    body = page.content.decode()
    assert "dikirim ulang" in body
    assert f"<del>{old}</del>" in body and f"<ins>{new}</ins>" in body


def test_a_record_sent_again_unchanged_says_so(kind):
    placement = PlacementFactory()
    record = returned(kind, placement)
    kind.submit(placement.trainee, [record])

    text = queue_text(kind, placement.supervisor)
    assert text.count("dikirim ulang") == 1
    assert "Tidak ada perubahan sejak dikembalikan." in text


def test_a_record_sent_the_first_time_is_not_marked(kind):
    placement = PlacementFactory()
    record, _ = kind.make(placement, uuid.uuid4())
    kind.submit(placement.trainee, [record])
    text = queue_text(kind, placement.supervisor)
    assert "dikirim ulang" not in text
    assert "Tidak ada perubahan" not in text


def test_the_second_return_is_what_the_changes_are_measured_from():
    placement = PlacementFactory()
    trainee, supervisor = placement.trainee, placement.supervisor
    record = returned(ENTRIES, placement)
    record = ENTRIES.change(placement, record, trainee)
    ENTRIES.submit(trainee, [record])
    ENTRIES.send_back(record, supervisor)
    ENTRIES.submit(trainee, [record])

    text = queue_text(ENTRIES, supervisor)
    assert "Tidak ada perubahan sejak dikembalikan." in text


def _resubmitted_entries(placement, count: int) -> None:
    trainee = placement.trainee
    entries = [
        record_entry(
            trainee=trainee,
            uuid=uuid.uuid4(),
            data=entry_input(placement, date=days_ago(day + 2)),
        )[0]
        for day in range(count)
    ]
    submit_entries(trainee=trainee, entries=entries)
    return_entries(entries=entries, supervisor=placement.supervisor, comment="Ulangi.")
    submit_entries(trainee=trainee, entries=entries)


@pytest.mark.parametrize("count", [2, 8])
def test_the_queue_does_not_grow_in_queries_with_resubmitted_entries(
    count, django_assert_max_num_queries
):
    placement = PlacementFactory()
    _resubmitted_entries(placement, count)
    client = client_for(placement.supervisor)
    with django_assert_max_num_queries(40):
        page = client.get(reverse(ENTRIES.admin_index))
    assert page.content.decode().count("dikirim ulang") == count


LONG = (
    "Menemani pendamping senior mengantar korban ke puskesmas. Belajar alur "
    "pemeriksaan dan rujukan."
)


@pytest.mark.parametrize(
    ("old", "new", "shown"),
    [
        ("03-12-2026", "04-12-2026", ("03-12-2026", "04-12-2026")),
        (
            LONG,
            LONG + " Belajar menanyakan kebutuhan.",
            ("…rujukan.", "…rujukan. Belajar menanyakan kebutuhan."),
        ),
        (LONG, LONG.replace("senior", "muda"), ("…senior…", "…muda…")),
    ],
)
def test_a_long_text_in_the_list_shows_the_words_that_differ(old, new, shown):
    from mentorship.workflow import Change

    assert Change(label="Uraian", old=old, new=new).short == shown
