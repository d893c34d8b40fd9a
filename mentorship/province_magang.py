"""The synthetic programme's magang (`mentorship.province`, continued): each
person's placement with another member of the consortium, hour entries on
distinct days of it, and practice cases, verified and reviewed as the
person's state requires.
"""

import datetime
from collections.abc import Sequence

from learning.models import Organisation

from .choices import (
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
from .models import HourEntry, Placement, PracticeCase
from .province_world import BATCH, Person, World, share

MAGANG_START, MAGANG_END = 30, 180  # days after the cohort starts

ACTIVITIES = [
    "Mengamati pembimbing menerima pengaduan dan mencatat kronologi singkat.",
    "Membantu mengisi formulir pendokumentasian kasus bersama pembimbing.",
    "Mendampingi korban ke puskesmas untuk pemeriksaan dan konseling awal.",
    "Ikut diskusi kasus mingguan dan belajar menyusun rencana rujukan.",
    "Memasukkan data kasus yang sudah dianonimkan ke SIMFONI-PPA.",
    "Mendampingi pertemuan mediasi di kantor desa sebagai pengamat.",
]
CASE_TEXTS = {
    "trainee_role": "Saya mendampingi korban bersama pembimbing sejak pengaduan.",
    "actions": "Mendengarkan korban, menjelaskan pilihan layanan, lalu merujuk.",
    "went_well": "Korban merasa didengar dan mau melanjutkan ke layanan.",
    "was_hard": "Jarak ke layanan jauh dan keluarga sempat ragu.",
    "learned": "Persetujuan korban harus ditanyakan di setiap langkah.",
    "supervisor_feedback": "Langkah sudah tepat; catatan kronologi bisa lebih rapi.",
}


def _pick(items: Sequence, index: int):
    return items[index % len(items)]


def create_placements(*, world: World) -> None:
    """Each person's magang, hosted by another member of the consortium."""
    members: dict[int, list[Organisation]] = {}
    for organisation in world.organisations:
        members.setdefault(world.programme_of[organisation.pk].pk, []).append(
            organisation
        )
    rows = []
    for index, person in enumerate(world.people):
        partners = members[person.programme.pk]
        host = partners[(partners.index(person.organisation) + 1) % len(partners)]
        start = person.cohort.start_date + datetime.timedelta(days=MAGANG_START)
        rows.append(
            Placement(
                trainee=person.user,
                host=host,
                supervisor=_pick(world.facilitators[host.pk], index),
                start_date=start,
                end_date=start + datetime.timedelta(days=MAGANG_END - MAGANG_START),
                target_hours=120,
            )
        )
    for person, placement in zip(
        world.people, world.bulk(Placement, rows, key="placements"), strict=True
    ):
        person.placement = placement


def create_hour_entries(*, world: World, count: int) -> None:
    """One entry a day on distinct days of the placement: no overlaps, no cap."""
    categories = list(ActivityCategory)
    window = MAGANG_END - MAGANG_START + 1
    rows = []
    for index, person in enumerate(world.people):
        placement = person.placement
        wanted = min(share(count, len(world.people), index), window)
        days = sorted(world.rng.sample(range(window), wanted))
        for position, offset in enumerate(days):
            day = placement.start_date + datetime.timedelta(days=offset)
            start_hour = world.rng.randint(7, 14)
            minutes = world.rng.choice([60, 90, 120, 150, 180, 240])
            end = datetime.datetime.combine(day, datetime.time(start_hour)) + (
                datetime.timedelta(minutes=minutes)
            )
            status = _entry_status(person, position, wanted)
            verified = status == EntryStatus.VERIFIED
            if verified:
                person.verified_minutes += minutes
            rows.append(
                HourEntry(
                    uuid=world.uuid(),
                    placement=placement,
                    trainee=person.user,
                    date=day,
                    start_time=datetime.time(start_hour),
                    end_time=end.time(),
                    minutes=minutes,
                    category=world.rng.choice(categories),
                    activity=world.rng.choice(ACTIVITIES),
                    status=status,
                    supervisor_comment=(
                        "Tolong lengkapi apa yang kamu pelajari hari ini."
                        if status == EntryStatus.RETURNED
                        else ""
                    ),
                    verified_by=placement.supervisor if verified else None,
                    verified_at=(
                        world.moment(day + datetime.timedelta(days=3), 16)
                        if verified
                        else None
                    ),
                    created_at=world.moment(day, end.hour, end.minute),
                )
            )
        if len(rows) >= BATCH * 10:
            world.bulk(HourEntry, rows, key="hour_entries")
            rows = []
    world.bulk(HourEntry, rows, key="hour_entries")


def _entry_status(person: Person, position: int, total: int) -> str:
    """Alumni: all verified. Others: the last few still on their way."""
    from_end = total - position
    if person.alumna or from_end > 4:
        return EntryStatus.VERIFIED
    return [EntryStatus.DRAFT, EntryStatus.RETURNED, EntryStatus.SUBMITTED][
        from_end % 3
    ]


def create_practice_cases(*, world: World, count: int) -> None:
    kecamatan = {v.pk: v.parent_id for vs in world.cohort_villages.values() for v in vs}
    rows = []
    for index, person in enumerate(world.people):
        placement = person.placement
        for number in range(share(count, len(world.people), index)):
            day = placement.start_date + datetime.timedelta(
                days=world.rng.randint(0, MAGANG_END - MAGANG_START)
            )
            reviewed = person.alumna or number == 0
            status = CaseStatus.REVIEWED if reviewed else CaseStatus.SUBMITTED
            person.reviewed_cases += reviewed
            rows.append(
                PracticeCase(
                    uuid=world.uuid(),
                    trainee=person.user,
                    placement=placement,
                    violence_types=[world.rng.choice(list(ViolenceType)).value],
                    victim_sex=world.rng.choice(list(VictimSex)),
                    victim_age_group=world.rng.choice(list(AgeGroup)),
                    victim_disability=world.rng.choice([None, False, False, True]),
                    perpetrator_relation=world.rng.choice(list(Relation)),
                    perpetrator_age=world.rng.choice(list(PerpetratorAge)),
                    incident_place=world.rng.choice(list(IncidentPlace)),
                    month=day.month,
                    year=day.year,
                    kecamatan_id=kecamatan[person.user.village_id],
                    services=sorted(
                        {world.rng.choice(list(CaseService)).value for _ in range(2)}
                    ),
                    path=world.rng.choice(list(CasePath)),
                    trainee_role=CASE_TEXTS["trainee_role"],
                    actions=CASE_TEXTS["actions"],
                    went_well=CASE_TEXTS["went_well"],
                    was_hard=CASE_TEXTS["was_hard"],
                    learned=CASE_TEXTS["learned"],
                    status=status,
                    supervisor_feedback=(
                        CASE_TEXTS["supervisor_feedback"] if reviewed else ""
                    ),
                    reviewed_by=placement.supervisor if reviewed else None,
                    reviewed_at=(
                        world.moment(day + datetime.timedelta(days=7), 15)
                        if reviewed
                        else None
                    ),
                    created_at=world.moment(day, 18),
                )
            )
    world.bulk(PracticeCase, rows, key="practice_cases")
