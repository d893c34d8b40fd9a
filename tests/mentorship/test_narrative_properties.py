"""The narrative check under generated text (hypothesis): it never crashes,
every refusal quotes what it found as written, a NIK-like number is always
refused wherever it stands, and plain sentences from a fixed vocabulary of
harmless words are never refused."""

import re

from django.core.exceptions import ValidationError

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mentorship.narrative import (
    check_narrative,
    identifying_details,
    narrative_problems,
)

pytestmark = pytest.mark.django_db

# Bounded and repeatable: the same examples every run, a few seconds a test.
BOUNDED = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Any text a person or a script could send: every Unicode character (NUL,
# quotes, emoji, right-to-left marks, other scripts' digits) and long runs.
ANY_TEXT = st.text(max_size=400)

# Words a case note is made of that name nobody, no place and no number.
HARMLESS = [
    "korban",
    "pendamping",
    "datang",
    "ke",
    "kantor",
    "untuk",
    "melapor",
    "kami",
    "mendengarkan",
    "dengan",
    "tenang",
    "lalu",
    "mencatat",
    "pengaduan",
    "tanpa",
    "identitas",
    "pada",
    "hari",
    "itu",
    "dan",
    "membuat",
    "rencana",
    "keselamatan",
    "bersama",
    "petugas",
    "layanan",
    "rujukan",
    "ke",
    "unit",
    "perlindungan",
    "perempuan",
    "anak",
    "konseling",
    "sudah",
    "dijadwalkan",
    "minggu",
    "depan",
    "keluarga",
    "mendukung",
    "proses",
    "hukum",
    "berjalan",
]
SEPARATORS = st.sampled_from([" ", " ", ", ", ". ", "\n", "; "])


@st.composite
def harmless_text(draw) -> str:
    words = draw(st.lists(st.sampled_from(HARMLESS), min_size=1, max_size=40))
    seps = draw(st.lists(SEPARATORS, min_size=len(words), max_size=len(words)))
    text = "".join(word + sep for word, sep in zip(words, seps, strict=True))
    return text.strip().capitalize()


def nik_like() -> st.SearchStrategy[str]:
    """Sixteen digits that read as a NIK: an NTT province code (53), then
    digits, written plain or in the groups people use."""
    digits = st.text(alphabet="0123456789", min_size=14, max_size=14).map(
        lambda rest: "53" + rest
    )
    grouped = digits.map(lambda d: f"{d[:6]} {d[6:12]} {d[12:]}")
    dotted = digits.map(lambda d: f"{d[:2]}.{d[2:4]}.{d[4:6]}.{d[6:12]}.{d[12:]}")
    return st.one_of(digits, grouped, dotted)


@BOUNDED
@given(text=ANY_TEXT)
@example(text="\x00")
@example(text='"' * 50)
@example(text="😀" * 100)
@example(text="١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦")
def test_any_text_is_read_without_crashing_and_each_finding_is_quoted_as_written(
    text,
):
    findings = identifying_details(text)
    problems = narrative_problems(text)
    assert len(problems) == len(findings)
    for finding, problem in zip(findings, problems, strict=True):
        assert finding.quote, finding
        assert finding.quote in text
        assert finding.quote in problem


@BOUNDED
@given(before=st.lists(st.sampled_from(HARMLESS), max_size=8), nik=nik_like())
@example(before=[], nik="5302041203990001")
def test_a_nik_like_number_is_always_refused_with_its_digits_quoted(before, nik):
    text = " ".join([*before, "NIK", nik, "sudah", "dicatat"])
    with pytest.raises(ValidationError) as refused:
        check_narrative(text, field="story")
    messages = " ".join(refused.value.message_dict["story"])
    found = re.sub(r"\D", "", messages)
    assert re.sub(r"\D", "", nik) in found


@BOUNDED
@given(text=harmless_text())
def test_plain_sentences_of_harmless_words_are_never_refused(text):
    check_narrative(text, field="story")
    assert narrative_problems(text) == []
