"""Facilitators' quiz screens: results, exports, item statistics, essay marking."""

import csv
import io
from decimal import Decimal

from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from assessments.choices import QuestionKind, SittingStatus
from assessments.grading import (
    finish_sitting,
    mark_essay,
    start_sitting,
    submit_answer,
)
from assessments.models import Answer
from assessments.statistics import ItemStats, item_statistics, results_for
from learning.choices import Role
from learning.models import Enrolment
from tests.factories import (
    CohortFactory,
    OrganisationFactory,
    UserFactory,
    user_with_roles,
)
from tests.factories.assessments import (
    choice_question,
    essay_question,
    quiz_with,
    true_false_question,
)

pytestmark = pytest.mark.django_db

ESSAY_TEXT = "Saya mendengarkan dulu, lalu menawarkan rujukan ke P2TP2A."


def sit(person, quiz, answers, *, finish=True):
    """`person` sits `quiz`: answers maps position to option texts or essay text."""
    sitting = start_sitting(user=person, quiz=quiz)
    items = {item.position: item for item in sitting.questions.all()}
    for position, answer in answers.items():
        if isinstance(answer, str):
            submit_answer(sitting=sitting, user=person, position=position, text=answer)
        else:
            chosen = [
                option["id"]
                for option in items[position].snapshot["options"]
                if option["text"] in answer
            ]
            submit_answer(
                sitting=sitting, user=person, position=position, chosen=chosen
            )
    return finish_sitting(sitting=sitting, user=person) if finish else sitting


def trainees(organisation, count, start=0):
    return [
        user_with_roles(
            Role.PESERTA, username=f"peserta-{n:02d}", organisation=organisation
        )
        for n in range(start, start + count)
    ]


@pytest.fixture
def outsider():
    """A trainee of another organisation, in no cohort the facilitator teaches."""
    elsewhere = OrganisationFactory(short_name="LAIN")
    return user_with_roles(Role.PESERTA, username="orang-lain", organisation=elsewhere)


# --- item statistics on a known set of sittings -----------------------------------


@pytest.fixture
def three_question_quiz(db):
    return quiz_with(
        [
            choice_question(
                "Siapa yang boleh mendampingi korban?",
                options=[("Pendamping terlatih", 1), ("Siapa saja", 0), ("Pelaku", 0)],
            ),
            true_false_question(true=False),  # "Benar" weighs 0, "Salah" 1
            choice_question(
                "Apa yang kamu lakukan lebih dulu?",
                options=[("Dengarkan", 0.5), ("Catat", 0.5), ("Salahkan", 0)],
                several_correct=True,
            ),
        ]
    )


# Totals: 3, 2, 1.5, 1.5, 1, 0.5 of 3. With six sittings each 27% group holds
# two: upper = the first two, lower = the last two.
KNOWN_SITTINGS = [
    {1: ["Pendamping terlatih"], 2: ["Salah"], 3: ["Dengarkan", "Catat"]},
    {1: ["Pendamping terlatih"], 2: ["Benar"], 3: ["Dengarkan", "Catat"]},
    {1: ["Siapa saja"], 2: ["Salah"], 3: ["Dengarkan"]},
    {1: ["Pendamping terlatih"], 2: ["Benar"], 3: ["Dengarkan"]},
    {1: ["Pelaku"], 2: ["Salah"]},  # question 3 left unanswered
    {2: ["Benar"], 3: ["Dengarkan", "Salahkan"]},  # question 1 left unanswered
]


def counts(item):
    return {option.text: option.count for option in item.options}


