"""The admin home's first-run checklist: what a new organisation sets up, in order.

Organisation, programme, cohort, people, then the curriculum. Each step says
where it is done and ticks itself from the database (an `exists()` or two,
through the scope rule where it reads people's records), so the checklist
costs the same handful of queries on any site.

`learning` holds the registry and its own four steps; a higher app plugs its
step in with `register_first_run_step` from its `apps.py` (the curriculum
step is `assessments`'), so this module imports none of them.

Who sees it: whoever may start a programme (`learning.add_programme`:
coordinators and superusers). Facilitators do not: they can make neither the
organisation nor the programme every later step hangs on, and on a running
site their work starts from a cohort someone already made. Each step is shown
only to those who may do it, and the checklist goes away once every step
shown is done, or when that person hides it (remembered in their Wagtail
profile, so an organisation that will never use a step is not nagged).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from wagtail.admin import messages
from wagtail.admin.ui.components import Component
from wagtail.users.models import UserProfile

from .models import Enrolment, User
from .scope import (
    cohorts_visible_to,
    is_active_staff,
    organisations_visible_to,
    programmes_visible_to,
)

SEES_CHECKLIST = "learning.add_programme"
# Kept in Wagtail's per-person store of dismissed admin notices.
DISMISSED = "pendamping_first_run"


@dataclass(frozen=True)
class FirstRunPart:
    """One ticked line inside a step (the curriculum's modules, framework, quizzes)."""

    label: str
    url: str
    done: bool


@dataclass(frozen=True)
class FirstRunStep:
    """A step of the checklist. `is_done(user)` and `url(user)` read the database
    only a little (each is asked once per admin home); `parts(user)` lists
    ticked lines within the step; `template` draws more under it (an action),
    with `get_context(request)`."""

    name: str
    title: str
    help_text: str
    url: Callable[[User], str]
    is_done: Callable[[User], bool]
    may_do: Callable[[User], bool]
    order: int
    parts: Callable[[User], list[FirstRunPart]] | None = None
    template: str = ""
    get_context: Callable[..., dict] | None = None


@dataclass
class ShownStep:
    """A step as one person sees it now."""

    step: FirstRunStep
    number: int
    url: str
    done: bool
    parts: list[FirstRunPart] = field(default_factory=list)
    extra: dict = field(default_factory=dict)


def register_first_run_step(step: FirstRunStep) -> None:
    """Add (or replace, by name) a step of the checklist."""
    _steps[step.name] = step


def registered_steps() -> list[FirstRunStep]:
    return sorted(_steps.values(), key=lambda step: step.order)


def sees_checklist(user) -> bool:
    return is_active_staff(user) and user.has_perm(SEES_CHECKLIST)


def checklist_for(request) -> list[ShownStep]:
    """The steps this person may do, each ticked or not; [] for one who does
    not see the checklist."""
    user = request.user
    if not sees_checklist(user):
        return []
    shown = []
    for step in registered_steps():
        if not step.may_do(user):
            continue
        parts = step.parts(user) if step.parts else []
        done = all(part.done for part in parts) if parts else step.is_done(user)
        shown.append(
            ShownStep(
                step=step,
                number=len(shown) + 1,
                url=step.url(user),
                done=done,
                parts=parts,
                extra=step.get_context(request) if step.get_context else {},
            )
        )
    return shown


class FirstRunPanel(Component):
    name = "first_run"
    template_name = "learning/admin/panels/first_run.html"
    # Above Wagtail's own panels and the sample-edition notices.
    order = 50

    def __init__(self, steps: list[ShownStep]):
        self.steps = steps

    def get_context_data(self, parent_context=None):
        # A step's action may post: it needs the page's CSRF token.
        parent_context = parent_context or {}
        return {
            "steps": self.steps,
            "done_count": sum(shown.done for shown in self.steps),
            "csrf_token": parent_context.get("csrf_token"),
            "request": parent_context.get("request"),
        }


def is_dismissed(user) -> bool:
    profile = getattr(user, "wagtail_userprofile", None)
    return bool(profile and profile.dismissibles.get(DISMISSED))


def add_first_run_panel(request, panels) -> None:
    if not sees_checklist(request.user) or is_dismissed(request.user):
        return
    steps = checklist_for(request)
    if steps and not all(shown.done for shown in steps):
        panels.append(FirstRunPanel(steps))


def dismiss_first_run(*, user: User) -> None:
    """Hide the checklist for this person for good; the same after a double click."""
    if not sees_checklist(user):
        raise PermissionDenied
    with transaction.atomic():
        UserProfile.get_for_user(user)
        profile = UserProfile.objects.select_for_update().get(user=user)
        profile.dismissibles[DISMISSED] = True
        profile.save(update_fields=["dismissibles"])


@require_POST
def dismiss_view(request):
    dismiss_first_run(user=request.user)
    messages.success(
        request,
        gettext(
            "Langkah pertama disembunyikan. Setiap langkahnya tetap bisa "
            "dikerjakan dari menu di samping."
        ),
    )
    return redirect("wagtailadmin_home")


def admin_urls():
    return [
        path(
            "langkah-pertama/sembunyikan/",
            dismiss_view,
            name="learning_first_run_dismiss",
        )
    ]


# --- the core's steps ------------------------------------------------------------


def _add_or_list(viewset_name: str, done: Callable[[User], bool]):
    def url(user: User) -> str:
        action = "index" if done(user) else "add"
        return reverse(f"{viewset_name}:{action}")

    return url


def _has_organisation(user: User) -> bool:
    return organisations_visible_to(user).exists()


def _has_programme(user: User) -> bool:
    return programmes_visible_to(user).exists()


def _has_cohort(user: User) -> bool:
    return cohorts_visible_to(user).exists()


def _has_people(user: User) -> bool:
    return Enrolment.objects.filter(cohort__in=cohorts_visible_to(user)).exists()


CORE_STEPS = [
    FirstRunStep(
        name="organisation",
        title=_("Lembaga"),
        help_text=_(
            "Tambahkan lembaga yang menyelenggarakan pelatihan, dan mitranya "
            "bila bekerja sebagai konsorsium."
        ),
        url=_add_or_list("organisation", _has_organisation),
        is_done=_has_organisation,
        may_do=lambda user: user.has_perm("learning.add_organisation"),
        order=10,
    ),
    FirstRunStep(
        name="programme",
        title=_("Program"),
        help_text=_(
            "Buat program pelatihan: lembaga yang menjalankannya, koordinatornya, "
            "kabupaten dan waktunya."
        ),
        url=_add_or_list("programme", _has_programme),
        is_done=_has_programme,
        may_do=lambda user: user.has_perm("learning.add_programme"),
        order=20,
    ),
    FirstRunStep(
        name="cohort",
        title=_("Angkatan"),
        help_text=_(
            "Buat angkatan pertama dalam program itu, dengan fasilitator dan desanya."
        ),
        url=_add_or_list("cohort", _has_cohort),
        is_done=_has_cohort,
        may_do=lambda user: user.has_perm("learning.add_cohort"),
        order=30,
    ),
    FirstRunStep(
        name="people",
        title=_("Orang"),
        help_text=_(
            "Impor peserta dan fasilitator dari satu lembar XLSX atau CSV ke "
            "angkatan itu; setiap orang mendapat kata sandi sementara."
        ),
        url=lambda user: reverse("learning_import_people"),
        is_done=_has_people,
        may_do=lambda user: user.has_perm("learning.add_user"),
        order=40,
    ),
]


_steps: dict[str, FirstRunStep] = {step.name: step for step in CORE_STEPS}
