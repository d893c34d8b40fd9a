"""The result page while an essay waits, and the short review (issue 19)."""

import re
from decimal import Decimal

import pytest

from assessments.choices import FeedbackTiming, SittingStatus
from assessments.grading import (
    finish_sitting,
    mark_essay,
    sitting_tally,
    start_sitting,
    submit_answer,
)
from learning.choices import Role
from learning.models import Enrolment
from tests.factories import CohortFactory, user_with_roles
from tests.factories.assessments import (
    choice_question,
    essay_question,
    quiz_with,
    true_false_question,
)

pytestmark = pytest.mark.django_db

ESSAY_TEXT = "Saya mendengarkan dulu, lalu menawarkan rujukan ke UPTD PPA."


def sit(person, quiz, answers):
    """`person` sits and finishes `quiz`; answers maps position to option
    texts or essay text."""
    sitting = start_sitting(user=person, quiz=quiz)
    items = {item.position: item for item in sitting.questions.all()}
    for position, answer in answers.items():
        if isinstance(answer, str):
            submit_answer(sitting=sitting, user=person, position=position, text=answer)
            continue
        chosen = [
            option["id"]
            for option in items[position].snapshot["options"]
            if option["text"] in answer
        ]
        submit_answer(sitting=sitting, user=person, position=position, chosen=chosen)
    return finish_sitting(sitting=sitting, user=person)


@pytest.fixture
def ten_question_quiz(db):
    """Nine questions marked by the machine, then one essay."""
    questions = [
        choice_question(f"Soal pilihan nomor {n} tentang rujukan korban?")
        for n in range(1, 10)
    ]
    return quiz_with([*questions, essay_question()], slug="sepuluh-soal")


def seven_of_nine_and_an_essay():
    answers = {n: ["Pendamping terlatih"] for n in range(1, 8)}
    answers.update({8: ["Siapa saja"], 9: ["Pelaku"], 10: ESSAY_TEXT})
    return answers


def enrol(trainee, facilitator):
    Enrolment.objects.create(
        cohort=CohortFactory(facilitators=[facilitator]), trainee=trainee
    )


def result_page(client, sitting) -> str:
    return client.get(f"/kuis/percobaan/{sitting.uuid}/hasil/").content.decode()


def words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_while_an_essay_waits_the_page_shows_the_marked_part_and_who_marks(
    client, trainee, facilitator, ten_question_quiz
):
    enrol(trainee, facilitator)
    sitting = sit(trainee, ten_question_quiz, seven_of_nine_and_an_essay())
    assert sitting.status == SittingStatus.AWAITING_MARKING
    client.force_login(trainee)

    text = words(result_page(client, sitting))

    assert "Sementara: 7 dari 9 soal bernilai otomatis" in text
    assert "1 jawaban esaimu sedang dinilai fasilitator." in text
    assert f"Yang menilai: {facilitator.display_name}." in text
    assert "Nilai akhir dari semua 10 soal, dan lulus atau belumnya," in text
    assert "Nilaimu" not in text  # no final score yet


def test_once_the_essay_is_marked_the_final_score_replaces_the_partial_one(
    client, trainee, facilitator, ten_question_quiz
):
    enrol(trainee, facilitator)
    sitting = sit(trainee, ten_question_quiz, seven_of_nine_and_an_essay())
    answer = sitting.questions.get(position=10).answer
    mark_essay(answer=answer, marker=facilitator, mark=Decimal("0.5"))
    client.force_login(trainee)

    text = words(result_page(client, sitting))

    assert "Nilaimu 75%" in text  # (7 + 0.5) of 10
    assert "Sementara" not in text and "sedang dinilai" not in text


