import datetime

from django.utils import timezone

import pytest

from assessments.choices import CompetenceLevel
from assessments.competence import (
    CompetenceError,
    latest_assessments,
    record_assessment,
    register_evidence_kind,
)
from assessments.grading import finish_sitting, start_sitting
from assessments.models import CompetenceAssessment, Competency, Evidence
from learning.choices import Role
from learning.models import Organisation
from tests.factories import OrganisationFactory, user_with_roles
from tests.factories.assessments import choice_question, quiz_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def competency(db):
    return Competency.objects.create(
        name="Konseling awal", description="Mendengarkan korban.", criteria="Mendengar"
    )


@pytest.fixture
def sitting(trainee):
    sitting = start_sitting(user=trainee, quiz=quiz_with([choice_question()]))
    return finish_sitting(sitting=sitting, user=trainee)


def test_history_is_kept_and_the_latest_counts(
    coordinator, facilitator, trainee, competency
):
    first = record_assessment(
        assessor=facilitator,
        trainee=trainee,
        competency=competency,
        level=CompetenceLevel.DEVELOPING,
        assessed_on=timezone.localdate() - datetime.timedelta(days=30),
    )
    second = record_assessment(
        assessor=facilitator, trainee=trainee, competency=competency, level="kompeten"
    )
    assert CompetenceAssessment.objects.filter(trainee=trainee).count() == 2
    first.refresh_from_db()
    assert first.level == CompetenceLevel.DEVELOPING
    latest = latest_assessments(trainees=[trainee], competencies=[competency])
    assert latest[(trainee.pk, competency.pk)] == second


def test_a_quiz_sitting_backs_an_assessment(
    coordinator, facilitator, trainee, competency, sitting
):
    assessment = record_assessment(
        assessor=facilitator,
        trainee=trainee,
        competency=competency,
        level="kompeten",
        evidence=[(sitting, "")],
    )
    [evidence] = assessment.evidence.all()
    assert evidence.record == sitting


def test_someone_elses_sitting_is_refused_and_nothing_saved(
    coordinator, facilitator, trainee, competency
):
    other = user_with_roles(
        Role.PESERTA, username="lain", organisation=trainee.organisation
    )
    theirs = finish_sitting(
        sitting=start_sitting(user=other, quiz=quiz_with([choice_question()])),
        user=other,
    )
    with pytest.raises(CompetenceError, match="bukan milik"):
        record_assessment(
            assessor=facilitator,
            trainee=trainee,
            competency=competency,
            level="kompeten",
            evidence=[(theirs, "")],
        )
    assert not CompetenceAssessment.objects.exists() and not Evidence.objects.exists()


def test_later_kinds_of_evidence_plug_in(
    coordinator, facilitator, trainee, competency, monkeypatch
):
    """The magang and practice-case work register their records the same way."""
    from assessments import competence

    monkeypatch.setattr(competence, "_kinds", dict(competence._kinds))
    register_evidence_kind(
        Organisation,
        label="Uji",
        offered=lambda person: Organisation.objects.filter(pk=person.organisation_id),
        describe=lambda org: f"Lembaga {org.short_name}",
    )
    assessment = record_assessment(
        assessor=facilitator,
        trainee=trainee,
        competency=competency,
        level="berkembang",
        evidence=[(trainee.organisation, "magang di lembaga ini")],
    )
    assert assessment.evidence.get().note == "magang di lembaga ini"
    with pytest.raises(CompetenceError, match="tidak dikenal"):
        record_assessment(
            assessor=facilitator,
            trainee=trainee,
            competency=competency,
            level="kompeten",
            evidence=[(competency, "")],
        )


def test_only_facilitators_in_scope_may_assess(
    coordinator, facilitator, trainee, competency
):
    stranger = user_with_roles(
        Role.FASILITATOR,
        username="asing",
        organisation=OrganisationFactory(short_name="ASG"),
    )
    with pytest.raises(CompetenceError, match="tidak dapat menilai"):
        record_assessment(
            assessor=stranger, trainee=trainee, competency=competency, level="kompeten"
        )
    with pytest.raises(CompetenceError):
        record_assessment(
            assessor=trainee, trainee=trainee, competency=competency, level="kompeten"
        )
    assert record_assessment(
        assessor=coordinator, trainee=trainee, competency=competency, level="kompeten"
    )


def test_future_dates_and_unknown_levels_are_refused(
    coordinator, facilitator, trainee, competency
):
    with pytest.raises(CompetenceError, match="masa depan"):
        record_assessment(
            assessor=facilitator,
            trainee=trainee,
            competency=competency,
            level="kompeten",
            assessed_on=timezone.localdate() + datetime.timedelta(days=1),
        )
    with pytest.raises(CompetenceError, match="Pilih tingkat"):
        record_assessment(
            assessor=facilitator, trainee=trainee, competency=competency, level="ahli"
        )


def test_the_demo_framework_has_the_issues_competencies():
    from assessments.sample_competencies import load_sample_competencies

    names = {c.name for c in load_sample_competencies()}
    load_sample_competencies()
    assert Competency.objects.count() == 8
    assert "Etika, kerahasiaan dan keselamatan pendamping" in names
    assert all(c.legal_basis for c in Competency.objects.all())


