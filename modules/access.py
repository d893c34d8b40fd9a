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
from learning.models import Programme, User
from learning.scope import is_signed_in

from .models import LessonPage, ModulePage

OPEN_ALL_MODULES = frozenset({Role.FASILITATOR, Role.KOORDINATOR, Role.ALUMNI})


def restricted_paths(user) -> list[str]:
    """Tree paths of pages whose Wagtail privacy setting keeps `user` out.

    Password-protected pages count as closed: a listing cannot ask for it.
    """
    group_ids = (
        set(user.groups.values_list("pk", flat=True)) if is_signed_in(user) else set()
    )
    closed = []
    restrictions = PageViewRestriction.objects.select_related("page").prefetch_related(
        "groups"
    )
    for restriction in restrictions:
        kind = restriction.restriction_type
        if kind == PageViewRestriction.LOGIN and is_signed_in(user):
            continue
        if kind == PageViewRestriction.GROUPS and (
            (is_signed_in(user) and user.is_superuser)
            or group_ids & {group.pk for group in restriction.groups.all()}
        ):
            continue
        closed.append(restriction.page.path)
    return closed


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
    """May `user` open `page` (any page under the training home)?"""
    if not is_signed_in(user):
        return False
    if page.specific_class is ModulePage:
        return modules_visible_to(user).filter(path=page.path).exists()
    if page.specific_class is LessonPage:
        # A lesson is open when its module is.
        return modules_visible_to(user).filter(path=page.path[: -Page.steplen]).exists()
    # The training home, the module index and the resource library are open to
    # everyone holding a role; the Wagtail privacy settings still apply.
    return bool(user.is_superuser or user.roles)
