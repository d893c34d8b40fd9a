"""Facilitators write, senior facilitators review and publish: Wagtail's workflow."""

from django.contrib.auth.models import Group

import pytest

from learning.choices import Role
from modules.site_setup import SENIOR_FACILITATORS, ensure_page_tree, setup_editorial
from tests.factories import user_with_roles
from tests.factories.modules import module_with_lessons

pytestmark = pytest.mark.django_db


@pytest.fixture
def editorial(db):
    home = ensure_page_tree()
    setup_editorial(home)
    senior = user_with_roles(Role.FASILITATOR, username="senior")
    senior.groups.add(Group.objects.get(name=SENIOR_FACILITATORS))
    return {
        "writer": user_with_roles(Role.FASILITATOR, username="penulis"),
        "senior": senior,
    }


def test_a_facilitator_may_edit_but_not_publish_lessons(editorial, module):
    lesson = module.lessons().first()
    writer_perms = lesson.permissions_for_user(editorial["writer"])
    assert writer_perms.can_edit()
    assert not writer_perms.can_publish()
    assert lesson.permissions_for_user(editorial["senior"]).can_publish()
    assert not lesson.permissions_for_user(user_with_roles(Role.PESERTA)).can_edit()


def test_a_submitted_draft_waits_for_a_senior_facilitator(editorial, module):
    lesson = module.lessons().first()
    lesson.title = "Judul baru dari penulis"
    revision = lesson.save_revision(user=editorial["writer"])
    workflow = lesson.get_workflow()
    assert workflow.name == "Tinjauan fasilitator senior"
    state = workflow.start(lesson, editorial["writer"])
    task = state.current_task_state.task.specific
    assert task.get_actions(lesson, editorial["writer"]) == []
    assert "approve" in [
        action[0] for action in task.get_actions(lesson, editorial["senior"])
    ]
    lesson.refresh_from_db()
    assert lesson.title != "Judul baru dari penulis"  # still the published title

    state.current_task_state.approve(user=editorial["senior"])
    lesson.refresh_from_db()
    assert lesson.title == "Judul baru dari penulis"
    assert lesson.live_revision_id == revision.pk


def test_editorial_setup_can_run_again(editorial):
    home = ensure_page_tree()
    setup_editorial(home)
    setup_editorial(home)
    assert home.get_workflow().workflow_tasks.count() == 1
    assert (
        module_with_lessons(lessons=1).get_workflow().name
        == "Tinjauan fasilitator senior"
    )


def test_the_minute_task_publishes_what_was_scheduled(module):
    from datetime import timedelta

    from django.utils import timezone

    from modules.tasks import publish_scheduled_pages

    lesson = module.lessons().first()
    lesson.title = "Terbit terjadwal"
    revision = lesson.save_revision(
        approved_go_live_at=timezone.now() - timedelta(minutes=1)
    )
    lesson.refresh_from_db()
    assert lesson.title != "Terbit terjadwal"
    publish_scheduled_pages()
    lesson.refresh_from_db()
    assert (lesson.title, lesson.live_revision_id) == ("Terbit terjadwal", revision.pk)
