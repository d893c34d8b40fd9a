"""Demo magang: the seeds' paralegals placed at SSP TTS, hours in every state.

The I-WILL paralegals did their magang at LBH APIK NTT, SSP TTS and YABIKU
NTT after their training. Here the demo trainee is placed at SSP under the
demo facilitator (who verifies in the admin), and one paralegal under a
puskesmas midwife without an account (who countersigns by link). Dates are
relative to today so there is always something to log. Idempotent: a
trainee who already has a placement is left alone.
"""

import datetime
import uuid

from django.db import transaction
from django.utils import timezone

from learning.demo import ALUMNA, demo_moment
from learning.models import Notification, Organisation, User

from .choices import ActivityCategory, CaseAction, EntryAction, EntryStatus
from .hours import EntryInput, record_entry
from .models import HourEntry, Placement, PracticeCase
from .programme_demo import load_demo_programme_figures
from .verification import verify_entries

T = datetime.time

# (days ago, start, end, category, what was done, status, supervisor comment)
DEMO_ENTRIES = [
    (
        20,
        T(8, 0),
        T(12, 0),
        ActivityCategory.COMPLAINTS,
        "Mengamati staf SSP menerima pengaduan. Belajar bertanya pelan-pelan dan "
        "mencatat tanpa nama.",
        EntryStatus.VERIFIED,
        "",
    ),
    (
        18,
        T(9, 0),
        T(11, 30),
        ActivityCategory.DOCUMENTATION,
        "Mengisi formulir pendokumentasian untuk kasus latihan bersama pendamping "
        "senior.",
        EntryStatus.VERIFIED,
        "",
    ),
    (
        12,
        T(8, 30),
        T(14, 0),
        ActivityCategory.HEALTH_REFERRAL,
        "Menemani pendamping senior mengantar korban ke puskesmas. Belajar alur "
        "pemeriksaan dan menunggu dengan tenang.",
        EntryStatus.SUBMITTED,
        "",
    ),
    (
        9,
        T(13, 0),
        T(15, 0),
        ActivityCategory.SUPERVISION,
        "Diskusi kasus mingguan: cara menjelaskan pilihan litigasi dan non-litigasi.",
        EntryStatus.RETURNED,
        "Jam selesai di daftar hadir 14.30. Mohon diperbaiki.",
    ),
    (
        3,
        T(9, 0),
        T(12, 0),
        ActivityCategory.SIMFONI,
        "Melihat tim data memasukkan kasus ke SIMFONI-PPA dan mencocokkan kategori.",
        EntryStatus.DRAFT,
        "",
    ),
]


def _place(trainee, host, today, **supervisor) -> Placement:
    return Placement.objects.create(
        trainee=trainee,
        host=host,
        start_date=today - datetime.timedelta(days=30),
        end_date=today + datetime.timedelta(days=60),
        target_hours=120,
        **supervisor,
    )


def _log(placement: Placement, entries) -> None:
    for days, start, end, category, activity, status, comment in entries:
        entry, _created = record_entry(
            trainee=placement.trainee,
            uuid=uuid.uuid5(uuid.NAMESPACE_URL, f"demo-magang/{placement.pk}/{days}"),
            data=EntryInput(
                placement=placement,
                date=timezone.localdate() - datetime.timedelta(days=days),
                category=category,
                activity=activity,
                start_time=start,
                end_time=end,
            ),
        )
        # The demo's history starts here: the states are set as they would be
        # after the supervisor's work, so every screen has something to show.
        verifier = placement.supervisor if status == EntryStatus.VERIFIED else None
        HourEntry.objects.filter(pk=entry.pk).update(
            status=status,
            supervisor_comment=comment,
            verified_by=verifier,
            verified_at=timezone.now() if verifier else None,
        )