def test_item_statistics_on_a_known_set_of_sittings(
    settings, organisation, three_question_quiz
):
    settings.PENDAMPING_ITEM_STATS_MIN_RESPONSES = 6  # judge this small set
    people = trainees(organisation, 7)
    for person, answers in zip(people, KNOWN_SITTINGS, strict=False):
        sit(person, three_question_quiz, answers)
    # Still in progress: never counted.
    sit(people[6], three_question_quiz, {1: ["Siapa saja"]}, finish=False)

    first, second, third = item_statistics(quiz=three_question_quiz)

    assert (first.seen, first.answered, first.unanswered) == (6, 5, 1)
    assert first.facility == pytest.approx(3 / 6)
    assert first.discrimination == pytest.approx(1.0)  # (1 + 1)/2 - (0 + 0)/2
    assert counts(first) == {"Pendamping terlatih": 3, "Siapa saja": 1, "Pelaku": 1}
    assert [option.is_correct for option in first.options] == [True, False, False]
    assert first.flags == []

    assert (second.seen, second.answered) == (6, 6)
    assert second.facility == pytest.approx(0.5)
    assert second.discrimination == pytest.approx(0.0)  # (1 + 0)/2 - (1 + 0)/2
    assert counts(second) == {"Benar": 3, "Salah": 3}
    assert [str(flag) for flag in second.flags] == ["daya beda rendah"]

    assert (third.seen, third.answered) == (6, 5)
    assert third.facility == pytest.approx(3.5 / 6)  # partial marks count
    assert third.discrimination == pytest.approx(0.75)  # (1 + 1)/2 - (0 + 0.5)/2
    assert counts(third) == {"Dengarkan": 5, "Catat": 2, "Salahkan": 1}
    assert third.options[0].share == pytest.approx(5 / 5)


def test_discrimination_needs_two_sittings_in_each_group(
    organisation, three_question_quiz
):
    for person, answers in zip(trainees(organisation, 5), KNOWN_SITTINGS, strict=False):
        sit(person, three_question_quiz, answers)
    items = item_statistics(quiz=three_question_quiz)
    assert [item.seen for item in items] == [5, 5, 5]
    assert [item.discrimination for item in items] == [None, None, None]


def test_unmarked_essays_wait_but_the_other_questions_of_their_sitting_count(
    organisation, facilitator
):
    quiz = quiz_with([choice_question(), essay_question()])
    marked_person, waiting_person = trainees(organisation, 2)
    sit(waiting_person, quiz, {1: ["Pendamping terlatih"], 2: ESSAY_TEXT})
    marked = sit(marked_person, quiz, {1: ["Siapa saja"], 2: ESSAY_TEXT})
    essay = Answer.objects.get(
        sitting_question__sitting=marked, sitting_question__position=2
    )
    mark_essay(answer=essay, marker=facilitator, mark=Decimal("0.5"))

    choice, written = item_statistics(quiz=quiz)
    assert (choice.seen, choice.facility) == (2, pytest.approx(0.5))
    assert written.kind == QuestionKind.ESSAY
    assert (written.seen, written.facility, written.options) == (
        1,
        pytest.approx(0.5),
        (),
    )


def test_a_question_deleted_from_the_bank_keeps_its_statistics_under_its_text(
    organisation,
):
    question = choice_question("Soal yang nanti dihapus")
    quiz = quiz_with([question, true_false_question()])
    for person in trainees(organisation, 2):
        sit(person, quiz, {1: ["Pendamping terlatih"], 2: ["Salah"]})
    question.delete()
    deleted = next(item for item in item_statistics(quiz=quiz) if not item.question_id)
    assert (deleted.text, deleted.seen, deleted.facility) == (
        "Soal yang nanti dihapus",
        2,
        pytest.approx(1.0),
    )


@pytest.mark.parametrize(
    ("facility", "discrimination", "seen", "flags"),
    [
        (0.95, 0.5, 20, ["terlalu mudah"]),
        (0.2, 0.1, 20, ["terlalu sulit", "daya beda rendah"]),
        (0.6, None, 20, []),
        (0.95, 0.0, 19, []),  # too few responses to judge (20 by default)
        (0.0, 0.0, 5, []),
    ],
)
def test_flags_speak_plainly(facility, discrimination, seen, flags):
    item = ItemStats(
        question_id=1,
        text="Soal",
        kind=QuestionKind.MULTIPLE_CHOICE,
        seen=seen,
        answered=seen,
        facility=facility,
        discrimination=discrimination,
    )
    assert [str(flag) for flag in item.flags] == flags


