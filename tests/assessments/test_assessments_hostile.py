"""The assessment screens and API, tried by every role with ugly input."""

import json

import pytest

from assessments.grading import finish_sitting, start_sitting, submit_answer
from assessments.models import CompetenceAssessment, Competency
from learning.choices import Role
from tests.factories import OrganisationFactory, UserFactory, user_with_roles
from tests.factories.assessments import choice_question, quiz_with
from tests.factories.people import client_for
from tests.hostile import UGLY

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(coordinator, facilitator, trainee):
    competency = Competency.objects.create(
        name="Rujukan", description="Merujuk.", criteria="Tahu layanan"
    )
    quiz = quiz_with([choice_question()], title="Kuis Rujukan")
    sitting = start_sitting(user=trainee, quiz=quiz)
    [item] = sitting.questions.all()
    submit_answer(
        sitting=sitting,
        user=trainee,
        position=1,
        chosen=[item.snapshot["options"][0]["id"]],
    )
    finish_sitting(sitting=sitting, user=trainee)
    partner = user_with_roles(
        Role.FASILITATOR,
        username="fasilitator-mitra",
        organisation=OrganisationFactory(short_name="MITRA"),
    )
    superuser = UserFactory(username="super", is_superuser=True, is_staff=True)
    return {
        "competency": competency,
        "quiz": quiz,
        "sitting": sitting,
        "cohort": trainee.enrolments.get().cohort,
        "people": {
            "anonymous": None,
            "trainee": trainee,
            "facilitator": facilitator,
            "partner": partner,
            "coordinator": coordinator,
            "superuser": superuser,
        },
    }


def assessment_form(world, **changes) -> dict:
    data = {
        "competency": str(world["competency"].pk),
        "level": "kompeten",
        "assessed_on": "2026-03-01",
        "comment": "Merujuk dengan tepat.",
        "observation": "",
        "bukti_assessments_sitting": [str(world["sitting"].pk)],
    }
    return {**data, **changes}


def api_body(world, **changes) -> dict:
    body = {
        "trainee_id": world["people"]["trainee"].pk,
        "competency_id": world["competency"].pk,
        "level": "kompeten",
        "assessed_on": "2026-03-01",
        "comment": "Merujuk dengan tepat.",
        "evidence": [{"kind": "assessments.sitting", "id": world["sitting"].pk}],
    }
    return {**body, **changes}


def post_api(client, body):
    return client.post(
        "/api/competence/assessments",
        json.dumps(body),
        content_type="application/json",
    )


def form_url(world) -> str:
    return f"/admin/kompetensi/nilai/{world['people']['trainee'].pk}/"


# --- ids in the query string ------------------------------------------------------


@pytest.mark.parametrize("value", ["²", "١٢", "99999999999999999999", "-1", '"'])
def test_a_matrix_link_with_a_broken_id_still_opens_the_form(world, value):
    """`?kompetensi=²` passed `str.isdigit()` and crashed the query (a 500)."""
    client = client_for(world["people"]["facilitator"])
    trainee = world["people"]["trainee"]
    for url, params in [
        (form_url(world), {"kompetensi": value, "angkatan": value}),
        (f"/admin/kompetensi/peserta/{trainee.pk}/", {"angkatan": value}),
    ]:
        response = client.get(url, params)
        assert response.status_code == 200, url
        assert trainee.display_name in response.content.decode()


def test_a_post_naming_a_broken_competency_is_refused_in_words(world):
    client = client_for(world["people"]["facilitator"])
    response = client.post(form_url(world), assessment_form(world, competency="²"))
    assert response.status_code == 200
    assert "Masukkan pilihan yang valid" in response.content.decode()
    assert not CompetenceAssessment.objects.exists()


def test_every_assessment_screen_survives_ugly_parameters(world):
    """Listings, matrix, results, downloads and item statistics: never a 500."""
    quiz, cohort = world["quiz"], world["cohort"]
    screens = [
        (f"/admin/kompetensi/matriks/{cohort.pk}/", ["competency", "level"], "xlsx"),
        ("/admin/kompetensi/matriks/", ["q", "p"], None),
        (f"/admin/hasil-kuis/kuis/{quiz.pk}/", ["cohort", "p"], "csv"),
        (f"/admin/hasil-kuis/kuis/{quiz.pk}/", ["cohort"], "xlsx"),
        (f"/admin/hasil-kuis/angkatan/{cohort.pk}/", ["p"], "xlsx"),
        ("/admin/hasil-kuis/", ["q", "p"], None),
        (f"/admin/hasil-kuis/kuis/{quiz.pk}/statistik/", ["cohort"], None),
        ("/admin/hasil-kuis/statistik/", ["q"], None),
        ("/admin/soal/impor/hasil/", ["soal", "p"], None),
    ]
    client = client_for(world["people"]["superuser"])
    answers = {}
    for url, params, export in screens:
        for param in params:
            for value in ["²", "99999999999999999999", '"', "a\x00b", "-1", "🙂"]:
                query = {param: value, **({"export": export} if export else {})}
                answers[(url, param, value)] = client.get(url, query).status_code
    assert {key: code for key, code in answers.items() if code >= 500} == {}
    assert set(answers.values()) <= {200, 404}


