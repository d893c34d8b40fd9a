"""Choosing a place: one region field, found by name, on every admin form.

The person and cohort forms used to embed all 3,442 villages of NTT (330 KB
to 1 MB a page, and one click without Ctrl wiped a cohort's villages).
"""

from django.core.exceptions import ValidationError

import pytest
from bs4 import BeautifulSoup

from learning.choices import RegionLevel, Role
from learning.models import Region, User
from learning.region_field import RegionField
from tests.factories import region

pytestmark = pytest.mark.django_db

SEARCH = "/admin/wilayah/cari/"
OEEKAM = {"53.02.04.2012", "53.02.05.2003", "53.02.26.2004"}


@pytest.fixture
def eleven_villages():
    """Eleven villages of TTS, as a cohort of the seeds' programme has."""
    tts = Region.objects.filter(level=RegionLevel.DESA, code__startswith="53.02.")
    # Not in Kota Soe, whose Kel. SoE a test adds.
    others = tts.exclude(code__in=OEEKAM).exclude(code__startswith="53.02.01.")
    others = others.order_by("code")[:8]
    return sorted([*OEEKAM, *(village.code for village in others)])


@pytest.fixture
def cohort(coordinator, facilitator):
    return coordinator.coordinated_programmes.get().cohorts.get()


def suggestions(client, query, levels="4"):
    response = client.get(SEARCH, {"q": query, "levels": levels})
    assert response.status_code == 200, response.content[:300]
    return response.json()["results"]


def form_as_posted(page: str) -> dict[str, list[str]]:
    """What a browser posts when the form on `page` is saved as it stands."""
    soup = BeautifulSoup(page, "html.parser")
    form = next(
        form
        for form in soup.find_all("form")
        if form.get("method", "").lower() == "post"
    )
    data: dict[str, list[str]] = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or field.has_attr("disabled"):
            continue
        kind = field.get("type", "text")
        if field.name == "select":
            values = [
                option.get("value", option.text)
                for option in field.find_all("option")
                if option.has_attr("selected")
            ]
        elif field.name == "textarea":
            values = [field.text]
        elif kind in ("checkbox", "radio"):
            values = [field.get("value", "on")] if field.has_attr("checked") else []
        elif kind in ("submit", "button", "file"):
            continue
        else:
            values = [field.get("value", "")]
        data.setdefault(name, []).extend(values)
    return data


def new_person(**overrides):
    from django.contrib.auth.models import Group

    data = {
        "username": "paralegal-baru",
        "first_name": "Kristina",
        "last_name": "",
        "email": "",
        "password1": "lontar-sabu-2026",
        "password2": "lontar-sabu-2026",
        "groups": [Group.objects.get(name=Role.PESERTA.value).pk],
        "organisation": "",
        "village": "",
        "sex": "P",
        "birth_year": "1990",
        "phone": "",
    }
    return data | overrides


# --- The search -------------------------------------------------------------


def test_oeekam_finds_the_three_oe_ekam_with_their_kecamatan_and_kabupaten(
    signed_in, facilitator
):
    found = suggestions(signed_in(facilitator), "Oeekam")
    assert {row["code"] for row in found[:3]} == OEEKAM
    labels = [row["label"] for row in found[:3]]
    assert "Desa Oe'Ekam, Kec. Amanuban Timur, Kab. Timor Tengah Selatan" in labels
    assert "Desa Oe'ekam, Kec. Noebeba, Kab. Timor Tengah Selatan" in labels


def test_kota_soe_is_found_where_a_kecamatan_may_be_chosen(signed_in, facilitator):
    client = signed_in(facilitator)
    found = suggestions(client, "Kota Soe", levels="3,4")
    assert found[0] == {
        "code": "53.02.01",
        "label": "Kec. Kota Soe, Kab. Timor Tengah Selatan",
        "level": 3,
    }
    # A village field offers villages only.
    assert all(row["level"] == 4 for row in suggestions(client, "Kota Soe"))


def test_a_kabupaten_is_found_as_people_write_it(signed_in, facilitator):
    found = suggestions(signed_in(facilitator), "TTS", levels="2,3,4")
    assert found[0]["label"] == "Kab. Timor Tengah Selatan"


def test_a_comma_narrows_the_search_as_a_label_does(signed_in, facilitator):
    found = suggestions(signed_in(facilitator), "Oeekam, Noebeba")
    assert [row["code"] for row in found] == ["53.02.26.2004"]


def test_a_code_finds_itself_and_what_lies_within(signed_in, facilitator):
    found = suggestions(signed_in(facilitator), "53.02.04")
    assert found and all(row["code"].startswith("53.02.04.") for row in found)
    assert "53.02.04.2012" in {row["code"] for row in found}


