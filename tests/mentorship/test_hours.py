"""The rules of an hour entry, through the one function every door uses."""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.utils import timezone

import pytest

from mentorship.choices import ActivityCategory, EntryAction, EntryStatus
from mentorship.hours import (
    EntryInput,
    delete_draft,
    minutes_between,
    record_entry,
    submit_entries,
    totals_for,
    update_entry,
)
from mentorship.models import HourEntry
from tests.factories import HourEntryFactory, PlacementFactory

pytestmark = pytest.mark.django_db

T = datetime.time


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


@pytest.fixture
def placement():
    return PlacementFactory()


def entry_input(placement, **fields) -> EntryInput:
    values = {
        "placement": placement,
        "date": days_ago(5),
        "category": ActivityCategory.DOCUMENTATION,
        "activity": "Belajar mengisi formulir pendokumentasian tanpa identitas.",
        "start_time": T(8, 0),
        "end_time": T(10, 30),
    }
    values.update(fields)
    return EntryInput(**values)


def record(placement, **fields):
    return record_entry(
        trainee=placement.trainee,
        uuid=uuid.uuid4(),
        data=entry_input(placement, **fields),
    )


def refused(placement, field: str, **fields) -> str:
    with pytest.raises(ValidationError) as caught:
        record(placement, **fields)
    errors = caught.value.message_dict
    assert field in errors, errors
    return " ".join(errors[field])


def test_a_valid_entry_is_a_draft_with_its_minutes_and_history(placement):
    entry, created = record(placement)
    assert created and entry.status == EntryStatus.DRAFT and entry.minutes == 150
    assert list(entry.history.values_list("action", flat=True)) == [EntryAction.CREATED]


def test_minutes_past_midnight_count_into_the_next_day():
    assert minutes_between(T(22, 0), T(1, 30)) == 210
    assert minutes_between(T(8, 0), T(8, 45)) == 45


def test_an_end_before_the_start_is_refused_unless_past_midnight_is_chosen(
    placement,
):
    message = refused(placement, "end_time", start_time=T(14, 0), end_time=T(10, 0))
    assert message == (
        "Jam selesai (10:00) harus sesudah jam mulai (14:00). Bila kegiatannya "
        "berlanjut lewat tengah malam, centang “lewat tengah malam”."
    )
    assert not HourEntry.objects.exists()


def test_an_end_at_the_start_is_refused_too(placement):
    message = refused(placement, "end_time", start_time=T(9, 0), end_time=T(9, 0))
    assert "lamanya nol" in message


def test_work_past_midnight_is_kept_when_chosen_and_shown_so(placement):
    entry, created = record(
        placement, start_time=T(22, 0), end_time=T(2, 0), past_midnight=True
    )
    assert created
    entry.refresh_from_db()
    assert entry.minutes == 240
    assert entry.past_midnight
    assert entry.time_label == "22:00–02:00 (lewat tengah malam)"
    same_day, _created = record(placement, start_time=T(8, 0), end_time=T(9, 0))
    assert not same_day.past_midnight
    assert same_day.time_label == "08:00–09:00"


def test_past_midnight_with_an_end_after_the_start_is_refused(placement):
    message = refused(
        placement,
        "past_midnight",
        start_time=T(8, 0),
        end_time=T(10, 0),
        past_midnight=True,
    )
    assert "tidak lewat tengah malam" in message
    assert not HourEntry.objects.exists()


def test_past_midnight_without_times_is_refused(placement):
    message = refused(
        placement,
        "past_midnight",
        start_time=None,
        end_time=None,
        minutes=60,
        past_midnight=True,
    )
    assert "jam mulai dan jam selesai" in message


def test_a_time_with_a_zone_is_refused_not_compared(placement):
    wita = datetime.timezone(datetime.timedelta(hours=8))
    message = refused(
        placement, "start_time", start_time=T(8, 0, tzinfo=wita), end_time=T(9, 0)
    )
    assert "tanpa zona waktu" in message


def test_a_future_day_is_refused_and_nothing_is_saved(placement):
    message = refused(
        placement, "date", date=timezone.localdate() + datetime.timedelta(1)
    )
    assert "belum terjadi" in message
    assert not HourEntry.objects.exists()


def test_an_end_time_later_today_is_refused(placement):
    now = timezone.localtime()
    # Whatever the hour, an entry dated today that ends two hours from now has
    # not finished yet (near midnight it runs into tomorrow).
    start = (now - datetime.timedelta(hours=1)).time().replace(second=0, microsecond=0)
    end = (now + datetime.timedelta(hours=2)).time().replace(second=0, microsecond=0)
    message = refused(
        placement,
        "end_time",
        date=timezone.localdate(),
        start_time=start,
        end_time=end,
        past_midnight=end <= start,
    )
    assert "belum lewat" in message


