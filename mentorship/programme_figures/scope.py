"""Who may see the programme view, and what one call of it covers.

The view reads, never writes. A coordinator sees the programmes they
coordinate, across the consortium's organisations; a facilitator sees her own
organisation's figures (its people, the sessions it held, the cohorts she can
see); a superuser everything. The filters only narrow that: a programme or an
organisation outside it yields nothing.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from learning.choices import Role
from learning.models import Cohort, Enrolment, Organisation, Programme, Region, User
from learning.scope import (
    cohorts_visible_to,
    is_active_staff,
    organisations_managed_by,
    programmes_managed_by,
    programmes_visible_to,
)

ALL, COORDINATOR, FACILITATOR = "all", "coordinator", "facilitator"


@dataclass(frozen=True)
class FigureFilters:
    """What the person chose on the page; every field narrows, none widens."""

    year: int
    programme: Programme | None = None
    organisation: Organisation | None = None
    kabupaten: Region | None = None
    kecamatan: Region | None = None
    desa: Region | None = None

    @property
    def has_place(self) -> bool:
        return any((self.kabupaten, self.kecamatan, self.desa))


def _mode(actor: User) -> str | None:
    """How `actor` sees the view: everything, as coordinator, as facilitator.

    Someone who is both sees as coordinator while they coordinate a
    programme, and as facilitator of their organisation otherwise.
    """
    if not is_active_staff(actor):
        return None
    if actor.is_superuser:
        return ALL
    roles = set(actor.roles)
    if Role.KOORDINATOR in roles and (
        Role.FASILITATOR not in roles or programmes_managed_by(actor).exists()
    ):
        return COORDINATOR
    if Role.FASILITATOR in roles and actor.organisation_id:
        return FACILITATOR
    return None


def programme_view_allowed(actor: User) -> bool:
    """Coordinators, facilitators of an organisation, superusers."""
    return _mode(actor) is not None


def exact_figures_allowed(actor: User) -> bool:
    """Whether the screen may show counts of 1 to 4 as they are.

    Coordinators and superusers; a facilitator sees small counts hidden.
    """
    return _mode(actor) in (ALL, COORDINATOR)


def programmes_for_view(actor: User) -> QuerySet[Programme]:
    mode = _mode(actor)
    if mode == ALL:
        return Programme.objects.all()
    if mode == COORDINATOR:
        return programmes_managed_by(actor)
    if mode == FACILITATOR:
        return programmes_visible_to(actor)
    return Programme.objects.none()


def organisations_for_view(actor: User) -> QuerySet[Organisation]:
    mode = _mode(actor)
    if mode == ALL:
        return Organisation.objects.all()
    if mode == COORDINATOR:
        return organisations_managed_by(actor)
    if mode == FACILITATOR:
        return Organisation.objects.filter(pk=actor.organisation_id)
    return Organisation.objects.none()


@dataclass(frozen=True)
class Scope:
    """What one reading covers, once the person's reach and the filters meet.

    `programme_ids` None means every programme; `organisation_id` None every
    organisation; `place` is the narrowest place chosen, None for anywhere.
    """

    empty: bool = False
    programme_ids: tuple[int, ...] | None = None
    organisation_id: int | None = None
    place: Region | None = None
    cohorts: QuerySet | None = None  # a facilitator's reach; None: by programme

    # --- Q objects over the records -------------------------------------

    def person(self, field: str) -> Q:
        """People of the organisation and place in scope; `field` names the
        person from the record ("person", "trainee", "user")."""
        q = Q()
        if self.organisation_id is not None:
            q &= Q(**{f"{field}__organisation_id": self.organisation_id})
        if self.place is not None:
            q &= place_q(self.place, f"{field}__village")
        return q

    def enrolled(self, field: str) -> Q:
        """People enrolled in a cohort of the programmes in scope."""
        if self.programme_ids is None:
            return Q()
        return Q(
            **{
                f"{field}_id__in": Enrolment.objects.filter(
                    cohort__programme_id__in=self.programme_ids
                ).values("trainee_id")
            }
        )

    def session(self, field: str = "session") -> Q:
        """Sessions of the programmes in scope."""
        if self.programme_ids is None:
            return Q()
        return Q(**{f"{field}__programme_id__in": self.programme_ids})

    def cohort_queryset(self) -> QuerySet[Cohort]:
        cohorts = self.cohorts if self.cohorts is not None else Cohort.objects.all()
        if self.programme_ids is not None:
            cohorts = cohorts.filter(programme_id__in=self.programme_ids)
        if self.organisation_id is not None and self.cohorts is None:
            cohorts = cohorts.filter(
                programme__in=Programme.objects.filter(
                    organisations=self.organisation_id
                )
            )
        return cohorts


EMPTY = Scope(empty=True)


def place_q(place: Region, field: str) -> Q:
    """Records whose `field` (a Region; "" for regions themselves) lies in
    `place`; a desa holds only itself."""
    prefix = f"{field}__" if field else ""
    if place.code.count(".") >= 3:
        return Q(**{f"{prefix}pk": place.pk})
    return Q(**{f"{prefix}code__startswith": place.code + "."})


def _narrowest_place(filters: FigureFilters) -> tuple[Region | None, bool]:
    """The narrowest place chosen, and whether the places chosen agree
    (a kecamatan outside the kabupaten chosen matches nothing)."""
    chosen = [
        place
        for place in (filters.kabupaten, filters.kecamatan, filters.desa)
        if place is not None
    ]
    for wider, narrower in zip(chosen, chosen[1:], strict=False):
        if not narrower.code.startswith(wider.code + "."):
            return None, False
    return (chosen[-1] if chosen else None), True


def resolve_scope(actor: User, filters: FigureFilters) -> Scope:
    mode = _mode(actor)
    place, consistent = _narrowest_place(filters)
    if mode is None or not consistent:
        return EMPTY
    programme_ids, organisation_id, cohorts = None, None, None
    if mode == COORDINATOR:
        programme_ids = tuple(programmes_managed_by(actor).values_list("pk", flat=True))
        if not programme_ids:
            return EMPTY
    elif mode == FACILITATOR:
        organisation_id = actor.organisation_id
        cohorts = cohorts_visible_to(actor)
    chosen = filters.programme
    if chosen is not None:
        if chosen.pk is None or (
            programme_ids is not None and chosen.pk not in programme_ids
        ):
            return EMPTY
        if mode == FACILITATOR and not (
            programmes_visible_to(actor).filter(pk=chosen.pk).exists()
        ):
            return EMPTY
        programme_ids = (chosen.pk,)
    organisation = filters.organisation
    if organisation is not None:
        if organisation.pk is None or (
            organisation_id is not None and organisation.pk != organisation_id
        ):
            return EMPTY
        if mode == COORDINATOR and not (
            organisations_managed_by(actor).filter(pk=organisation.pk).exists()
        ):
            return EMPTY
        organisation_id = organisation.pk
    return Scope(
        programme_ids=programme_ids,
        organisation_id=organisation_id,
        place=place,
        cohorts=cohorts,
    )
