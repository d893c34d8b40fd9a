"""A facilitator's attendance pages on the phone: /kehadiran/, a workshop day,
a reflection session. Who reaches them, the three-way merge through the form,
ugly input, the copy a phone keeps, the query budget, twenty saves at once."""

import datetime
import re
import uuid
from types import SimpleNamespace

from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from assessments.models import Attendance, TrainingEvent
from learning.bounds import MAX_ID
from learning.choices import Role
from learning.models import Enrolment
from mentorship.models import ReflectionSession
from tests.concurrency import all_at_once, signed_in_clients
from tests.factories import (
    CohortFactory,
    OrganisationFactory,
    ProgrammeFactory,
    UserFactory,
    region,
    user_with_roles,
)

TODAY = timezone.localdate


def days(count: int) -> datetime.timedelta:
    return datetime.timedelta(days=count)


def make_event(programme, organiser, *, start, end, title="Pelatihan Rujukan"):
    event = TrainingEvent.objects.create(
        title=title,
        programme=programme,
        start_date=start,
        end_date=end,
        place=region("53.02"),
        venue="Aula Gereja",
    )
    event.organisers.set([organiser])
    event.save()
    return event


def make_world(trainee_count: int = 3) -> SimpleNamespace:
    """A consortium programme run by SSP and YABIKU: SSP's two facilitators
    teach the cohort; YABIKU's facilitator teaches none; a workshop on today
    and tomorrow organised by SSP; a reflection session in three days."""
    ssp = OrganisationFactory(short_name="SSP-HADIR")
    yabiku = OrganisationFactory(short_name="YAB-HADIR")
    lead = user_with_roles(
        Role.FASILITATOR,
        username="fas-utama",
        first_name="Fransiska",
        last_name="Fasilitatora",
        organisation=ssp,
    )
    colleague = user_with_roles(
        Role.FASILITATOR, username="fas-rekan", organisation=ssp
    )
    partner = user_with_roles(
        Role.FASILITATOR, username="fas-mitra", organisation=yabiku
    )
    coordinator = user_with_roles(Role.KOORDINATOR, username="koor-hadir")
    other_coordinator = user_with_roles(Role.KOORDINATOR, username="koor-lain")
    ProgrammeFactory(coordinators=[other_coordinator])
    trainees = [
        user_with_roles(
            Role.PESERTA,
            username=f"peserta-hadir-{n:03d}",
            first_name=f"Peserta{n:03d}",
            last_name="Desa",
            organisation=ssp,
        )
        for n in range(trainee_count)
    ]
    alumnus = user_with_roles(
        Role.ALUMNI, username="alumni-hadir", first_name="Alumna", organisation=ssp
    )
    programme = ProgrammeFactory(
        organisations=[ssp, yabiku], coordinators=[coordinator]
    )
    CohortFactory(
        programme=programme,
        facilitators=[lead, colleague],
        trainees=[*trainees, alumnus],
    )
    outsider = user_with_roles(
        Role.PESERTA, username="peserta-luar", first_name="Orang", last_name="Luar"
    )
    CohortFactory(trainees=[outsider])
    event = make_event(programme, ssp, start=TODAY(), end=TODAY() + days(1))
    session = ReflectionSession.objects.create(
        programme=programme,
        organisation=ssp,
        year=TODAY().year,
        start_date=TODAY() + days(3),
        end_date=TODAY() + days(4),
        place=region("53.02.01"),
        venue="Aula Kecamatan",
    )
    session.facilitators.add(lead)
    return SimpleNamespace(
        ssp=ssp,
        programme=programme,
        lead=lead,
        colleague=colleague,
        partner=partner,
        coordinator=coordinator,
        other_coordinator=other_coordinator,
        trainees=trainees,
        alumnus=alumnus,
        outsider=outsider,
        event=event,
        session=session,
    )


def day_url(event, day) -> str:
    return reverse("mentorship:attendance_event_day", args=[event.pk, day.isoformat()])


def session_url(session) -> str:
    return reverse("mentorship:attendance_session", args=[session.pk])


def signed_in_as(person) -> Client:
    client = Client()
    if person is not None:
        client.force_login(person)
    return client


def present(event, day=None) -> set[int]:
    return set(
        Attendance.objects.filter(event=event, day=day or TODAY()).values_list(
            "trainee_id", flat=True
        )
    )