# --- results and exports ----------------------------------------------------------


@pytest.fixture
def essay_quiz(db):
    return quiz_with(
        [choice_question(), essay_question()], title="Kuis Esai", pass_mark=60
    )


def test_results_list_only_people_in_scope_with_latest_and_best_scores(
    signed_in, facilitator, trainee, outsider, three_question_quiz
):
    sit(trainee, three_question_quiz, KNOWN_SITTINGS[0])  # 100%
    sit(trainee, three_question_quiz, KNOWN_SITTINGS[4])  # 33%
    sit(outsider, three_question_quiz, KNOWN_SITTINGS[1])

    [row] = results_for(actor=facilitator, quiz=three_question_quiz)
    assert (row.person, row.attempts, row.latest_percent, row.best_percent) == (
        trainee,
        2,
        33,
        100,
    )
    assert row.passed is True

    page = (
        signed_in(facilitator)
        .get(f"/admin/hasil-kuis/kuis/{three_question_quiz.pk}/")
        .content.decode()
    )
    assert trainee.username in page
    assert outsider.username not in page
    assert "100%" in page


def test_a_cohort_filter_lists_its_trainees_who_have_not_sat_yet(
    signed_in, coordinator, facilitator, trainee, three_question_quiz
):
    cohort = trainee.enrolments.get().cohort
    page = (
        signed_in(facilitator)
        .get(
            f"/admin/hasil-kuis/kuis/{three_question_quiz.pk}/",
            {"cohort": cohort.pk},
        )
        .content.decode()
    )
    assert trainee.username in page
    assert "Belum mengerjakan" in page


