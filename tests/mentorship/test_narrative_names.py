"""The name rule of the narrative check, measured on a set of sentences.

tests/mentorship/data/narrative_names.json holds invented case notes, half
naming a person (after "Mama", beside an age, after "bernama", a common NTT
name; Indonesian and Kupang Malay) and half naming only offices, titles,
kinship words, churches, institutions and places. The rule must refuse at
least 90 % of the first half, quoting the name, and none of the second.
"""

import json
from pathlib import Path

from django.core.exceptions import ValidationError

import pytest

from mentorship.models import HourEntry
from mentorship.narrative import (
    NAME,
    NAME_AFTER,
    NAME_AGE,
    NAME_KINDS,
    check_narrative,
    identifying_details,
    narrative_problems,
)
from tests.factories import PlacementFactory
from tests.factories.mentorship import hour_entry_body

pytestmark = pytest.mark.django_db

SENTENCES = json.loads(
    (Path(__file__).parent / "data" / "narrative_names.json").read_text("utf-8")
)["sentences"]
NAMING = [s for s in SENTENCES if s["expect"] == "refuse"]
HARMLESS = [s for s in SENTENCES if s["expect"] == "ok"]


def test_the_set_is_large_enough_both_ways():
    assert len(NAMING) >= 30
    assert len(HARMLESS) >= 30
    assert len({s["id"] for s in SENTENCES}) == len(SENTENCES)


def _names_found(text: str) -> list[str]:
    return [f.quote for f in identifying_details(text) if f.kind in NAME_KINDS]


def test_at_least_nine_in_ten_names_are_refused_and_quoted():
    missed = [s["id"] for s in NAMING if s["name"] not in _names_found(s["text"])]
    assert len(missed) <= len(NAMING) // 10, missed


@pytest.mark.parametrize("sentence", HARMLESS, ids=[s["id"] for s in HARMLESS])
def test_titles_offices_churches_and_places_are_accepted(sentence):
    assert narrative_problems(sentence["text"]) == []


@pytest.mark.parametrize(
    ("text", "kind", "message"),
    [
        (
            "Mama Yuliana datang ke posko.",
            NAME_AFTER,
            'Tulisan menyebut nama orang: "Yuliana", sesudah "Mama".',
        ),
        (
            "Anak berusia 9 tahun bernama Dorkas.",
            NAME_AFTER,
            'Tulisan menyebut nama orang: "Dorkas", sesudah "bernama".',
        ),
        (
            "Mendampingi Maria Tefa (14) ke Polsek.",
            NAME_AGE,
            'Tulisan menyebut nama orang bersama usianya: "Maria Tefa" ("14").',
        ),
        (
            "Kami bertemu keluarga Nubatonis di rumah mereka.",
            NAME,
            'Tulisan menyebut "Nubatonis", nama diri atau nama keluarga yang umum',
        ),
    ],
)
def test_the_message_quotes_the_name_and_says_why(text, kind, message):
    [finding] = identifying_details(text)
    assert finding.kind == kind
    [problem] = narrative_problems(text)
    assert problem.startswith(message)
    assert '"korban"' in problem


def test_a_name_beside_a_desa_and_an_age_is_read_as_a_name():
    """Benu is a desa and a family name: "Yohana Benu 14 thn" is a girl."""
    findings = identifying_details("Yohana Benu 14 thn dibawa ke Kupang.")
    assert [(f.kind, f.quote) for f in findings] == [(NAME_AGE, "Yohana Benu")]


def test_check_narrative_raises_on_the_field():
    with pytest.raises(ValidationError) as refused:
        check_narrative("Om Petrus pung ana su pulang.", field="summary")
    assert "Petrus" in str(refused.value.message_dict["summary"])


def test_an_hour_entry_naming_a_girl_is_refused_through_the_api(client):
    """A trainee's hour entry naming a girl: refused, quoted, nothing saved."""
    placement = PlacementFactory()
    client.force_login(placement.trainee)
    body = hour_entry_body(placement, activity="Mendampingi Maria Tefa (14) ke Polsek")
    response = client.post("/api/magang/entries", body, content_type="application/json")
    assert response.status_code == 422, response.content
    assert "Maria Tefa" in response.content.decode()
    assert not HourEntry.objects.exists()