def test_a_question_number_that_is_not_an_ascii_number_shows_the_sitting(world):
    """`?nomor=²` on the trainee's own sitting crashed `int()` (a 500)."""
    trainee = world["people"]["trainee"]
    sitting = start_sitting(user=trainee, quiz=world["quiz"])
    client = client_for(trainee)
    for value in ["²", "99999999999999999999", "0", "abc"]:
        response = client.get(f"/kuis/percobaan/{sitting.uuid}/", {"nomor": value})
        assert response.status_code == 200, value


# --- who may record ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status", "recorded"),
    [
        ("anonymous", 302, False),
        ("trainee", 302, False),
        ("partner", 404, False),
        ("facilitator", 302, True),
        ("coordinator", 302, True),
        ("superuser", 302, True),
    ],
)
def test_only_those_in_scope_record_a_judgement_on_the_form(
    world, who, status, recorded
):
    client = client_for(world["people"][who])
    response = client.post(form_url(world), assessment_form(world))
    assert response.status_code == status
    assert CompetenceAssessment.objects.exists() is recorded


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 401),
        ("trainee", 409),
        ("partner", 404),
        ("facilitator", 200),
        ("coordinator", 200),
        ("superuser", 200),
    ],
)
def test_only_those_in_scope_record_a_judgement_through_the_api(world, who, status):
    response = post_api(client_for(world["people"][who]), api_body(world))
    assert response.status_code == status
    assert CompetenceAssessment.objects.exists() is (status == 200)


# --- ugly values --------------------------------------------------------------------


@pytest.mark.parametrize("day", ["0001-01-01", "1970-01-01", "1999-12-31"])
def test_a_judgement_dated_long_ago_is_refused_in_words(world, day):
    """Year 1 was saved, and became the trainee's 'earliest' judgement."""
    client = client_for(world["people"]["facilitator"])
    response = client.post(form_url(world), assessment_form(world, assessed_on=day))
    assert response.status_code == 200
    assert "tidak boleh sebelum 1 Januari 2000" in response.content.decode()
    response = post_api(client, api_body(world, assessed_on=day))
    assert response.status_code == 409
    assert "1 Januari 2000" in response.json()["detail"]
    assert not CompetenceAssessment.objects.exists()


@pytest.mark.parametrize(
    "day", ["9999-12-31", "2026-02-30", "2026-03-01+08:00", "2026-03-01T10:30+08:00"]
)
def test_impossible_or_future_dates_are_refused(world, day):
    client = client_for(world["people"]["facilitator"])
    assert (
        client.post(
            form_url(world), assessment_form(world, assessed_on=day)
        ).status_code
        == 200
    )
    assert post_api(client, api_body(world, assessed_on=day)).status_code in (409, 422)
    assert not CompetenceAssessment.objects.exists()


def test_a_nul_in_the_api_comment_or_note_is_refused_not_stored(world):
    """PostgreSQL cannot store a NUL: the API passed it to the database (a 500
    there). The form's fields already refused it."""
    client = client_for(world["people"]["facilitator"])
    sitting = world["sitting"].pk
    for body in [
        api_body(world, comment="a\x00b"),
        api_body(
            world,
            evidence=[{"kind": "assessments.sitting", "id": sitting, "note": "\x00"}],
        ),
    ]:
        response = post_api(client, body)
        assert response.status_code == 409
        assert "NUL" in response.json()["detail"]
    response = client.post(form_url(world), assessment_form(world, comment="a\x00b"))
    assert response.status_code == 200
    assert not CompetenceAssessment.objects.exists()


def test_the_same_record_sent_twice_is_one_piece_of_evidence(world):
    client = client_for(world["people"]["facilitator"])
    sitting = str(world["sitting"].pk)
    response = client.post(
        form_url(world),
        assessment_form(world, bukti_assessments_sitting=[sitting] * 5),
    )
    assert response.status_code == 302
    item = {"kind": "assessments.sitting", "id": world["sitting"].pk}
    response = post_api(
        client, api_body(world, comment="Lewat API", evidence=[item] * 5)
    )
    assert response.status_code == 200
    assert response.json()["evidence"] == 1
    assert [a.evidence.count() for a in CompetenceAssessment.objects.all()] == [1, 1]


