"""The programme view's series and funnel: hand-entered years beside the
computed ones, the training funnel per cohort (completion as certification
judges it), a query count that does not grow with the data, and input that
matches nothing."""

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from assessments.certification import rule_for
from assessments.certification_conditions import check_core_modules
from assessments.models import Certificate, Sitting
from learning.choices import RegionLevel, Role
from learning.models import Cohort, Enrolment, Programme, Region
from mentorship.models import FollowUpAction, ProgrammeHistoryYear
from mentorship.programme_figures import (
    FigureFilters,
    headline_figures,
    programme_figures,
)
from modules.models import ModuleCompletion
from tests.factories import CohortFactory, PracticeCaseFactory, user_with_roles
from tests.factories.assessments import choice_question, quiz_with
from tests.factories.modules import module_with_lessons
from tests.mentorship import test_programme_figures as base
from tests.mentorship.test_programme_figures import TTS, YEAR, cells, figures

# The people and records of the figures' tests, shared as fixtures.
world = base.world
superuser = base.superuser

UNRECORDED = "Jenis tidak dicatat"


def history(world, year, *, organisation=None, programme=None, **fields):
    fields.setdefault("source", f"Laporan {year}")
    return ProgrammeHistoryYear.objects.create(
        programme=programme or world.programme,
        organisation=organisation or world.ssp,
        year=year,
        **fields,
    )


# --- Hand-entered years beside the computed ones ------------------------------


def test_hand_entered_years_sit_beside_computed_ones_in_one_series(world):
    history(world, 2020, cases_accompanied=120, source="Profil SSP 2020")
    history(world, 2021, cases_accompanied=120, source="Laporan SSP 2021")
    history(
        world,
        2021,
        organisation=world.partner,
        cases_by_type={"fisik": 10, "psikis": 5},
        cases_accompanied=15,
        source="Laporan Mitra 2021",
    )
    history(world, 2022, cases_by_type={"seksual": 100}, cases_accompanied=166)
    person = world.companion(village=world.desa_a)
    world.reflect(person, counts=[("fisik", "litigasi", 6)])

    table = figures(world.coordinator).tables["kasus-per-tahun"]

    assert [row.label for row in table.rows] == ["2020", "2021", "2022", str(YEAR)]
    assert [row.total for row in table.rows] == [120, 135, 166, 6]
    assert table.columns[-1] == UNRECORDED
    rows = {row.label: row for row in table.rows}
    assert rows["2020"].note == "Dicatat manual · Profil SSP 2020"
    assert rows["2021"].note == (
        "Dicatat manual · Laporan Mitra 2021; Laporan SSP 2021"
    )
    # Types a report does not give stay empty, never zero.
    assert rows["2020"].values == [None] * 7 + [120]
    assert rows["2021"].values[:2] == [10, 5]
    assert rows["2022"].values[2] == 100
    assert rows["2022"].values[-1] == 66
    assert rows[str(YEAR)].note == ""
    assert rows[str(YEAR)].values[0] == 6
    assert rows[str(YEAR)].values[-1] is None
    assert "dicatat manual" in table.note
    assert table.grand_total == 120 + 135 + 166 + 6


def test_a_year_with_records_and_a_hand_entered_row_shows_both_never_summed(world):
    history(world, YEAR, cases_by_type={"fisik": 30}, source="Laporan lama")
    world.reflect(world.companion(village=world.desa_a), counts=[("fisik", "belum", 2)])

    table = figures(world.coordinator).tables["kasus-per-tahun"]

    assert [(row.label, row.values[0], row.note) for row in table.rows] == [
        (str(YEAR), 2, "Dihitung dari refleksi di Pendamping"),
        (f"{YEAR} (dicatat manual)", 30, "Dicatat manual · Laporan lama"),
    ]
    # No unrecorded column when every report gave its types.
    assert UNRECORDED not in table.columns


def test_a_place_filter_leaves_hand_entered_years_out_and_says_so(world):
    history(world, 2020, cases_accompanied=120)
    world.reflect(world.companion(village=world.desa_a), counts=[("fisik", "belum", 2)])
    tts = Region.objects.get(code=TTS)

    table = figures(world.coordinator, kabupaten=tts).tables["kasus-per-tahun"]

    assert [row.label for row in table.rows] == [str(YEAR)]
    assert "tidak dapat dipecah" in table.note


def test_hand_entered_years_follow_the_programme_and_organisation(world, superuser):
    history(world, 2020, cases_accompanied=120)
    history(world, 2020, organisation=world.partner, cases_accompanied=7)
    history(world, 2019, programme=world.other_programme, cases_accompanied=50)

    partner_only = figures(world.coordinator, organisation=world.partner)
    programme_only = figures(superuser, programme=world.programme)

    assert cells(partner_only.tables["kasus-per-tahun"]) == {"2020": [None] * 7 + [7]}
    assert [row.total for row in programme_only.tables["kasus-per-tahun"].rows] == [127]


