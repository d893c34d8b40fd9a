"""`generate_province`: a synthetic programme, repeatable, consistent, scoped."""

import hashlib
import io
import re

from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

import pytest

from assessments.choices import QuestionKind, QuizMode, SittingStatus
from assessments.models import (
    Answer,
    Certificate,
    CompetenceAssessment,
    Sitting,
)
from learning.choices import Role
from learning.models import Cohort, Organisation, Programme, User
from learning.scope import people_visible_to
from mentorship.choices import EntryStatus
from mentorship.models import (
    HourEntry,
    Placement,
    PracticeCase,
    Reflection,
    ReflectionSession,
)
from mentorship.narrative import narrative_problems
from mentorship.province import (
    USERNAME_PREFIX,
    RealPeoplePresent,
    generate_province,
)
from tests.factories import user_with_roles
from tests.factories.province import province_curriculum

pytestmark = pytest.mark.django_db

SYNTHETIC_NAME = re.compile(r"^(Peserta|Fasilitator|Koordinator) Sintetis [0-9-]+$")


@pytest.fixture
def curriculum(tree):
    """A small curriculum: two core modules, a graded and a practice quiz."""
    province_curriculum()


def generate(seed: int = 2026) -> str:
    out = io.StringIO()
    call_command("generate_province", scale=0.001, seed=seed, stdout=out)
    return out.getvalue()


def digest() -> str:
    """The generated rows by natural keys (ids differ between databases)."""
    tables = [
        User.objects.filter(username__startswith=USERNAME_PREFIX).values_list(
            "username", "first_name", "last_name", "organisation__name", "village__code"
        ),
        Cohort.objects.values_list("name", "programme__name", "start_date"),
        HourEntry.objects.values_list(
            "uuid", "trainee__username", "date", "minutes", "status", "category"
        ),
        PracticeCase.objects.values_list("uuid", "status", "month", "year", "path"),
        Sitting.objects.values_list(
            "uuid", "user__username", "attempt", "score", "percent", "status"
        ),
        Answer.objects.values_list(
            "sitting_question__sitting__uuid",
            "sitting_question__position",
            "chosen",
            "mark",
        ),
        Certificate.objects.values_list("code", "holder__username", "issued_on"),
        Reflection.objects.values_list("uuid", "person__username", "case_counts"),
    ]
    text = repr([sorted(map(repr, table)) for table in tables])
    return hashlib.sha256(text.encode()).hexdigest()


def test_counts_at_the_ci_scale(curriculum):
    report = generate()

    assert Organisation.objects.filter(name__startswith="Lembaga Sintetis").count() == 1
    assert Programme.objects.filter(name__startswith="Program Sintetis").count() == 1
    assert Cohort.objects.count() == 1
    people = User.objects.filter(username__startswith=f"{USERNAME_PREFIX}peserta-")
    assert people.count() == 10
    assert HourEntry.objects.count() == 500
    assert Sitting.objects.count() == 200
    assert PracticeCase.objects.count() == 20
    assert CompetenceAssessment.objects.count() == 8
    assert ReflectionSession.objects.count() == 10  # one a year, ten years
    alumni = people.filter(groups__name=Role.ALUMNI.value)
    assert alumni.count() == Certificate.objects.count() > 0
    assert people.filter(groups__name=Role.PESERTA.value).exists()
    assert "jam magang" in report and "hour_entries 500" in report


def test_the_database_knows_the_new_rows_before_it_plans_a_query(curriculum):
    """The generator ends with ANALYZE: the planner's statistics count the
    answers just written (without them, a quiz answer at full scale took
    340 ms instead of 10)."""
    from django.db import connection

    def answers_known() -> int:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT reltuples FROM pg_class "
                    "WHERE relname = 'assessments_answer'"
                )
            else:
                cursor.execute(
                    "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'"
                )
                if cursor.fetchone()[0] == 0:
                    return 0
                cursor.execute(
                    "SELECT stat FROM sqlite_stat1 WHERE tbl = 'assessments_answer' "
                    "LIMIT 1"
                )
            row = cursor.fetchone()
            if row is None:
                return 0
            value = row[0]
            return int(float(str(value).split()[0])) if value is not None else 0

    report = generate()
    assert answers_known() == Answer.objects.count() > 0
    assert "statistik" in report


def test_the_states_agree(curriculum):
    generate()

    verified = HourEntry.objects.filter(status=EntryStatus.VERIFIED)
    assert verified.exists()
    assert not verified.filter(verified_by__isnull=True).exists()
    assert not verified.filter(verified_at__isnull=True).exists()
    finished = Sitting.objects.exclude(status=SittingStatus.IN_PROGRESS)
    assert not finished.filter(percent__isnull=True).exists()
    assert not finished.filter(finished_at__isnull=True).exists()
    essays = Answer.objects.filter(sitting_question__kind=QuestionKind.ESSAY)
    assert not essays.filter(mark__isnull=False, marked_by__isnull=True).exists()
    for certificate in Certificate.objects.select_related("holder"):
        holder = certificate.holder
        assert holder.has_role(Role.ALUMNI)
        assert Sitting.objects.filter(
            user=holder, mode=QuizMode.GRADED, passed=True
        ).exists()
        assert holder.module_completions.count() == 2
    # Every placement has its one supervisor, a facilitator of the host.
    for placement in Placement.objects.select_related("supervisor"):
        assert placement.supervisor.organisation_id == placement.host_id