def load_demo_magang() -> list[Placement]:
    today = timezone.localdate()
    host = Organisation.objects.filter(short_name="SSP").first()
    facilitator = User.objects.filter(username="fasilitator").first()
    placements = []
    trainee = User.objects.filter(username="peserta").first()
    if host and facilitator and trainee and not trainee.placements.exists():
        placement = _place(trainee, host, today, supervisor=facilitator)
        _log(placement, DEMO_ENTRIES)
        placements.append(placement)
    paralegal = User.objects.filter(username="paralegal-oelet").first()
    if host and paralegal and not paralegal.placements.exists():
        placement = _place(
            paralegal,
            host,
            today,
            outside_supervisor_name="Bidan Yohana (contoh)",
            outside_supervisor_position="Bidan koordinator KIA",
            outside_supervisor_institution="Puskesmas (contoh)",
        )
        _log(
            placement,
            [row[:5] + (EntryStatus.SUBMITTED, "") for row in DEMO_ENTRIES[2:4]],
        )
        placements.append(placement)
    return placements


def _case(placement, key: str, **fields):
    from learning.models import Region

    from .cases import CaseInput, record_case

    today = timezone.localdate()
    month = fields.pop("months_ago", 1)
    first = (today.replace(day=1) - datetime.timedelta(days=28 * month)).replace(day=1)
    values = {
        "placement": placement,
        "month": first.month,
        "year": first.year,
        "kecamatan": Region.objects.get(code="53.02.01"),
        "victim_disability": False,
        **fields,
    }
    case, _created = record_case(
        trainee=placement.trainee,
        uuid=uuid.uuid5(uuid.NAMESPACE_URL, f"demo-kasus/{placement.pk}/{key}"),
        data=CaseInput(**values),
        submit=True,
    )
    return case


def load_demo_cases(placement: Placement) -> None:
    """Three practice cases of the demo trainee: reviewed, waiting, flagged."""
    from assessments.models import Competency

    from .cases import review_case
    from .choices import (
        AgeGroup,
        CasePath,
        CaseService,
        IncidentPlace,
        PerpetratorAge,
        Relation,
        VictimSex,
        ViolenceType,
    )

    if placement.practice_cases.exists() or placement.supervisor is None:
        return
    reviewed = _case(
        placement,
        "kdrt",
        months_ago=2,
        violence_types=[ViolenceType.PHYSICAL, ViolenceType.PSYCHOLOGICAL],
        victim_sex=VictimSex.FEMALE,
        victim_age_group=AgeGroup.FROM_25,
        perpetrator_relation=Relation.SPOUSE,
        perpetrator_age=PerpetratorAge.ADULT,
        incident_place=IncidentPlace.HOUSEHOLD,
        services=[CaseService.HEALTH, CaseService.UPTD_PPA, CaseService.LEGAL_AID],
        path=CasePath.LITIGATION,
        trainee_role="Mendampingi korban bersama staf SSP dari pengaduan sampai "
        "laporan di Polsek.",
        actions="Mendengarkan, menanyakan keselamatannya malam itu, mengantar ke "
        "puskesmas, lalu menemani ke Polsek setelah ia memutuskan melapor.",
        went_well="Korban merasa didengar dan memilih sendiri langkahnya.",
        was_hard="Keluarga suami datang meminta damai di rumah.",
        learned="Kesehatan lebih dulu; keputusan melapor ada pada korban.",
    )
    review_case(
        case=reviewed,
        supervisor=placement.supervisor,
        feedback="Langkahmu runtut dan menghormati pilihan korban. Lain kali catat "
        "rencana keselamatan yang disepakati.",
        competencies=Competency.objects.filter(
            name__in=[
                "Konseling awal dan penguatan korban",
                "Mekanisme penanganan dan rujukan kasus",
            ]
        ),
    )
    _case(
        placement,
        "anak",
        months_ago=1,
        violence_types=[ViolenceType.NEGLECT],
        victim_sex=VictimSex.MALE,
        victim_age_group=AgeGroup.FROM_6,
        perpetrator_relation=Relation.PARENT,
        perpetrator_age=PerpetratorAge.ADULT,
        incident_place=IncidentPlace.HOUSEHOLD,
        services=[CaseService.UPTD_PPA, CaseService.CIVIL_DOCUMENTS],
        path=CasePath.UNDECIDED,
        trainee_role="Menerima laporan dari tetangga dan meneruskannya ke UPTD PPA.",
        actions="Menghubungi UPTD PPA bersama pembimbing; membantu mengurus akta "
        "kelahiran anak di Dukcapil.",
        learned="Untuk anak, keselamatannya yang menentukan langkah, dan UPTD PPA "
        "dilibatkan sejak awal.",
    )
    _case(
        placement,
        "denda-adat",
        months_ago=1,
        violence_types=[ViolenceType.SEXUAL],
        victim_sex=VictimSex.FEMALE,
        victim_age_group=AgeGroup.FROM_18,
        perpetrator_relation=Relation.NEIGHBOUR,
        perpetrator_age=PerpetratorAge.ADULT,
        incident_place=IncidentPlace.PUBLIC,
        services=[CaseService.HEALTH, CaseService.COMPLAINT],
        path=CasePath.NON_LITIGATION,
        trainee_role="Hadir ketika keluarga pelaku menawarkan denda adat.",
        actions="Mengantar korban ke puskesmas; menyampaikan kepada kepala desa "
        "bahwa perkara ini tidak dapat didamaikan.",
        learned="Denda adat tidak mengakhiri perkara kekerasan seksual oleh orang "
        "dewasa.",
    )