@pytest.mark.parametrize(
    "query",
    [
        "'",
        "\"Oe'Ekam",
        "Oe'Ekam\"",
        "\x00",
        "Oeekam\x00",
        "%",
        "_",
        "\\",
        "😀",
        "x" * 10_000,
        "Oeekam " * 2000,
        ",,,,",
        "53.",
        "99.99.99.9999",
    ],
)
def test_any_search_text_gets_an_answer_not_an_error(signed_in, facilitator, query):
    response = signed_in(facilitator).get(SEARCH, {"q": query})
    assert response.status_code in (200, 400)
    body = response.json()
    assert "results" in body or "error" in body


@pytest.mark.parametrize("levels", ["", "9", "a", "4,x", "\x00", "1" * 10_000])
def test_unknown_levels_are_refused_in_words(signed_in, facilitator, levels):
    response = signed_in(facilitator).get(SEARCH, {"q": "Oeekam", "levels": levels})
    assert response.status_code == 400
    assert response.json()["error"] == "Tingkat wilayah tidak dikenal."


def test_a_search_over_100_letters_is_refused_in_words(signed_in, facilitator):
    response = signed_in(facilitator).get(SEARCH, {"q": "x" * 101})
    assert response.status_code == 400
    assert "paling banyak 100 huruf" in response.json()["error"]


def test_at_most_twenty_suggestions(signed_in, facilitator):
    assert len(suggestions(signed_in(facilitator), "ba")) == 20


@pytest.mark.parametrize("query", ["Oeekam", "a", "Ajobaki", "Oeekam, TTS"])
def test_the_search_asks_a_bounded_number_of_queries(
    signed_in, facilitator, django_assert_max_num_queries, query
):
    client = signed_in(facilitator)
    # 5 for the session and the admin's permission checks, at most 8 to search:
    # the kabupaten (2), exact, prefix and substring (3), near spellings (2).
    with django_assert_max_num_queries(13):
        client.get(SEARCH, {"q": query, "levels": "2,3,4"})


def test_trainees_and_strangers_get_no_suggestions(client, trainee):
    response = client.get(SEARCH, {"q": "Oeekam"})
    assert response.status_code == 302
    assert "/masuk/" in response["Location"] or "login" in response["Location"]
    client.force_login(trainee)
    response = client.get(SEARCH, {"q": "Oeekam"})
    assert response.status_code in (302, 403)
    assert b"Oe'Ekam" not in response.content


# --- The field on its own ---------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("53.02.01", "53.02.01"),
        ("Kota Soe", "53.02.01"),
        ("kec. kota soe", "53.02.01"),
        ("Kec. Kota Soe, Kab. Timor Tengah Selatan", "53.02.01"),
        ("SoE", "53.02.01.1001"),
        ("Desa Oe'ekam, Kec. Noebeba, Kab. Timor Tengah Selatan", "53.02.26.2004"),
        ("Oeekam, Amanuban Timur", "53.02.04.2012"),
    ],
)
def test_a_place_field_takes_a_code_a_name_or_a_label(typed, code):
    field = RegionField(levels=[RegionLevel.KECAMATAN, RegionLevel.DESA])
    assert field.clean(typed).code == code


def test_a_village_field_refuses_a_kecamatan_code():
    field = RegionField(levels=[RegionLevel.DESA])
    with pytest.raises(
        ValidationError, match="Kode wilayah ini tidak dikenal: 53.02.01"
    ):
        field.clean("53.02.01")


# --- The person form ----------------------------------------------------------


def test_the_person_form_no_longer_carries_every_village(signed_in, facilitator):
    page = signed_in(facilitator).get("/admin/users/new/").content
    assert b"Oe&#x27;Ekam" not in page and b"Oe'Ekam" not in page
    # 328 KB with every village as an option; 49 KB without (measured).
    assert len(page) < 80_000, len(page)
    assert b"data-region-field" in page
    assert b"learning/js/region-field.js" in page


