"""A programme's years before Pendamping: who sees and changes them, which
years and figures may be entered, the admin screens for every role, and
twenty identical saves at once.

The people: the programme's coordinator, a facilitator of its organisation,
a facilitator of another organisation, another programme's coordinator, a
superuser, a trainee and an alumna.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

import pytest

from learning.choices import Role
from learning.models import Organisation, Programme, User
from mentorship.choices import EntryStatus
from mentorship.models import ProgrammeHistoryYear, ReflectionSession
from mentorship.programme_history import (
    delete_history_year,
    first_computed_year,
    history_year_range,
    history_years_changeable_by,
    history_years_visible_to,
    save_history_year,
)
from tests.concurrency import all_at_once
from tests.factories import (
    CohortFactory,
    HourEntryFactory,
    OrganisationFactory,
    PlacementFactory,
    ProgrammeFactory,
    UserFactory,
    user_with_roles,
)
from tests.factories.people import client_for
from tests.factories.programmes import region
from tests.hostile import UGLY

pytestmark = pytest.mark.django_db

LAST_YEAR = timezone.localdate().year - 1


@dataclass
class World:
    org: Organisation
    partner: Organisation
    stranger_org: Organisation
    programme: Programme
    other_programme: Programme
    coordinator: User
    other_coordinator: User
    facilitator: User
    partner_facilitator: User
    stranger_facilitator: User
    superuser: User
    trainee: User
    alumna: User


def session_in(programme, organisation, year: int) -> ReflectionSession:
    return ReflectionSession.objects.create(
        programme=programme,
        organisation=organisation,
        year=year,
        start_date=datetime.date(year, 11, 10),
        end_date=datetime.date(year, 11, 11),
        place=region("53.02.01"),
    )


def make_world() -> World:
    org = OrganisationFactory(short_name="SSPU", name="Sanggar Uji")
    partner = OrganisationFactory(short_name="MITRA", name="Mitra Uji")
    stranger_org = OrganisationFactory(short_name="LAIN", name="Lembaga Lain")
    coordinator = user_with_roles(Role.KOORDINATOR, username="koord")
    other_coordinator = user_with_roles(Role.KOORDINATOR, username="koord-lain")
    programme = ProgrammeFactory(
        short_name="LBK-U",
        name="Layanan Uji",
        organisations=[org, partner],
        coordinators=[coordinator],
    )
    other_programme = ProgrammeFactory(
        short_name="LAIN-U",
        name="Program Lain",
        organisations=[stranger_org],
        coordinators=[other_coordinator],
    )
    session_in(programme, org, 2023)
    return World(
        org=org,
        partner=partner,
        stranger_org=stranger_org,
        programme=programme,
        other_programme=other_programme,
        coordinator=coordinator,
        other_coordinator=other_coordinator,
        facilitator=user_with_roles(
            Role.FASILITATOR, username="fasil", organisation=org
        ),
        partner_facilitator=user_with_roles(
            Role.FASILITATOR, username="fasil-mitra", organisation=partner
        ),
        stranger_facilitator=user_with_roles(
            Role.FASILITATOR, username="fasil-lain", organisation=stranger_org
        ),
        superuser=UserFactory(username="super", is_superuser=True, is_staff=True),
        trainee=user_with_roles(Role.PESERTA, username="pes", organisation=org),
        alumna=user_with_roles(Role.ALUMNI, username="alum", organisation=org),
    )


@pytest.fixture
def world() -> World:
    return make_world()


def enter(w: World, **fields) -> ProgrammeHistoryYear:
    values = {
        "actor": w.coordinator,
        "programme": w.programme,
        "organisation": w.org,
        "year": 2021,
        "cases_accompanied": 120,
        "cases_by_type": None,
        "villages_assisted": 22,
        "active_companions": None,
        "source": "Profil SSP SoE (dokumen program)",
    }
    values.update(fields)
    return save_history_year(**values)


def refusal(w: World, **fields) -> str:
    with pytest.raises(ValidationError) as caught:
        enter(w, **fields)
    return " ".join(caught.value.messages)


# --- entering -------------------------------------------------------------------------


def test_the_coordinator_enters_a_year_marked_with_its_source(world):
    row = enter(world, cases_by_type={"seksual": 40, "fisik": 30})

    row.refresh_from_db()
    assert (row.year, row.cases_accompanied, row.villages_assisted) == (2021, 120, 22)
    assert row.cases_by_type == {"fisik": 30, "seksual": 40}
    assert row.active_companions is None  # not given, never zero
    assert row.source == "Profil SSP SoE (dokumen program)"
    assert row.entered_by == world.coordinator


def test_types_alone_give_the_cases_accompanied_their_sum(world):
    row = enter(world, cases_accompanied=None, cases_by_type={"psikis": 7, "fisik": 5})

    assert row.cases_accompanied == 12


def test_types_summing_past_the_cases_are_refused(world):
    message = refusal(world, cases_accompanied=10, cases_by_type={"fisik": 11})

    assert "(11) lebih besar dari kasus yang didampingi (10)" in message
    assert not ProgrammeHistoryYear.objects.exists()


def test_types_equal_to_the_cases_are_kept(world):
    row = enter(world, cases_accompanied=11, cases_by_type={"fisik": 11})

    assert row.cases_by_type == {"fisik": 11}


def test_a_type_left_empty_stays_absent(world):
    row = enter(world, cases_by_type={"fisik": 3, "psikis": None})

    assert row.cases_by_type == {"fisik": 3}


def test_only_the_villages_may_be_given(world):
    row = enter(world, cases_accompanied=None, villages_assisted=22)

    assert (row.cases_accompanied, row.villages_assisted) == (None, 22)


def test_no_figure_at_all_is_refused(world):
    message = refusal(
        world,
        cases_accompanied=None,
        villages_assisted=None,
        cases_by_type={"fisik": None},
    )

    assert "Isi paling sedikit satu angka" in message


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("cases_accompanied", -1),
        ("cases_accompanied", 1_000_001),
        ("villages_assisted", 10**30),
        ("active_companions", -5),
        ("cases_accompanied", True),
        ("cases_accompanied", "5"),
        ("villages_assisted", 1.5),
    ],
)
def test_figures_outside_0_to_a_million_are_refused(world, field, value):
    message = refusal(world, **{field: value})

    assert "0 sampai 1.000.000" in message or "bilangan bulat" in message
    assert not ProgrammeHistoryYear.objects.exists()


def test_a_million_is_the_largest_figure(world):
    assert enter(world, cases_accompanied=1_000_000).cases_accompanied == 1_000_000


@pytest.mark.parametrize(
    "types",
    [
        {"pencurian": 3},
        {"fisik": -1},
        {"fisik": "3"},
        {"\x00": 1},
        ["fisik", 3],
        {"seksual": 2_000_000},
    ],
)
def test_ugly_types_are_refused(world, types):
    refusal(world, cases_by_type=types)

    assert not ProgrammeHistoryYear.objects.exists()


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("", "Tulis sumber"),
        ("   ", "Tulis sumber"),
        (None, "Tulis sumber"),
        ("Laporan\x002021", "karakter null"),
        ("Laporan\n2021", "satu baris"),
        ("Laporan\x1b[31m", "satu baris"),
        ("x" * 301, "paling panjang 300"),
    ],
)
def test_a_missing_or_unreadable_source_is_refused(world, source, words):
    assert words in refusal(world, source=source)


def test_a_source_of_300_characters_with_quotes_and_marks_is_kept(world):
    source = ("Laporan \"SSP\" '2021' ² " * 20)[:300]

    assert enter(world, source=source).source == source.strip()


# --- which years ----------------------------------------------------------------------


def test_years_before_the_first_reflection_session_may_be_entered(world):
    assert first_computed_year(world.programme) == 2023
    assert enter(world, year=2022).year == 2022
    assert enter(world, year=1990).year == 1990


@pytest.mark.parametrize("year", [2023, 2024, 1989, 0, 32767])
def test_computed_years_and_years_before_1990_are_refused(world, year):
    message = refusal(world, year=year)

    assert f"Tahun {year} tidak dapat dicatat" in message
    assert "sejak 2023" in message


@pytest.mark.parametrize("year", ["2021", None, 2021.0, True])
def test_a_year_that_is_not_a_whole_number_is_refused(world, year):
    assert "Tahun harus bilangan bulat" in refusal(world, year=year)


def test_a_programme_without_a_session_may_enter_up_to_last_year(world):
    ReflectionSession.objects.all().delete()

    assert enter(world, year=LAST_YEAR).year == LAST_YEAR
    message = refusal(world, year=LAST_YEAR + 1)
    assert "belum punya sesi refleksi" in message
    assert f"sampai tahun lalu ({LAST_YEAR})" in message


def test_earlier_cohorts_and_magang_do_not_make_a_year_computed(world):
    ReflectionSession.objects.all().delete()
    trainee = user_with_roles(Role.PESERTA, username="lama", organisation=world.org)
    CohortFactory(
        programme=world.programme,
        start_date=datetime.date(2019, 2, 1),
        trainees=[trainee],
    )
    placement = PlacementFactory(trainee=trainee, host=world.org)
    HourEntryFactory(
        placement=placement,
        date=datetime.date(2019, 5, 2),
        minutes=120,
        status=EntryStatus.VERIFIED,
    )

    assert first_computed_year(world.programme) is None
    assert enter(world, year=2019).year == 2019


def test_the_range_follows_the_earliest_session(world):
    session_in(world.programme, world.partner, 2021)

    assert history_year_range(world.programme).last == 2020
    assert "sejak 2021" in refusal(world, year=2021)


# --- one row per year -----------------------------------------------------------------


def test_a_second_entry_for_the_year_is_refused_in_words(world):
    enter(world)

    message = refusal(world, cases_accompanied=130)

    assert "Tahun 2021 untuk SSPU di program LBK-U sudah dicatat" in message
    assert "Ubah catatan itu" in message
    assert ProgrammeHistoryYear.objects.get().cases_accompanied == 120


def test_the_same_entry_sent_again_returns_the_first_row(world):
    first = enter(world, cases_by_type={"fisik": 3, "seksual": 2})

    again = enter(world, cases_by_type={"seksual": 2, "fisik": 3})

    assert again.pk == first.pk
    assert ProgrammeHistoryYear.objects.count() == 1


def test_each_organisation_of_a_consortium_has_its_own_year(world):
    enter(world)
    enter(world, organisation=world.partner, cases_accompanied=30)

    assert ProgrammeHistoryYear.objects.count() == 2


def test_an_organisation_outside_the_programme_is_refused(world):
    message = refusal(world, organisation=world.stranger_org)

    assert "tidak termasuk pelaksana program LBK-U" in message


# --- who ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who",
    [
        "facilitator",
        "partner_facilitator",
        "other_coordinator",
        "trainee",
        "alumna",
        "stranger_facilitator",
    ],
)
def test_only_the_programmes_coordinators_enter_years(world, who):
    message = refusal(world, actor=getattr(world, who))

    assert "tidak boleh mengubah angka program ini" in message
    assert not ProgrammeHistoryYear.objects.exists()


def test_an_anonymous_visitor_or_a_deactivated_coordinator_enters_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    refusal(world, actor=AnonymousUser())
    world.coordinator.is_active = False
    world.coordinator.save()
    refusal(world, actor=world.coordinator)

    assert not ProgrammeHistoryYear.objects.exists()


def test_a_superuser_enters_for_any_programme(world):
    row = enter(
        world,
        actor=world.superuser,
        programme=world.other_programme,
        organisation=world.stranger_org,
        year=LAST_YEAR,
    )

    assert row.entered_by == world.superuser


def test_who_sees_and_who_changes(world):
    ours = enter(world)
    partners = enter(world, organisation=world.partner, cases_accompanied=9)
    theirs = enter(
        world,
        actor=world.other_coordinator,
        programme=world.other_programme,
        organisation=world.stranger_org,
    )

    def seen(who):
        return set(history_years_visible_to(getattr(world, who)))

    def changed(who):
        return set(history_years_changeable_by(getattr(world, who)))

    assert seen("coordinator") == changed("coordinator") == {ours, partners}
    assert seen("facilitator") == {ours}
    assert seen("partner_facilitator") == {partners}
    assert seen("stranger_facilitator") == {theirs}
    assert seen("other_coordinator") == changed("other_coordinator") == {theirs}
    assert seen("superuser") == changed("superuser") == {ours, partners, theirs}
    for who in ["facilitator", "partner_facilitator", "trainee", "alumna"]:
        assert changed(who) == set()
    assert seen("trainee") == seen("alumna") == set()


# --- changing and deleting ------------------------------------------------------------


def test_the_coordinator_corrects_a_year(world):
    row = enter(world)

    changed = enter(world, instance=row, year=2020, cases_accompanied=166)

    assert changed.pk == row.pk
    row.refresh_from_db()
    assert (row.year, row.cases_accompanied) == (2020, 166)


def test_moving_a_year_onto_another_entered_year_is_refused(world):
    enter(world, year=2020)
    row = enter(world, year=2021)

    assert "sudah dicatat" in refusal(world, instance=row, year=2020)
    row.refresh_from_db()
    assert row.year == 2021


def test_others_may_not_correct_a_year(world):
    row = enter(world)

    for who in ["facilitator", "other_coordinator", "trainee"]:
        with pytest.raises(ValidationError):
            enter(world, actor=getattr(world, who), instance=row, cases_accompanied=1)
    row.refresh_from_db()
    assert row.cases_accompanied == 120


def test_only_the_coordinator_deletes_a_year(world):
    row = enter(world)

    for who in ["facilitator", "other_coordinator", "trainee", "alumna"]:
        with pytest.raises(ValidationError):
            delete_history_year(actor=getattr(world, who), instance=row)
    assert ProgrammeHistoryYear.objects.filter(pk=row.pk).exists()
    delete_history_year(actor=world.coordinator, instance=row)
    assert not ProgrammeHistoryYear.objects.exists()


# --- twenty at once -------------------------------------------------------------------


def _twenty_identical_saves() -> None:
    w = make_world()
    results = all_at_once(
        [lambda: enter(w, cases_by_type={"fisik": 20}).pk for _copy in range(20)]
    )

    assert ProgrammeHistoryYear.objects.count() == 1
    assert set(results) == {ProgrammeHistoryYear.objects.get().pk}


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrated_data")
def test_twenty_identical_saves_at_once_make_one_row():
    _twenty_identical_saves()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrated_data")
def test_twenty_identical_saves_at_once_on_postgresql():
    assert connection.vendor == "postgresql"
    _twenty_identical_saves()


def _twenty_different_saves() -> None:
    w = make_world()
    results = all_at_once(
        [
            (lambda n=n: enter(w, cases_accompanied=100 + n).cases_accompanied)
            for n in range(20)
        ]
    )

    kept = ProgrammeHistoryYear.objects.get()
    assert results.count(kept.cases_accompanied) == 1
    refused = [r for r in results if r != kept.cases_accompanied]
    assert len(refused) == 19
    assert all(r[0] == "raised" and "sudah dicatat" in r[1] for r in refused)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrated_data")
def test_twenty_different_saves_at_once_keep_one_and_refuse_the_rest():
    _twenty_different_saves()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrated_data")
def test_twenty_different_saves_at_once_on_postgresql():
    assert connection.vendor == "postgresql"
    _twenty_different_saves()


# --- the admin screens ----------------------------------------------------------------


INDEX = "/admin/angka-program/sebelum-pendamping/"
ADD = INDEX + "new/"


def edit_url(row) -> str:
    return reverse("programme_history:edit", args=[row.pk])


def delete_url(row) -> str:
    return reverse("programme_history:delete", args=[row.pk])


def inspect_url(row) -> str:
    return reverse("programme_history:inspect", args=[row.pk])


def form_data(w: World, **fields) -> dict:
    data = {
        "programme": str(w.programme.pk),
        "organisation": str(w.org.pk),
        "year": "2022",
        "cases_accompanied": "166",
        "kasus_fisik": "",
        "kasus_psikis": "",
        "kasus_seksual": "",
        "kasus_eksploitasi": "",
        "kasus_trafficking": "",
        "kasus_penelantaran": "",
        "kasus_lainnya": "",
        "villages_assisted": "22",
        "active_companions": "",
        "source": "Profil SSP SoE (dokumen program)",
    }
    data.update(fields)
    return data


def test_the_urls_are_where_the_menu_says():
    assert reverse("programme_history:index") == INDEX
    assert reverse("programme_history:add") == ADD


def test_the_coordinator_lists_her_years_marked_as_entered_by_hand(world):
    row = enter(world)
    enter(
        world,
        actor=world.other_coordinator,
        programme=world.other_programme,
        organisation=world.stranger_org,
        source="Laporan Program Lain",
    )

    page = client_for(world.coordinator).get(INDEX)

    text = page.content.decode()
    assert page.status_code == 200
    assert "Profil SSP SoE (dokumen program)" in text
    assert "dicatat manual" in text
    assert "LBK-U" in text and "SSPU" in text and "2021" in text
    assert edit_url(row) in text
    assert "Laporan Program Lain" not in text


def test_the_facilitator_reads_her_organisations_years_only(world):
    row = enter(world)
    partners = enter(
        world, organisation=world.partner, source="Laporan Mitra", cases_accompanied=9
    )
    client = client_for(world.facilitator)

    listing = client.get(INDEX).content.decode()
    inspect = client.get(inspect_url(row))

    assert "Profil SSP SoE" in listing and "Laporan Mitra" not in listing
    assert inspect_url(row) in listing
    assert edit_url(row) not in listing and delete_url(row) not in listing
    assert inspect.status_code == 200
    assert edit_url(row) not in inspect.content.decode()
    assert client.get(inspect_url(partners)).status_code == 404


@pytest.mark.parametrize("who", ["facilitator", "partner_facilitator"])
def test_facilitators_may_not_add_change_or_delete(world, who):
    row = enter(world)
    client = client_for(getattr(world, who))

    add = client.post(ADD, form_data(world, year="2020"))
    edit = client.post(edit_url(row), form_data(world, year="2021"))
    delete = client.post(delete_url(row))

    assert add.status_code in (302, 403) and edit.status_code in (302, 403, 404)
    assert delete.status_code in (302, 403, 404)
    assert not ProgrammeHistoryYear.objects.filter(year=2020).exists()
    row.refresh_from_db()
    assert row.cases_accompanied == 120


def test_the_form_asks_one_number_per_violence_type_with_help(world):
    page = client_for(world.coordinator).get(ADD)

    text = page.content.decode()
    assert page.status_code == 200
    for words in ["Kasus: Fisik", "Kasus: Seksual", "Kasus: Penelantaran"]:
        assert words in text
    assert "cases_by_type" not in text  # no raw JSON box
    assert "paling awal 1990" in text
    assert "kosongkan bila laporan hanya menyebut kira-kira" in text
    choices = list(page.context["form"].fields["programme"].queryset)
    assert choices == [world.programme]


def test_the_coordinator_adds_a_year_through_the_form(world):
    response = client_for(world.coordinator).post(
        ADD, form_data(world, kasus_seksual="60", kasus_fisik="50")
    )

    assert response.status_code == 302
    row = ProgrammeHistoryYear.objects.get()
    assert (row.year, row.cases_accompanied, row.villages_assisted) == (2022, 166, 22)
    assert row.cases_by_type == {"fisik": 50, "seksual": 60}
    assert row.entered_by == world.coordinator


def test_a_year_already_entered_offers_the_existing_one(world):
    row = enter(world, year=2022)

    response = client_for(world.coordinator).post(
        ADD, form_data(world, cases_accompanied="170")
    )

    text = response.content.decode()
    assert response.status_code == 200, response.context["form"].errors
    assert "sudah dicatat" in text, response.context["form"].errors
    assert "Ubah catatan tahun 2022 yang ada" in text and edit_url(row) in text
    row.refresh_from_db()
    assert row.cases_accompanied == 120


def test_a_computed_year_is_refused_beside_the_year(world):
    response = client_for(world.coordinator).post(ADD, form_data(world, year="2023"))

    text = response.content.decode()
    assert response.status_code == 200
    assert "Tahun 2023 tidak dapat dicatat" in text and "sejak 2023" in text
    assert not ProgrammeHistoryYear.objects.exists()


def test_another_programme_cannot_be_chosen_in_the_form(world):
    response = client_for(world.coordinator).post(
        ADD,
        form_data(
            world,
            programme=str(world.other_programme.pk),
            organisation=str(world.stranger_org.pk),
        ),
    )

    assert response.status_code == 200
    assert not ProgrammeHistoryYear.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"cases_accompanied": "99999999999999999999"},
        {"cases_accompanied": "-1"},
        {"kasus_fisik": "²"},
        {"kasus_fisik": "1.5"},
        {"year": "abc"},
        {"year": "99999999999999999999"},
        {"source": "Laporan\x00"},
        {"source": ""},
        {"source": "x" * 10_000},
        {"programme": "abc"},
        {"organisation": "-1"},
        {"cases_accompanied": "", "villages_assisted": ""},
        {"cases_accompanied": "3", "kasus_fisik": "4"},
    ],
)
def test_ugly_form_input_is_refused_in_words_and_saves_nothing(world, fields):
    response = client_for(world.coordinator).post(ADD, form_data(world, **fields))

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not ProgrammeHistoryYear.objects.exists()


@pytest.mark.parametrize("value", UGLY[:12])
def test_ugly_values_in_every_field_never_break_the_form(world, value):
    client = client_for(world.coordinator)
    for field in form_data(world):
        response = client.post(ADD, form_data(world, **{field: value}))
        assert response.status_code in (200, 302), (field, value)


def test_the_coordinator_edits_a_year(world):
    row = enter(world, cases_by_type={"fisik": 30})
    client = client_for(world.coordinator)

    page = client.get(edit_url(row))
    response = client.post(
        edit_url(row), form_data(world, year="2021", kasus_fisik="31")
    )

    assert page.status_code == 200
    assert page.context["form"].initial["kasus_fisik"] == 30
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.cases_accompanied, row.cases_by_type) == (166, {"fisik": 31})


def test_the_coordinator_deletes_a_year(world):
    row = enter(world)
    client = client_for(world.coordinator)

    confirm = client.get(delete_url(row))
    response = client.post(delete_url(row))

    assert confirm.status_code == 200
    assert response.status_code == 302
    assert not ProgrammeHistoryYear.objects.exists()


@pytest.mark.parametrize("who", ["other_coordinator"])
def test_another_programmes_rows_are_not_found(world, who):
    row = enter(world)
    client = client_for(getattr(world, who))

    for url in [edit_url(row), delete_url(row), inspect_url(row)]:
        assert client.get(url).status_code == 404
    assert client.post(edit_url(row), form_data(world)).status_code == 404
    assert client.post(delete_url(row)).status_code == 404
    assert ProgrammeHistoryYear.objects.filter(pk=row.pk).exists()


def test_another_organisations_facilitator_does_not_find_or_change_the_row(world):
    row = enter(world)
    client = client_for(world.stranger_facilitator)

    assert client.get(inspect_url(row)).status_code == 404
    # Facilitators change no row at all: sent back to the dashboard, or (the
    # delete view looks the row up first) not found.
    assert client.post(edit_url(row), form_data(world)).status_code == 302
    assert client.post(delete_url(row)).status_code == 404
    row.refresh_from_db()
    assert row.cases_accompanied == 120


@pytest.mark.parametrize("action", ["edit", "delete", "inspect", "history", "usage"])
@pytest.mark.parametrize(
    "value", ["0", "-1", "abc", "²", "١٢", "99999999999999999999", "1.5", "%00"]
)
def test_ugly_ids_in_addresses_are_not_found(world, action, value):
    response = client_for(world.coordinator).get(f"{INDEX}{action}/{value}/")

    assert response.status_code == 404


@pytest.mark.parametrize("who", ["trainee", "alumna"])
def test_trainees_and_alumni_are_turned_away_from_every_screen(world, who):
    row = enter(world)
    client = client_for(getattr(world, who))

    for url in [INDEX, ADD, edit_url(row), delete_url(row), inspect_url(row)]:
        response = client.get(url)
        assert response.status_code in (302, 403, 404), url
        assert "Profil SSP SoE" not in response.content.decode()
    client.post(delete_url(row))
    assert ProgrammeHistoryYear.objects.filter(pk=row.pk).exists()


def test_anonymous_visitors_are_sent_to_sign_in(world):
    row = enter(world)
    client = client_for(None)

    for url in [INDEX, ADD, edit_url(row), delete_url(row), inspect_url(row)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "login" in response["Location"] or "masuk" in response["Location"]


@pytest.mark.parametrize("who", ["coordinator", "facilitator", "superuser"])
def test_staff_find_the_menu_item(world, who):
    page = client_for(getattr(world, who)).get(reverse("wagtailadmin_home"))

    assert "Angka sebelum Pendamping" in page.content.decode()


def test_the_superuser_sees_and_changes_every_row(world):
    row = enter(world)
    client = client_for(world.superuser)

    assert "Profil SSP SoE" in client.get(INDEX).content.decode()
    assert client.get(edit_url(row)).status_code == 200


def test_the_listing_costs_the_same_queries_for_more_rows(world):
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.coordinator)
    enter(world, year=2000)
    client.get(INDEX)
    with CaptureQueriesContext(connection) as few:
        client.get(INDEX)
    for year in range(2001, 2010):
        enter(world, year=year)
        enter(world, year=year, organisation=world.partner)
    with CaptureQueriesContext(connection) as many:
        page = client.get(INDEX)

    assert page.content.decode().count("dicatat manual") == 19
    assert len(many) == len(few)