def test_results_export_as_csv_and_xlsx_with_scores_but_no_essay_text(
    signed_in, facilitator, trainee, outsider, essay_quiz
):
    sitting = sit(trainee, essay_quiz, {1: ["Pendamping terlatih"], 2: ESSAY_TEXT})
    mark_essay(
        answer=Answer.objects.get(
            sitting_question__sitting=sitting, sitting_question__position=2
        ),
        marker=facilitator,
        mark=Decimal("0.5"),
        comment="Tambahkan rujukan.",
    )
    sit(outsider, essay_quiz, {1: ["Pelaku"], 2: ESSAY_TEXT})
    client = signed_in(facilitator)
    url = f"/admin/hasil-kuis/kuis/{essay_quiz.pk}/"

    response = client.get(url, {"export": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["Nama", "Nama pengguna", "Kuis"]
    assert len(rows) == 2
    assert rows[1][1:8] == [
        trainee.username,
        "Kuis Esai",
        "1",
        "Selesai",
        "75",
        "75",
        "Lulus",
    ]

    response = client.get(url, {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = list(sheet.iter_rows(values_only=True))
    assert len(cells) == 2
    assert cells[1][1:8] == (
        trainee.username,
        "Kuis Esai",
        1,
        "Selesai",
        75,
        75,
        "Lulus",
    )
    everything = " ".join(str(value) for row in cells for value in row)
    assert ESSAY_TEXT not in everything
    assert "rujukan" not in everything
    assert outsider.username not in everything


def test_the_cohort_table_shows_each_trainee_against_each_quiz(
    signed_in, coordinator, facilitator, trainee, essay_quiz, three_question_quiz
):
    cohort = trainee.enrolments.get().cohort
    sit(trainee, three_question_quiz, KNOWN_SITTINGS[0])
    sit(trainee, essay_quiz, {1: ["Pendamping terlatih"], 2: ESSAY_TEXT})
    client = signed_in(coordinator)

    page = client.get(f"/admin/hasil-kuis/angkatan/{cohort.pk}/").content.decode()
    assert "100% · Lulus" in page
    assert "Menunggu penilaian esai" in page

    response = client.get(
        f"/admin/hasil-kuis/angkatan/{cohort.pk}/", {"export": "xlsx"}
    )
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))[1:]
    assert sorted((row[2], row[5]) for row in rows) == [
        ("Kuis Esai", None),
        ("Kuis Uji", 100),
    ]


def test_a_cohort_out_of_scope_is_not_found(signed_in, facilitator):
    cohort = CohortFactory()
    response = signed_in(facilitator).get(f"/admin/hasil-kuis/angkatan/{cohort.pk}/")
    assert response.status_code == 404


def test_the_statistics_page_flags_weak_questions(
    settings, signed_in, facilitator, organisation, three_question_quiz
):
    settings.PENDAMPING_ITEM_STATS_MIN_RESPONSES = 6
    for person, answers in zip(trainees(organisation, 6), KNOWN_SITTINGS, strict=False):
        sit(person, three_question_quiz, answers)
    page = (
        signed_in(facilitator)
        .get(f"/admin/hasil-kuis/kuis/{three_question_quiz.pk}/statistik/")
        .content.decode()
    )
    assert "daya beda rendah" in page
    assert "0,58" in page  # facility of the third question, in Indonesian
    assert "0,75" in page  # its discrimination


def statistics_rows(client, quiz) -> list[dict[str, str]]:
    """The statistics table as a facilitator reads it: responses and notes."""
    response = client.get(f"/admin/hasil-kuis/kuis/{quiz.pk}/statistik/")
    assert response.status_code == 200
    rows = BeautifulSoup(response.content, "html.parser").select("table tbody tr")
    cells = [
        [" ".join(td.get_text().split()) for td in row.find_all("td")] for row in rows
    ]
    return [{"responses": row[2], "notes": row[-1]} for row in cells]


def test_five_wrong_answers_are_too_few_to_call_a_question_too_hard(
    signed_in, facilitator, organisation
):
    quiz = quiz_with([choice_question()])
    for person in trainees(organisation, 5):
        sit(person, quiz, {1: ["Pelaku"]})

    [row] = statistics_rows(signed_in(facilitator), quiz)

    assert row["responses"] == "5"
    assert row["notes"] == "belum cukup jawaban (5 dari 20)"


def test_twenty_wrong_answers_make_a_question_too_hard(
    signed_in, facilitator, organisation
):
    quiz = quiz_with([choice_question()])
    people = trainees(organisation, 20)
    for person in people[:19]:
        sit(person, quiz, {1: ["Pelaku"]})
    client = signed_in(facilitator)
    [row] = statistics_rows(client, quiz)
    assert row["notes"] == "belum cukup jawaban (19 dari 20)"

    sit(people[19], quiz, {1: ["Siapa saja"]})
    [row] = statistics_rows(client, quiz)

    assert row["responses"] == "20"
    assert "terlalu sulit" in row["notes"]
    assert "belum cukup" not in row["notes"]


def test_the_minimum_of_responses_is_a_setting(
    settings, signed_in, facilitator, organisation
):
    settings.PENDAMPING_ITEM_STATS_MIN_RESPONSES = 3
    quiz = quiz_with([choice_question()])
    for person in trainees(organisation, 3):
        sit(person, quiz, {1: ["Pendamping terlatih"]})

    [row] = statistics_rows(signed_in(facilitator), quiz)

    assert row["notes"] == "terlalu mudah"


# --- essay marking ----------------------------------------------------------------


def essay_answer(sitting):
    return Answer.objects.get(
        sitting_question__sitting=sitting, sitting_question__kind=QuestionKind.ESSAY
    )


def test_the_queue_shows_only_essays_of_people_in_scope(
    signed_in, facilitator, trainee, outsider, essay_quiz
):
    sit(trainee, essay_quiz, {1: ["Pendamping terlatih"], 2: ESSAY_TEXT})
    sit(outsider, essay_quiz, {1: ["Pendamping terlatih"], 2: "Jawaban orang lain."})
    page = signed_in(facilitator).get("/admin/hasil-kuis/esai/").content.decode()
    assert ESSAY_TEXT in page
    assert "Jawaban orang lain." not in page
    assert outsider.username not in page


def test_marking_rescores_the_sitting_and_records_the_comment(
    signed_in, facilitator, trainee, essay_quiz
):
    sitting = sit(trainee, essay_quiz, {1: ["Pendamping terlatih"], 2: ESSAY_TEXT})
    assert (sitting.status, sitting.percent) == (SittingStatus.AWAITING_MARKING, None)
    answer = essay_answer(sitting)

    response = signed_in(facilitator).post(
        f"/admin/hasil-kuis/esai/{answer.pk}/",
        {
            "percent": "50",
            "comment": "Bagus. Tambahkan rujukan ke UPTD PPA.",
            "next": "/admin/hasil-kuis/esai/",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/hasil-kuis/esai/"
    answer.refresh_from_db()
    sitting.refresh_from_db()
    assert answer.mark == Decimal("0.5")
    assert answer.comment == "Bagus. Tambahkan rujukan ke UPTD PPA."
    assert answer.marked_by == facilitator
    assert (sitting.status, sitting.percent, sitting.passed) == (
        SittingStatus.FINISHED,
        75,
        True,
    )


def test_an_answer_out_of_scope_is_not_found_and_stays_unmarked(
    signed_in, facilitator, outsider, essay_quiz
):
    answer = essay_answer(
        sit(outsider, essay_quiz, {1: ["Pendamping terlatih"], 2: ESSAY_TEXT})
    )
    client = signed_in(facilitator)
    assert client.get(f"/admin/hasil-kuis/esai/{answer.pk}/").status_code == 404
    response = client.post(f"/admin/hasil-kuis/esai/{answer.pk}/", {"percent": "90"})
    assert response.status_code == 404
    answer.refresh_from_db()
    assert answer.mark is None


@pytest.mark.parametrize("percent", ["150", "-1", "72,5", "sangat baik", ""])
def test_a_bad_mark_is_explained_and_nothing_is_saved(
    signed_in, facilitator, trainee, essay_quiz, percent
):
    sitting = sit(trainee, essay_quiz, {1: ["Pendamping terlatih"], 2: ESSAY_TEXT})
    answer = essay_answer(sitting)
    response = signed_in(facilitator).post(
        f"/admin/hasil-kuis/esai/{answer.pk}/", {"percent": percent, "comment": "X"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nilai belum disimpan" in page
    assert ESSAY_TEXT in page  # the answer is still there to mark
    answer.refresh_from_db()
    sitting.refresh_from_db()
    assert (answer.mark, answer.comment) == (None, "")
    assert sitting.status == SittingStatus.AWAITING_MARKING


def test_a_sitting_still_in_progress_cannot_be_marked(
    signed_in, facilitator, trainee, essay_quiz
):
    sitting = sit(trainee, essay_quiz, {2: ESSAY_TEXT}, finish=False)
    response = signed_in(facilitator).post(
        f"/admin/hasil-kuis/esai/{essay_answer(sitting).pk}/", {"percent": "80"}
    )
    assert response.status_code == 404


def test_the_trainee_reads_the_mark_and_comment(facilitator, trainee, essay_quiz):
    from django.template.loader import render_to_string

    answer = essay_answer(
        sit(trainee, essay_quiz, {1: ["Pendamping terlatih"], 2: ESSAY_TEXT})
    )
    waiting = render_to_string(
        "assessments/includes/essay_feedback.html", {"answer": answer}
    )
    assert "Menunggu penilaian fasilitator" in waiting
    mark_essay(
        answer=answer,
        marker=facilitator,
        mark=Decimal("0.8"),
        comment="Baik.\nLanjutkan.",
    )
    answer.refresh_from_db()
    shown = render_to_string(
        "assessments/includes/essay_feedback.html", {"answer": answer}
    )
    assert "80%" in shown
    assert "Baik.<br>Lanjutkan." in shown


# --- access and query budget -------------------------------------------------------


def test_facilitators_see_the_menu(signed_in, facilitator):
    page = signed_in(facilitator).get("/admin/").content.decode()
    assert "Hasil per kuis" in page
    assert "/admin/hasil-kuis/esai/" in page


def test_trainees_are_kept_out(signed_in, trainee, essay_quiz):
    client = signed_in(trainee)
    for url in (
        "/admin/hasil-kuis/",
        f"/admin/hasil-kuis/kuis/{essay_quiz.pk}/?export=xlsx",
        "/admin/hasil-kuis/esai/",
    ):
        response = client.get(url)
        # Wagtail sends anyone without admin access to its login page.
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_admin_users_without_a_facilitator_role_are_refused(
    signed_in, organisation, essay_quiz
):
    clerk = UserFactory(username="staf-admin", organisation=organisation)
    clerk.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = signed_in(clerk)
    for url in (
        "/admin/hasil-kuis/",
        f"/admin/hasil-kuis/kuis/{essay_quiz.pk}/?export=csv",
        f"/admin/hasil-kuis/kuis/{essay_quiz.pk}/statistik/",
        "/admin/hasil-kuis/esai/",
    ):
        response = client.get(url)
        assert response.status_code == 403
        assert "tidak berhak" in response.content.decode()
    assert "Hasil per kuis" not in client.get("/admin/").content.decode()


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    return len(captured)


def _sit_with_essay(people, quiz, facilitator):
    for n, person in enumerate(people):
        sitting = sit(person, quiz, {1: ["Pendamping terlatih"], 2: ESSAY_TEXT})
        if n % 2:
            mark_essay(
                answer=essay_answer(sitting), marker=facilitator, mark=Decimal("1")
            )


def test_the_number_of_queries_does_not_grow_with_the_sittings(
    signed_in, facilitator, organisation, essay_quiz
):
    cohort = CohortFactory(facilitators=[facilitator])
    client = signed_in(facilitator)
    urls = [
        "/admin/hasil-kuis/",
        f"/admin/hasil-kuis/kuis/{essay_quiz.pk}/",
        f"/admin/hasil-kuis/kuis/{essay_quiz.pk}/?cohort={cohort.pk}",
        f"/admin/hasil-kuis/kuis/{essay_quiz.pk}/?export=xlsx",
        f"/admin/hasil-kuis/kuis/{essay_quiz.pk}/statistik/",
        "/admin/hasil-kuis/statistik/",
        "/admin/hasil-kuis/angkatan/",
        f"/admin/hasil-kuis/angkatan/{cohort.pk}/",
        f"/admin/hasil-kuis/angkatan/{cohort.pk}/?export=csv",
        "/admin/hasil-kuis/esai/",
    ]
    first = trainees(organisation, 3)
    for person in first:
        Enrolment.objects.create(cohort=cohort, trainee=person)
    _sit_with_essay(first, essay_quiz, facilitator)
    _queries(client, "/admin/")  # warm up the session and the site
    with_three = {url: _queries(client, url) for url in urls}

    more = trainees(organisation, 9, start=3)
    for person in more:
        Enrolment.objects.create(cohort=cohort, trainee=person)
    _sit_with_essay(more, essay_quiz, facilitator)
    with_twelve = {url: _queries(client, url) for url in urls}

    assert with_twelve == with_three
    cohort_page = client.get(f"/admin/hasil-kuis/angkatan/{cohort.pk}/")
    assert cohort_page.content.decode().count("peserta-") == 12
