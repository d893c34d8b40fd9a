"""A real organisation's first day: the admin home's first-run checklist and the
action that loads the sample curriculum without any demo people."""

import io

from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from assessments.choices import SampleLoadStatus
from assessments.models import Competency, Quiz, SampleCurriculumLoad
from assessments.sample_load import run_sample_load
from learning.choices import Role
from learning.models import OutboxMessage, User
from modules.models import ModulePage, SampleContent
from tests.factories import (
    CohortFactory,
    OrganisationFactory,
    ProgrammeFactory,
    user_with_roles,
)
from tests.factories.assessments import choice_question, quiz_with
from tests.factories.modules import module_with_lessons

pytestmark = pytest.mark.django_db

HOME = "/admin/"
LOAD = "/admin/materi-contoh/muat/"
DISMISS = "/admin/langkah-pertama/sembunyikan/"
DEMO_USERNAMES = ["peserta", "fasilitator", "alumni", "koordinator"]


CHECKLIST = 'class="first-run__steps"'


def step(name: str, done: bool) -> str:
    return f'data-step="{name}" data-done="{"ya" if done else "belum"}"'


@pytest.fixture
def fresh_site(monkeypatch):
    """`DEMO=0`: prepare_site without the demo, and its first coordinator."""
    monkeypatch.setenv("COORDINATOR_USERNAME", "kantor")
    monkeypatch.setenv("COORDINATOR_PASSWORD", "lontar-sabu-2026")
    call_command("prepare_site", interactive=False, stdout=io.StringIO())
    return User.objects.get(username="kantor")


def test_a_fresh_site_gives_its_coordinator_every_first_step(fresh_site, client):
    client.force_login(fresh_site)
    page = client.get(HOME).content.decode()

    assert CHECKLIST in page and "0 dari 5 langkah selesai" in page
    for name in ("organisation", "programme", "cohort", "people", "curriculum"):
        assert step(name, done=False) in page
    # Each step opens where it is done.
    for where in (
        "/admin/organisation/new/",
        "/admin/programme/new/",
        "/admin/cohort/new/",
        "/admin/orang/impor/",
        "/admin/snippets/assessments/competency/",
        "/admin/snippets/assessments/quiz/",
    ):
        assert f'href="{where}"' in page
    assert f'action="{LOAD}"' in page and "Muat materi contoh" in page
    assert not ModulePage.objects.exists() and not Competency.objects.exists()


def test_the_button_loads_modules_framework_and_quizzes_and_no_demo_people(
    fresh_site, client, django_capture_on_commit_callbacks
):
    client.force_login(fresh_site)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(LOAD)
    assert response.status_code == 302

    modules = ModulePage.objects.live()
    assert modules.count() == 9 and not modules.filter(is_sample=False).exists()
    assert Competency.objects.count() == 8
    assert Quiz.objects.filter(draft=False).count() >= 9
    # Every piece is recorded as *materi contoh*, the framework too.
    kinds = set(SampleContent.objects.values_list("kind", flat=True))
    assert {"modul", "kuis", "bank", "kompetensi"} <= kinds
    assert SampleContent.objects.filter(kind="kompetensi").count() == 8
    assert list(User.objects.values_list("username", flat=True)) == ["kantor"]
    assert not User.objects.filter(username__in=DEMO_USERNAMES).exists()

    page = client.get(HOME).content.decode()
    assert step("curriculum", done=True) in page
    assert "1 dari 5 langkah selesai" in page and f'action="{LOAD}"' not in page

    # A second press (a stale page) changes nothing and says so.
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(LOAD, follow=True)
    assert "sudah ada; tidak ada yang dimuat" in again.content.decode()
    assert SampleCurriculumLoad.objects.count() == 1
    assert ModulePage.objects.count() == 9


def test_while_the_worker_loads_the_checklist_says_it_is_under_way(
    fresh_site, client, django_capture_on_commit_callbacks
):
    client.force_login(fresh_site)
    # No worker has run the task yet: the callbacks are captured, not run.
    with django_capture_on_commit_callbacks(execute=False):
        answer = client.post(LOAD, follow=True).content.decode()
    assert "Materi contoh sedang dimuat" in answer
    page = client.get(HOME).content.decode()
    assert "sedang dimuat (diminta pukul" in page and f'action="{LOAD}"' not in page
    assert OutboxMessage.objects.filter(
        task_name="assessments.tasks.load_sample_curriculum_task"
    ).exists()


def test_the_command_loads_the_framework_too_without_demo_people(fresh_site):
    out = io.StringIO()
    call_command("load_sample_curriculum", stdout=out)
    assert out.getvalue().count(": baru") == 9
    assert Competency.objects.count() == 8 and Quiz.objects.exists()
    assert list(User.objects.values_list("username", flat=True)) == ["kantor"]


