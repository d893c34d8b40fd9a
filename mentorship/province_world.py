"""What the synthetic programme's parts share (`mentorship.province`): the
`World` each part reads and extends, the `Person` it keeps for everyone it
enrols, and how counts are split between people.
"""

import datetime
import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils import timezone

from learning.models import Cohort, Organisation, Programme, Region, User

from .models import Placement

BATCH = 2000


@dataclass
class Person:
    user: User
    cohort: Cohort
    organisation: Organisation
    programme: Programme
    alumna: bool
    placement: Placement | None = None
    verified_minutes: int = 0
    reviewed_cases: int = 0
    competent: list[str] = field(default_factory=list)
    modules: list[str] = field(default_factory=list)
    certified_on: datetime.date | None = None


@dataclass
class World:
    rng: random.Random
    anchor: datetime.date
    counts: dict[str, int] = field(default_factory=dict)
    organisations: list[Organisation] = field(default_factory=list)
    programme_of: dict[int, Programme] = field(default_factory=dict)
    facilitators: dict[int, list[User]] = field(default_factory=dict)
    coordinators: dict[int, User] = field(default_factory=dict)
    cohort_org: dict[int, Organisation] = field(default_factory=dict)
    cohort_villages: dict[int, list[Region]] = field(default_factory=dict)
    people: list[Person] = field(default_factory=list)

    def moment(self, day: datetime.date, hour: int = 10, minute: int = 0):
        return timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(hour, minute))
        )

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def bulk(self, model, rows: Sequence, *, key: str | None = None) -> list:
        made = model.objects.bulk_create(rows, batch_size=BATCH)
        if key:
            self.counts[key] = self.counts.get(key, 0) + len(made)
        return made

    def link(self, through, other: str, pairs) -> None:
        """Rows of a many-to-many table: (this side's id, `other` id) pairs."""
        owner = next(
            f.attname
            for f in through._meta.fields
            if f.attname.endswith("_id") and f.attname != other
        )
        self.bulk(through, [through(**{owner: a, other: b}) for a, b in pairs])

    def cohort_villages_of(self, organisation: Organisation) -> list[Region]:
        return [
            village
            for cohort_pk, villages in self.cohort_villages.items()
            if self.cohort_org[cohort_pk].pk == organisation.pk
            for village in villages
        ]


def share(total: int, parts: int, index: int) -> int:
    """Part `index` of `total` split as evenly as whole numbers allow."""
    return total // parts + (1 if index < total % parts else 0)
