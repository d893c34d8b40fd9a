import os
import subprocess
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError

import pytest

from learning.choices import Role
from learning.demo import DEMO_PASSWORD
from learning.models import User

ROOT = Path(__file__).resolve().parents[2]
DEMO_USERNAMES = ["peserta", "fasilitator", "alumni", "koordinator"]

pytestmark = pytest.mark.django_db


def snapshot():
    from learning.models import Cohort, Enrolment, Organisation, Programme

    return [
        model.objects.count()
        for model in (User, Organisation, Programme, Cohort, Enrolment)
    ]


def records():
    """Every kind of record the demo's people have, by model."""
    from wagtail.models import Revision

    from assessments.models import Answer, Attendance, CompetenceAssessment, Sitting
    from learning.models import Notification
    from mentorship.models import HourEntry, HourEntryEvent, PracticeCase
    from modules.models import LessonProgress, ModuleCompletion

    models = (
        Revision,
        LessonProgress,
        ModuleCompletion,
        Sitting,
        Answer,
        Attendance,
        CompetenceAssessment,
        HourEntry,
        HourEntryEvent,
        PracticeCase,
        Notification,
    )
    return {model.__name__: model.objects.count() for model in models}


def test_demo_loader_is_idempotent(capsys):
    call_command("prepare_site", demo=True)
    first, first_records = snapshot(), records()
    call_command("prepare_site", demo=True)
    assert snapshot() == first == [29, 4, 2, 2, 9]
    assert records() == first_records, "the second load added records"
    assert first_records["Sitting"] >= 6  # the alumna's graded quizzes, at least
    accounts = User.objects.filter(username__in=DEMO_USERNAMES)
    assert accounts.count() == 4
    for user in accounts:
        assert user.check_password(DEMO_PASSWORD)
        assert len(user.roles) == 1
    assert User.objects.get(username="koordinator").roles == [Role.KOORDINATOR]
    assert "pendamping-demo" in capsys.readouterr().out


def test_preparing_the_site_names_wagtails_starter_page_once():
    from wagtail.models import Site

    call_command("prepare_site", demo=True)
    site = Site.objects.get(is_default_site=True)
    assert site.site_name == "Pendamping"
    assert site.root_page.title == "Pendamping"
    page = site.root_page
    page.title = "Beranda pelatihan"
    page.save_revision().publish()
    call_command("prepare_site", demo=True)
    assert Site.objects.get().root_page.title == "Beranda pelatihan"


def test_every_demo_role_has_something_to_see():
    from learning.scope import cohorts_visible_to, people_visible_to

    call_command("prepare_site", demo=True)
    for username in DEMO_USERNAMES:
        assert cohorts_visible_to(User.objects.get(username=username)).exists()
    koordinator = User.objects.get(username="koordinator")
    assert people_visible_to(koordinator).count() == 11  # everyone in the demo
    oeekam = User.objects.get(username="peserta").village
    assert oeekam.code == "53.02.04.2012"


def test_demo_accounts_can_sign_in(client):
    call_command("prepare_site", demo=True)
    response = client.post(
        "/masuk/", {"username": "peserta", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302


def test_without_demo_no_demo_account_is_made_and_a_coordinator_is(monkeypatch):
    monkeypatch.setenv("COORDINATOR_USERNAME", "kantor-ssp")
    monkeypatch.setenv("COORDINATOR_PASSWORD", "lontar-sabu-2026")
    call_command("prepare_site", interactive=False)
    call_command("prepare_site", interactive=False)
    assert not User.objects.filter(username__in=DEMO_USERNAMES).exists()
    coordinator = User.objects.get()
    assert coordinator.username == "kantor-ssp"
    assert coordinator.roles == [Role.KOORDINATOR]


def test_without_demo_a_weak_password_is_refused_and_nothing_is_made(monkeypatch):
    monkeypatch.setenv("COORDINATOR_USERNAME", "kantor-ssp")
    monkeypatch.setenv("COORDINATOR_PASSWORD", "123")
    with pytest.raises(CommandError):
        call_command("prepare_site", interactive=False)
    assert not User.objects.exists()


def make_dry_run(*args):
    env = {**os.environ, "MAKEFLAGS": ""}
    return subprocess.run(
        ["make", "-n", "run", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout


def test_make_run_loads_demo_data_by_default_and_not_with_demo_0():
    assert "prepare_site --demo" in make_dry_run()
    no_demo = make_dry_run("DEMO=0")
    assert "prepare_site" in no_demo
    assert "--demo" not in no_demo


class NoTerminal:
    """Standard input as a service or a script has it: closed, no terminal."""

    def isatty(self):
        return False

    def readline(self, *args):
        return ""

    read = readline


@pytest.fixture
def no_terminal(monkeypatch):
    monkeypatch.delenv("COORDINATOR_USERNAME", raising=False)
    monkeypatch.delenv("COORDINATOR_PASSWORD", raising=False)
    monkeypatch.delenv("COORDINATOR_NAME", raising=False)
    monkeypatch.setattr("sys.stdin", NoTerminal())


def test_without_a_terminal_or_the_variables_it_stops_with_a_clear_message(
    no_terminal,
):
    with pytest.raises(CommandError) as stopped:
        call_command("prepare_site")
    message = str(stopped.value)
    assert "Tidak ada terminal" in message
    assert "COORDINATOR_USERNAME" in message and "COORDINATOR_PASSWORD" in message
    assert not User.objects.exists()


def test_with_one_variable_missing_it_names_the_missing_one(no_terminal, monkeypatch):
    monkeypatch.setenv("COORDINATOR_USERNAME", "kantor-ssp")
    with pytest.raises(CommandError, match="COORDINATOR_PASSWORD belum diisi"):
        call_command("prepare_site")
    assert not User.objects.exists()


def test_with_both_variables_the_coordinator_is_made_without_asking(
    no_terminal, monkeypatch, capsys
):
    monkeypatch.setenv("COORDINATOR_USERNAME", "kantor-ssp")
    monkeypatch.setenv("COORDINATOR_PASSWORD", "lontar-sabu-2026")
    monkeypatch.setenv("COORDINATOR_NAME", "Kantor SSP SoE")
    call_command("prepare_site")  # no --no-input: the variables are enough
    coordinator = User.objects.get()
    assert coordinator.username == "kantor-ssp"
    assert coordinator.first_name == "Kantor SSP SoE"
    assert coordinator.check_password("lontar-sabu-2026")
    assert coordinator.roles == [Role.KOORDINATOR]
    assert "Koordinator pertama dibuat: kantor-ssp" in capsys.readouterr().out


def test_make_run_with_demo_0_runs_the_office_set_up():
    office = make_dry_run("DEMO=0", "HOST=0.0.0.0")
    assert "learning.office secret-key" in office
    assert "DJANGO_SETTINGS_MODULE=learning.settings.office" in office
    assert "collectstatic --noinput" in office
    # Static files are collected before prepare_site, whose pages and PDFs
    # name them through the manifest that collectstatic writes.
    assert office.index("collectstatic") < office.index("prepare_site")
    assert "HOST=0.0.0.0" in office and "bin/serve office" in office
    demo = make_dry_run()
    assert "learning.settings.office" not in demo and "bin/serve office" not in demo
    serve = (ROOT / "bin" / "serve").read_text()
    assert '"$BIN/gunicorn" learning.wsgi --bind "$HOST:$PORT"' in serve
    assert 'manage.py runserver "127.0.0.1:$PORT"' in serve
