"""The hour rules under generated input (hypothesis): any date, any times
(with or without a zone, past midnight or not), any minutes and any category
are either accepted or refused with messages by field, never an uncaught
error; what is accepted has a positive duration no longer than a day, inside
the placement, with its end after its start unless the person said the work
went past midnight; and however many entries a trainee sends, the stored
ones never overlap and no day holds more than the daily cap."""

import datetime
import uuid
from collections import defaultdict

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorship.choices import ActivityCategory
from mentorship.hours import EntryInput, check_entry, record_entry
from mentorship.models import HourEntry
from tests.factories import PlacementFactory

pytestmark = pytest.mark.django_db

BOUNDED = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

ACTIVITY = "Belajar mencatat pengaduan tanpa identitas."
CATEGORIES = st.one_of(
    st.sampled_from(ActivityCategory.values), st.sampled_from(["", "x", "\x00", "🙂"])
)
# Clock times, now and then with a zone (which the rules refuse).
TIMES = st.one_of(
    st.none(),
    st.times(),
    st.times(timezones=st.sampled_from([datetime.UTC, datetime.timezone.max])),
)
MINUTES = st.one_of(st.none(), st.integers(-(2**31), 2**31 - 1))


@pytest.fixture
def placement():
    return PlacementFactory()


def _days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


@st.composite
def entries(draw, *, any_date: bool = True) -> EntryInput:
    """Arguments for an entry, from near the placement or from anywhere."""
    near = st.integers(-3, 40).map(_days_ago)
    date = draw(
        st.one_of(near, st.dates(), st.just(datetime.date.max))
        if any_date
        else st.integers(2, 6).map(_days_ago)
    )
    return {
        "date": date,
        "category": draw(CATEGORIES),
        "start_time": draw(TIMES),
        "end_time": draw(TIMES),
        "minutes": draw(MINUTES),
        "past_midnight": draw(st.booleans()),
    }


@st.composite
def plausible_entries(draw) -> dict:
    """Entries a trainee would write in one week: quarter hours, up to a
    working day long, the past-midnight box ticked when the times say so
    (so that many are accepted and the overlap and cap rules are what
    refuse the rest)."""
    start = draw(st.integers(0, 95)) * 15
    length = draw(st.integers(1, 48)) * 15
    end = (start + length) % (24 * 60)
    return {
        "date": _days_ago(draw(st.integers(2, 5))),
        "category": ActivityCategory.DOCUMENTATION,
        "start_time": datetime.time(start // 60, start % 60),
        "end_time": datetime.time(end // 60, end % 60),
        "past_midnight": start + length >= 24 * 60,
    }


def _input(placement, fields) -> EntryInput:
    return EntryInput(placement=placement, activity=ACTIVITY, **fields)


@BOUNDED
@given(fields=entries())
def test_any_entry_is_accepted_within_the_rules_or_refused_by_field(placement, fields):
    data = _input(placement, fields)
    try:
        minutes = check_entry(trainee=placement.trainee, data=data)
    except ValidationError as refusal:
        messages = refusal.message_dict
        assert messages and all(messages.values()), messages
        return
    assert 0 < minutes <= 24 * 60
    assert (
        placement.start_date
        <= data.date
        <= min(placement.end_date, timezone.localdate())
    )
    if data.start_time is not None:
        assert data.start_time.tzinfo is None and data.end_time.tzinfo is None
        if data.past_midnight:
            assert data.end_time <= data.start_time
        else:
            assert data.end_time > data.start_time
    else:
        assert data.end_time is None and data.minutes == minutes


def _stored_problems() -> list[str]:
    """Overlaps between stored timed entries, and days over the cap."""
    spans, per_day = [], defaultdict(int)
    for entry in HourEntry.objects.all():
        if entry.start_time is not None:
            begin = datetime.datetime.combine(entry.date, entry.start_time)
            spans.append((begin, begin + datetime.timedelta(minutes=entry.minutes)))
            end = spans[-1][1]
            midnight = datetime.datetime.combine(
                entry.date + datetime.timedelta(days=1), datetime.time()
            )
            first = int((min(end, midnight) - begin).total_seconds() // 60)
            per_day[entry.date] += first
            if entry.minutes > first:
                per_day[entry.date + datetime.timedelta(days=1)] += (
                    entry.minutes - first
                )
        else:
            per_day[entry.date] += entry.minutes
    problems = []
    spans.sort()
    for (_b1, e1), (b2, _e2) in zip(spans, spans[1:], strict=False):
        if b2 < e1:
            problems.append(f"overlap at {b2}")
    cap = django_settings.MAGANG_MAX_HOURS_PER_DAY * 60
    problems += [f"{day}: {m} min" for day, m in per_day.items() if m > cap]
    return problems


def test_entries_sent_one_after_another_never_overlap_nor_pass_the_daily_cap(
    placement,
):
    accepted_per_batch, refused_per_batch = [], []

    @settings(BOUNDED, max_examples=40)
    @given(
        batch=st.lists(
            st.one_of(plausible_entries(), entries(any_date=False)),
            min_size=2,
            max_size=12,
        )
    )
    def send(batch):
        with transaction.atomic():
            accepted = 0
            for fields in batch:
                try:
                    record_entry(
                        trainee=placement.trainee,
                        uuid=uuid.uuid4(),
                        data=_input(placement, fields),
                    )
                    accepted += 1
                except ValidationError:
                    pass
            assert HourEntry.objects.count() == accepted
            assert _stored_problems() == []
            accepted_per_batch.append(accepted)
            refused_per_batch.append(len(batch) - accepted)
            transaction.set_rollback(True)

    send()
    # Proves nothing if every entry was refused, or none was.
    assert max(accepted_per_batch) >= 3
    assert sum(refused_per_batch) > 0


def test_the_last_day_of_the_calendar_is_refused_as_future_not_a_crash(placement):
    """Found by the property above: 9999-12-31 from 00:00 past midnight
    reached the day after the last date (OverflowError)."""
    data = _input(
        placement,
        {
            "date": datetime.date.max,
            "category": ActivityCategory.DOCUMENTATION,
            "start_time": datetime.time(0, 0),
            "end_time": datetime.time(0, 0),
            "past_midnight": True,
        },
    )
    with pytest.raises(ValidationError) as refused:
        check_entry(trainee=placement.trainee, data=data)
    assert "belum terjadi" in " ".join(refused.value.message_dict["date"])