def ticked(html: str) -> set[int]:
    """The ids the page shows ticked."""
    found = set()
    for tag in re.findall(r"<input[^>]*name=\"hadir\"[^>]*>", html):
        if " checked" in tag:
            found.add(int(re.search(r'value="(\d+)"', tag).group(1)))
    return found


def shown_present(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'name="tadi" value="(\d+)"', html)}


@pytest.fixture
def world(db):
    return make_world()


# --- Who reaches the pages --------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "answers"),
    [
        ("lead", (200, 200, 200)),
        ("colleague", (200, 200, 404)),
        ("coordinator", (200, 200, 200)),
        ("superuser", (200, 200, 200)),
        ("partner", (200, 404, 404)),
        ("other_coordinator", (200, 404, 404)),
        ("trainee", (403, 403, 403)),
        ("alumnus", (403, 403, 403)),
    ],
)
def test_who_may_open_the_attendance_pages(world, who, answers):
    """The list, the workshop day, the session. The partner sees the
    consortium's workshop in the admin but may not record it (404); the
    colleague sees the session (same organisation) but does not lead it."""
    people = {
        "lead": world.lead,
        "colleague": world.colleague,
        "coordinator": world.coordinator,
        "superuser": UserFactory(is_superuser=True, is_staff=True),
        "partner": world.partner,
        "other_coordinator": world.other_coordinator,
        "trainee": world.trainees[0],
        "alumnus": world.alumnus,
    }
    client = signed_in_as(people[who])
    got = tuple(
        client.get(url).status_code
        for url in (
            reverse("mentorship:attendance"),
            day_url(world.event, TODAY()),
            session_url(world.session),
        )
    )
    assert got == answers


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(world):
    client = Client()
    for url in (
        reverse("mentorship:attendance"),
        day_url(world.event, TODAY()),
        session_url(world.session),
    ):
        for response in (client.get(url), client.post(url, {"hadir": ["1"]})):
            assert response.status_code == 302
            assert response["Location"].startswith("/masuk/")
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_a_trainee_is_refused_in_indonesian(world):
    response = signed_in_as(world.trainees[0]).get(reverse("mentorship:attendance"))
    assert response.status_code == 403


@pytest.mark.django_db
def test_the_partner_who_sees_the_workshop_cannot_post_to_it(world):
    from assessments.events import events_visible_to

    assert events_visible_to(world.partner).filter(pk=world.event.pk).exists()
    response = signed_in_as(world.partner).post(
        day_url(world.event, TODAY()), {"hadir": [str(world.trainees[0].pk)]}
    )
    assert response.status_code == 404
    assert not Attendance.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "day", ["kemarin", "2022-13-45", "20221117", "2022-1-1", "0000-00-00", "9" * 30]
)
def test_a_bad_date_is_not_found(world, day):
    url = f"/kehadiran/pelatihan/{world.event.pk}/{day}/"
    client = signed_in_as(world.lead)
    assert client.get(url).status_code == 404
    assert client.post(url, {"hadir": [str(world.trainees[0].pk)]}).status_code == 404
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_a_date_outside_the_workshop_is_not_found(world):
    client = signed_in_as(world.lead)
    for day in (TODAY() - days(1), TODAY() + days(2)):
        assert client.get(day_url(world.event, day)).status_code == 404
    assert client.get(day_url(world.event, TODAY() + days(1))).status_code == 200


@pytest.mark.django_db
def test_an_id_no_row_can_have_is_not_found(world):
    client = signed_in_as(world.lead)
    assert client.get(f"/kehadiran/refleksi/{'9' * 25}/").status_code == 404
    assert client.get(f"/kehadiran/pelatihan/0/{TODAY()}/").status_code == 404


# --- The list -------------------------------------------------------------------