def prepare_mentorship(*, demo: bool) -> None:
    if demo:
        for placement in load_demo_magang():
            load_demo_cases(placement)
        load_demo_reflection()
        load_demo_alumna_magang()
        load_demo_programme_figures()
        # Last: the certification rule reads the magang above. Imported here,
        # as it builds on this module's helpers.
        from .certification_demo import load_demo_certification

        load_demo_certification()


# --- The alumna's magang of 2025: verified hours and reviewed cases ---------------

ALUMNA_PLACEMENT = (datetime.date(2025, 6, 2), datetime.date(2025, 9, 26))
ALUMNA_TARGET_HOURS = 40
# Her supervisor verified each month's entries early the next week.
VERIFIED_AFTER = datetime.timedelta(days=5)
# (date, start, end, category, what was done): twelve mornings, 48 hours.
ALUMNA_ENTRIES = [
    (
        datetime.date(2025, 6, 3),
        T(8, 0),
        T(12, 0),
        ActivityCategory.COMPLAINTS,
        "Mengamati staf SSP menerima pengaduan dan mencatat tanpa nama.",
    ),
    (
        datetime.date(2025, 6, 10),
        T(8, 0),
        T(12, 0),
        ActivityCategory.COUNSELLING_OBSERVATION,
        "Mengamati konseling awal: cara bertanya tanpa menyalahkan.",
    ),
    (
        datetime.date(2025, 6, 17),
        T(8, 0),
        T(12, 0),
        ActivityCategory.COMPLAINTS,
        "Menerima pengaduan bersama pendamping senior; menanyakan keselamatan "
        "korban lebih dulu.",
    ),
    (
        datetime.date(2025, 6, 24),
        T(8, 0),
        T(12, 0),
        ActivityCategory.DOCUMENTATION,
        "Mengisi formulir pendokumentasian kasus latihan.",
    ),
    (
        datetime.date(2025, 7, 1),
        T(8, 0),
        T(12, 0),
        ActivityCategory.HEALTH_REFERRAL,
        "Menemani korban ke puskesmas untuk pemeriksaan; belajar alur visum.",
    ),
    (
        datetime.date(2025, 7, 8),
        T(8, 0),
        T(12, 0),
        ActivityCategory.SUPERVISION,
        "Diskusi kasus mingguan tentang rencana keselamatan.",
    ),
    (
        datetime.date(2025, 7, 15),
        T(8, 0),
        T(12, 0),
        ActivityCategory.JUSTICE,
        "Mendampingi korban membuat laporan di Polsek bersama paralegal SSP.",
    ),
    (
        datetime.date(2025, 7, 22),
        T(8, 0),
        T(12, 0),
        ActivityCategory.SIMFONI,
        "Memasukkan kasus yang sudah selesai ke SIMFONI-PPA bersama tim data.",
    ),
    (
        datetime.date(2025, 8, 5),
        T(8, 0),
        T(12, 0),
        ActivityCategory.HEALTH_REFERRAL,
        "Mengantar anak korban penelantaran ke puskesmas bersama petugas UPTD PPA.",
    ),
    (
        datetime.date(2025, 8, 12),
        T(8, 0),
        T(12, 0),
        ActivityCategory.DOCUMENTATION,
        "Melengkapi dokumentasi rujukan ke UPTD PPA.",
    ),
    (
        datetime.date(2025, 8, 26),
        T(8, 0),
        T(12, 0),
        ActivityCategory.SUPERVISION,
        "Supervisi akhir bulan: menilai langkah pendampingan bersama pembimbing.",
    ),
    (
        datetime.date(2025, 9, 9),
        T(8, 0),
        T(12, 0),
        ActivityCategory.MEDIATION,
        "Menghadiri musyawarah desa tentang pencegahan kekerasan dalam rumah tangga.",
    ),
]


