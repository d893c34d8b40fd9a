"""The server's narrative check against the set of sentences it shares with the
phone (tests/mentorship/data/narrative_sentences.json).

The phone runs the same rules before saving offline
(mentorship/static/mentorship/js/narrative-check.js); the browser test
tests/browser/test_narrative_on_a_phone.py holds it to the same verdicts. A
change to either side that the other does not follow fails one of the two.
"""

import json
from pathlib import Path

from django.utils import translation

import pytest

from mentorship.narrative import (
    BPJS,
    DESA,
    EMAIL,
    KK,
    NAME_KINDS,
    NIK,
    PHONE,
    identifying_details,
    narrative_problems,
)
from mentorship.narrative_device import device_messages

pytestmark = pytest.mark.django_db

SENTENCES_FILE = Path(__file__).parent / "data" / "narrative_sentences.json"
SENTENCES = json.loads(SENTENCES_FILE.read_text(encoding="utf-8"))["sentences"]
KINDS = {NIK, KK, PHONE, EMAIL, BPJS, DESA}


def expected(sentence: dict) -> list[tuple[str, str]]:
    if sentence["expect"] == "ok":
        return []
    return [(kind, quote) for kind, quote in sentence["expect"]]


def refused(sentence: dict) -> bool:
    return sentence["expect"] != "ok"


def test_the_set_covers_every_rule_both_ways():
    assert len(SENTENCES) >= 60
    assert len({s["id"] for s in SENTENCES}) == len(SENTENCES)
    kinds_refused = {kind for s in SENTENCES for kind, _quote in expected(s)}
    assert kinds_refused == KINDS
    accepted = [s for s in SENTENCES if not refused(s)]
    assert len(accepted) >= 30
    # Each rule's look-alikes are in the accepted half: dates, money, case
    # numbers, citations, the SAPA line, kecamatan names, a desa or an age alone.
    ids = {s["id"] for s in accepted}
    assert {
        "date-dashed",
        "money-dots",
        "money-starting-62",
        "case-number",
        "pasal-ayat-tahun",
        "sapa-129",
        "sapa-plus62",
        "kecamatan-with-age",
        "desa-alone",
        "age-alone",
    } <= ids
    for sentence in SENTENCES:
        if "device" in sentence:
            assert sentence["device"] == "may_miss", sentence["id"]
            assert sentence["reason"], sentence["id"]
            assert refused(sentence), "the phone must agree on what is accepted"


@pytest.mark.parametrize("sentence", SENTENCES, ids=[s["id"] for s in SENTENCES])
def test_the_server_gives_the_expected_verdict(sentence):
    text = sentence["text"]
    findings = identifying_details(text)
    assert [(f.kind, f.quote) for f in findings] == expected(sentence)
    for finding in findings:
        assert finding.quote in text
    if "details" in sentence:
        [finding] = findings
        assert list(finding.details) == sentence["details"]
    problems = narrative_problems(text)
    assert len(problems) == len(findings)
    for finding, problem in zip(findings, problems, strict=True):
        assert f'"{finding.quote}"' in problem


def _filled(template: str, finding) -> str:
    return template % {
        "quote": finding.quote,
        "place": finding.quote,
        "details": ", ".join(f'"{detail}"' for detail in finding.details),
    }


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_phone_is_given_the_server_s_own_messages(language):
    """Filled in as the phone fills them, they read exactly as the server's."""
    seen = set()
    with translation.override(language):
        messages = device_messages()
        # The name rule's messages too; its sentences are narrative_names.json.
        assert set(messages) == KINDS | NAME_KINDS
        for sentence in filter(refused, SENTENCES):
            findings = identifying_details(sentence["text"])
            for finding, problem in zip(
                findings, narrative_problems(sentence["text"]), strict=True
            ):
                assert _filled(messages[finding.kind], finding) == problem
                seen.add(finding.kind)
    assert seen == KINDS
    if language == "en":
        assert messages[PHONE].startswith("The text contains a phone number")