@pytest.mark.django_db
def test_the_list_shows_this_months_workshop_days_and_open_sessions(world):
    programme, ssp = world.programme, world.ssp
    recent = make_event(
        programme,
        ssp,
        start=TODAY() - days(6),
        end=TODAY() - days(5),
        title="Baru Usai",
    )
    make_event(
        programme,
        ssp,
        start=TODAY() - days(12),
        end=TODAY() - days(8),
        title="Lokakarya-Lampau",
    )
    make_event(
        programme,
        ssp,
        start=TODAY() + days(31),
        end=TODAY() + days(32),
        title="Lokakarya-Kelak",
    )
    soon = make_event(
        programme, ssp, start=TODAY() + days(30), end=TODAY() + days(30), title="Segera"
    )
    ended = ReflectionSession.objects.create(
        programme=programme,
        organisation=ssp,
        year=TODAY().year,
        start_date=TODAY() - days(3),
        end_date=TODAY() - days(1),
        place=region("53.02.01"),
    )
    html = signed_in_as(world.lead).get(reverse("mentorship:attendance")).content
    html = html.decode()
    for title in ("Pelatihan Rujukan", "Usai", "Segera"):
        assert title in html
    assert "Lokakarya-Lampau" not in html and "Lokakarya-Kelak" not in html
    for event, day in [
        (world.event, TODAY()),
        (world.event, TODAY() + days(1)),
        (recent, TODAY() - days(6)),
        (recent, TODAY() - days(5)),
        (soon, TODAY() + days(30)),
    ]:
        url = day_url(event, day)
        assert f'href="{url}" data-offline-keep="{url}?salinan=offline"' in html
    url = session_url(world.session)
    assert f'href="{url}" data-offline-keep="{url}?salinan=offline"' in html
    assert session_url(ended) not in html
    assert "(hari ini)" in html


@pytest.mark.django_db
def test_the_list_shows_nothing_of_another_programme(world):
    html = (
        signed_in_as(world.other_coordinator)
        .get(reverse("mentorship:attendance"))
        .content.decode()
    )
    assert "Pelatihan Rujukan" not in html
    assert "/kehadiran/pelatihan/" not in html and "/kehadiran/refleksi/" not in html
    assert "Belum ada pelatihan" in html


@pytest.mark.django_db
def test_the_partner_does_not_find_the_consortium_workshop_in_the_list(world):
    html = (
        signed_in_as(world.partner).get(reverse("mentorship:attendance")).content
    ).decode()
    assert day_url(world.event, TODAY()) not in html


@pytest.mark.django_db
def test_the_list_takes_the_same_queries_for_few_or_many(
    world, django_assert_max_num_queries
):
    client = signed_in_as(world.lead)
    for count in (1, 10):
        while TrainingEvent.objects.count() < count:
            make_event(world.programme, world.ssp, start=TODAY(), end=TODAY() + days(2))
            copy = ReflectionSession.objects.get(pk=world.session.pk)
            copy.pk = None
            copy.save()
            copy.facilitators.add(world.lead)
        with django_assert_max_num_queries(6):
            html = client.get(reverse("mentorship:attendance")).content.decode()
        assert html.count("/kehadiran/pelatihan/") == 2 * (3 * count - 1)
        assert html.count("/kehadiran/refleksi/") == 2 * count


@pytest.mark.django_db
def test_a_facilitators_home_links_to_the_attendance_list(world):
    html = signed_in_as(world.lead).get("/").content.decode()
    assert f'href="{reverse("mentorship:attendance")}"' in html


# --- A workshop day -------------------------------------------------------------


@pytest.mark.django_db
def test_the_day_page_ticks_who_is_already_present(world):
    first, second, third = world.trainees
    Attendance.objects.create(event=world.event, trainee=second, day=TODAY())
    Attendance.objects.create(event=world.event, trainee=third, day=TODAY() + days(1))
    client = signed_in_as(world.lead)
    html = client.get(day_url(world.event, TODAY())).content.decode()
    for person in (*world.trainees, world.alumnus):
        assert person.display_name in html
    assert world.outsider.display_name not in html
    assert ticked(html) == {second.pk}
    assert shown_present(html) == {second.pk}
    assert "1 hadir dari 4" in html
    assert "Simpan kehadiran" in html
    assert "data-offline-form" in html
    assert "<table" not in html
    keys = re.findall(r'name="uuid" value="([0-9a-f-]{36})"', html)
    again = client.get(day_url(world.event, TODAY())).content.decode()
    assert len(keys) == 1
    assert keys != re.findall(r'name="uuid" value="([0-9a-f-]{36})"', again)
    assert uuid.UUID(keys[0]).version == 4


