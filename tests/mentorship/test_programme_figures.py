"""The programme view's figures: each definition, each filter, each role's
reach, the history beside the computed years, and a bounded query count."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

import pytest

from learning.choices import RegionLevel, Role
from learning.models import Enrolment, Region
from mentorship.choices import EntryStatus
from mentorship.models import (
    FollowUpAction,
    ProgrammeHistoryYear,
    Reflection,
    ReflectionSession,
)
from mentorship.programme_figures import (
    DEFINITIONS,
    TABLE_KEYS,
    FigureFilters,
    exact_figures_allowed,
    organisations_for_view,
    programme_figures,
    programme_view_allowed,
    programmes_for_view,
)
from tests.factories import (
    CohortFactory,
    HourEntryFactory,
    OrganisationFactory,
    PlacementFactory,
    PracticeCaseFactory,
    ProgrammeFactory,
    user_with_roles,
)

YEAR = 2024
TTS = "53.02"


def kecamatan_of_tts() -> list[Region]:
    return list(
        Region.objects.filter(level=RegionLevel.KECAMATAN, code__startswith=TTS + ".")
    )


def desa_in(kecamatan: Region, index: int = 0) -> Region:
    return list(
        Region.objects.filter(level=RegionLevel.DESA, parent=kecamatan).order_by("code")
    )[index]


@dataclass
class World:
    """SSP and a partner run one programme; another programme has its own
    coordinator. One reflection session of SSP in YEAR."""

    ssp: object
    partner: object
    programme: object
    other_programme: object
    coordinator: object
    other_coordinator: object
    facilitator: object
    partner_facilitator: object
    session: ReflectionSession
    kec_a: Region
    kec_b: Region
    desa_a: Region
    desa_a2: Region
    desa_b: Region
    cohort: object = None
    people: list = field(default_factory=list)

    def companion(self, *, organisation=None, village=None, enrol=True, **fields):
        person = user_with_roles(
            Role.PESERTA,
            organisation=organisation or self.ssp,
            village=village,
            **fields,
        )
        if enrol:
            Enrolment.objects.create(cohort=self.cohort, trainee=person)
        self.people.append(person)
        return person

    def reflect(self, person, counts=(), obstacles=(), session=None, attend=False):
        session = session or self.session
        if attend:
            session.attendees.add(person)
        return Reflection.objects.create(
            person=person,
            session=session,
            case_counts=[
                {"type": kind, "path": path, "count": count}
                for kind, path, count in counts
            ],
            obstacles=[{"category": c, "text": ""} for c in obstacles],
        )

    def hours(self, person, *, day=None, minutes=120, status=EntryStatus.VERIFIED):
        return HourEntryFactory(
            placement=PlacementFactory(trainee=person, supervisor=self.facilitator),
            date=day or datetime.date(YEAR, 5, 2),
            minutes=minutes,
            status=status,
        )

    def session_of(self, *, programme=None, organisation=None, year=YEAR, place=None):
        start = datetime.date(year, 3, 12)
        return ReflectionSession.objects.create(
            programme=programme or self.programme,
            organisation=organisation or self.ssp,
            year=year,
            start_date=start,
            end_date=start + datetime.timedelta(days=1),
            place=place or self.kec_a,
        )


@pytest.fixture
def world(db):
    kecamatan = kecamatan_of_tts()
    kec_a, kec_b = kecamatan[0], kecamatan[1]
    tts = Region.objects.get(code=TTS)
    ssp = OrganisationFactory(name="Sanggar Uji", short_name="SSP-U", kabupaten=tts)
    partner = OrganisationFactory(name="Mitra Uji", short_name="MITRA-U")
    coordinator = user_with_roles(Role.KOORDINATOR, username="koor-figures")
    other_coordinator = user_with_roles(Role.KOORDINATOR, username="koor-lain")
    programme = ProgrammeFactory(
        short_name="PEND-U", organisations=[ssp, partner], coordinators=[coordinator]
    )
    other = ProgrammeFactory(short_name="LAIN-U", coordinators=[other_coordinator])
    facilitator = user_with_roles(Role.FASILITATOR, organisation=ssp)
    partner_facilitator = user_with_roles(Role.FASILITATOR, organisation=partner)
    w = World(
        ssp=ssp,
        partner=partner,
        programme=programme,
        other_programme=other,
        coordinator=coordinator,
        other_coordinator=other_coordinator,
        facilitator=facilitator,
        partner_facilitator=partner_facilitator,
        session=None,
        kec_a=kec_a,
        kec_b=kec_b,
        desa_a=desa_in(kec_a, 0),
        desa_a2=desa_in(kec_a, 1),
        desa_b=desa_in(kec_b, 0),
    )
    w.session = w.session_of()
    w.cohort = CohortFactory(programme=programme, facilitators=[facilitator])
    return w


@pytest.fixture
def superuser(db):
    return user_with_roles(username="super-figures", is_superuser=True, is_staff=True)


def figures(actor, **filters):
    return programme_figures(actor=actor, filters=FigureFilters(year=YEAR, **filters))


def cells(table) -> dict[str, list]:
    return {row.label: row.values for row in table.rows}


# --- Definitions ----------------------------------------------------------------


def test_a_companion_active_only_through_verified_hours_counts(world):
    only_hours = world.companion(village=world.desa_a)
    world.hours(only_hours)
    unverified = world.companion(village=world.desa_a)
    world.hours(unverified, status=EntryStatus.SUBMITTED)
    last_year = world.companion(village=world.desa_a)
    world.hours(last_year, day=datetime.date(YEAR - 1, 12, 31))

    result = figures(world.coordinator)

    assert result.headline.active_companions == 1
    assert result.headline.verified_hours == Decimal("2.0")
    label = f"{world.desa_a.name}, {world.kec_a.name}"
    assert cells(result.tables["pendamping-aktif-desa"]) == {label: [1]}
    assert cells(result.tables["jam-magang"]) == {world.kec_a.name: [Decimal("2.0")]}


def test_a_companion_active_only_through_a_case_count_counts(world):
    counted = world.companion(village=world.desa_a)
    world.reflect(counted, counts=[("fisik", "litigasi", 2)])

    result = figures(world.coordinator)

    assert result.headline.active_companions == 1
    assert result.headline.cases_accompanied == 2


def test_an_attendee_with_no_cases_is_active(world):
    attended = world.companion(village=world.desa_b)
    world.session.attendees.add(attended)

    result = figures(world.coordinator)

    assert result.headline.active_companions == 1
    assert result.headline.villages_active == 1
    assert result.headline.cases_accompanied == 0


def test_a_reflection_without_cases_attendance_or_hours_is_not_activity(world):
    quiet = world.companion(village=world.desa_a)
    world.reflect(quiet, counts=[("fisik", "litigasi", 0)], obstacles=["jarak"])

    result = figures(world.coordinator)

    assert result.headline.active_companions == 0
    assert result.tables["pendamping-aktif-desa"].rows == []
    # Her obstacle is still heard.
    assert cells(result.tables["kendala"])["Jarak / transportasi"] == [1]


def test_each_companion_counts_once_however_active(world):
    busy = world.companion(village=world.desa_a)
    world.reflect(busy, counts=[("psikis", "non_litigasi", 3)], attend=True)
    world.hours(busy)
    world.hours(busy, day=datetime.date(YEAR, 6, 1))

    result = figures(world.coordinator)

    assert result.headline.active_companions == 1
    assert result.headline.verified_hours == Decimal("4.0")


def test_companions_without_a_village_are_counted_apart(world):
    nowhere = world.companion(village=None)
    world.session.attendees.add(nowhere)
    somewhere = world.companion(village=world.desa_a)
    world.session.attendees.add(somewhere)

    result = figures(world.coordinator)

    table = cells(result.tables["pendamping-aktif-desa"])
    assert table["Desa belum diisi"] == [1]
    assert result.headline.active_companions == 2
    assert result.headline.villages_active == 1


def test_a_case_two_companions_shared_counts_twice_and_the_page_says_so(world):
    first = world.companion(village=world.desa_a)
    second = world.companion(village=world.desa_b)
    world.reflect(first, counts=[("seksual", "litigasi", 1)])
    world.reflect(second, counts=[("seksual", "litigasi", 1)])

    result = figures(world.coordinator)

    assert result.headline.cases_accompanied == 2
    by_path = result.tables["kasus-jenis-jalur"]
    assert cells(by_path)["Seksual"][0] == 2
    assert by_path.grand_total == 2
    assert "dihitung dua kali" in by_path.note
    assert "dihitung dua kali" in str(DEFINITIONS["kasus-didampingi"])
    by_place = cells(result.tables["kasus-kecamatan-jenis"])
    assert by_place[world.kec_a.name][2] == 1
    assert by_place[world.kec_b.name][2] == 1


def test_case_paths_and_types_fill_their_cells(world):
    person = world.companion(village=world.desa_a)
    world.reflect(
        person,
        counts=[
            ("fisik", "litigasi", 3),
            ("fisik", "non_litigasi", 5),
            ("penelantaran", "belum", 1),
        ],
    )

    table = figures(world.coordinator).tables["kasus-jenis-jalur"]

    assert table.columns[:2] == ["Litigasi", "Non-litigasi"]
    assert cells(table)["Fisik"] == [3, 5, 0, 0]
    assert cells(table)["Penelantaran"] == [0, 0, 0, 1]
    assert [row.total for row in table.rows if row.label == "Fisik"] == [8]
    assert table.grand_total == 9


def test_villages_are_compared_with_every_desa_of_the_kabupaten(world):
    for village in (world.desa_a, world.desa_a2, world.desa_b):
        world.session.attendees.add(world.companion(village=village))

    result = figures(world.coordinator)

    table = result.tables["desa-aktif-kecamatan"]
    all_tts = Region.objects.filter(level=RegionLevel.DESA, code__startswith=TTS + ".")
    assert result.headline.villages_total == all_tts.count()
    assert len(table.rows) == len(kecamatan_of_tts())
    assert cells(table)[world.kec_a.name] == [
        2,
        all_tts.filter(parent=world.kec_a).count(),
    ]
    assert cells(table)[world.kec_b.name][0] == 1
    assert result.headline.villages_active == 3
    assert table.suppress is False


def test_obstacles_most_reported_come_first(world):
    for obstacles in (["biaya", "jarak"], ["biaya"], ["biaya", "keamanan"]):
        world.reflect(world.companion(village=world.desa_a), obstacles=obstacles)

    table = figures(world.coordinator).tables["kendala"]

    assert table.rows[0].label == "Biaya"
    assert table.rows[0].values == [3]
    assert {row.label: row.values[0] for row in table.rows[1:3]} == {
        "Jarak / transportasi": 1,
        "Keamanan pendamping": 1,
    }


def test_follow_ups_are_open_overdue_or_done(world):
    today = timezone.localdate()
    owner = world.facilitator
    for due, done in (
        (today + datetime.timedelta(days=7), None),
        (today - datetime.timedelta(days=1), None),
        (today - datetime.timedelta(days=9), timezone.now()),
        (today + datetime.timedelta(days=9), timezone.now()),
    ):
        FollowUpAction.objects.create(
            session=world.session,
            description="Rapat dengan kepala desa",
            owner=owner,
            due_date=due,
            done_at=done,
        )
    elsewhere = world.session_of(year=YEAR - 1)
    FollowUpAction.objects.create(
        session=elsewhere, description="x", owner=owner, due_date=today
    )

    table = figures(world.coordinator).tables["tindak-lanjut"]

    assert [row.values for row in table.rows] == [[1, 1, 2]]
    assert table.rows[0].label.startswith("PEND-U · ")
    assert table.grand_total == 4


def test_practice_cases_reviewed_are_kept_apart_from_cases_accompanied(world):
    trainee = world.companion(village=world.desa_a)
    placement = PlacementFactory(trainee=trainee, supervisor=world.facilitator)
    PracticeCaseFactory(
        placement=placement,
        status="ditinjau",
        year=YEAR,
        violence_types=["fisik", "psikis"],
        kecamatan=world.kec_a,
    )
    PracticeCaseFactory(placement=placement, status="diajukan", year=YEAR)
    PracticeCaseFactory(placement=placement, status="ditinjau", year=YEAR - 1)

    result = figures(world.coordinator)

    assert cells(result.tables["kasus-praktik"])["Fisik"] == [1]
    assert cells(result.tables["kasus-praktik"])["Psikis"] == [1]
    assert result.headline.cases_accompanied == 0
    assert result.headline.active_companions == 0
    narrowed = figures(world.coordinator, kecamatan=world.kec_b)
    assert cells(narrowed.tables["kasus-praktik"])["Fisik"] == [0]


# --- Filters --------------------------------------------------------------------


def test_the_year_filter_reads_that_year_only(world):
    person = world.companion(village=world.desa_a)
    world.reflect(person, counts=[("fisik", "litigasi", 4)], attend=True)
    earlier = world.session_of(year=YEAR - 1)
    world.reflect(person, counts=[("fisik", "litigasi", 7)], session=earlier)

    now = figures(world.coordinator)
    before = programme_figures(
        actor=world.coordinator, filters=FigureFilters(year=YEAR - 1)
    )

    assert now.headline.cases_accompanied == 4
    assert before.headline.cases_accompanied == 7
    assert cells(now.tables["kasus-per-tahun"]) == {
        str(YEAR - 1): [7, 0, 0, 0, 0, 0, 0],
        str(YEAR): [4, 0, 0, 0, 0, 0, 0],
    }


def test_the_programme_filter_narrows_sessions_hours_and_cohorts(world, superuser):
    ours = world.companion(village=world.desa_a)
    world.reflect(ours, counts=[("fisik", "litigasi", 1)])
    theirs = world.companion(village=world.desa_a, enrol=False)
    CohortFactory(programme=world.other_programme, trainees=[theirs])
    world.hours(theirs)
    world.reflect(
        theirs,
        counts=[("fisik", "litigasi", 5)],
        session=world.session_of(programme=world.other_programme),
    )

    everything = figures(superuser)
    ours_only = figures(superuser, programme=world.programme)

    assert everything.headline.active_companions == 2
    assert everything.headline.cases_accompanied == 6
    assert ours_only.headline.active_companions == 1
    assert ours_only.headline.cases_accompanied == 1
    assert ours_only.headline.verified_hours == 0
    assert [row.label for row in ours_only.tables["pelatihan-angkatan"].rows] == [
        str(world.cohort)
    ]


def test_the_organisation_filter_narrows_to_its_people(world):
    ours = world.companion(village=world.desa_a)
    partner = world.companion(organisation=world.partner, village=world.desa_b)
    world.reflect(ours, counts=[("fisik", "litigasi", 1)])
    world.reflect(partner, counts=[("psikis", "litigasi", 2)])
    world.hours(partner)

    result = figures(world.coordinator, organisation=world.partner)

    assert result.headline.active_companions == 1
    assert result.headline.cases_accompanied == 2
    assert result.headline.verified_hours == Decimal("2.0")


def test_place_filters_narrow_by_the_companions_village(world):
    for village, count in ((world.desa_a, 1), (world.desa_a2, 2), (world.desa_b, 4)):
        world.reflect(
            world.companion(village=village), counts=[("fisik", "litigasi", count)]
        )
    world.reflect(world.companion(village=None), counts=[("fisik", "litigasi", 8)])
    tts = Region.objects.get(code=TTS)

    assert figures(world.coordinator).headline.cases_accompanied == 15
    assert figures(world.coordinator, kabupaten=tts).headline.cases_accompanied == 7
    kec = figures(world.coordinator, kabupaten=tts, kecamatan=world.kec_a)
    assert kec.headline.cases_accompanied == 3
    assert len(kec.tables["desa-aktif-kecamatan"].rows) == 1
    desa = figures(world.coordinator, desa=world.desa_a2)
    assert desa.headline.cases_accompanied == 2
    assert cells(desa.tables["desa-aktif-kecamatan"]) == {world.kec_a.name: [1, 1]}
    assert desa.headline.villages_total == 1


def test_places_that_do_not_nest_match_nothing(world):
    world.reflect(
        world.companion(village=world.desa_a), counts=[("fisik", "litigasi", 1)]
    )

    result = figures(world.coordinator, kecamatan=world.kec_a, desa=world.desa_b)

    assert result.empty
    assert result.headline.cases_accompanied == 0


# --- Who sees what --------------------------------------------------------------


def test_who_may_open_the_view(world, superuser, trainee, alumnus):
    inactive = user_with_roles(Role.KOORDINATOR, is_active=False)
    programme_less = user_with_roles(Role.FASILITATOR, organisation=None)
    assert programme_view_allowed(world.coordinator)
    assert programme_view_allowed(world.facilitator)
    assert programme_view_allowed(superuser)
    for nobody in (trainee, alumnus, inactive, programme_less):
        assert not programme_view_allowed(nobody)
    assert not programme_view_allowed(AnonymousUser())


def test_exact_figures_are_for_coordinators_and_superusers(world, superuser, trainee):
    assert exact_figures_allowed(world.coordinator)
    assert exact_figures_allowed(superuser)
    assert not exact_figures_allowed(world.facilitator)
    assert not exact_figures_allowed(trainee)


def test_people_who_may_not_see_get_nothing(world, trainee):
    world.reflect(
        world.companion(village=world.desa_a), counts=[("fisik", "litigasi", 3)]
    )

    result = figures(trainee)

    assert result.empty
    assert result.headline.cases_accompanied == 0
    assert set(result.tables) == set(TABLE_KEYS)
    assert all(
        table.rows == []
        for key, table in result.tables.items()
        if key not in ("kasus-jenis-jalur", "kendala", "kasus-praktik")
    )


def test_a_coordinator_of_another_programme_sees_nothing_of_this_one(world):
    world.reflect(
        world.companion(village=world.desa_a), counts=[("fisik", "litigasi", 3)]
    )
    ProgrammeHistoryYear.objects.create(
        programme=world.programme,
        organisation=world.ssp,
        year=2020,
        cases_accompanied=120,
        source="Laporan 2020",
    )

    own = figures(world.other_coordinator)
    asked = figures(world.other_coordinator, programme=world.programme)

    assert own.headline.cases_accompanied == 0
    assert own.tables["kasus-per-tahun"].rows == []
    assert own.tables["pelatihan-angkatan"].rows == []
    assert asked.empty
    assert world.programme not in programmes_for_view(world.other_coordinator)
    assert list(programmes_for_view(world.coordinator)) == [world.programme]


def test_a_partner_facilitator_sees_only_her_organisation(world):
    world.reflect(
        world.companion(village=world.desa_a), counts=[("fisik", "litigasi", 3)]
    )
    hers = world.companion(organisation=world.partner, village=world.desa_b)
    world.reflect(hers, counts=[("psikis", "litigasi", 1)])
    FollowUpAction.objects.create(
        session=world.session,
        description="x",
        owner=world.facilitator,
        due_date=timezone.localdate(),
    )
    ProgrammeHistoryYear.objects.create(
        programme=world.programme,
        organisation=world.ssp,
        year=2021,
        cases_accompanied=120,
        source="Laporan SSP",
    )

    result = figures(world.partner_facilitator)
    other_org = figures(world.partner_facilitator, organisation=world.ssp)

    assert result.headline.cases_accompanied == 1
    assert result.headline.active_companions == 1
    assert result.tables["tindak-lanjut"].rows == []
    assert [row.label for row in result.tables["kasus-per-tahun"].rows] == [str(YEAR)]
    assert other_org.empty
    assert list(organisations_for_view(world.partner_facilitator)) == [world.partner]


def test_a_facilitator_sees_her_organisations_sessions_follow_ups(world):
    FollowUpAction.objects.create(
        session=world.session,
        description="x",
        owner=world.facilitator,
        due_date=timezone.localdate() + datetime.timedelta(days=3),
    )

    result = figures(world.facilitator)

    assert [row.values for row in result.tables["tindak-lanjut"].rows] == [[1, 0, 0]]


def test_a_coordinator_who_coordinates_nothing_but_facilitates_sees_as_facilitator(
    world,
):
    both = user_with_roles(
        Role.KOORDINATOR, Role.FASILITATOR, organisation=world.partner
    )
    hers = world.companion(organisation=world.partner, village=world.desa_b)
    world.reflect(hers, counts=[("psikis", "litigasi", 2)])
    world.reflect(world.companion(village=world.desa_a), counts=[("fisik", "belum", 5)])

    assert programme_view_allowed(both)
    assert not exact_figures_allowed(both)
    assert figures(both).headline.cases_accompanied == 2
