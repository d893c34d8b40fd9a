"""The narrative check on a phone (narrative-check.js) agrees with the server's.

The script is loaded into a page of the live server the way
`{% narrative_check %}` loads it: the messages in a JSON element, the desa
names fetched from /magang/narasi/desa.json. Every sentence of the shared set
(tests/mentorship/data/narrative_sentences.json) must get the server's
verdict, quotes and messages; where the set says the phone may miss, it still
never refuses what the server accepts.
"""

import random

from django.templatetags.static import static
from django.utils import translation
from django.utils.html import json_script

import pytest

from mentorship.narrative import identifying_details, narrative_problems
from mentorship.templatetags.narrative_check import narrative_check
from tests.mentorship.test_narrative_names import SENTENCES as NAME_SENTENCES
from tests.mentorship.test_narrative_sentences import SENTENCES, expected

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]

SCRIPT = static("mentorship/js/narrative-check.js")

CHECK_ALL = """async (texts) => {
  const loaded = await window.PendampingNarrative.ready;
  return {
    loaded: loaded,
    supported: window.PendampingNarrative.supported,
    found: texts.map((text) =>
      window.PendampingNarrative.problems(text).map((p) => [p.kind, p.quote, p.message])
    ),
  };
}"""


def check_on_the_phone(phone, texts: list[str]) -> dict:
    phone.goto("/masuk/")
    with translation.override("id"):
        config = json_script(
            narrative_check()["narrative_check"], "narrative-check-config"
        )
    phone.evaluate(
        "(html) => document.body.insertAdjacentHTML('beforeend', html)", str(config)
    )
    phone.add_script_tag(url=SCRIPT)
    return phone.evaluate(CHECK_ALL, texts)


def on_the_server(text: str) -> list[list[str]]:
    with translation.override("id"):
        return [
            [finding.kind, finding.quote, message]
            for finding, message in zip(
                identifying_details(text), narrative_problems(text), strict=True
            )
        ]


def within_the_server_s(phone_found, server_found) -> bool:
    """Each thing the phone quotes is (part of) something the server quotes."""
    return all(
        any(quote in theirs[1] for theirs in server_found)
        for _kind, quote, _message in phone_found
    )


def test_the_phone_gives_the_server_s_verdict_on_every_shared_sentence(phone):
    checked = check_on_the_phone(phone, [s["text"] for s in SENTENCES])
    assert checked["supported"] is True
    assert checked["loaded"] is True

    disagreements = []
    for sentence, found in zip(SENTENCES, checked["found"], strict=True):
        server = on_the_server(sentence["text"])
        assert [(kind, quote) for kind, quote, _ in server] == expected(sentence)
        if sentence.get("device") == "may_miss":
            # It may find less, or quote a part; never refuse what the server accepts.
            if not server or not within_the_server_s(found, server):
                disagreements.append((sentence["id"], found, server))
        elif found != server:
            disagreements.append((sentence["id"], found, server))
    assert disagreements == []
    assert phone.watch.foreign_requests == []
    assert phone.watch.console_errors == []


def test_the_phone_reads_names_as_the_server_does(phone):
    """tests/mentorship/data/narrative_names.json: the same names refused and
    quoted, with the same messages; the same titles and churches accepted."""
    texts = [s["text"] for s in NAME_SENTENCES]
    checked = check_on_the_phone(phone, texts)
    assert checked["loaded"] is True
    server = [on_the_server(text) for text in texts]
    assert checked["found"] == server
    assert sum(1 for found in server if found) >= len(texts) * 4 // 10


def _mixed_notes(count: int) -> list[str]:
    """Notes stitched from the shared sentences' words, numbers and names."""
    pieces = [
        piece
        for s in SENTENCES + NAME_SENTENCES
        for piece in s["text"].split(" ")
        if piece
    ]
    joins = [" ", " ", " ", ", ", ". ", "\n", " - ", ": "]
    chance = random.Random(18)  # noqa: S311 - the same notes every run
    return [
        "".join(
            chance.choice(pieces) + chance.choice(joins)
            for _ in range(chance.randint(4, 14))
        ).strip()
        for _ in range(count)
    ]


def test_the_phone_never_refuses_a_note_the_server_accepts(phone):
    notes = _mixed_notes(300)
    checked = check_on_the_phone(phone, notes)
    server = [on_the_server(note) for note in notes]
    accepted = sum(1 for found in server if not found)
    # Both verdicts are well represented, or this proves little.
    assert 60 <= accepted <= 240
    false_refusals = [
        (note, found)
        for note, found, theirs in zip(notes, checked["found"], server, strict=True)
        if found and not theirs
    ]
    assert false_refusals == []
    elsewhere = [
        (note, found, theirs)
        for note, found, theirs in zip(notes, checked["found"], server, strict=True)
        if not within_the_server_s(found, theirs)
    ]
    assert elsewhere == []


def test_without_the_desa_names_the_phone_still_finds_numbers(phone):
    """Offline before the names were ever fetched: the desa rule waits for the
    server, the others still run."""
    phone.route("**/magang/narasi/desa.json", lambda route: route.abort())
    texts = [
        "Korban (umur 14) siswi SMP di Oelet mengadu ke Polsek bersama ibunya.",
        "Nomor HP ibunya 0813 3945 1122, bisa dihubungi sore hari.",
        # A word that every JavaScript object answers to is no village.
        "Siswi kelas 5 SD belajar kata constructor dalam bahasa Inggris.",
    ]
    checked = check_on_the_phone(phone, texts)
    assert checked["loaded"] is False
    assert checked["found"][0] == []
    assert [(k, q) for k, q, _ in checked["found"][1]] == [("phone", "0813 3945 1122")]
    assert checked["found"][2] == []
    assert checked["found"][1][0][2].startswith(
        'Tulisan memuat nomor telepon: "0813 3945 1122".'
    )
