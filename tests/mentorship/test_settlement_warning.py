"""The TPKS warning (UU 12/2022 pasal 23), every combination that matters:
a statement when sexual violence by an adult goes out of court; a question
("Sudahkah dipastikan …?") when the age is unknown, the path not decided, or
the story speaks of settling; nothing for a child perpetrator or without
sexual violence. And the form carries the same rule to the page as data."""

import itertools
import json
import re

from django.urls import reverse

import pytest

from mentorship.cases import settlement_rule, settlement_warning, speaks_of_settling
from mentorship.choices import CasePath, PerpetratorAge, ViolenceType
from tests.factories import PlacementFactory, new_case

from .test_case_pages import form_data

SEXUAL = [ViolenceType.PSYCHOLOGICAL, ViolenceType.SEXUAL]
OTHER = [ViolenceType.PHYSICAL, ViolenceType.PSYCHOLOGICAL]
PLAIN = "Menemani seorang ibu ke puskesmas dan ke Polres."
SETTLING = "Keluarga pelaku menawarkan uang damai kepada keluarga korban."

A, C, U = PerpetratorAge.ADULT, PerpetratorAge.CHILD, PerpetratorAge.UNKNOWN
LIT, NON, BOTH, UND = (
    CasePath.LITIGATION,
    CasePath.NON_LITIGATION,
    CasePath.BOTH,
    CasePath.UNDECIDED,
)

# Sexual violence: (age, path, story) -> what is shown. Written out, not
# derived, so the rule cannot agree with itself by construction.
EXPECTED = {
    (A, LIT, PLAIN): None,
    (A, LIT, SETTLING): "question",
    (A, NON, PLAIN): "statement",
    (A, NON, SETTLING): "statement",
    (A, BOTH, PLAIN): "statement",
    (A, BOTH, SETTLING): "statement",
    (A, UND, PLAIN): "question",
    (A, UND, SETTLING): "question",
    (U, LIT, PLAIN): None,
    (U, LIT, SETTLING): "question",
    (U, NON, PLAIN): "question",
    (U, NON, SETTLING): "question",
    (U, BOTH, PLAIN): "question",
    (U, BOTH, SETTLING): "question",
    (U, UND, PLAIN): "question",
    (U, UND, SETTLING): "question",
    # A child perpetrator: diversion outside court is allowed.
    **{
        (C, path, story): None
        for path, story in itertools.product((LIT, NON, BOTH, UND), (PLAIN, SETTLING))
    },
}


def kind_of(warning: str | None) -> str | None:
    if warning is None:
        return None
    assert "UU 12/2022 pasal 23" in warning
    return "question" if warning.startswith("Sudahkah dipastikan") else "statement"


@pytest.mark.parametrize(("age", "path", "story"), list(EXPECTED))
def test_sexual_violence_is_warned_as_the_table_says(age, path, story):
    warning = settlement_warning(
        violence_types=SEXUAL, perpetrator_age=age, path=path, narrative=story
    )
    assert kind_of(warning) == EXPECTED[(age, path, story)]
    if kind_of(warning) == "question":
        assert "?" in warning.split("Menurut")[0]


@pytest.mark.parametrize(("age", "path", "story"), list(EXPECTED))
def test_without_sexual_violence_nothing_is_shown(age, path, story):
    assert (
        settlement_warning(
            violence_types=OTHER, perpetrator_age=age, path=path, narrative=story
        )
        is None
    )


@pytest.mark.parametrize(
    "text",
    [
        "Keluarga ingin damai.",
        "Kedua pihak sudah BERDAMAI di kantor desa.",
        "Diselesaikan secara kekeluargaan.",
        "Pelaku membayar Denda Adat berupa babi.",
        "Korban diminta cabut laporan.",
        "Ibunya mencabut\nlaporan minggu lalu.",
        "Ada uang  damai dari pelaku.",
        "damai",
    ],
)
def test_settling_is_heard_in_any_case_and_spacing(text):
    assert speaks_of_settling(text)


@pytest.mark.parametrize(
    "text",
    [
        "Perdamaian bukan jalan untuk kekerasan seksual.",
        "Suasana kedamaian di rumah aman.",
        "Dendanya belum jelas; adat setempat berbeda.",
        "Laporan dicabut? Tidak, laporan tetap berjalan.",
        PLAIN,
    ],
)
def test_only_whole_words_count(text):
    assert not speaks_of_settling(text)


# --- The same rule on the page --------------------------------------------------


@pytest.mark.django_db
def test_the_form_carries_the_rule_and_its_words_as_data(client):
    placement = PlacementFactory()
    client.force_login(placement.trainee)
    page = client.get(reverse("mentorship:case_new")).content.decode()
    found = re.search(
        r'<script id="settlement-rule" type="application/json">(.*?)</script>',
        page,
        re.S,
    )
    assert found
    rule = json.loads(found.group(1))
    assert rule == json.loads(json.dumps(settlement_rule()))
    assert rule["sexual"] == ["seksual"]
    assert set(rule["unsurePaths"]) == {"non_litigasi", "keduanya", "belum"}
    assert "denda adat" in rule["settleWords"]
    assert rule["question"].startswith("Sudahkah dipastikan")
    assert "mentorship/js/settlement-warning.js" in page
    assert "data-settlement-warning" in page
    assert " novalidate" in page


@pytest.mark.django_db
def test_a_refused_form_asks_the_question_beside_the_path_and_opens_it(client):
    placement = PlacementFactory()
    client.force_login(placement.trainee)
    response = client.post(
        reverse("mentorship:case_new"),
        form_data(
            placement,
            violence_types=["seksual"],
            perpetrator_age="dewasa",
            path="belum",
            learned="",
        ),
    )
    assert response.status_code == 200
    page = response.content.decode()
    path_section = page[page.index('id="bagian-jalur"') :]
    path_section = path_section[: path_section.index("</details>")]
    assert "Sudahkah dipastikan" in path_section
    assert 'id="bagian-jalur" open' in page
    # The story holds the error: its section is open; the rest stay closed.
    assert 'id="bagian-cerita" open' in page
    assert 'id="bagian-orang">' in page


@pytest.mark.django_db
def test_a_saved_case_whose_story_speaks_of_settling_shows_the_question(client):
    placement = PlacementFactory()
    client.force_login(placement.trainee)
    response = client.post(
        reverse("mentorship:case_new"),
        form_data(
            placement,
            violence_types=["seksual"],
            perpetrator_age="dewasa",
            path="litigasi",
            actions="Keluarga ingin menyelesaikan secara kekeluargaan.",
        ),
        follow=True,
    )
    page = response.content.decode()
    assert "Sudahkah dipastikan" in page
    # Asked, not flagged: the list counts flagged cases only.
    listing = client.get(reverse("mentorship:cases")).content.decode()
    assert "catatan ditandai" not in listing


@pytest.mark.django_db
def test_the_api_answers_with_the_same_question(client):
    placement = PlacementFactory()
    client.force_login(placement.trainee)
    response = client.post(
        "/api/magang/cases",
        new_case(
            placement,
            violence_types=["seksual"],
            perpetrator_age="tidak_diketahui",
            path="litigasi",
            actions="Keluarga pelaku menawarkan denda adat.",
        ),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["warning"].startswith("Sudahkah dipastikan")
