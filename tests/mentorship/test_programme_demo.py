"""The demo's programme figures: SSP SoE's years before Pendamping as the seed
gives them, and reflection years since with cases, obstacles, attendance and
follow-ups; loading twice adds nothing."""

from collections import Counter

from django.utils import timezone

import pytest

from learning.demo import load_demo_data
from learning.models import User
from mentorship.models import (
    FollowUpAction,
    ProgrammeHistoryYear,
    Reflection,
    ReflectionSession,
)
from mentorship.programme_demo import (
    CASES_BY_YEAR,
    DEMO_COMPANIONS,
    HISTORY_SOURCE,
    load_demo_programme_figures,
)
from mentorship.programme_history import first_computed_year

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year


def counts():
    return (
        ProgrammeHistoryYear.objects.count(),
        ReflectionSession.objects.count(),
        Reflection.objects.count(),
        FollowUpAction.objects.count(),
        User.objects.count(),
    )


@pytest.fixture
def loaded():
    load_demo_data()
    load_demo_programme_figures()


def test_the_years_before_pendamping_are_the_seeds(loaded):
    rows = ProgrammeHistoryYear.objects.filter(programme__short_name="SSP-LBK")

    assert [(r.year, r.cases_accompanied, r.villages_assisted) for r in rows] == [
        (2020, 120, 22),
        (2021, 120, 22),
        (2022, 166, 22),
    ]
    assert all(r.active_companions is None for r in rows)  # "2-3" is no number
    assert all(r.source == HISTORY_SOURCE for r in rows)
    assert len(HISTORY_SOURCE) <= 300
    assert all(r.entered_by.username == "koordinator" for r in rows)


def test_the_history_lies_before_the_first_computed_year(loaded):
    sessions = ReflectionSession.objects.filter(programme__short_name="SSP-LBK")

    assert first_computed_year(sessions.first().programme) == 2023
    assert sorted(sessions.values_list("year", flat=True)) == list(
        range(2023, THIS_YEAR + 1)
    )


def test_each_computed_year_has_its_cases_by_type_and_path(loaded):
    for year in range(2023, THIS_YEAR + 1):
        reflections = Reflection.objects.filter(
            session__programme__short_name="SSP-LBK", session__year=year
        )
        items = [item for r in reflections for item in r.case_counts]
        total = sum(item["count"] for item in items)
        if year in CASES_BY_YEAR:
            assert total == CASES_BY_YEAR[year]
        assert 50 <= total <= 160
        assert len({item["type"] for item in items}) >= 4
        assert {item["path"] for item in items} >= {"litigasi", "non_litigasi"}
        assert all(r.obstacles for r in reflections)


def test_companions_live_in_several_kecamatan_and_attend(loaded):
    companions = User.objects.filter(
        username__in=[row[0] for row in DEMO_COMPANIONS]
    ).select_related("village__parent")
    kecamatan = Counter(c.village.parent.code for c in companions)
    session = ReflectionSession.objects.get(
        programme__short_name="SSP-LBK", year=THIS_YEAR
    )

    assert len(kecamatan) >= 5
    assert all(code.startswith("53.02.") for code in kecamatan)  # TTS
    assert session.attendees.count() >= len(DEMO_COMPANIONS) - 3
    assert not any(c.has_usable_password() for c in companions)


def test_follow_ups_are_open_and_done(loaded):
    follow_ups = FollowUpAction.objects.filter(session__programme__short_name="SSP-LBK")
    today = timezone.localdate()

    assert follow_ups.filter(done_at__isnull=False).exists()
    assert follow_ups.filter(done_at__isnull=True, due_date__lt=today).exists()
    assert follow_ups.filter(done_at__isnull=True, due_date__gte=today).exists()


def test_loading_twice_adds_nothing(loaded):
    before = counts()

    load_demo_data()
    load_demo_programme_figures()

    assert counts() == before