def record_verified_demo_hours(
    *, placement: Placement, facilitator: User, rows, key: str
) -> list[HourEntry]:
    """Hour entries (day, start, end, category, activity) written, submitted
    and verified through the rules, then dated to when the work happened."""
    entries = []
    for day, start, end, category, activity in rows:
        entry, _created = record_entry(
            trainee=placement.trainee,
            uuid=uuid.uuid5(uuid.NAMESPACE_URL, f"{key}/{day}"),
            data=EntryInput(
                placement=placement,
                date=day,
                category=category,
                activity=activity,
                start_time=start,
                end_time=end,
            ),
            submit=True,
        )
        entries.append(entry)
    verify_entries(entries=entries, supervisor=facilitator)
    for entry in entries:
        done = demo_moment(entry.date, 12, 30)
        verified = demo_moment(entry.date + VERIFIED_AFTER, 9)
        HourEntry.objects.filter(pk=entry.pk).update(
            created_at=done, updated_at=verified, verified_at=verified
        )
        entry.history.filter(action=EntryAction.VERIFIED).update(at=verified)
        entry.history.exclude(action=EntryAction.VERIFIED).update(at=done)
    return entries


def _alumna_hours(placement: Placement, facilitator: User) -> None:
    record_verified_demo_hours(
        placement=placement,
        facilitator=facilitator,
        rows=ALUMNA_ENTRIES,
        key="demo-alumna-magang",
    )
    Notification.objects.filter(recipient=placement.trainee).update(
        created_at=demo_moment(ALUMNA_PLACEMENT[1], 9),
        read_at=demo_moment(ALUMNA_PLACEMENT[1], 19),
    )


def new_ssp_placement(
    username: str, window: tuple[datetime.date, datetime.date], target_hours: int
) -> tuple[Placement, User] | None:
    """A demo person's placement at SSP under `fasilitator`, with the
    supervisor; None when someone is missing or the person has a placement
    already (the demo is loaded once)."""
    person = User.objects.filter(username=username).first()
    host = Organisation.objects.filter(short_name="SSP").first()
    facilitator = User.objects.filter(username="fasilitator").first()
    if not (person and host and facilitator) or person.placements.exists():
        return None
    start, end = window
    placement = Placement.objects.create(
        trainee=person,
        host=host,
        supervisor=facilitator,
        start_date=start,
        end_date=end,
        target_hours=target_hours,
    )
    return placement, facilitator


def load_demo_alumna_magang() -> None:
    """The alumna's 2025 magang at SSP: 48 verified hours, two reviewed cases.

    Written through the rules a trainee and her supervisor use, then dated to
    2025 (WITA). Done once: an alumna with a placement is left alone.
    """
    with transaction.atomic():
        made = new_ssp_placement(ALUMNA, ALUMNA_PLACEMENT, ALUMNA_TARGET_HOURS)
        if made is None:
            return
        placement, facilitator = made
        _alumna_hours(placement, facilitator)
        _alumna_cases(placement, facilitator)


