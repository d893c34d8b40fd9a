"""Demo data for `make run`: fictional people, safe to load again and again."""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import OrganisationKind, Role, Sex
from .models import Cohort, Enrolment, Organisation, Programme, Region, User
from .privacy import accept_notice, has_accepted

DEMO_PASSWORD = "pendamping-demo"  # noqa: S105 - published in README on purpose

# The demo alumna graduated with SSP's community cohort of last year, whose
# record each app loads in its own demo (studies, quizzes, magang, cases).
ALUMNA = "alumni"
ALUMNA_COHORT = "Pendamping Korban 2025"
ALUMNA_COHORT_START = datetime.date(2025, 2, 3)
ALUMNA_COHORT_END = datetime.date(2025, 11, 28)
# Demo databases made before the alumna had a record named her cohort so.
FORMER_ALUMNA_COHORT = "Pendamping Korban 2019"


def demo_moment(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """A moment of the demo's history, on the clock of NTT (WITA)."""
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(hour, minute))
    )


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    role: Role
    organisation: str = "SSP"
    village: str | None = None
    sex: str = Sex.FEMALE


DEMO_ACCOUNTS = [
    DemoAccount("peserta", "Yuliana", "Nenobais", Role.PESERTA, "SSP", "53.02.04.2012"),
    DemoAccount("fasilitator", "Marta", "Seran", Role.FASILITATOR, "SSP"),
    DemoAccount("alumni", "Agustina", "Banunaek", Role.ALUMNI, "SSP", "53.02.02.2001"),
    DemoAccount("koordinator", "Debora", "Lakapu", Role.KOORDINATOR, "LBH APIK NTT"),
    # A partner in the I-WILL consortium who teaches no SSP cohort: sees the
    # consortium's cohorts, changes none of them.
    DemoAccount(
        "fasilitator-yabiku",
        "Frans",
        "Tefa",
        Role.FASILITATOR,
        "YABIKU NTT",
        sex=Sex.MALE,
    ),
]

# (short name, name, kind, kabupaten code). Real organisations of the seeds.
DEMO_ORGANISATIONS = [
    (
        "SSP",
        "Yayasan Sanggar Suara Perempuan (SSP) SoE",
        OrganisationKind.COMMUNITY_SERVICE,
        "53.02",
    ),
    ("LBH APIK NTT", "LBH APIK NTT", OrganisationKind.LEGAL_AID, "53.71"),
    ("YABIKU NTT", "YABIKU NTT", OrganisationKind.CIVIL_SOCIETY, "53.03"),
    ("CIS Timor", "CIS Timor", OrganisationKind.CIVIL_SOCIETY, "53.71"),
]

# The twelve I-WILL villages of the seeds, by code. "Kuanek" (TTU) has no
# official match and is left out until someone picks among its candidates.
IWILL_VILLAGES = [
    "53.01.16.2001",  # Oelomin
    "53.01.16.2006",  # Tunfeu
    "53.01.17.2004",  # Niukbaun
    "53.01.17.2006",  # Nekbaun
    "53.01.08.2010",  # Oebelo
    "53.01.09.2001",  # Oesena
    "53.02.03.2007",  # Ajaobaki
    "53.02.02.2001",  # Biloto
    "53.02.04.2012",  # Oe'Ekam (Kec. Amanuban Timur)
    "53.02.04.2002",  # Oelet
    "53.03.21.2004",  # Maubesi
]

# Fictional paralegals, one per village: username, first name, last name,
# village code, sex.
DEMO_TRAINEES = [
    ("paralegal-oelomin", "Ester", "Fanggi", "53.01.16.2001", Sex.FEMALE),
    ("paralegal-tunfeu", "Yohanis", "Benu", "53.01.16.2006", Sex.MALE),
    ("paralegal-niukbaun", "Magdalena", "Ora", "53.01.17.2004", Sex.FEMALE),
    ("paralegal-oebelo", "Naomi", "Kase", "53.01.08.2010", Sex.FEMALE),
    ("paralegal-ajaobaki", "Selfina", "Tanesib", "53.02.03.2007", Sex.FEMALE),
    ("paralegal-oelet", "Rut", "Nomleni", "53.02.04.2002", Sex.FEMALE),
    ("paralegal-maubesi", "Fransiska", "Abi", "53.03.21.2004", Sex.FEMALE),
]


