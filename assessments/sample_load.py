"""Loading the sample curriculum from the admin: asked once, run by a worker.

A new organisation's site (`DEMO=0`) starts with no modules, competencies or
quizzes. From the first-run checklist a coordinator asks for the sample
curriculum (`request_sample_load`); a worker loads it (`run_sample_load`,
through `sample_curriculum.load_sample_curriculum`), the checklist saying
it is under way until it is done. It takes several seconds, half a minute on
a busy office computer: too long to hold a request.
`manage.py load_sample_curriculum` runs the same load at once (`load_now`);
either way one load runs at a time.

Who may ask is who may see the button: `may_load_sample_curriculum`.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learning.models import User
from learning.outbox import enqueue
from learning.scope import is_active_staff
from modules.demo import CurriculumError
from modules.models import ModuleIndexPage, ModulePage

from .choices import SampleLoadStatus
from .curriculum_files import QuizFileError
from .models import Competency, Quiz, SampleCurriculumLoad
from .models.sample_load import UNDER_WAY
from .sample_curriculum import SiteNotPrepared, load_sample_curriculum

# The worker's limits (assessments.tasks); a load running longer was lost.
TIME_LIMIT = 10 * 60
SOFT_TIME_LIMIT = 9 * 60
LOST_AFTER = timedelta(seconds=TIME_LIMIT + 60)
# A load still waiting after this long suggests no worker is running.
SLOW_AFTER = timedelta(minutes=5)


def may_load_sample_curriculum(user) -> bool:
    """Coordinators and superusers: the load publishes modules for everyone and
    adds the site's competency framework and quizzes. Facilitators may not
    (they cannot add competencies, nor publish without review)."""
    if not is_active_staff(user):
        return False
    if not (
        user.has_perm("assessments.add_competency")
        and user.has_perm("assessments.add_quiz")
    ):
        return False
    index = ModuleIndexPage.objects.first()
    return index is not None and index.permissions_for_user(user).can_publish_subpage()


def curriculum_in_place() -> bool:
    """Modules, a competency framework and quizzes: nothing left to load."""
    return (
        ModulePage.objects.live().exists()
        and Competency.objects.exists()
        and Quiz.objects.filter(draft=False).exists()
    )


def latest_load() -> SampleCurriculumLoad | None:
    return SampleCurriculumLoad.objects.order_by("-requested_at", "-pk").first()


def _settle_lost_load() -> None:
    """A load whose worker died (a crash rolls its transaction back) counts as
    failed, so it can be asked for again."""
    SampleCurriculumLoad.objects.filter(
        status=SampleLoadStatus.RUNNING,
        started_at__lt=timezone.now() - LOST_AFTER,
    ).update(
        status=SampleLoadStatus.FAILED,
        finished_at=timezone.now(),
        error=_("Pemuatan terhenti di tengah jalan; tidak ada yang dimuat."),
    )


def _start_load(
    *, actor: User | None, queue: bool, even_if_in_place: bool
) -> tuple[SampleCurriculumLoad | None, bool]:
    """A new load, or the one under way; (load, whether it is new).

    The check and the write share one transaction (on SQLite the write lock
    is taken at its start); on PostgreSQL a second waiting load is refused by
    the table's constraint and the first one returned.
    """
    try:
        with transaction.atomic():
            _settle_lost_load()
            under_way = (
                SampleCurriculumLoad.objects.select_for_update()
                .filter(status__in=UNDER_WAY)
                .first()
            )
            if under_way is not None:
                return under_way, False
            if not even_if_in_place and curriculum_in_place():
                return None, False
            load = SampleCurriculumLoad.objects.create(requested_by=actor)
            if queue:
                _queue(load)
            return load, True
    except IntegrityError:
        return latest_load(), False


def request_sample_load(*, actor: User) -> SampleCurriculumLoad | None:
    """Queue one load of the sample curriculum for a worker; None when the
    site already has modules, a framework and quizzes.

    Pressed twice, or twenty times at once, it queues one: the load already
    waiting or running is returned instead. The task is queued with its row
    (the outbox), so the two cannot part.
    """
    if not may_load_sample_curriculum(actor):
        raise PermissionDenied(_("Kamu tidak berhak memuat materi contoh."))
    load, _new = _start_load(actor=actor, queue=True, even_if_in_place=False)
    return load


def load_now(*, actor: User | None = None) -> SampleCurriculumLoad | None:
    """Load (or bring up to the shipped edition) the sample curriculum here
    and now, for `manage.py load_sample_curriculum`; None when a load asked
    for in the admin is under way (they do not run side by side)."""
    load, new = _start_load(actor=actor, queue=False, even_if_in_place=True)
    if not new:
        return None
    return run_sample_load(load_id=load.pk)


def _queue(load: SampleCurriculumLoad) -> None:
    from .tasks import load_sample_curriculum_task

    enqueue(load_sample_curriculum_task, load.pk)


def run_sample_load(*, load_id: int) -> SampleCurriculumLoad:
    """Run a waiting load; safe to run twice.

    Claimed by one conditional update, so a task handed over twice loads
    once; a load already running or finished is left alone. A problem in the
    shipped files or an unprepared site marks it failed with the message; an
    unexpected error too, and is raised again for the worker's log.
    """
    claimed = SampleCurriculumLoad.objects.filter(
        pk=load_id, status=SampleLoadStatus.WAITING
    ).update(status=SampleLoadStatus.RUNNING, started_at=timezone.now())
    if not claimed:
        return SampleCurriculumLoad.objects.get(pk=load_id)
    finished = SampleCurriculumLoad.objects.filter(pk=load_id)
    try:
        outcomes = load_sample_curriculum()
    except (SiteNotPrepared, CurriculumError, QuizFileError) as problem:
        finished.update(
            status=SampleLoadStatus.FAILED,
            finished_at=timezone.now(),
            error=str(problem),
        )
    except Exception:
        finished.update(
            status=SampleLoadStatus.FAILED,
            finished_at=timezone.now(),
            error=_("Kesalahan tak terduga; lihat log server. Coba muat lagi."),
        )
        raise
    else:
        finished.update(
            status=SampleLoadStatus.DONE,
            finished_at=timezone.now(),
            outcomes={slug: str(outcome) for slug, outcome in outcomes.items()},
        )
    return SampleCurriculumLoad.objects.get(pk=load_id)
