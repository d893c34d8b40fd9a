import datetime
import uuid

from django.utils import timezone

import factory

from learning.choices import Role
from mentorship.choices import (
    ActivityCategory,
    AgeGroup,
    CasePath,
    CaseService,
    CaseStatus,
    EntryStatus,
    IncidentPlace,
    PerpetratorAge,
    Relation,
    VictimSex,
    ViolenceType,
)
from mentorship.models import HourEntry, Placement, PracticeCase, ReflectionSession

from .people import user_with_roles
from .programmes import CohortFactory, OrganisationFactory, ProgrammeFactory, region


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


class PracticeCaseFactory(factory.django.DjangoModelFactory):
    """A physical-violence case handled on the litigation path (no rule checks)."""

    class Meta:
        model = PracticeCase
        skip_postgeneration_save = True

    uuid = factory.LazyFunction(uuid.uuid4)
    placement = factory.SubFactory(PlacementFactory)
    trainee = factory.LazyAttribute(lambda case: case.placement.trainee)
    violence_types = factory.LazyFunction(lambda: [ViolenceType.PHYSICAL])
    victim_sex = VictimSex.FEMALE
    victim_age_group = AgeGroup.FROM_25
    perpetrator_relation = Relation.SPOUSE
    perpetrator_age = PerpetratorAge.ADULT
    incident_place = IncidentPlace.HOUSEHOLD
    month = factory.LazyFunction(lambda: _today().month)
    year = factory.LazyFunction(lambda: _today().year)
    kecamatan = factory.LazyFunction(lambda: region("53.02.01"))
    services = factory.LazyFunction(lambda: [CaseService.HEALTH, CaseService.UPTD_PPA])
    path = CasePath.LITIGATION
    trainee_role = "Mendampingi korban ke puskesmas dan ke Polsek bersama staf SSP."
    actions = "Mendengarkan, menawarkan layanan, mengantar ke puskesmas."
    learned = "Kesehatan lebih dulu; korban yang memutuskan melapor."
    status = CaseStatus.DRAFT


def new_case(placement, **fields) -> dict:
    """A practice case as the API takes it: valid, de-identified, fields overridable."""
    today = timezone.localdate()
    body = {
        "uuid": str(uuid.uuid4()),
        "placement_id": placement.pk,
        "violence_types": ["psikis", "fisik"],
        "victim_sex": "P",
        "victim_age_group": "18-24",
        "victim_disability": False,
        "perpetrator_relation": "pacar_teman",
        "perpetrator_age": "dewasa",
        "incident_place": "fasilitas_umum",
        "month": today.month,
        "year": today.year,
        "kecamatan": "53.02.01",
        "services": ["kesehatan"],
        "path": "litigasi",
        "trainee_role": "Mendampingi staf UPTD PPA ke puskesmas.",
        "actions": "Menemani pemeriksaan, menjelaskan hak korban atas visum.",
        "learned": "Pemeriksaan kesehatan lebih dulu sebelum laporan polisi.",
    }
    body.update(fields)
    return body


def reflection_session(*, organisation, facilitator, trainees) -> ReflectionSession:
    """Next week's reflection session of a one-organisation cohort it creates."""
    cohort = CohortFactory(
        programme=ProgrammeFactory(organisations=[organisation]),
        facilitators=[facilitator],
        trainees=trainees,
    )
    start = timezone.localdate() + datetime.timedelta(days=5)
    session = ReflectionSession.objects.create(
        programme=cohort.programme,
        organisation=organisation,
        year=start.year,
        start_date=start,
        end_date=start + datetime.timedelta(days=1),
        place=region("53.02.01"),
    )
    session.facilitators.add(facilitator)
    return session


def hour_entry_body(placement, **fields) -> dict:
    """An hour entry as the JSON API takes it: two and a half hours, two days ago."""
    return {
        "uuid": str(uuid.uuid4()),
        "placement_id": placement.pk,
        "date": str(timezone.localdate() - datetime.timedelta(days=2)),
        "start_time": "08:00",
        "end_time": "10:30",
        "category": "pengaduan",
        "activity": "Belajar menerima pengaduan tanpa mencatat identitas korban.",
        **fields,
    }
