"""The GIFT reader under generated text (hypothesis): any text, and any bytes
uploaded as a .gift file, is read into questions or refused by line, never
an uncaught error, and a refused file saves nothing; a question the bank
holds, whatever its words (GIFT's own ~ = # { } : \\ included), reads back
from `export_gift` as it was."""

from decimal import Decimal

from django.db import transaction

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from assessments.choices import QuestionKind
from assessments.models import AnswerOption, Question
from assessments.question_io import export_gift, import_questions, parse_gift

pytestmark = pytest.mark.django_db

BOUNDED = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# GIFT's own characters and the shapes of its markers, mixed into any text so
# the generator reaches the reader's branches, not only plain words.
GIFT_PIECES = st.sampled_from(
    [
        "{",
        "}",
        "=",
        "~",
        "#",
        "####",
        "::",
        "\\",
        "->",
        "%50%",
        "%-100%",
        "%abc%",
        "{T}",
        "{FALSE#a#b}",
        "{}",
        "{#1:2}",
        "[html]",
        "[markdown]",
        "<p>",
        "$CATEGORY: $course$/top/A//B",
        "$CATEGORY:",
        "//",
        "\n",
        "\n\n",
        "\r",
        "\x00",
        "🙂",
        '"',
    ]
)
GIFT_LIKE = st.lists(st.one_of(GIFT_PIECES, st.text(max_size=12)), max_size=60).map(
    "".join
)


@BOUNDED
@given(text=st.one_of(st.text(max_size=600), GIFT_LIKE))
@example(text="{")
@example(text="::t::Apa? {=a ~b}\n\n}")
@example(text="Apa? {~%200%a ~%-50%b}")
@example(text="$CATEGORY: " + "/" * 300)
def test_any_text_is_read_into_questions_or_errors_by_line(text):
    result = parse_gift(text)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1
    for line, message in result.errors:
        assert line is None or 1 <= line <= lines
        assert message.strip()
    for question in result.questions:
        assert question.kind in QuestionKind.values


@BOUNDED
@given(content=st.one_of(st.binary(max_size=400), GIFT_LIKE.map(str.encode)))
@example(content=b"\xff\xfe\x00A")
@example(content=b"")
def test_any_upload_imports_whole_or_saves_nothing(content):
    with transaction.atomic():
        before = Question.objects.count()
        report = import_questions(content=content, filename="bank.gift")
        if not report.ok:
            assert report.messages
            assert Question.objects.count() == before
        transaction.set_rollback(True)


# Words a question could hold: Indonesian text with GIFT's characters, quotes
# and line breaks, but no leading/trailing space (a stored text is stripped).
WORDS = (
    st.text(
        alphabet=st.one_of(
            st.sampled_from("~=#{}:\\%/[]\"'<>&-> \n"),
            st.characters(categories=["L", "N"]),
        ),
        min_size=1,
        max_size=60,
    )
    .map(str.strip)
    .filter(bool)
)


@st.composite
def choice_questions(draw) -> dict:
    count = draw(st.integers(2, 4))
    right = draw(st.integers(0, count - 1))
    return {
        "text": draw(WORDS),
        "explanation": draw(st.one_of(st.just(""), WORDS)),
        "options": [
            (draw(WORDS), Decimal(1 if index == right else 0), draw(st.just("")))
            for index in range(count)
        ],
    }


@settings(BOUNDED, max_examples=60)
@given(question=choice_questions())
@example(
    question={
        "text": "[penting] // lihat {ini}",
        "explanation": "a\nb",
        "options": [("%50% saja", Decimal(1), ""), ("=tidak~", Decimal(0), "")],
    }
)
def test_a_multiple_choice_question_reads_back_from_its_export(question):
    with transaction.atomic():
        saved = Question.objects.create(
            kind=QuestionKind.MULTIPLE_CHOICE,
            text=question["text"],
            explanation=question["explanation"],
        )
        for order, (text, weight, feedback) in enumerate(question["options"]):
            AnswerOption.objects.create(
                question=saved,
                text=text,
                weight=weight,
                feedback=feedback,
                sort_order=order,
            )
        gift = export_gift(Question.objects.filter(pk=saved.pk))
        transaction.set_rollback(True)
    result = parse_gift(gift)
    assert not result.errors, (gift, result.errors)
    [read] = result.questions
    assert read.text == question["text"]
    assert read.explanation == question["explanation"]
    assert [(o.text, o.weight) for o in read.options] == [
        (text, weight) for text, weight, _feedback in question["options"]
    ]