def test_ten_thousand_evidence_items_are_refused_whole(world):
    client = client_for(world["people"]["facilitator"])
    item = {"kind": "assessments.sitting", "id": world["sitting"].pk}
    response = post_api(client, api_body(world, evidence=[item] * 10_000))
    assert response.status_code == 422
    assert "Paling banyak 200 butir" in json.dumps(response.json())
    assert not CompetenceAssessment.objects.exists()


@pytest.mark.parametrize("field", ["competency", "level", "assessed_on", "comment"])
def test_ugly_form_values_give_a_page_not_a_crash(world, field):
    client = client_for(world["people"]["facilitator"])
    answers = {
        value[:20]: client.post(
            form_url(world), assessment_form(world, **{field: value})
        ).status_code
        for value in UGLY
    }
    assert set(answers.values()) <= {200, 302}, answers


# --- the question import ------------------------------------------------------------

IMPORT_URL = "/admin/soal/impor/"
ONE_QUESTION = "::R1::Ke mana merujuk? {=Puskesmas ~Kantor desa}\n"


def upload(content: bytes, name: str = "soal.gift"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="text/plain")


@pytest.mark.parametrize(
    ("content", "category"),
    [
        (b"", ""),
        (b"\x00\x00\x00", ""),
        (b"::A::Apa?\x00 {=Ya ~Tidak}\n", ""),
        (b"\xff\xfe\xfa not utf-8 {=Ya ~Tidak}", ""),
        (b"{", ""),
        (ONE_QUESTION.encode(), "a\x00b"),
        (ONE_QUESTION.encode(), "x" * 10_000),
    ],
)
def test_an_ugly_question_file_is_refused_whole_with_a_message(
    world, content, category
):
    from assessments.models import Question

    before = Question.objects.count()
    client = client_for(world["people"]["facilitator"])
    response = client.post(IMPORT_URL, {"file": upload(content), "category": category})
    assert response.status_code == 200
    assert "error" in response.content.decode()
    assert Question.objects.count() == before


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("trainee", 302), ("facilitator", 302), ("superuser", 302)],
)
def test_who_may_import_questions(world, who, status):
    from assessments.models import Question

    client = client_for(world["people"][who])
    response = client.post(IMPORT_URL, {"file": upload(ONE_QUESTION.encode())})
    assert response.status_code == status
    allowed = who in ("facilitator", "superuser")
    assert Question.objects.filter(text__startswith="Ke mana").exists() is allowed
    if allowed:
        assert "/admin/soal/impor/hasil/?soal=" in response["Location"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrated_data")
def test_twenty_copies_of_one_import_at_once_add_each_question_once(facilitator):
    """A double click on a slow link: the import checks the bank for each
    question and adds it in one serialised transaction (PostgreSQL in CI)."""
    from assessments.models import Category, Question
    from tests.concurrency import all_at_once, signed_in_clients

    text = (
        "$CATEGORY: Rujukan/Layanan\n\n"
        + ONE_QUESTION
        + "\nKorban boleh didampingi.{T}\n"
    )
    clients = signed_in_clients(facilitator, 20)
    answers = all_at_once(
        [
            lambda client=client: (
                client.post(IMPORT_URL, {"file": upload(text.encode())}).status_code
            )
            for client in clients
        ]
    )
    assert answers == [302] * 20
    assert Question.objects.count() == 2
    assert Category.objects.count() == 2


def test_a_facilitator_cannot_judge_a_colleague_or_a_coordinator(world, organisation):
    """Scope lets a facilitator see her organisation's staff; judging is for
    trainees and alumni only (the read rule was reused for writing)."""
    colleague = user_with_roles(
        Role.FASILITATOR, username="rekan-fasilitator", organisation=organisation
    )
    boss = user_with_roles(
        Role.KOORDINATOR, username="koordinator-sini", organisation=organisation
    )
    client = client_for(world["people"]["facilitator"])
    for person in (colleague, boss):
        url = f"/admin/kompetensi/nilai/{person.pk}/"
        assert client.get(url).status_code == 404
        assert client.post(url, assessment_form(world)).status_code == 404
        body = api_body(world, trainee_id=person.pk, evidence=[])
        assert post_api(client, body).status_code == 409
    assert not CompetenceAssessment.objects.exists()