def test_the_partial_score_counts_half_marks_and_marked_essays(trainee, facilitator):
    quiz = quiz_with(
        [
            choice_question(
                several_correct=True,
                options=[("Puskesmas", 0.5), ("UPTD PPA", 0.5), ("Pelaku", 0)],
            ),
            true_false_question(),
            essay_question("Esai pertama?"),
            essay_question("Esai kedua?"),
        ]
    )
    enrol(trainee, facilitator)
    sitting = sit(
        trainee, quiz, {1: ["Puskesmas"], 2: ["Salah"], 3: ESSAY_TEXT, 4: ESSAY_TEXT}
    )
    tally = sitting_tally(sitting=sitting)
    assert (tally.marked, tally.marked_score_text, tally.essays_waiting) == (
        2,
        "1,5",
        2,
    )

    mark_essay(
        answer=sitting.questions.get(position=3).answer,
        marker=facilitator,
        mark=Decimal(1),
    )
    tally = sitting_tally(sitting=sitting)
    assert (tally.marked, tally.marked_score_text, tally.essays_waiting) == (
        3,
        "2,5",
        1,
    )
    assert not tally.is_final


def test_the_api_reports_the_same_partial_score(client, trainee, ten_question_quiz):
    sitting = sit(trainee, ten_question_quiz, seven_of_nine_and_an_essay())
    client.force_login(trainee)

    result = client.get(f"/api/quizzes/sittings/{sitting.uuid}/result").json()

    assert (result["percent"], result["passed"]) == (None, None)
    assert (result["questions"], result["marked"], result["essays_waiting"]) == (
        10,
        9,
        1,
    )
    assert result["marked_score"] == 7


# --- the short review --------------------------------------------------------


def review_items(page: str) -> list[str]:
    review = page.split('<ol class="review-list">')[1].split("</ol>\n")[0]
    return re.findall(r'<li class="review[^"]*">.*?\n</li>', review, flags=re.S)


def test_right_answers_fold_to_one_line_and_wrong_ones_and_essays_stay_open(
    client, trainee, ten_question_quiz
):
    sitting = sit(trainee, ten_question_quiz, seven_of_nine_and_an_essay())
    client.force_login(trainee)

    page = result_page(client, sitting)
    items = review_items(page)

    assert len(items) == 10
    folded = [item for item in items if "<details" in item]
    assert len(folded) == 7
    for item in folded:
        summary = item.split("<summary>")[1].split("</summary>")[0]
        assert "benar" in summary and "Soal pilihan nomor" in summary
        assert '<details class="review__fold" open' not in item
    open_items = [item for item in items if "<details" not in item]
    assert len(open_items) == 3
    assert all("pilihanmu" in item for item in open_items[:2])  # the two wrong ones
    assert ESSAY_TEXT in open_items[2]
    assert "ketuk untuk membukanya" in page


def test_a_review_that_hides_the_right_answers_folds_nothing(client, trainee):
    quiz = quiz_with(
        [choice_question(), true_false_question()],
        feedback=FeedbackTiming.NEVER,
    )
    sitting = sit(trainee, quiz, {1: ["Pendamping terlatih"], 2: ["Benar"]})
    client.force_login(trainee)

    page = result_page(client, sitting)

    assert "<details" not in page.split('<ol class="review-list">')[1]
    assert "ketuk untuk membukanya" not in page


def test_the_feedback_after_one_answer_does_not_fold(client, trainee):
    quiz_with(
        [choice_question(), choice_question("Dua?")],
        feedback=FeedbackTiming.AFTER_EACH,
        slug="umpan-balik",
    )
    client.force_login(trainee)
    client.post("/kuis/umpan-balik/")
    sitting = trainee.sittings.get()
    item = sitting.questions.get(position=1)
    right = next(o["id"] for o in item.snapshot["options"] if Decimal(o["weight"]) > 0)

    page = client.post(
        f"/kuis/percobaan/{sitting.uuid}/", {"nomor": 1, "pilihan": right}
    ).content.decode()

    assert "Benar" in page and "<details" not in page.split("<main")[1]


def test_another_persons_result_does_not_exist_for_you(
    client, trainee, ten_question_quiz
):
    sitting = sit(trainee, ten_question_quiz, seven_of_nine_and_an_essay())
    client.force_login(user_with_roles(Role.PESERTA, username="lain"))
    assert client.get(f"/kuis/percobaan/{sitting.uuid}/hasil/").status_code == 404
