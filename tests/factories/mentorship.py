import datetime
import uuid

from django.utils import timezone

import factory

from learning.choices import Role
from mentorship.choices import ActivityCategory, EntryStatus
from mentorship.models import HourEntry, Placement

from .people import user_with_roles
from .programmes import OrganisationFactory


def _today():
    return timezone.localdate()


class PlacementFactory(factory.django.DjangoModelFactory):
    """A placement that began a month ago and runs two more months."""

    class Meta:
        model = Placement

    trainee = factory.LazyFunction(lambda: user_with_roles(Role.PESERTA))
    host = factory.SubFactory(OrganisationFactory)
    supervisor = factory.LazyFunction(lambda: user_with_roles(Role.FASILITATOR))
    start_date = factory.LazyFunction(lambda: _today() - datetime.timedelta(days=30))
    end_date = factory.LazyFunction(lambda: _today() + datetime.timedelta(days=60))
    target_hours = 40


def outside_placement(**fields) -> Placement:
    """A placement whose supervisor has no account (a puskesmas midwife)."""
    return PlacementFactory(
        supervisor=None,
        outside_supervisor_name="Bidan Maria",
        outside_supervisor_position="Bidan koordinator",
        outside_supervisor_institution="Puskesmas (contoh)",
        **fields,
    )


class HourEntryFactory(factory.django.DjangoModelFactory):
    """A two-hour entry written straight to the table (no rule checks)."""

    class Meta:
        model = HourEntry

    uuid = factory.LazyFunction(uuid.uuid4)
    placement = factory.SubFactory(PlacementFactory)
    trainee = factory.LazyAttribute(lambda entry: entry.placement.trainee)
    date = factory.LazyFunction(lambda: _today() - datetime.timedelta(days=3))
    start_time = datetime.time(9, 0)
    end_time = datetime.time(11, 0)
    minutes = 120
    category = ActivityCategory.COMPLAINTS
    activity = "Mengamati penerimaan pengaduan dan belajar mencatat tanpa identitas."
    status = EntryStatus.DRAFT
