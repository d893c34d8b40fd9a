"""A reflection session in the admin: told apart from its namesakes by dates
and place wherever it is named, landing on its own page after saving, and
its summary PDF carrying the agenda and the notes."""

import datetime
import io

from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

import pytest
from pypdf import PdfReader

from learning.choices import Role
from mentorship.models import ReflectionSession
from tests.factories import ProgrammeFactory, region, user_with_roles

pytestmark = pytest.mark.django_db


def signed_in_as(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def make_session(programme, organisation, facilitator, start, end, place="53.02.01"):
    session = ReflectionSession.objects.create(
        programme=programme,
        organisation=organisation,
        year=2026,
        start_date=start,
        end_date=end,
        place=region(place),
    )
    session.facilitators.add(facilitator)
    return session


@pytest.fixture
def programme(organisation, trainee, facilitator):
    from tests.factories import CohortFactory

    made = ProgrammeFactory(organisations=[organisation], short_name="I-WILL")
    CohortFactory(programme=made, facilitators=[facilitator], trainees=[trainee])
    return made


@pytest.fixture
def two_sessions(programme, organisation, facilitator):
    """Two I-WILL sessions in 2026: March in Kota Soe, August elsewhere."""
    march = make_session(
        programme,
        organisation,
        facilitator,
        datetime.date(2026, 3, 12),
        datetime.date(2026, 3, 13),
    )
    august = make_session(
        programme,
        organisation,
        facilitator,
        datetime.date(2026, 8, 30),
        datetime.date(2026, 9, 1),
        place="53.03.05",
    )
    return march, august


def test_two_sessions_of_one_programme_and_year_are_told_apart(two_sessions):
    march, august = two_sessions
    with translation.override("id"):
        assert str(march) == (f"I-WILL · 2026 · 12–13 Mar · {march.place.name}")
        assert str(august) == (f"I-WILL · 2026 · 30 Agu – 1 Sep · {august.place.name}")
    with translation.override("en"):
        assert "30 Aug – 1 Sep" in str(august)
    march.end_date = march.start_date
    assert march.dates_label == "12 Mar"
    march.end_date = datetime.date(2027, 1, 2)
    with translation.override("id"):
        assert march.dates_label == "12 Mar 2026 – 2 Jan 2027"


def test_the_admin_list_shows_the_names_dates_and_places(two_sessions, facilitator):
    march, august = two_sessions
    html = signed_in_as(facilitator).get("/admin/refleksi/").content.decode()
    for heading in ("Tanggal", "Tempat"):
        assert heading in html
    assert str(march) in html and str(august) in html
    assert "30 Agu – 1 Sep" in html and august.place.name in html


def test_the_session_page_names_it_in_its_title_and_breadcrumbs(
    two_sessions, facilitator
):
    march, _ = two_sessions
    html = signed_in_as(facilitator).get(
        reverse("mentorship_reflection_session", args=[march.pk])
    )
    assert html.content.decode().count(str(march)) >= 2


def test_the_trainee_and_the_phone_list_name_the_session(
    programme, organisation, facilitator, trainee
):
    soon = timezone.localdate() + datetime.timedelta(days=10)
    session = make_session(
        programme, organisation, facilitator, soon, soon + datetime.timedelta(days=1)
    )
    home = signed_in_as(trainee).get("/").content.decode()
    assert str(session) in home
    form = signed_in_as(trainee).get(f"/refleksi/{session.pk}/").content.decode()
    assert str(session) in form
    listing = signed_in_as(facilitator).get(reverse("mentorship:attendance"))
    assert str(session) in listing.content.decode()
    page = signed_in_as(facilitator).get(
        reverse("mentorship:attendance_session", args=[session.pk])
    )
    assert str(session) in page.content.decode()


def session_form(programme, organisation, facilitator, **overrides) -> dict:
    return {
        "programme": programme.pk,
        "organisation": organisation.pk,
        "year": 2026,
        "start_date": "2026-11-10",
        "end_date": "2026-11-11",
        "place": "Kota Soe",
        "venue": "Aula paroki",
        "facilitators": [facilitator.pk],
        "agenda": "Hari 1: kasus.",
        "notes": "",
        "findings": "",
        "recommendations": "",
    } | overrides


def test_a_new_session_opens_on_its_own_page_with_the_message(
    programme, organisation, facilitator
):
    client = signed_in_as(facilitator)
    response = client.post(
        "/admin/refleksi/new/",
        session_form(programme, organisation, facilitator),
        follow=True,
    )
    session = ReflectionSession.objects.get()
    url = reverse("mentorship_reflection_session", args=[session.pk])
    assert response.redirect_chain == [(url, 302)]
    html = response.content.decode()
    assert str(session) in html
    assert "Catat hadir seluruh daftar angkatan" in html
    assert '<li class="success">' in html
    assert f"Sesi refleksi &#x27;{session}&#x27; dibuat." in html


def test_an_edited_session_opens_on_its_own_page(
    two_sessions, programme, organisation, facilitator
):
    march, _ = two_sessions
    client = signed_in_as(facilitator)
    response = client.post(
        f"/admin/refleksi/edit/{march.pk}/",
        session_form(
            programme,
            organisation,
            facilitator,
            start_date="2026-03-12",
            end_date="2026-03-13",
            notes="Peserta meminta pelatihan konseling lanjutan.",
        ),
        follow=True,
    )
    url = reverse("mentorship_reflection_session", args=[march.pk])
    assert response.redirect_chain == [(url, 302)]
    html = response.content.decode()
    assert "Peserta meminta pelatihan konseling lanjutan." in html
    assert f"Sesi refleksi &#x27;{march}&#x27;" in html


def test_notes_naming_a_victim_are_refused_and_nothing_is_saved(
    two_sessions, programme, organisation, facilitator
):
    march, _ = two_sessions
    response = signed_in_as(facilitator).post(
        f"/admin/refleksi/edit/{march.pk}/",
        session_form(
            programme,
            organisation,
            facilitator,
            notes="Korban NIK 5302041204900001 sudah dirujuk.",
        ),
    )
    assert response.status_code == 200
    assert "5302041204900001" in response.content.decode()
    march.refresh_from_db()
    assert march.notes == ""


def pdf_text(content: bytes) -> str:
    return "\n".join(
        page.extract_text() for page in PdfReader(io.BytesIO(content)).pages
    )


def test_the_summary_pdf_carries_the_agenda_and_the_notes(two_sessions, facilitator):
    march, _ = two_sessions
    # Long enough to wrap over several lines: its last words must still be there.
    march.agenda = (
        "Hari 1: berbagi kasus yang didampingi tahun ini dan jalur rujukannya. " * 6
        + "Hari 2: rencana tindak lanjut desa."
    )
    march.notes = "Catatan: jarak ke Polres menjadi kendala; usulan dana desa."
    march.save()
    response = signed_in_as(facilitator).get(
        reverse("mentorship_reflection_pdf", args=[march.pk])
    )
    assert response.status_code == 200
    text = " ".join(pdf_text(response.content).split())
    assert "Agenda" in text and "Catatan pertemuan" in text
    assert "Hari 2: rencana tindak lanjut desa." in text
    assert "jarak ke Polres menjadi kendala; usulan dana desa." in text
    assert str(march) in text


def test_the_pdf_of_another_programme_s_session_is_not_found(two_sessions):
    march, _ = two_sessions
    stranger = user_with_roles(Role.FASILITATOR, username="fas-asing")
    response = signed_in_as(stranger).get(
        reverse("mentorship_reflection_pdf", args=[march.pk])
    )
    assert response.status_code == 404