def test_narratives_pass_the_narrative_check(curriculum):
    generate()

    texts = set(HourEntry.objects.values_list("activity", flat=True))
    for case in PracticeCase.objects.all():
        texts |= {case.trainee_role, case.actions, case.went_well, case.was_hard}
        texts |= {case.learned, case.supervisor_feedback}
    for reflection in Reflection.objects.all():
        texts |= {reflection.support_needed, reflection.learning_needs}
        texts |= {obstacle["text"] for obstacle in reflection.obstacles}
    assert texts
    for text in texts:
        assert narrative_problems(text) == [], text


def test_every_name_is_plainly_synthetic(curriculum):
    generate()

    people = User.objects.filter(username__startswith=USERNAME_PREFIX)
    assert people.count() == 10 + 3 + 1
    for person in people:
        assert SYNTHETIC_NAME.match(person.display_name), person.display_name
        assert not person.has_usable_password()
    for certificate in Certificate.objects.all():
        assert SYNTHETIC_NAME.match(certificate.holder_name)
    for organisation in Organisation.objects.all():
        assert organisation.name.startswith("Lembaga Sintetis")


def test_the_same_seed_gives_the_same_rows(curriculum):
    # The first run is rolled back: the second starts from the same database.
    with transaction.atomic():
        generate()
        first = digest()
        transaction.set_rollback(True)
    assert not User.objects.filter(username__startswith=USERNAME_PREFIX).exists()

    generate()

    assert digest() == first


def test_a_second_run_is_refused_and_changes_nothing(curriculum):
    generate()
    before = digest()

    with pytest.raises(CommandError, match="sudah berisi data sintetis"):
        generate(seed=7)

    assert digest() == before


def test_without_the_curriculum_the_command_says_what_to_run(tree):
    with pytest.raises(CommandError, match="load_sample_curriculum"):
        generate()
    assert not User.objects.filter(username__startswith=USERNAME_PREFIX).exists()


def test_a_facilitator_sees_her_organisation_and_the_trainees_placed_with_her(
    curriculum,
):
    generate()

    for facilitator in User.objects.filter(groups__name=Role.FASILITATOR.value):
        visible = set(people_visible_to(facilitator).values_list("pk", flat=True))
        own = set(
            User.objects.filter(organisation=facilitator.organisation).values_list(
                "pk", flat=True
            )
        )
        supervised = set(
            Placement.objects.filter(supervisor=facilitator).values_list(
                "trainee", flat=True
            )
        )
        assert visible == own | supervised
        assert (
            not User.objects.exclude(organisation=facilitator.organisation)
            .filter(pk__in=visible - supervised)
            .exists()
        )


def test_a_trainee_and_a_facilitator_open_their_home_pages(curriculum, client):
    generate()
    trainee = User.objects.filter(groups__name=Role.PESERTA.value).first()
    alumna = User.objects.filter(groups__name=Role.ALUMNI.value).first()
    facilitator = User.objects.filter(groups__name=Role.FASILITATOR.value).first()

    for person in (trainee, alumna, facilitator):
        client.force_login(person)
        response = client.get("/")
        assert response.status_code == 200, person.username
        assert person.display_name in response.content.decode()


def test_a_database_with_real_people_is_refused_and_nothing_is_written(curriculum):
    person = user_with_roles(Role.PESERTA, username="maria-lakapu")
    person.last_login = timezone.now()
    person.save(update_fields=["last_login"])

    with pytest.raises(CommandError, match="orang sungguhan"):
        generate()

    assert not User.objects.filter(username__startswith=USERNAME_PREFIX).exists()


def test_the_generator_itself_refuses_real_people_not_only_the_command(curriculum):
    """The check sits in the generator's own transaction, so any caller (the
    load benchmark too) is held by it, and nobody signs in between."""
    person = user_with_roles(Role.FASILITATOR, username="marta-seran")
    person.last_login = timezone.now()
    person.save(update_fields=["last_login"])

    with pytest.raises(RealPeoplePresent):
        generate_province(scale=0.001)

    assert not User.objects.filter(username__startswith=USERNAME_PREFIX).exists()


def test_two_accounts_beside_the_demos_are_refused_even_before_anyone_signed_in(
    curriculum,
):
    for username in ("kantor-ssp", "maria-lakapu"):
        user_with_roles(Role.PESERTA, username=username)

    with pytest.raises(CommandError, match="orang sungguhan"):
        generate()


def test_a_fresh_sites_first_coordinator_and_the_demo_accounts_are_no_obstacle(
    curriculum,
):
    user_with_roles(Role.KOORDINATOR, username="kantor-ssp")
    user_with_roles(Role.PESERTA, username="peserta")
    User.objects.filter(username="peserta").update(last_login=timezone.now())

    assert "Selesai" in generate()
