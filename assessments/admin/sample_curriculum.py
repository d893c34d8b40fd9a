"""The curriculum step of the admin's first-run checklist, and its action.

The step ticks three parts (published modules, a competency framework,
quizzes), each linking to where it is made by hand, and offers to load the
sample curriculum instead (`assessments.sample_load`). Seeing the button and
pressing it ask the same rule: `may_load_sample_curriculum`.
"""

from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from wagtail.admin import messages

from learning.first_run import FirstRunPart, FirstRunStep
from modules.models import ModuleIndexPage, ModulePage

from ..choices import SampleLoadStatus
from ..models import Competency, Quiz
from ..sample_load import (
    SLOW_AFTER,
    latest_load,
    may_load_sample_curriculum,
    request_sample_load,
)


def _modules_url() -> str:
    index = ModuleIndexPage.objects.first()
    if index is None:
        return reverse("wagtailadmin_explore_root")
    return reverse("wagtailadmin_explore", args=[index.pk])


def curriculum_parts(user) -> list[FirstRunPart]:
    return [
        FirstRunPart(
            label=gettext("Modul pelatihan"),
            url=_modules_url(),
            done=ModulePage.objects.live().exists(),
        ),
        FirstRunPart(
            label=gettext("Kerangka kompetensi"),
            url=reverse(Competency.snippet_viewset.get_url_name("list")),
            done=Competency.objects.exists(),
        ),
        FirstRunPart(
            label=gettext("Kuis"),
            url=reverse(Quiz.snippet_viewset.get_url_name("list")),
            done=Quiz.objects.filter(draft=False).exists(),
        ),
    ]


def curriculum_context(request) -> dict:
    load = latest_load()
    return {
        "may_load": may_load_sample_curriculum(request.user),
        "load": load,
        "slow": bool(
            load
            and load.status == SampleLoadStatus.WAITING
            and load.requested_at < timezone.now() - SLOW_AFTER
        ),
    }


CURRICULUM_STEP = FirstRunStep(
    name="curriculum",
    title=_("Kurikulum"),
    help_text=_(
        "Modul, kerangka kompetensi dan kuis: tulis sendiri, atau muat materi "
        "contoh lalu sesuaikan dengan daerah kamu."
    ),
    url=lambda user: _modules_url(),
    is_done=lambda user: all(part.done for part in curriculum_parts(user)),
    may_do=lambda user: user.has_perm("assessments.add_quiz"),
    order=50,
    parts=curriculum_parts,
    template="assessments/admin/includes/first_run_curriculum.html",
    get_context=curriculum_context,
)


@require_POST
def load_sample_curriculum_view(request):
    load = request_sample_load(actor=request.user)
    if load is None:
        messages.info(
            request,
            gettext("Modul, kompetensi dan kuis sudah ada; tidak ada yang dimuat."),
        )
    elif load.status == SampleLoadStatus.DONE:
        messages.success(
            request,
            gettext(
                "Materi contoh sudah dimuat: modul, kerangka kompetensi dan kuis, "
                "semuanya bertanda materi contoh."
            ),
        )
    elif load.status == SampleLoadStatus.FAILED:
        messages.error(
            request,
            gettext("Materi contoh tidak dapat dimuat: %(error)s")
            % {"error": load.error},
        )
    else:
        messages.success(
            request,
            gettext(
                "Materi contoh sedang dimuat. Biasanya selesai dalam satu menit; "
                "muat ulang halaman ini untuk melihat centangnya."
            ),
        )
    return redirect("wagtailadmin_home")


def admin_urls():
    return [
        path(
            "materi-contoh/muat/",
            load_sample_curriculum_view,
            name="assessments_load_sample_curriculum",
        )
    ]