def test_a_year_before_pendamping_headlines_its_hand_entered_figures(world):
    history(
        world,
        2021,
        cases_accompanied=120,
        villages_assisted=22,
        active_companions=50,
        source="Profil SSP",
    )
    history(world, 2021, organisation=world.partner, villages_assisted=3)

    headline = programme_figures(
        actor=world.coordinator, filters=FigureFilters(year=2021)
    ).headline

    assert headline.cases_accompanied == 120
    assert headline.villages_active == 25
    assert headline.active_companions == 50
    assert headline.note.startswith("Dicatat manual · ")
    assert "Profil SSP" in headline.note
    # Nobody was active in Pendamping then: no kabupaten to compare with yet.
    assert headline.villages_total == 0


def test_villages_are_compared_with_the_programmes_area_when_nobody_was_active(
    world,
):
    history(world, 2021, cases_accompanied=120, villages_assisted=22)
    world.programme.kabupaten.set([Region.objects.get(code=TTS)])
    world.programme.save()

    result = programme_figures(
        actor=world.coordinator, filters=FigureFilters(year=2021)
    )

    all_tts = Region.objects.filter(level=RegionLevel.DESA, code__startswith=TTS + ".")
    assert result.headline.villages_active == 22
    assert result.headline.villages_total == all_tts.count()
    table = result.tables["desa-aktif-kecamatan"]
    assert sum(row.values[1] for row in table.rows) == all_tts.count()
    assert all(row.values[0] == 0 for row in table.rows)


def test_a_hand_entered_year_without_cases_stays_out_of_the_cases_series(world):
    history(world, 2021, villages_assisted=22)

    result = programme_figures(
        actor=world.coordinator, filters=FigureFilters(year=2021)
    )

    assert result.tables["kasus-per-tahun"].rows == []
    assert result.headline.cases_accompanied is None
    assert result.headline.villages_active == 22


# --- The training funnel ----------------------------------------------------------


@pytest.fixture
def core_module(tree):
    return module_with_lessons(lessons=1, title="Modul Inti Uji")


def certificate(person, programme, *, revoked=False):
    return Certificate.objects.create(
        holder=person,
        programme=programme,
        holder_name=person.display_name,
        programme_name=programme.name,
        organisation_names="SSP",
        revoked_at=timezone.now() if revoked else None,
    )


def test_the_funnel_counts_enrolled_completed_and_certified(world, core_module):
    quiz = quiz_with([choice_question()], module=core_module)
    studied, passed, certified, revoked, idle = (
        world.companion(village=world.desa_a) for _ in range(5)
    )
    for person in (studied, passed, certified, revoked):
        ModuleCompletion.objects.create(user=person, module=core_module)
    for person in (passed, certified, revoked):
        Sitting.objects.create(
            user=person,
            quiz=quiz,
            mode=quiz.mode,
            feedback=quiz.feedback,
            pass_mark=70,
            passed=True,
        )
    certificate(certified, world.programme)
    certificate(revoked, world.programme, revoked=True)
    # A certificate of another programme is not this one's.
    certificate(idle, world.other_programme)

    table = figures(world.coordinator).tables["pelatihan-angkatan"]

    assert table.columns == ["Terdaftar", "Selesai", "Bersertifikat"]
    assert cells(table) == {str(world.cohort): [5, 3, 1]}
    # "Selesai" is the certification rule's own core-modules judgement.
    judged = check_core_modules(
        rule_for(world.programme), world.programme, world.people
    )
    assert sum(line.done for line in judged.values()) == 3
    assert figures(world.coordinator).headline.trainees_enrolled == 5
    assert figures(world.coordinator).headline.certified == 1


def test_a_module_of_another_programme_is_not_required(world, core_module):
    other_only = module_with_lessons(lessons=1, title="Modul Program Lain")
    other_only.programmes.set([world.other_programme])
    other_only.save_revision().publish()
    person = world.companion(village=world.desa_a)
    ModuleCompletion.objects.create(user=person, module=core_module)

    table = figures(world.coordinator).tables["pelatihan-angkatan"]

    assert cells(table)[str(world.cohort)][1] == 1


def test_cohorts_starting_after_the_year_are_left_out(world):
    later = CohortFactory(
        programme=world.programme, start_date=datetime.date(YEAR + 1, 1, 5)
    )

    table = figures(world.coordinator).tables["pelatihan-angkatan"]

    assert str(later) not in cells(table)
    assert str(world.cohort) in cells(table)


def test_a_facilitator_sees_the_cohorts_she_can_see(world):
    stranger = CohortFactory(programme=world.other_programme)

    labels = cells(figures(world.facilitator).tables["pelatihan-angkatan"])

    assert str(world.cohort) in labels
    assert str(stranger) not in labels


# --- Bounded queries ----------------------------------------------------------------