@pytest.mark.parametrize(
    "typed",
    [
        "53.02.04.2012",
        "Desa Oe'Ekam, Kec. Amanuban Timur, Kab. Timor Tengah Selatan",
        "Oeekam, Amanuban Timur",
    ],
)
def test_a_person_is_placed_by_code_or_by_name(signed_in, facilitator, typed):
    response = signed_in(facilitator).post(
        "/admin/users/new/", new_person(village=typed)
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert User.objects.get(username="paralegal-baru").village.code == "53.02.04.2012"


def test_an_unknown_village_is_refused_in_indonesian_and_nothing_saved(
    signed_in, facilitator
):
    response = signed_in(facilitator).post(
        "/admin/users/new/", new_person(village="Oekamm")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Wilayah bernama Oekamm tidak ditemukan. Mungkin maksudnya:" in page
    assert "Oekam" in page  # the nearest spelling is offered
    assert not User.objects.filter(username="paralegal-baru").exists()


def test_a_name_three_villages_share_asks_which_one(signed_in, facilitator):
    response = signed_in(facilitator).post(
        "/admin/users/new/", new_person(village="Oeekam")
    )
    page = response.content.decode()
    assert "Ada beberapa wilayah bernama Oeekam" in page
    for code in OEEKAM:
        assert code in page
    assert not User.objects.filter(username="paralegal-baru").exists()
    # What was typed stays in the box, to be corrected rather than retyped.
    assert 'value="Oeekam"' in page


@pytest.mark.parametrize("typed", ["'", '"', "'\x00", "x" * 10_000, "53.99"])
def test_ugly_village_text_gets_the_form_back_not_an_error(
    signed_in, facilitator, typed
):
    response = signed_in(facilitator).post(
        "/admin/users/new/", new_person(village=typed)
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="paralegal-baru").exists()


def test_a_person_s_village_survives_editing_something_else(
    signed_in, facilitator, trainee
):
    trainee.village = region("53.02.26.2004")
    trainee.save()
    client = signed_in(facilitator)
    page = client.get(f"/admin/users/edit/{trainee.pk}/").content.decode()
    data = form_as_posted(page)
    assert data["village"] == ["Desa Oe'ekam, Kec. Noebeba, Kab. Timor Tengah Selatan"]
    data["first_name"] = ["Maria"]
    response = client.post(f"/admin/users/edit/{trainee.pk}/", data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    trainee.refresh_from_db()
    assert (trainee.first_name, trainee.village.code) == ("Maria", "53.02.26.2004")


# --- The cohort form ----------------------------------------------------------


def test_the_cohort_page_carries_only_the_chosen_villages(
    signed_in, facilitator, cohort, eleven_villages
):
    cohort.villages.set(Region.objects.filter(code__in=eleven_villages))
    cohort.save()  # a cluster's relations are written when it is saved
    page = signed_in(facilitator).get(f"/admin/cohort/edit/{cohort.pk}/").content
    # 717 KB with every village as an option; 80 KB without (measured).
    assert len(page) < 120_000, len(page)
    assert page.count(b'class="region-field__chip"') == 11
    # Nothing else of TTS's 278 villages: the chosen ones, once each.
    assert page.count(b"Kab. Timor Tengah Selatan") == 11


def test_eleven_villages_survive_an_edit_round_trip(
    signed_in, facilitator, cohort, eleven_villages
):
    cohort.villages.set(Region.objects.filter(code__in=eleven_villages))
    cohort.save()  # a cluster's relations are written when it is saved
    client = signed_in(facilitator)
    data = form_as_posted(
        client.get(f"/admin/cohort/edit/{cohort.pk}/").content.decode()
    )
    data["name"] = ["Paralegal Desa 2023"]
    response = client.post(f"/admin/cohort/edit/{cohort.pk}/", data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    cohort.refresh_from_db()
    assert cohort.name == "Paralegal Desa 2023"
    assert sorted(cohort.villages.values_list("code", flat=True)) == eleven_villages


def test_a_village_is_added_by_name_and_one_unticked_leaves_the_rest(
    signed_in, facilitator, cohort, eleven_villages
):
    cohort.villages.set(Region.objects.filter(code__in=eleven_villages))
    cohort.save()  # a cluster's relations are written when it is saved
    client = signed_in(facilitator)
    data = form_as_posted(
        client.get(f"/admin/cohort/edit/{cohort.pk}/").content.decode()
    )
    removed = eleven_villages[-1]
    data["villages"] = [code for code in data["villages"] if code != removed]
    data["villages"].append("Kota Soe")  # not a village: refused, nothing saved
    response = client.post(f"/admin/cohort/edit/{cohort.pk}/", data)
    assert response.status_code == 200
    assert "Wilayah bernama Kota Soe tidak ditemukan" in response.content.decode()
    assert cohort.villages.count() == 11
    # The form comes back with the ten still ticked and the text to correct.
    again = form_as_posted(response.content.decode())
    assert sorted(again["villages"]) == sorted([*eleven_villages[:-1], "Kota Soe"])

    data["villages"][-1] = "Kel. SoE, Kec. Kota Soe, Kab. Timor Tengah Selatan"
    response = client.post(f"/admin/cohort/edit/{cohort.pk}/", data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert sorted(cohort.villages.values_list("code", flat=True)) == sorted(
        [*eleven_villages[:-1], "53.02.01.1001"]
    )


def test_several_names_can_be_typed_at_once_without_the_script(
    signed_in, facilitator, cohort
):
    client = signed_in(facilitator)
    data = form_as_posted(
        client.get(f"/admin/cohort/edit/{cohort.pk}/").content.decode()
    )
    data["villages"] = ["Oeekam, Noebeba; 53.02.04.2012"]
    response = client.post(f"/admin/cohort/edit/{cohort.pk}/", data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert set(cohort.villages.values_list("code", flat=True)) == {
        "53.02.26.2004",
        "53.02.04.2012",
    }


@pytest.mark.parametrize(
    "villages", [["'"], ["\x00"], ["x" * 10_000], ["53.02.04.2012"] * 2000, ["a"] * 50]
)
def test_ugly_village_lists_get_the_form_back_not_an_error(
    signed_in, facilitator, cohort, villages
):
    client = signed_in(facilitator)
    data = form_as_posted(
        client.get(f"/admin/cohort/edit/{cohort.pk}/").content.decode()
    )
    data["villages"] = villages
    response = client.post(f"/admin/cohort/edit/{cohort.pk}/", data)
    # Django itself refuses more than 1,000 fields with 400.
    assert response.status_code in (200, 302, 400)


# --- The reflection session's place -------------------------------------------


def session_form(programme, organisation, facilitator, **overrides):
    data = {
        "programme": programme.pk,
        "organisation": organisation.pk,
        "year": 2026,
        "start_date": "2026-11-10",
        "end_date": "2026-11-11",
        "place": "Kota Soe",
        "venue": "Aula paroki",
        "facilitators": [facilitator.pk],
    }
    return data | overrides


@pytest.fixture
def programme(organisation):
    from tests.factories import ProgrammeFactory

    return ProgrammeFactory(organisations=[organisation])


def test_a_reflection_session_is_held_in_kota_soe_by_name(
    signed_in, facilitator, organisation, programme
):
    from mentorship.models import ReflectionSession

    client = signed_in(facilitator)
    form = client.get("/admin/refleksi/new/").content.decode()
    assert "data-region-field" in form
    response = client.post(
        "/admin/refleksi/new/", session_form(programme, organisation, facilitator)
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    session = ReflectionSession.objects.get()
    assert session.place.code == "53.02.01"

    page = client.get(f"/admin/refleksi/edit/{session.pk}/").content.decode()
    data = form_as_posted(page)
    assert data["place"] == ["Kec. Kota Soe, Kab. Timor Tengah Selatan"]
    data["venue"] = ["Gedung GMIT"]
    response = client.post(f"/admin/refleksi/edit/{session.pk}/", data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    session.refresh_from_db()
    assert (session.venue, session.place.code) == ("Gedung GMIT", "53.02.01")


def test_a_misspelt_session_place_offers_the_nearest_and_saves_nothing(
    signed_in, facilitator, organisation, programme
):
    from mentorship.models import ReflectionSession

    response = signed_in(facilitator).post(
        "/admin/refleksi/new/",
        session_form(programme, organisation, facilitator, place="Kota Soee"),
    )
    page = response.content.decode()
    assert "Wilayah bernama Kota Soee tidak ditemukan. Mungkin maksudnya:" in page
    assert "Kec. Kota Soe, Kab. Timor Tengah Selatan (53.02.01)" in page
    assert not ReflectionSession.objects.exists()


# --- The workshop's place ------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "code"),
    [("TTS", "53.02"), ("Kota Soe", "53.02.01"), ("Oeekam, Noebeba", "53.02.26.2004")],
)
def test_a_workshop_is_placed_in_a_kabupaten_kecamatan_or_desa_by_name(
    signed_in, facilitator, coordinator, typed, code
):
    from assessments.models import TrainingEvent

    programme = coordinator.coordinated_programmes.get()
    client = signed_in(facilitator)
    assert "data-region-field" in client.get("/admin/pelatihan/new/").content.decode()
    response = client.post(
        "/admin/pelatihan/new/",
        {
            "title": "Pelatihan Konseling",
            "programme": programme.pk,
            "start_date": "2022-11-16",
            "end_date": "2022-11-18",
            "place": typed,
            "venue": "",
            "organisers": [o.pk for o in programme.organisations.all()],
            "facilitators": [facilitator.pk],
            "notes": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    event = TrainingEvent.objects.get()
    assert event.place.code == code
    page = client.get(f"/admin/pelatihan/edit/{event.pk}/").content.decode()
    assert form_as_posted(page)["place"] == [event.place.label]
