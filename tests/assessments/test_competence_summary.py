"""The competence profile counts per level and shows no empty heading (issue 19)."""

import re

from django.urls import reverse

import pytest

from assessments.choices import CompetenceLevel
from assessments.competence import record_assessment
from assessments.competence_selectors import competence_profile, profile_summary
from assessments.models import Competency
from learning.models import Enrolment
from tests.factories import CohortFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def eight(db):
    return [
        Competency.objects.create(
            name=f"Kompetensi {number}",
            description=f"Uraian {number}.",
            competent="" if number == 8 else f"Kompetensi {number} dilakukan sendiri.",
            sort_order=number,
        )
        for number in range(1, 9)
    ]


@pytest.fixture
def assessor(facilitator, trainee):
    Enrolment.objects.create(
        cohort=CohortFactory(facilitators=[facilitator]), trainee=trainee
    )
    return facilitator


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def headings_with_nothing_under_them(html: str) -> list[str]:
    """Headings of the page's main part followed by another heading or the
    end of their box."""
    main = html.split("<main")[1].split("</main>")[0]
    return re.findall(r"<h[23][^>]*>.*?</h[23]>\s*(?=<h[1-3]|</section>|</div>)", main)


def test_one_competency_rated_berkembang_is_counted_as_berkembang(
    signed_in, trainee, assessor, eight
):
    record_assessment(
        assessor=assessor,
        trainee=trainee,
        competency=eight[2],
        level=CompetenceLevel.DEVELOPING,
    )

    page = signed_in(trainee).get(reverse("assessments:my_competence"))

    html = page.content.decode()
    text = text_of(html)
    assert "Dari 8 kompetensi: 1 berkembang, 7 belum dinilai." in text
    assert "Belum kompeten atau belum dinilai" not in text
    assert "kompeten," not in text.split("Dari 8 kompetensi:")[1].split(".")[0]
    summary = html.split('id="ringkasan"')[1].split("</section>")[0]
    assert 'level--berkembang">Berkembang</span> 1' in summary
    assert 'level--belum_dinilai">Belum dinilai</span> 7' in summary
    assert "level--kompeten" not in summary  # no empty group
    assert headings_with_nothing_under_them(html) == []


def test_every_level_is_counted_once_in_order(trainee, assessor, eight):
    for competency, level in zip(
        eight,
        [
            CompetenceLevel.COMPETENT,
            CompetenceLevel.COMPETENT,
            CompetenceLevel.DEVELOPING,
            CompetenceLevel.NOT_YET,
        ],
        strict=False,
    ):
        record_assessment(
            assessor=assessor, trainee=trainee, competency=competency, level=level
        )

    summary = profile_summary(competence_profile(trainee, viewer=trainee))

    assert [(group.level, group.count) for group in summary.groups] == [
        ("kompeten", 2),
        ("berkembang", 1),
        ("belum_kompeten", 1),
        ("belum_dinilai", 4),
    ]
    assert summary.sentence == (
        "Dari 8 kompetensi: 2 kompeten, 1 berkembang, 1 belum kompeten, "
        "4 belum dinilai."
    )


def test_a_competency_without_its_kompeten_bila_text_still_says_what_to_do(
    signed_in, trainee, eight
):
    html = signed_in(trainee).get(reverse("assessments:my_competence"))
    section = html.content.decode().split(f'id="kompetensi-{eight[7].pk}"')[1]
    missing = section.split('class="competence__missing">')[1].split("</div>")[0]

    assert "Yang masih perlu" in missing
    assert "Tunjukkan kriteria di atas kepada fasilitator" in missing


def test_the_facilitators_view_of_the_profile_counts_the_same_way(
    signed_in, trainee, assessor, eight
):
    record_assessment(
        assessor=assessor,
        trainee=trainee,
        competency=eight[0],
        level=CompetenceLevel.DEVELOPING,
    )

    page = signed_in(assessor).get(
        reverse("assessments_trainee_competence", args=[trainee.pk])
    )

    assert page.status_code == 200
    text = text_of(page.content.decode())
    assert "Dari 8 kompetensi: 1 berkembang, 7 belum dinilai." in text
    assert "Belum kompeten atau belum dinilai" not in text


def test_when_every_competency_stands_at_one_level_one_sentence_says_so(
    trainee, assessor, eight
):
    assert profile_summary(competence_profile(trainee, viewer=trainee)).sentence == (
        "Belum ada yang dinilai dari 8 kompetensi."
    )
    for competency in eight:
        record_assessment(
            assessor=assessor,
            trainee=trainee,
            competency=competency,
            level=CompetenceLevel.COMPETENT,
        )
    summary = profile_summary(competence_profile(trainee, viewer=trainee))
    assert summary.sentence == "Kompeten dalam semua 8 kompetensi."
    assert [(group.level, group.count) for group in summary.groups] == [("kompeten", 8)]
