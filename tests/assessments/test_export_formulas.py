"""Every export writes what people typed as text, never as a formula (one rule)."""

import csv
import datetime
import io
import zipfile

from django.urls import reverse

import pytest
from openpyxl import load_workbook

from assessments.events import attendance_template
from assessments.grading import finish_sitting, start_sitting, submit_answer
from assessments.models import Competency, TrainingEvent
from learning.choices import Role
from learning.models import Enrolment
from tests.factories import CohortFactory, region, user_with_roles
from tests.factories.assessments import choice_question, quiz_with

pytestmark = pytest.mark.django_db

FORMULA_NAME = '=HYPERLINK("http://contoh.invalid","klik")'


def sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


@pytest.fixture
def formula_trainee(organisation):
    return user_with_roles(
        Role.PESERTA,
        username="peserta-rumus",
        first_name=FORMULA_NAME,
        last_name="",
        organisation=organisation,
    )


def test_the_competence_matrix_xlsx_shows_a_formula_name_as_typed(
    signed_in, facilitator, formula_trainee
):
    cohort = CohortFactory(facilitators=[facilitator])
    Enrolment.objects.create(cohort=cohort, trainee=formula_trainee)
    Competency.objects.create(name="@Konseling", description="Uraian.", sort_order=1)

    response = signed_in(facilitator).get(
        reverse("assessments_competence_matrix", args=[cohort.pk]), {"export": "xlsx"}
    )

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sheet["C1"].value == "@Konseling"  # no apostrophe shown
    assert sheet["A2"].value == FORMULA_NAME
    assert sheet["A2"].data_type == "s"
    assert "<f>" not in sheet_xml(response.content)


def test_the_results_csv_quotes_text_starting_with_a_tab_or_a_formula(
    signed_in, facilitator, formula_trainee
):
    quiz = quiz_with([choice_question()], title="\t=SUM(1;2)")
    sitting = start_sitting(user=formula_trainee, quiz=quiz)
    option = sitting.questions.get().snapshot["options"][0]["id"]
    submit_answer(sitting=sitting, user=formula_trainee, position=1, chosen=[option])
    finish_sitting(sitting=sitting, user=formula_trainee)

    response = signed_in(facilitator).get(
        f"/admin/hasil-kuis/kuis/{quiz.pk}/", {"export": "csv"}
    )

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[1][0] == "'" + FORMULA_NAME
    assert rows[1][2] == "'\t=SUM(1;2)"


def test_the_attendance_template_keeps_a_formula_name_as_text(
    coordinator, facilitator, trainee
):
    trainee.first_name, trainee.last_name = FORMULA_NAME, ""
    trainee.save()
    programme = coordinator.coordinated_programmes.get()
    event = TrainingEvent.objects.create(
        title="=Pelatihan",
        programme=programme,
        start_date=datetime.date(2022, 11, 17),
        end_date=datetime.date(2022, 11, 18),
        place=region("53.02"),
        venue="Aula",
    )
    event.organisers.set(programme.organisations.all())

    content = attendance_template(event, facilitator)

    sheet = load_workbook(io.BytesIO(content))["kehadiran"]
    assert sheet["A1"].value == "=Pelatihan"
    assert sheet["B5"].value == FORMULA_NAME
    assert {sheet["A1"].data_type, sheet["B5"].data_type} == {"s"}
    assert "<f>" not in sheet_xml(content)