@transaction.atomic
def load_demo_data() -> list[User]:
    """Organisations, programmes, cohorts and people of the demo; idempotent."""
    regions = {region.code: region for region in Region.objects.all()}
    if not regions:
        raise RuntimeError(_("Muat wilayah dulu: manage.py load_regions"))
    organisations = {
        short: Organisation.objects.update_or_create(
            short_name=short,
            defaults={"name": name, "kind": kind, "kabupaten": regions[kabupaten]},
        )[0]
        for short, name, kind, kabupaten in DEMO_ORGANISATIONS
    }
    accounts = {
        demo.username: _demo_person(
            demo.username,
            demo.first_name,
            demo.last_name,
            demo.role,
            organisations[demo.organisation],
            regions.get(demo.village),
            demo.sex,
        )
        for demo in DEMO_ACCOUNTS
    }
    trainees = [
        _demo_person(
            username,
            first,
            last,
            Role.PESERTA,
            organisations["SSP"],
            regions[code],
            sex,
        )
        for username, first, last, code, sex in DEMO_TRAINEES
    ]

    iwill = _programme(
        "I-WILL",
        "Indonesian Women in Leadership (I-WILL), Konsorsium Timor Adil dan Setara NTT",
        organisations=[organisations[name] for name in organisations],
        coordinators=[accounts["koordinator"]],
        kabupaten=[regions["53.01"], regions["53.02"], regions["53.03"]],
        start=datetime.date(2022, 1, 1),
    )
    community = _programme(
        "SSP-LBK",
        "Layanan Berbasis Komunitas untuk Perempuan dan Anak Korban Kekerasan (SSP)",
        organisations=[organisations["SSP"]],
        coordinators=[accounts["koordinator"]],
        kabupaten=[regions["53.02"]],
        start=datetime.date(2019, 1, 1),
    )
    _cohort(
        iwill,
        "Paralegal Desa 2022",
        start=datetime.date(2022, 2, 1),
        end=datetime.date(2022, 12, 31),
        facilitators=[accounts["fasilitator"]],
        villages=[regions[code] for code in IWILL_VILLAGES],
        trainees=[accounts["peserta"], *trainees],
    )
    Cohort.objects.filter(programme=community, name=FORMER_ALUMNA_COHORT).update(
        name=ALUMNA_COHORT
    )
    _cohort(
        community,
        ALUMNA_COHORT,
        start=ALUMNA_COHORT_START,
        end=ALUMNA_COHORT_END,
        facilitators=[accounts["fasilitator"]],
        villages=[regions["53.02.02.2001"], regions["53.02.04.2012"]],
        trainees=[accounts[ALUMNA]],
    )
    return list(accounts.values())


def _demo_person(username, first_name, last_name, role, organisation, village, sex):
    user, _ = User.objects.update_or_create(
        username=username,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "is_active": True,
            "must_change_password": False,
            "organisation": organisation,
            "village": village,
            "sex": sex,
        },
    )
    if not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    user.groups.add(Group.objects.get(name=role.value))
    # The demo opens straight onto its pages: its people have read the notice.
    if not has_accepted(user):
        accept_notice(person=user)
    return user


def _programme(short_name, name, *, organisations, coordinators, kabupaten, start):
    programme, _ = Programme.objects.update_or_create(
        short_name=short_name, defaults={"name": name, "start_date": start}
    )
    # Parental relations are written when the cluster is saved.
    programme.organisations.set(organisations)
    programme.coordinators.set(coordinators)
    programme.kabupaten.set(kabupaten)
    programme.save()
    return programme


def _cohort(programme, name, *, start, end, facilitators, villages, trainees):
    cohort, _ = Cohort.objects.update_or_create(
        programme=programme,
        name=name,
        defaults={"start_date": start, "end_date": end},
    )
    cohort.facilitators.set(facilitators)
    cohort.villages.set(villages)
    cohort.save()
    for trainee in trainees:
        Enrolment.objects.get_or_create(cohort=cohort, trainee=trainee)
    return cohort