def load_demo_reflection() -> None:
    """Last year's three-day refresher in Kefamenanu, and next month's in Soe.

    The seeds tell of a refresher workshop in Kefamenanu that reflected on
    litigation and non-litigation work; the demo keeps its findings, one
    follow-up and one refresher assignment, and invites the I-WILL cohort to
    this year's session.
    """
    from learning.models import Organisation, Programme, Region
    from modules.models import ModulePage

    from .models import FollowUpAction, ReflectionSession, RefresherAssignment

    programme = Programme.objects.filter(short_name="I-WILL").first()
    host = Organisation.objects.filter(short_name="SSP").first()
    facilitator = User.objects.filter(username="fasilitator").first()
    if not (programme and host and facilitator):
        return
    if ReflectionSession.objects.filter(programme=programme).exists():
        return
    today = timezone.localdate()
    last = ReflectionSession.objects.create(
        programme=programme,
        organisation=host,
        year=today.year - 1,
        start_date=datetime.date(today.year - 1, 11, 10),
        end_date=datetime.date(today.year - 1, 11, 12),
        place=Region.objects.get(code="53.03.05"),
        venue="Kefamenanu",
        agenda="Hari 1: kasus yang didampingi. Hari 2: litigasi dan non-litigasi. "
        "Hari 3: rencana tindak lanjut.",
        findings="Banyak kasus kekerasan seksual masih ditawari denda adat. Jarak ke "
        "Polres dan biaya visum menjadi kendala terbesar.",
        recommendations="Sosialisasi UU TPKS pasal 23 kepada kepala desa; usulan "
        "anggaran desa untuk transportasi pendampingan.",
    )
    last.facilitators.add(facilitator)
    trainees = User.objects.filter(enrolments__cohort__programme=programme).distinct()
    last.attendees.add(*trainees)
    FollowUpAction.objects.create(
        session=last,
        description="Menyampaikan rekomendasi denda adat kepada camat dan kepala desa",
        owner=facilitator,
        due_date=today + datetime.timedelta(days=10),
    )
    refresher = ModulePage.objects.filter(
        slug="penyelesaian-kasus-litigasi-dan-non-litigasi"
    ).first()
    peserta = User.objects.filter(username="peserta").first()
    if refresher and peserta:
        RefresherAssignment.objects.create(
            session=last, person=peserta, module=refresher
        )
    upcoming = ReflectionSession.objects.create(
        programme=programme,
        organisation=host,
        year=today.year,
        start_date=today + datetime.timedelta(days=21),
        end_date=today + datetime.timedelta(days=22),
        place=Region.objects.get(code="53.02.01"),
        venue="Soe",
        agenda="Refleksi tahunan pendamping: layanan yang diberikan dan kendalanya.",
    )
    upcoming.facilitators.add(facilitator)