@pytest.mark.django_db
def test_saving_a_day_ticks_and_unticks(world):
    first, second, third = world.trainees
    Attendance.objects.create(event=world.event, trainee=second, day=TODAY())
    client = signed_in_as(world.lead)
    url = day_url(world.event, TODAY())
    response = client.post(
        url,
        {
            "uuid": str(uuid.uuid4()),
            "hadir": [str(first.pk), str(third.pk)],
            "tadi": [str(second.pk)],
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url
    assert present(world.event) == {first.pk, third.pk}
    page = client.get(url).content.decode()
    assert "Kehadiran disimpan: 3 perubahan." in page
    assert "2 hadir dari 4" in page
    assert Attendance.objects.get(trainee=first).recorded_by == world.lead


@pytest.mark.django_db
def test_another_facilitators_ticks_survive_a_page_drawn_before_them(world):
    first, second, third = world.trainees
    url = day_url(world.event, TODAY())
    lead, colleague = signed_in_as(world.lead), signed_in_as(world.colleague)
    # Both phones drew the page with nobody present.
    assert shown_present(colleague.get(url).content.decode()) == set()
    lead.post(url, {"hadir": [str(first.pk), str(second.pk)]})
    # The colleague's page never showed them ticked: saving it leaves them.
    colleague.post(url, {"hadir": [str(third.pk)]})
    assert present(world.event) == {first.pk, second.pk, third.pk}
    # An untick removes only what that page showed ticked.
    colleague.post(url, {"hadir": [], "tadi": [str(third.pk)]})
    assert present(world.event) == {first.pk, second.pk}


@pytest.mark.django_db
def test_a_refused_day_saves_nothing_and_keeps_the_ticks(world):
    first, second, _third = world.trainees
    Attendance.objects.create(event=world.event, trainee=second, day=TODAY())
    response = signed_in_as(world.lead).post(
        day_url(world.event, TODAY()),
        {
            "hadir": [str(first.pk), str(world.outsider.pk)],
            "tadi": [str(second.pk)],
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tidak ada yang disimpan" in html
    # Someone outside the facilitator's scope is named by number only.
    assert f"#{world.outsider.pk}" in html
    assert world.outsider.display_name not in html
    assert ticked(html) == {first.pk}
    assert shown_present(html) == {second.pk}
    assert present(world.event) == {second.pk}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "ugly",
    ["abc", "1\x00", "-1", "0", "", "1.5", "９", str(MAX_ID + 1), "9" * 400],
)
def test_ugly_ticks_save_nothing_and_say_so(world, ugly):
    first = world.trainees[0]
    for field in ("hadir", "tadi"):
        response = signed_in_as(world.lead).post(
            day_url(world.event, TODAY()), {"hadir": [str(first.pk)], field: [ugly]}
        )
        assert response.status_code == 200
        assert "isian kehadiran tidak sesuai" in response.content.decode()
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_an_id_nobody_has_is_refused_by_number(world):
    response = signed_in_as(world.lead).post(
        day_url(world.event, TODAY()),
        {"hadir": [str(world.trainees[0].pk), str(MAX_ID)]},
    )
    assert response.status_code == 200
    assert f"#{MAX_ID}" in response.content.decode()
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_duplicate_ticks_save_once(world):
    first = world.trainees[0]
    response = signed_in_as(world.lead).post(
        day_url(world.event, TODAY()),
        {"hadir": [str(first.pk)] * 5, "tadi": [str(first.pk)] * 2},
    )
    assert response.status_code == 302
    assert Attendance.objects.filter(trainee=first).count() == 1


@pytest.mark.django_db
def test_the_day_page_takes_the_same_queries_for_ten_or_a_hundred(
    django_assert_max_num_queries,
):
    world = make_world(trainee_count=10)
    client = signed_in_as(world.lead)
    url = day_url(world.event, TODAY())
    cohort = world.programme.cohorts.get()
    for size in (10, 100):
        extra = [UserFactory(username=f"banyak-{size}-{n}") for n in range(size - 10)]
        for person in extra:
            Enrolment.objects.create(cohort=cohort, trainee=person)
        Attendance.objects.bulk_create(
            Attendance(event=world.event, trainee=person, day=TODAY())
            for person in extra[::2]
        )
        with django_assert_max_num_queries(8):
            html = client.get(url).content.decode()
        assert html.count('name="hadir"') >= size


# --- A reflection session -------------------------------------------------------


@pytest.mark.django_db
def test_the_session_page_merges_like_the_day_page(world):
    first, second, third = world.trainees
    world.session.attendees.add(second)
    url = session_url(world.session)
    lead, coordinator = signed_in_as(world.lead), signed_in_as(world.coordinator)
    html = lead.get(url).content.decode()
    assert world.alumnus.display_name in html
    assert ticked(html) == {second.pk} and shown_present(html) == {second.pk}
    assert "1 hadir dari 4" in html and "data-offline-form" in html
    coordinator.post(url, {"hadir": [str(world.alumnus.pk)]})
    response = lead.post(
        url, {"hadir": [str(first.pk)], "tadi": [str(second.pk)], "uuid": "x"}
    )
    assert response.status_code == 302 and response["Location"] == url
    assert set(world.session.attendees.values_list("pk", flat=True)) == {
        first.pk,
        world.alumnus.pk,
    }
    refused = lead.post(url, {"hadir": [str(third.pk), str(world.outsider.pk)]})
    assert refused.status_code == 200
    assert "Tidak ada yang disimpan" in refused.content.decode()
    assert ticked(refused.content.decode()) == {third.pk}
    assert not world.session.attendees.filter(pk=third.pk).exists()
    ugly = lead.post(url, {"hadir": ["1\x00"]})
    assert "isian kehadiran tidak sesuai" in ugly.content.decode()


@pytest.mark.django_db
def test_the_session_page_takes_the_same_queries_for_ten_or_a_hundred(
    django_assert_max_num_queries,
):
    world = make_world(trainee_count=10)
    client = signed_in_as(world.lead)
    cohort = world.programme.cohorts.get()
    for size in (10, 100):
        extra = [UserFactory(username=f"sesi-{size}-{n}") for n in range(size - 10)]
        for person in extra:
            Enrolment.objects.create(cohort=cohort, trainee=person)
        world.session.attendees.add(*extra[::2])
        # Two of them ask who may not be unticked (`attendance_locks`).
        with django_assert_max_num_queries(10):
            html = client.get(session_url(world.session)).content.decode()
        assert html.count('name="hadir"') >= size


# --- The copy a phone keeps -----------------------------------------------------


@pytest.mark.django_db
def test_the_copies_a_phone_keeps_carry_no_account_bar(world):
    client = signed_in_as(world.lead)
    lead = world.lead
    for url, is_form in (
        (reverse("mentorship:attendance"), False),
        (day_url(world.event, TODAY()), True),
        (session_url(world.session), True),
    ):
        live = client.get(url).content.decode()
        assert lead.username in live and lead.display_name in live
        copy = client.get(url, {"salinan": "offline"}).content.decode()
        assert lead.username not in copy and lead.display_name not in copy
        assert "data-offline-owner" not in copy
        assert ("data-offline-form" in copy) is is_form
        if is_form:
            assert 'action="' + url + '"' in copy
            assert world.trainees[0].display_name in copy


# --- Twenty saves at once -------------------------------------------------------


def _twenty_phones_save_the_same_day():
    world = make_world(trainee_count=5)
    url = day_url(world.event, TODAY())
    body = {"hadir": [str(person.pk) for person in world.trainees]}

    def save(client):
        return client.post(url, body).status_code

    answers = all_at_once(
        [
            lambda client=client: save(client)
            for client in signed_in_clients(world.lead, 20)
        ]
    )
    assert answers == [302] * 20, answers
    rows = Attendance.objects.filter(event=world.event, day=TODAY())
    assert sorted(rows.values_list("trainee_id", flat=True)) == sorted(
        person.pk for person in world.trainees
    )

    session = session_url(world.session)
    answers = all_at_once(
        [
            lambda client=client: client.post(session, body).status_code
            for client in signed_in_clients(world.lead, 20)
        ]
    )
    assert answers == [302] * 20, answers
    assert world.session.attendees.count() == len(world.trainees)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrated_data")
def test_twenty_phones_saving_one_day_at_once_record_each_person_once():
    """Each in its own thread and connection (SQLite here; PostgreSQL in CI)."""
    _twenty_phones_save_the_same_day()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrated_data")
def test_twenty_phones_saving_one_day_at_once_on_postgresql():
    assert connection.vendor == "postgresql"
    _twenty_phones_save_the_same_day()