def test_the_command_waits_for_a_load_asked_for_in_the_admin(fresh_site):
    SampleCurriculumLoad.objects.create(requested_by=fresh_site)
    with pytest.raises(CommandError, match="sedang dimuat"):
        call_command("load_sample_curriculum", stdout=io.StringIO())
    assert not ModulePage.objects.exists()


@pytest.mark.parametrize("who", ["facilitator", "partner_facilitator", "trainee"])
def test_only_coordinators_see_the_checklist_or_may_load(
    who, fresh_site, client, request, organisation
):
    partner = OrganisationFactory(name="Yayasan Mitra", short_name="YM")
    people = {
        "facilitator": lambda: request.getfixturevalue("facilitator"),
        "partner_facilitator": lambda: user_with_roles(
            Role.FASILITATOR, username="fasilitator-mitra", organisation=partner
        ),
        "trainee": lambda: request.getfixturevalue("trainee"),
    }
    person = people[who]()
    client.force_login(person)

    home = client.get(HOME)
    assert CHECKLIST not in home.content.decode()
    # Refused the admin's way: sent back with a message, nothing done.
    assert client.post(LOAD).status_code == 302
    assert client.post(DISMISS).status_code == 302
    assert not SampleCurriculumLoad.objects.exists()
    assert not ModulePage.objects.exists()


def test_steps_tick_from_what_each_coordinator_sees(
    fresh_site, coordinator, client, organisation
):
    # `coordinator` runs a programme whose cohort has a trainee enrolled.
    client.force_login(coordinator)
    page = client.get(HOME).content.decode()
    for name in ("organisation", "programme", "cohort", "people"):
        assert step(name, done=True) in page
    assert step("curriculum", done=False) in page and "4 dari 5" in page

    # A coordinator of nothing yet: others' programmes are not theirs.
    newcomer = user_with_roles(Role.KOORDINATOR, username="koordinator-baru")
    client.force_login(newcomer)
    page = client.get(HOME).content.decode()
    assert step("organisation", done=True) in page
    for name in ("programme", "cohort", "people"):
        assert step(name, done=False) in page


def test_the_checklist_goes_away_once_every_step_is_done(
    fresh_site, coordinator, client
):
    module_with_lessons(lessons=1, title="Modul Lembaga")
    Competency.objects.create(name="Mendengarkan", description="-", criteria="-")
    quiz_with([choice_question()], draft=False)
    client.force_login(coordinator)
    assert CHECKLIST not in client.get(HOME).content.decode()


def test_a_dismissed_checklist_stays_hidden_for_that_person_only(fresh_site, client):
    other = user_with_roles(Role.KOORDINATOR, username="koordinator-lain")
    client.force_login(fresh_site)
    assert client.post(DISMISS).status_code == 302
    assert client.post(DISMISS).status_code == 302
    assert CHECKLIST not in client.get(HOME).content.decode()
    client.force_login(other)
    assert CHECKLIST in client.get(HOME).content.decode()


def test_the_checklist_costs_the_same_queries_on_a_bigger_site(
    fresh_site, client, django_assert_max_num_queries
):
    client.force_login(fresh_site)
    client.get(HOME)
    with CaptureQueriesContext(connection) as small:
        assert CHECKLIST in client.get(HOME).content.decode()
    budget = len(small)
    for number in range(15):
        organisation = OrganisationFactory(short_name=f"L{number}")
        CohortFactory(
            programme=ProgrammeFactory(organisations=[organisation]),
            trainees=[user_with_roles(Role.PESERTA, username=f"peserta-{number}")],
        )
    client.get(HOME)  # the programme figures, counted again once after the writes
    with django_assert_max_num_queries(budget):
        assert CHECKLIST in client.get(HOME).content.decode()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrated_data")
def test_twenty_presses_at_once_queue_one_load_that_runs_once(monkeypatch):
    from learning import outbox
    from learning.celery import app
    from tests.concurrency import all_at_once, signed_in_clients
    from tests.factories.modules import training_tree

    # A worker takes the task later, as in production; the task is handed
    # to nobody here (in CI a real worker listens and would start the load).
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    handed_over = []
    monkeypatch.setattr(outbox, "_publish", handed_over.append)
    training_tree()
    editor = User.objects.create_superuser("kantor-uji", "", "x")
    clients = signed_in_clients(editor, 20)

    answers = all_at_once(
        [lambda client=client: client.post(LOAD).status_code for client in clients]
    )

    assert answers == [302] * 20
    [load] = SampleCurriculumLoad.objects.all()
    assert load.status == SampleLoadStatus.WAITING
    assert (
        OutboxMessage.objects.filter(
            task_name="assessments.tasks.load_sample_curriculum_task"
        ).count()
        == 1
    )
    assert len(handed_over) == 1
    # The broker may hand the task over twice: it loads once.
    assert run_sample_load(load_id=load.pk).status == SampleLoadStatus.DONE
    assert run_sample_load(load_id=load.pk).status == SampleLoadStatus.DONE
    assert ModulePage.objects.count() == 9 and Competency.objects.count() == 8