@pytest.mark.parametrize(
    "date",
    [
        pytest.param(lambda p: p.start_date - datetime.timedelta(days=1), id="before"),
        pytest.param(lambda p: p.end_date + datetime.timedelta(days=1), id="after"),
    ],
)
def test_a_day_outside_the_placement_is_refused(date):
    placement = PlacementFactory(
        start_date=days_ago(20), end_date=days_ago(10), target_hours=10
    )
    message = refused(placement, "date", date=date(placement))
    assert "Di luar masa magang" in message


def test_the_placements_first_and_last_days_are_inside():
    placement = PlacementFactory(start_date=days_ago(20), end_date=days_ago(10))
    assert record(placement, date=placement.start_date)[1]
    assert record(placement, date=placement.end_date)[1]


def test_work_past_midnight_on_the_last_day_runs_outside_the_period():
    placement = PlacementFactory(start_date=days_ago(20), end_date=days_ago(10))
    message = refused(
        placement,
        "date",
        date=placement.end_date,
        start_time=T(22, 0),
        end_time=T(2, 0),
        past_midnight=True,
    )
    assert "Di luar masa magang" in message


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"start_time": T(9, 0), "end_time": T(8, 0)}, "end_time"),
        ({"start_time": None, "end_time": None, "minutes": 0}, "minutes"),
        ({"start_time": None, "end_time": None, "minutes": None}, "minutes"),
        ({"start_time": T(9, 0), "end_time": None}, "end_time"),
        ({"start_time": T(9, 0), "end_time": T(10, 0), "minutes": 30}, "minutes"),
    ],
)
def test_a_duration_must_be_positive_and_consistent(placement, fields, field):
    refused(placement, field, **fields)


def test_a_duration_alone_is_accepted(placement):
    entry, _ = record(placement, start_time=None, end_time=None, minutes=90)
    assert entry.minutes == 90 and entry.start_time is None


def test_overlapping_entries_are_refused_with_the_other_entry_named(placement):
    record(placement, start_time=T(8, 0), end_time=T(10, 0))
    message = refused(placement, "start_time", start_time=T(9, 30), end_time=T(11, 0))
    assert "Bertumpang tindih" in message and "08:00" in message
    # Touching is not overlapping.
    assert record(placement, start_time=T(10, 0), end_time=T(11, 0))[1]


def test_overlap_is_found_across_midnight(placement):
    record(
        placement,
        date=days_ago(6),
        start_time=T(22, 0),
        end_time=T(2, 0),
        past_midnight=True,
    )
    message = refused(
        placement, "start_time", date=days_ago(5), start_time=T(1, 0), end_time=T(3, 0)
    )
    assert "Bertumpang tindih" in message
    assert record(placement, date=days_ago(5), start_time=T(2, 0), end_time=T(4, 0))[1]


def test_overlap_is_checked_across_the_trainees_placements(placement):
    other = PlacementFactory(trainee=placement.trainee)
    record(placement, start_time=T(8, 0), end_time=T(10, 0))
    with pytest.raises(ValidationError):
        record(other, start_time=T(9, 0), end_time=T(9, 30))


def test_another_trainees_hours_do_not_overlap_mine(placement):
    record(placement, start_time=T(8, 0), end_time=T(10, 0))
    assert record(PlacementFactory(), start_time=T(8, 0), end_time=T(10, 0))[1]


def test_the_daily_cap_adds_up_several_entries(placement, settings):
    settings.MAGANG_MAX_HOURS_PER_DAY = 12
    record(placement, start_time=T(6, 0), end_time=T(11, 0))  # 5 h
    record(placement, start_time=None, end_time=None, minutes=5 * 60)  # 5 h
    message = refused(placement, "minutes", start_time=T(13, 0), end_time=T(15, 30))
    assert "lebih dari 12 jam sehari" in message and "10 jam" in message
    assert record(placement, start_time=T(13, 0), end_time=T(15, 0))[1]  # 12 h


def test_the_daily_cap_counts_work_past_midnight_on_each_day(placement, settings):
    settings.MAGANG_MAX_HOURS_PER_DAY = 12
    record(placement, date=days_ago(5), start_time=T(8, 0), end_time=T(18, 0))
    # 22:00–04:00 puts two hours on the first day (12 h) and four on the next.
    assert record(
        placement,
        date=days_ago(5),
        start_time=T(22, 0),
        end_time=T(4, 0),
        past_midnight=True,
    )[1]
    message = refused(
        placement, "minutes", date=days_ago(5), start_time=T(20, 0), end_time=T(21, 0)
    )
    assert "lebih dari 12 jam" in message


def test_the_cap_is_a_setting(placement, settings):
    settings.MAGANG_MAX_HOURS_PER_DAY = 2
    refused(placement, "minutes", start_time=T(8, 0), end_time=T(10, 30))


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"activity": "  "}, "activity"),
        ({"activity": "x" * 2001}, "activity"),
        ({"category": "berkebun"}, "category"),
    ],
)
def test_text_and_category_are_checked(placement, fields, field):
    refused(placement, field, **fields)


