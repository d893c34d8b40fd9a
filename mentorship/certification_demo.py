"""The demo's certification, loaded last by the mentorship demo because the
rule reads the magang: the rules, the ready I-WILL paralegal's studies and
magang of 2022, the alumna's certificate and a revoked one (see
`assessments.certification_demo`)."""

import datetime

from django.db import transaction

from assessments.certification_demo import (
    READY_PARALEGAL,
    load_demo_certificates,
    load_demo_paralegal_study,
    load_demo_rules,
)
from learning.demo import demo_moment
from learning.models import Notification, Region, User

from .cases import CaseInput
from .choices import (
    ActivityCategory,
    AgeGroup,
    CasePath,
    CaseService,
    IncidentPlace,
    PerpetratorAge,
    Relation,
    VictimSex,
    ViolenceType,
)
from .demo import (
    new_ssp_placement,
    record_reviewed_demo_cases,
    record_verified_demo_hours,
)
from .models import Placement

T = datetime.time
PARALEGAL_PLACEMENT = (datetime.date(2022, 9, 5), datetime.date(2022, 12, 16))
VERIFIED_AFTER = datetime.timedelta(days=4)
# Eleven mornings at SSP's office in Soe: 44 hours.
PARALEGAL_ENTRIES = [
    (datetime.date(2022, 9, 6), ActivityCategory.COMPLAINTS),
    (datetime.date(2022, 9, 13), ActivityCategory.COUNSELLING_OBSERVATION),
    (datetime.date(2022, 9, 20), ActivityCategory.DOCUMENTATION),
    (datetime.date(2022, 9, 27), ActivityCategory.HEALTH_REFERRAL),
    (datetime.date(2022, 10, 4), ActivityCategory.SUPERVISION),
    (datetime.date(2022, 10, 11), ActivityCategory.JUSTICE),
    (datetime.date(2022, 10, 18), ActivityCategory.SIMFONI),
    (datetime.date(2022, 10, 25), ActivityCategory.COMPLAINTS),
    (datetime.date(2022, 11, 1), ActivityCategory.MEDIATION),
    (datetime.date(2022, 11, 8), ActivityCategory.DOCUMENTATION),
    (datetime.date(2022, 11, 22), ActivityCategory.SUPERVISION),
]
ACTIVITIES = {
    ActivityCategory.COMPLAINTS: "Menerima pengaduan bersama staf SSP; menanyakan "
    "keselamatan korban lebih dulu dan mencatat tanpa nama.",
    ActivityCategory.COUNSELLING_OBSERVATION: "Mengamati konseling awal: "
    "mendengarkan tanpa menyalahkan.",
    ActivityCategory.DOCUMENTATION: "Mengisi formulir pendokumentasian kasus "
    "latihan bersama pendamping senior.",
    ActivityCategory.HEALTH_REFERRAL: "Menemani korban ke puskesmas untuk "
    "pemeriksaan; belajar alur visum.",
    ActivityCategory.SUPERVISION: "Diskusi kasus mingguan tentang rencana "
    "keselamatan dan rujukan.",
    ActivityCategory.JUSTICE: "Mendampingi korban membuat laporan di Polsek "
    "bersama paralegal SSP.",
    ActivityCategory.SIMFONI: "Melihat tim data memasukkan kasus ke SIMFONI-PPA.",
    ActivityCategory.MEDIATION: "Menghadiri musyawarah desa tentang pencegahan "
    "kekerasan dalam rumah tangga.",
}


def load_demo_certification() -> None:
    load_demo_rules()
    load_demo_paralegal_study()
    load_demo_paralegal_magang()
    load_demo_certificates()


def load_demo_paralegal_magang() -> None:
    """The ready paralegal's magang of 2022 at SSP: 44 verified hours and two
    reviewed practice cases, through the rules, then dated. Done once."""
    with transaction.atomic():
        made = new_ssp_placement(READY_PARALEGAL, PARALEGAL_PLACEMENT, 40)
        if made is None:
            return
        placement, facilitator = made
        _hours(placement, facilitator)
        _cases(placement, facilitator)
        Notification.objects.filter(recipient=placement.trainee).update(
            created_at=demo_moment(placement.end_date, 9),
            read_at=demo_moment(placement.end_date, 19),
        )


def _hours(placement: Placement, facilitator: User) -> None:
    record_verified_demo_hours(
        placement=placement,
        facilitator=facilitator,
        rows=[
            (day, T(8, 0), T(12, 0), category, ACTIVITIES[category])
            for day, category in PARALEGAL_ENTRIES
        ],
        key="demo-paralegal-magang",
    )


def _cases(placement: Placement, facilitator: User) -> None:

    kecamatan = Region.objects.get(code="53.02.01")
    common = {
        "placement": placement,
        "year": 2022,
        "kecamatan": kecamatan,
        "victim_disability": False,
        "perpetrator_age": PerpetratorAge.ADULT,
        "incident_place": IncidentPlace.HOUSEHOLD,
    }
    cases = [
        (
            "kdrt-2022",
            datetime.date(2022, 10, 12),
            CaseInput(
                month=10,
                violence_types=[ViolenceType.PSYCHOLOGICAL, ViolenceType.NEGLECT],
                victim_sex=VictimSex.FEMALE,
                victim_age_group=AgeGroup.FROM_25,
                perpetrator_relation=Relation.SPOUSE,
                services=[CaseService.COMPLAINT, CaseService.LEGAL_AID],
                path=CasePath.NON_LITIGATION,
                trainee_role="Menerima pengaduan bersama paralegal SSP dan ikut "
                "menyusun rencana keselamatan.",
                actions="Mendengarkan, menjelaskan pilihan jalur hukum, dan "
                "menghubungkan korban dengan LBH APIK NTT.",
                went_well="Korban tahu pilihannya dan memilih sendiri.",
                was_hard="Korban bergantung pada penghasilan suami.",
                learned="Penelantaran rumah tangga juga kekerasan dalam rumah tangga.",
                **common,
            ),
            "Penjelasan pilihan hukummu jelas dan tidak menggurui.",
            ["Proses litigasi dan non-litigasi"],
        ),
        (
            "anak-2022",
            datetime.date(2022, 11, 9),
            CaseInput(
                month=11,
                violence_types=[ViolenceType.PHYSICAL],
                victim_sex=VictimSex.MALE,
                victim_age_group=AgeGroup.FROM_6,
                perpetrator_relation=Relation.PARENT,
                services=[CaseService.HEALTH, CaseService.UPTD_PPA],
                path=CasePath.UNDECIDED,
                trainee_role="Meneruskan laporan guru ke UPTD PPA bersama pembimbing.",
                actions="Menghubungi UPTD PPA, menemani pemeriksaan kesehatan "
                "anak, mencatat rujukan tanpa identitas.",
                learned="Untuk anak, UPTD PPA dilibatkan sejak awal.",
                **common,
            ),
            "Rujukanmu cepat dan catatanmu tidak membuka identitas anak.",
            ["Mekanisme penanganan dan rujukan kasus"],
        ),
    ]
    record_reviewed_demo_cases(
        placement=placement,
        facilitator=facilitator,
        cases=cases,
        key="demo-paralegal-kasus",
    )