def fill(world, size: int, offset: int) -> None:
    """`size` companions with everything the view reads, in two cohorts."""
    cohort = CohortFactory(programme=world.programme, name=f"Angkatan isi {offset}")
    villages = list(
        Region.objects.filter(
            level=RegionLevel.DESA, code__startswith=TTS + "."
        ).order_by("code")[offset : offset + size]
    )
    for index in range(size):
        person = world.companion(
            organisation=world.ssp if index % 2 else world.partner,
            village=villages[index] if index % 5 else None,
        )
        Enrolment.objects.create(cohort=cohort, trainee=person)
        world.reflect(
            person,
            counts=[("fisik", "litigasi", index % 3), ("psikis", "belum", 1)],
            obstacles=["jarak"],
            attend=bool(index % 2),
        )
        entry = world.hours(person)
        PracticeCaseFactory(
            placement=entry.placement,
            status="ditinjau",
            year=YEAR,
            kecamatan=world.kec_a,
        )
        ModuleCompletion.objects.create(user=person, module=world.module)
        FollowUpAction.objects.create(
            session=world.session,
            description="Tindak lanjut",
            owner=world.facilitator,
            due_date=timezone.localdate(),
        )
        if index % 4 == 0:
            certificate(person, world.programme)
    history(world, 2000 + offset, cases_accompanied=size)


@pytest.mark.parametrize("actor", ["coordinator", "facilitator", "superuser"])
def test_the_query_count_does_not_grow_with_the_data(world, superuser, tree, actor):
    world.module = module_with_lessons(lessons=1, title="Modul Inti Hitung")
    person = {"coordinator": world.coordinator, "facilitator": world.facilitator}.get(
        actor, superuser
    )
    tts = Region.objects.get(code=TTS)
    counts = []
    # Nothing yet, then 3 companions, then 30 more: no query is skipped for
    # an empty list, and none repeats per row.
    for size, offset in ((0, 0), (3, 0), (30, 40)):
        if size:
            fill(world, size, offset)
        for filters in ({}, {"kabupaten": tts}, {"programme": world.programme}):
            fresh = type(person).objects.get(pk=person.pk)
            with CaptureQueriesContext(connection) as queries:
                result = figures(fresh, **filters)
            counts.append((size, tuple(filters), len(queries)))
        assert (result.headline.active_companions > 0) == bool(size)
    empty, small, large = (
        [count for size, _f, count in counts if size == wanted] for wanted in (0, 3, 30)
    )
    assert empty == small == large, counts
    assert max(large) <= 25, counts


def test_the_query_count_at_two_sizes_sees_the_larger_data(world, tree):
    world.module = module_with_lessons(lessons=1, title="Modul Inti Besar")
    fill(world, 3, 0)
    small = figures(world.coordinator).headline
    fill(world, 30, 40)
    large = figures(world.coordinator).headline
    assert large.active_companions == small.active_companions + 30
    assert large.trainees_enrolled > small.trainees_enrolled


# --- Input that matches nothing -----------------------------------------------------


@pytest.mark.parametrize("year", [0, -1, 10**9, 10000, 1])
def test_years_no_record_can_hold_give_empty_figures(world, superuser, year):
    world.reflect(world.companion(village=world.desa_a), counts=[("fisik", "belum", 2)])

    result = programme_figures(actor=superuser, filters=FigureFilters(year=year))

    assert result.headline.cases_accompanied in (0, None)
    assert result.headline.active_companions in (0, None)


def test_an_unsaved_or_foreign_programme_gives_nothing(world):
    unsaved = figures(world.coordinator, programme=Programme(name="x\x00'²"))
    foreign = figures(world.coordinator, programme=world.other_programme)
    other_org = figures(
        world.coordinator,
        organisation=type(world.ssp).objects.create(
            name="Lain \"'",
            short_name="LAIN",
            kind="lsm",
            kabupaten=world.ssp.kabupaten,
        ),
    )

    assert unsaved.empty and foreign.empty and other_org.empty
    for result in (unsaved, foreign, other_org):
        assert not any(
            value
            for table in result.tables.values()
            for row in table.value_rows()
            for value in row[1:]
        )


def test_a_coordinator_without_programmes_sees_an_empty_page(db):
    lonely = user_with_roles(Role.KOORDINATOR, username="koor-sepi")

    result = programme_figures(actor=lonely, filters=FigureFilters(year=YEAR))

    assert result.empty
    assert result.headline.active_companions == 0


def test_the_home_panel_headline_is_the_pages(world):
    person = world.companion(village=world.desa_a)
    world.reflect(person, counts=[("fisik", "litigasi", 9)], attend=True)
    world.hours(person, minutes=95)

    headline = headline_figures(actor=world.coordinator, year=YEAR)

    assert headline == figures(world.coordinator).headline
    assert headline.cases_accompanied == 9
    assert headline.verified_hours == Decimal("1.6")
    assert (
        headline_figures(actor=world.other_coordinator, year=YEAR).cases_accompanied
        == 0
    )


def test_a_cohort_without_enrolments_reads_zero(world):
    empty = Cohort.objects.create(
        programme=world.programme, name="Kosong", start_date=datetime.date(YEAR, 1, 1)
    )

    assert cells(figures(world.coordinator).tables["pelatihan-angkatan"])[
        str(empty)
    ] == [0, 0, 0]