def test_someone_elses_placement_is_refused(placement):
    with pytest.raises(ValidationError) as caught:
        record_entry(
            trainee=PlacementFactory().trainee,
            uuid=uuid.uuid4(),
            data=entry_input(placement),
        )
    assert "placement" in caught.value.message_dict


def test_the_same_uuid_twice_makes_one_entry(placement):
    key = uuid.uuid4()
    first, created = record_entry(
        trainee=placement.trainee, uuid=key, data=entry_input(placement)
    )
    again, created_again = record_entry(
        trainee=placement.trainee, uuid=key, data=entry_input(placement)
    )
    assert created and not created_again and again.pk == first.pk
    assert HourEntry.objects.count() == 1


def test_a_uuid_of_someone_elses_entry_is_refused(placement):
    other = HourEntryFactory()
    with pytest.raises(ValidationError) as caught:
        record_entry(
            trainee=placement.trainee, uuid=other.uuid, data=entry_input(placement)
        )
    assert "uuid" in caught.value.message_dict


def test_status_flow_submit_then_locked(placement):
    entry, _ = record(placement)
    [submitted] = submit_entries(trainee=placement.trainee, entries=[entry])
    assert submitted.status == EntryStatus.SUBMITTED
    assert submit_entries(trainee=placement.trainee, entries=[entry]) == []
    with pytest.raises(ValidationError, match="tidak dapat diubah"):
        update_entry(
            entry=entry, trainee=placement.trainee, data=entry_input(placement)
        )


def test_a_returned_entry_can_be_corrected_and_resubmitted(placement):
    entry = HourEntryFactory(placement=placement, status=EntryStatus.RETURNED)
    corrected = update_entry(
        entry=entry,
        trainee=placement.trainee,
        data=entry_input(
            placement, date=entry.date, start_time=T(9, 0), end_time=T(12, 0)
        ),
    )
    assert corrected.minutes == 180
    submit_entries(trainee=placement.trainee, entries=[corrected])
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED
    assert list(entry.history.values_list("action", flat=True)) == [
        EntryAction.EDITED,
        EntryAction.RESUBMITTED,
    ]


def test_an_edit_does_not_overlap_with_itself(placement):
    entry, _ = record(placement, start_time=T(8, 0), end_time=T(10, 0))
    moved = update_entry(
        entry=entry,
        trainee=placement.trainee,
        data=entry_input(placement, start_time=T(9, 0), end_time=T(11, 0)),
    )
    assert moved.start_time == T(9, 0)


def test_a_verified_entry_is_locked(placement):
    entry = HourEntryFactory(placement=placement, status=EntryStatus.VERIFIED)
    with pytest.raises(ValidationError):
        update_entry(
            entry=entry, trainee=placement.trainee, data=entry_input(placement)
        )
    with pytest.raises(ValidationError):
        delete_draft(entry=entry, trainee=placement.trainee)
    assert submit_entries(trainee=placement.trainee, entries=[entry]) == []


def test_nobody_else_changes_or_submits_my_entries(placement):
    entry = HourEntryFactory(placement=placement)
    stranger = PlacementFactory().trainee
    with pytest.raises(ValidationError):
        update_entry(entry=entry, trainee=stranger, data=entry_input(placement))
    with pytest.raises(ValidationError):
        submit_entries(trainee=stranger, entries=[entry])
    with pytest.raises(ValidationError):
        delete_draft(entry=entry, trainee=stranger)


def test_totals_by_status_and_category_against_the_target(
    placement, django_assert_max_num_queries
):
    for status, minutes, category in [
        (EntryStatus.VERIFIED, 600, ActivityCategory.COMPLAINTS),
        (EntryStatus.VERIFIED, 120, ActivityCategory.SIMFONI),
        (EntryStatus.SUBMITTED, 90, ActivityCategory.COMPLAINTS),
        (EntryStatus.RETURNED, 60, ActivityCategory.OTHER),
        (EntryStatus.DRAFT, 30, ActivityCategory.OTHER),
    ]:
        HourEntryFactory(
            placement=placement, status=status, minutes=minutes, category=category
        )
    with django_assert_max_num_queries(2):
        totals = totals_for(trainee=placement.trainee)
    assert (totals.verified, totals.waiting, totals.returned, totals.draft) == (
        720,
        90,
        60,
        30,
    )
    assert totals.target_minutes == 40 * 60
    assert totals.percent_verified == 30
    assert totals.by_category[0] == ("Penerimaan pengaduan", 600)


def test_totals_do_not_grow_in_queries_with_entries(
    placement, django_assert_max_num_queries
):
    HourEntryFactory.create_batch(30, placement=placement)
    with django_assert_max_num_queries(2):
        totals_for(trainee=placement.trainee)
