"""Who may open which part of the curriculum: one rule for pages, listings,
search, booklets and the API.

- Trainees open the live modules of the programmes they are enrolled in, and
  modules that name no programme.
- Facilitators, coordinators and alumni open every live module.
- Anyone, signed in or not, reads InfoPages; nothing else under the training
  home is open to visitors.
- Wagtail's own privacy settings (a page restricted to a group, a password or
  signed-in users) hold on top of this, in listings and search as well as on
  the page itself. Drafts are never listed: everything here asks for live pages.
"""

from django.db.models import Q

from wagtail.models import Page, PageViewRestriction

from learning.choices import Role
from learning.models import Enrolment, Programme, User
from learning.scope import is_signed_in

from .content_cache import cached, content_token
from .models import LessonPage, ModulePage

OPEN_ALL_MODULES = frozenset({Role.FASILITATOR, Role.KOORDINATOR, Role.ALUMNI})


def restricted_paths(user) -> list[str]:
    """Tree paths of pages whose Wagtail privacy setting keeps `user` out.

    Password-protected pages count as closed: a listing cannot ask for it.
    """
    group_ids = (
        {group.pk for group in user.groups.all()} if is_signed_in(user) else set()
    )
    closed = []
    for kind, path, allowed_groups in _restrictions():
        if kind == PageViewRestriction.LOGIN and is_signed_in(user):
            continue
        if kind == PageViewRestriction.GROUPS and (
            (is_signed_in(user) and user.is_superuser) or group_ids & allowed_groups
        ):
            continue
        closed.append(path)
    return closed


def restriction_over(path: str) -> bool:
    """Whether any privacy setting holds on the page at `path` or above it."""
    return any(path.startswith(restricted) for _, restricted, _ in _restrictions())


def _restrictions() -> list[tuple[str, str, frozenset[int]]]:
    """Every privacy setting as (kind, page path, groups let in), read once
    per change of content."""
    return cached(
        "pembatasan",
        content_token(),
        lambda: [
            (
                restriction.restriction_type,
                restriction.page.path,
                frozenset(group.pk for group in restriction.groups.all()),
            )
            for restriction in PageViewRestriction.objects.select_related(
                "page"
            ).prefetch_related("groups")
        ],
    )


def _outside(paths: list[str]) -> Q:
    q = Q()
    for path in paths:
        q &= ~Q(path__startswith=path)
    return q


def modules_visible_to(user: User):
    """The live modules `user` may study, as a ModulePage queryset."""
    if not is_signed_in(user):
        return ModulePage.objects.none()
    modules = ModulePage.objects.live().filter(_outside(restricted_paths(user)))
    if user.is_superuser or OPEN_ALL_MODULES & set(user.roles):
        return modules
    if Role.PESERTA not in user.roles:
        return ModulePage.objects.none()
    programmes = Programme.objects.filter(cohorts__enrolments__trainee=user)
    enrolled = ModulePage.objects.filter(programmes__in=programmes).values("pk")
    return modules.filter(Q(pk__in=enrolled) | Q(programmes=None))


def lessons_visible_to(user: User, modules=None):
    """The live lessons of the modules `user` may study (or of `modules`)."""
    paths = list(
        (modules if modules is not None else modules_visible_to(user)).values_list(
            "path", flat=True
        )
    )
    if not paths:
        return LessonPage.objects.none()
    under_modules = Q()
    for path in paths:
        under_modules |= Q(path__startswith=path)
    return (
        LessonPage.objects.live()
        .filter(under_modules)
        .filter(_outside(restricted_paths(user)))
    )


def can_view_page(user: User, page: Page) -> bool:
    """May `user` open `page` (any page under the training home)?

    The same rule as `modules_visible_to`, read from what is cached per change
    of content: for a trainee, one small query for her enrolment at most.
    """
    if not is_signed_in(user):
        return False
    if page.specific_class is ModulePage:
        return _module_open_to(user, page.path)
    if page.specific_class is LessonPage:
        # A lesson is open when its module is.
        return _module_open_to(user, page.path[: -Page.steplen])
    # The training home, the module index and the resource library are open to
    # everyone holding a role; the Wagtail privacy settings still apply.
    return bool(user.is_superuser or user.roles)


def _module_open_to(user: User, path: str) -> bool:
    programmes = _live_modules().get(path)
    if programmes is None:
        return False
    if any(path.startswith(closed) for closed in restricted_paths(user)):
        return False
    if user.is_superuser or OPEN_ALL_MODULES & set(user.roles):
        return True
    if Role.PESERTA not in user.roles:
        return False
    return not programmes or (
        Enrolment.objects.filter(
            trainee=user, cohort__programme_id__in=programmes
        ).exists()
    )


def _live_modules() -> dict[str, frozenset[int]]:
    """Every live module's tree path, with the programmes it is limited to
    (none: open to every programme)."""

    def build():
        modules: dict[str, set[int]] = {}
        for path, programme in ModulePage.objects.live().values_list(
            "path", "programmes"
        ):
            modules.setdefault(path, set())
            if programme is not None:
                modules[path].add(programme)
        return {path: frozenset(ids) for path, ids in modules.items()}

    return cached("modul-hidup", content_token(), build)
