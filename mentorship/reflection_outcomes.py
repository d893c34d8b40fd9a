"""What a reflection session leads to: follow-up actions and refresher modules.

A follow-up action has an owner (someone the session's manager may see) and
a due date; its owner or a manager marks it done, once. Refresher modules
are assigned to chosen attendees and stay on their home page until they
complete the module again (or say they studied it).
"""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from learning.models import User
from learning.scope import is_signed_in, people_visible_to
from modules.models import ModuleCompletion, ModulePage

from .models import FollowUpAction, ReflectionSession, RefresherAssignment
from .narrative import narrative_problems
from .reflection import can_change_attendance, can_manage_session


def add_follow_up(
    *,
    session: ReflectionSession,
    description: str,
    owner: User,
    due_date,
    by: User,
) -> FollowUpAction:
    errors: dict[str, list[str]] = defaultdict(list)
    if not can_manage_session(by, session):
        raise ValidationError(_("Kamu tidak dapat mengubah sesi refleksi ini."))
    description = (description or "").strip()
    if not description:
        errors["description"].append(_("Tulis tindak lanjutnya."))
    elif len(description) > 300:
        errors["description"].append(_("Terlalu panjang: paling banyak 300 huruf."))
    else:
        errors["description"].extend(narrative_problems(description))
    if owner is None or not people_visible_to(by).filter(pk=owner.pk).exists():
        errors["owner"].append(_("Pilih penanggung jawab dari daftar."))
    if due_date is None:
        errors["due_date"].append(_("Isi tenggatnya."))
    elif due_date < session.start_date:
        errors["due_date"].append(_("Tenggat tidak boleh sebelum sesi dimulai."))
    problems = {name: messages for name, messages in errors.items() if messages}
    if problems:
        raise ValidationError(problems)
    return FollowUpAction.objects.create(
        session=session, description=description, owner=owner, due_date=due_date
    )


def mark_follow_up_done(*, action: FollowUpAction, by: User) -> FollowUpAction:
    """Done once; marking it again keeps the first time."""
    if action.owner_id != by.pk and not can_manage_session(by, action.session):
        raise ValidationError(_("Kamu tidak dapat mengubah tindak lanjut ini."))
    FollowUpAction.objects.filter(pk=action.pk, done_at__isnull=True).update(
        done_at=timezone.now()
    )
    action.refresh_from_db()
    return action


def refresher_modules() -> QuerySet[ModulePage]:
    return ModulePage.objects.live().filter(is_refresher=True).order_by("title")


def assign_refreshers(*, session: ReflectionSession, people, modules, by: User) -> int:
    """Ask chosen attendees to study refresher modules; returns how many are new.

    A refresher holds its person present (`attendance_locks`), so only those
    who may change the session's attendance assign one (its facilitators and
    its programme's coordinators; seeing the session is not enough), checked
    with the session locked as attendance is, so an unmarking at the same
    moment cannot leave an absent person with a refresher.
    """
    people, modules = list(people), list(modules)
    with transaction.atomic():
        # The row lock attendance changes take (`reflection_attendance`).
        ReflectionSession.objects.select_for_update().filter(pk=session.pk).exists()
        if not can_change_attendance(by, session):
            raise ValidationError(_("Kamu tidak dapat mengubah sesi refleksi ini."))
        return _assign(session=session, people=people, modules=modules)


def _assign(*, session: ReflectionSession, people, modules) -> int:
    errors: dict[str, list[str]] = defaultdict(list)
    if not people:
        errors["people"].append(_("Pilih sedikitnya satu peserta yang hadir."))
    attending = set(
        session.attendees.filter(pk__in=[p.pk for p in people]).values_list(
            "pk", flat=True
        )
    )
    if any(person.pk not in attending for person in people):
        errors["people"].append(_("Pilih peserta yang hadir di sesi ini."))
    if not modules:
        errors["modules"].append(_("Pilih sedikitnya satu modul penyegaran."))
    refreshers = set(
        refresher_modules()
        .filter(pk__in=[m.pk for m in modules])
        .values_list("pk", flat=True)
    )
    if any(module.pk not in refreshers for module in modules):
        errors["modules"].append(_("Pilih modul dari pustaka penyegaran."))
    problems = {name: messages for name, messages in errors.items() if messages}
    if problems:
        raise ValidationError(problems)
    already = set(
        RefresherAssignment.objects.filter(session=session).values_list(
            "person_id", "module_id"
        )
    )
    new = [
        RefresherAssignment(session=session, person=person, module=module)
        for person in people
        for module in modules
        if (person.pk, module.pk) not in already
    ]
    # The same form sent twice at once: the unique constraint keeps one.
    RefresherAssignment.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def open_refreshers_for(person: User) -> list[RefresherAssignment]:
    """Refreshers assigned to `person` and not completed since: one per module."""
    if not is_signed_in(person):
        return []
    completed_since = ModuleCompletion.objects.filter(
        user=person,
        module=OuterRef("module"),
        completed_at__gte=OuterRef("assigned_at"),
    )
    open_ones = (
        RefresherAssignment.objects.filter(
            person=person, module__live=True, studied_at__isnull=True
        )
        .exclude(Exists(completed_since))
        .select_related("module", "session")
        .order_by("assigned_at", "pk")
    )
    by_module: dict[int, RefresherAssignment] = {}
    for assignment in open_ones:
        by_module.setdefault(assignment.module_id, assignment)
    return list(by_module.values())


def mark_refresher_studied(*, assignment: RefresherAssignment, person: User) -> None:
    """The person says they studied the module again; it leaves their home page."""
    if assignment.person_id != person.pk:
        raise ValidationError(_("Tugas penyegaran ini bukan milikmu."))
    RefresherAssignment.objects.filter(
        pk=assignment.pk, studied_at__isnull=True
    ).update(studied_at=timezone.now())