def test_the_demo_frameworks_legal_basis_cites_listed_articles_and_is_corrected():
    """Counselling is not grounded in the paralegal regulation, nor
    documentation in the SPPA's media rule (the first edition's mistakes)."""
    from assessments.sample_competencies import (
        SAMPLE_COMPETENCIES,
        load_sample_competencies,
    )
    from modules.demo import citation_problems

    bases = [basis for _name, _text, _criteria, basis in SAMPLE_COMPETENCIES]
    assert citation_problems("kerangka kompetensi", bases) == []
    assert not any("Permenkumham" in basis for basis in bases)
    load_sample_competencies()
    counselling = Competency.objects.get(name="Konseling awal dan penguatan korban")
    Competency.objects.filter(pk=counselling.pk).update(
        legal_basis="UU 23/2004 (PKDRT) pasal 23; Permenkumham 3/2021"
    )
    ethics = Competency.objects.get(name__startswith="Etika")
    Competency.objects.filter(pk=ethics.pk).update(legal_basis="Dasar dari yayasan.")
    load_sample_competencies()
    counselling.refresh_from_db()
    ethics.refresh_from_db()
    assert "pasal 41" in counselling.legal_basis
    assert ethics.legal_basis == "Dasar dari yayasan."


def test_the_admin_form_records_an_assessment_with_its_evidence(
    client, coordinator, facilitator, trainee, competency, sitting
):
    client.force_login(facilitator)
    url = f"/admin/kompetensi/nilai/{trainee.pk}/"
    page = client.get(url).content.decode()
    assert "Nilai kompetensi" in page and "percobaan 1" in page
    assert f'value="{timezone.localdate().isoformat()}"' in page  # today, filled in
    response = client.post(
        url,
        {
            "competency": competency.pk,
            "level": "berkembang",
            "assessed_on": timezone.localdate().isoformat(),
            "comment": "Sudah mendengarkan dengan baik.",
            "bukti_assessments_sitting": [sitting.pk],
        },
        follow=True,
    )
    assert "tersimpan" in response.content.decode()
    assessment = CompetenceAssessment.objects.get(trainee=trainee)
    assert assessment.evidence.get().record == sitting
    assert "Sudah mendengarkan dengan baik." in response.content.decode()  # history


def test_the_admin_form_is_not_found_for_someone_out_of_scope(
    client, trainee, competency
):
    stranger = user_with_roles(
        Role.FASILITATOR,
        username="asing2",
        organisation=OrganisationFactory(short_name="AS2"),
    )
    client.force_login(stranger)
    assert client.get(f"/admin/kompetensi/nilai/{trainee.pk}/").status_code == 404
    response = client.post(
        f"/admin/kompetensi/nilai/{trainee.pk}/",
        {"competency": competency.pk, "level": "kompeten", "assessed_on": "2026-01-01"},
    )
    assert response.status_code == 404
    assert not CompetenceAssessment.objects.exists()


def test_the_api_gives_profiles_and_records_assessments_through_the_scope(
    client, coordinator, facilitator, trainee, competency, sitting
):
    client.force_login(facilitator)
    response = client.post(
        "/api/competence/assessments",
        {
            "trainee_id": trainee.pk,
            "competency_id": competency.pk,
            "level": "kompeten",
            "evidence": [{"kind": "assessments.sitting", "id": sitting.pk}],
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["evidence"] == 1
    profile = client.get(f"/api/competence/people/{trainee.pk}").json()
    [row] = profile["competencies"]
    assert (row["level"], row["level_label"]) == ("kompeten", "Kompeten")
    client.force_login(trainee)
    assert (
        client.get("/api/competence/me").json()["competencies"][0]["level"]
        == "kompeten"
    )
    refused = client.post(
        "/api/competence/assessments",
        {"trainee_id": trainee.pk, "competency_id": competency.pk, "level": "kompeten"},
        content_type="application/json",
    )
    assert refused.status_code == 409
    stranger = user_with_roles(
        Role.FASILITATOR,
        username="asing3",
        organisation=OrganisationFactory(short_name="AS3"),
    )
    client.force_login(stranger)
    assert client.get(f"/api/competence/people/{trainee.pk}").status_code == 404
    assert CompetenceAssessment.objects.count() == 1


def test_the_api_answers_a_missing_record_as_it_answers_anothers(
    client, facilitator, trainee, competency
):
    """Evidence ids are looked up only among the trainee's own records of a
    registered kind: whether some record exists elsewhere is not told."""
    other = user_with_roles(Role.PESERTA, username="peserta-lain-api")
    theirs = finish_sitting(
        sitting=start_sitting(user=other, quiz=quiz_with([choice_question()])),
        user=other,
    )
    client.force_login(facilitator)

    def send(kind, record_id):
        return client.post(
            "/api/competence/assessments",
            {
                "trainee_id": trainee.pk,
                "competency_id": competency.pk,
                "level": "kompeten",
                "evidence": [{"kind": kind, "id": record_id}],
            },
            content_type="application/json",
        )

    anothers = send("assessments.sitting", theirs.pk)
    missing = send("assessments.sitting", 999_999_999)
    assert anothers.status_code == missing.status_code == 409
    assert anothers.json() == missing.json()
    # A model that is not a kind of evidence is refused by name, not looked up.
    assert send("learning.user", facilitator.pk).status_code == 422
    assert send("bukan.model", 1).status_code == 422
    assert not CompetenceAssessment.objects.exists()