def _alumna_cases(placement: Placement, facilitator: User) -> None:
    """Two practice cases of 2025, reviewed by her supervisor."""
    from learning.models import Region

    from .cases import CaseInput
    from .choices import (
        AgeGroup,
        CasePath,
        CaseService,
        IncidentPlace,
        PerpetratorAge,
        Relation,
        VictimSex,
        ViolenceType,
    )

    kecamatan = Region.objects.get(code="53.02.02")
    cases = [
        (
            "kdrt-2025",
            datetime.date(2025, 7, 1),
            CaseInput(
                placement=placement,
                month=7,
                year=2025,
                kecamatan=kecamatan,
                victim_disability=False,
                violence_types=[ViolenceType.PHYSICAL, ViolenceType.PSYCHOLOGICAL],
                victim_sex=VictimSex.FEMALE,
                victim_age_group=AgeGroup.FROM_25,
                perpetrator_relation=Relation.SPOUSE,
                perpetrator_age=PerpetratorAge.ADULT,
                incident_place=IncidentPlace.HOUSEHOLD,
                services=[CaseService.HEALTH, CaseService.LEGAL_AID],
                path=CasePath.LITIGATION,
                trainee_role="Mendampingi korban bersama paralegal SSP dari "
                "pengaduan sampai laporan di Polsek.",
                actions="Mendengarkan, menanyakan keselamatannya, mengantar ke "
                "puskesmas untuk visum, lalu menemani ke Polsek setelah ia "
                "memutuskan melapor.",
                went_well="Korban memilih sendiri langkahnya dan merasa didengar.",
                was_hard="Perjalanan ke Polsek jauh dan biaya transportasi besar.",
                learned="Keselamatan dan kesehatan lebih dulu; keputusan melapor "
                "ada pada korban.",
            ),
            "Pendampinganmu runtut dan menghormati pilihan korban. Rencana "
            "keselamatannya tercatat dengan baik.",
            ["Konseling awal dan penguatan korban", "Proses litigasi dan non-litigasi"],
        ),
        (
            "penelantaran-2025",
            datetime.date(2025, 8, 12),
            CaseInput(
                placement=placement,
                month=8,
                year=2025,
                kecamatan=kecamatan,
                victim_disability=False,
                violence_types=[ViolenceType.NEGLECT],
                victim_sex=VictimSex.MALE,
                victim_age_group=AgeGroup.FROM_6,
                perpetrator_relation=Relation.PARENT,
                perpetrator_age=PerpetratorAge.ADULT,
                incident_place=IncidentPlace.HOUSEHOLD,
                services=[CaseService.HEALTH, CaseService.UPTD_PPA],
                path=CasePath.UNDECIDED,
                trainee_role="Meneruskan laporan guru ke UPTD PPA dan menemani "
                "pemeriksaan kesehatan anak.",
                actions="Menghubungi UPTD PPA bersama pembimbing, mengantar anak ke "
                "puskesmas, dan mencatat rujukan tanpa identitas.",
                went_well="UPTD PPA datang dalam dua hari.",
                was_hard="Keluarga awalnya menolak didatangi petugas.",
                learned="Untuk anak, UPTD PPA dilibatkan sejak awal dan "
                "keselamatannya menentukan langkah.",
            ),
            "Rujukanmu cepat dan tepat. Catatanmu tidak membuka identitas anak.",
            [
                "Mekanisme penanganan dan rujukan kasus",
                "Pendokumentasian kasus (offline dan SIMFONI-PPA)",
            ],
        ),
    ]
    record_reviewed_demo_cases(
        placement=placement,
        facilitator=facilitator,
        cases=cases,
        key="demo-alumna-kasus",
    )


def record_reviewed_demo_cases(
    *, placement: Placement, facilitator: User, cases, key: str
) -> None:
    """Practice cases (key, written on, CaseInput, feedback, competencies shown)
    written, submitted and reviewed through the rules, then dated."""
    from assessments.models import Competency

    from .cases import record_case, review_case

    for case_key, written_on, data, feedback, shown in cases:
        case, _created = record_case(
            trainee=placement.trainee,
            uuid=uuid.uuid5(uuid.NAMESPACE_URL, f"{key}/{case_key}"),
            data=data,
            submit=True,
        )
        case = review_case(
            case=case,
            supervisor=facilitator,
            feedback=feedback,
            competencies=Competency.objects.filter(name__in=shown),
        )
        written = demo_moment(written_on, 15)
        reviewed = demo_moment(written_on + VERIFIED_AFTER, 10)
        PracticeCase.objects.filter(pk=case.pk).update(
            created_at=written, updated_at=reviewed, reviewed_at=reviewed
        )
        case.history.filter(action=CaseAction.REVIEWED).update(at=reviewed)
        case.history.exclude(action=CaseAction.REVIEWED).update(at=written)
        Notification.objects.filter(
            recipient=placement.trainee, link__endswith=f"{case.uuid}/"
        ).update(created_at=reviewed, read_at=reviewed)
