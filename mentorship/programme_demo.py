"""Demo figures for the programme view: SSP SoE's community programme
(SSP-LBK) before Pendamping and in the years since.

Before: the seed "Pengembangan Layanan Berbasis Komunitas" (SSP SoE's
programme profile) gives the cases SSP accompanied in 2020, 2021 and 2022
(120, 120, 166) and 22 villages assisted ("22 desa dampingan", said without a
year); "2-3 orang aktif" per village is not a number, so active companions
stay empty. They are entered by the demo coordinator through the same rule
as the admin form (`save_history_year`).

Since: from 2023, the first computed year, a reflection session each year
with fictional companions (invented names, like every demo person) from
villages in seven kecamatan of TTS, their accompanied cases by type and path,
the obstacles they met, attendance and follow-ups open and done. The figures
are invented in the spirit of the seed (about a hundred to a hundred and
fifty cases a year across companions); they are no real record.

Idempotent: a year already held is left alone, as is a year already entered.
"""

import datetime
import logging
import random
from collections import Counter

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from learning.choices import Role, Sex
from learning.demo import demo_moment
from learning.models import Organisation, Programme, Region, User

from .choices import CasePath, Obstacle, ReferralPartner, ViolenceType
from .models import (
    FollowUpAction,
    ProgrammeHistoryYear,
    Reflection,
    ReflectionSession,
)
from .programme_history import save_history_year

logger = logging.getLogger(__name__)

PROGRAMME = "SSP-LBK"
ORGANISATION = "SSP"

# --- before Pendamping: what the seed says --------------------------------------

HISTORY_SOURCE = (
    "Profil SSP SoE (dokumen program 'Pengembangan Layanan Berbasis "
    "Komunitas'): kasus yang didampingi per tahun; 22 desa dampingan disebut "
    "tanpa tahun"
)
HISTORY_CASES = {2020: 120, 2021: 120, 2022: 166}
HISTORY_VILLAGES = 22

# --- since: invented ---------------------------------------------------------------

FIRST_COMPUTED_YEAR = 2023
# Cases accompanied across all companions; a year not listed gets one drawn
# between these bounds.
CASES_BY_YEAR = {2023: 104, 2024: 131, 2025: 149, 2026: 122}
CASES_DRAWN = (100, 150)

# Fictional companions, two or three in a village: username, first name, last
# name, desa code, sex. The names are invented.
DEMO_COMPANIONS = [
    ("pendamping-kesetnana-1", "Orpa", "Selan", "53.02.02.2003", Sex.FEMALE),
    ("pendamping-kesetnana-2", "Yakoba", "Tlonaen", "53.02.02.2003", Sex.FEMALE),
    ("pendamping-eonbesi-1", "Marselina", "Boimau", "53.02.03.2002", Sex.FEMALE),
    ("pendamping-eonbesi-2", "Daniel", "Taneo", "53.02.03.2002", Sex.MALE),
    ("pendamping-sebot-1", "Ruth", "Nubatonis", "53.02.03.2004", Sex.FEMALE),
    ("pendamping-sebot-2", "Elisabet", "Sanam", "53.02.03.2004", Sex.FEMALE),
    ("pendamping-billa-1", "Sarlota", "Tamonob", "53.02.04.2001", Sex.FEMALE),
    ("pendamping-billa-2", "Yosina", "Kolo", "53.02.04.2001", Sex.FEMALE),
    ("pendamping-taebesa-1", "Agnes", "Nope", "53.02.05.2001", Sex.FEMALE),
    ("pendamping-taebesa-2", "Serlince", "Liu", "53.02.05.2001", Sex.FEMALE),
    ("pendamping-taebesa-3", "Martinus", "Oematan", "53.02.05.2001", Sex.MALE),
    ("pendamping-pollo-1", "Adriana", "Missa", "53.02.06.2001", Sex.FEMALE),
    ("pendamping-pollo-2", "Delfi", "Natun", "53.02.06.2001", Sex.FEMALE),
    ("pendamping-lilo-1", "Welmince", "Nenat", "53.02.09.2001", Sex.FEMALE),
    ("pendamping-olais-1", "Paulina", "Taek", "53.02.11.2001", Sex.FEMALE),
    ("pendamping-olais-2", "Kornelis", "Nuban", "53.02.11.2001", Sex.MALE),
    ("pendamping-fatumnasi-1", "Margarita", "Baun", "53.02.12.2004", Sex.FEMALE),
]

# Where each year's session met: kecamatan code, meeting place.
SESSION_PLACES = [
    ("53.02.01", "Kantor SSP, Soe"),
    ("53.02.03", "Balai desa, Mollo Utara"),
    ("53.02.05", "Aula gereja, Amanuban Tengah"),
    ("53.02.02", "Balai desa, Mollo Selatan"),
]

# How often each kind shows up among the invented cases.
TYPE_WEIGHTS = {
    ViolenceType.PSYCHOLOGICAL: 30,
    ViolenceType.PHYSICAL: 26,
    ViolenceType.SEXUAL: 24,
    ViolenceType.NEGLECT: 10,
    ViolenceType.EXPLOITATION: 4,
    ViolenceType.TRAFFICKING: 2,
    ViolenceType.OTHER: 4,
}
PATH_WEIGHTS = {
    CasePath.NON_LITIGATION: 55,
    CasePath.LITIGATION: 30,
    CasePath.BOTH: 10,
    CasePath.UNDECIDED: 5,
}
OBSTACLE_TEXTS = {
    Obstacle.DISTANCE: "Jarak ke Polsek jauh dan tidak ada kendaraan pada malam hari.",
    Obstacle.COST: "Biaya visum dan transportasi korban belum ada yang menanggung.",
    Obstacle.FAMILY_PRESSURE: "Keluarga pelaku meminta perkara diselesaikan "
    "dengan denda adat.",
    Obstacle.OFFICIALS: "Laporan di tingkat desa lama ditindaklanjuti.",
    Obstacle.LEGAL_KNOWLEDGE: "Belum paham langkah bila korban anak ingin "
    "mencabut laporan.",
    Obstacle.COMPANION_SAFETY: "Pendamping diancam setelah merujuk kasus ke Polsek.",
    Obstacle.OTHER: "Sinyal telepon sering putus sehingga sulit menghubungi SSP.",
}
OBSTACLE_WEIGHTS = {
    Obstacle.DISTANCE: 30,
    Obstacle.COST: 25,
    Obstacle.FAMILY_PRESSURE: 20,
    Obstacle.OFFICIALS: 10,
    Obstacle.LEGAL_KNOWLEDGE: 8,
    Obstacle.COMPANION_SAFETY: 4,
    Obstacle.OTHER: 3,
}
FOLLOW_UPS = [
    "Menyampaikan temuan refleksi kepada DP3A Kabupaten TTS",
    "Mengusulkan anggaran desa untuk transportasi pendampingan",
    "Pelatihan ulang pendokumentasian kasus bagi pendamping baru",
]


def load_demo_programme_figures() -> None:
    """SSP-LBK's years before Pendamping and its reflection years since."""
    programme = Programme.objects.filter(short_name=PROGRAMME).first()
    organisation = Organisation.objects.filter(short_name=ORGANISATION).first()
    facilitator = User.objects.filter(username="fasilitator").first()
    coordinator = programme.coordinators.first() if programme else None
    if not (programme and organisation and facilitator and coordinator):
        return
    today = timezone.localdate()
    with transaction.atomic():
        companions = _companions(organisation)
        held = set(
            ReflectionSession.objects.filter(
                programme=programme, organisation=organisation
            ).values_list("year", flat=True)
        )
        for year in range(FIRST_COMPUTED_YEAR, today.year + 1):
            if year not in held:
                _reflection_year(
                    programme, organisation, facilitator, companions, year, today
                )
    _history(programme, organisation, coordinator)


def _companions(organisation: Organisation) -> list[User]:
    regions = {
        region.code: region
        for region in Region.objects.filter(
            code__in={code for *_name, code, _sex in DEMO_COMPANIONS}
        )
    }
    known = {
        user.username: user
        for user in User.objects.filter(
            username__in=[row[0] for row in DEMO_COMPANIONS]
        )
    }
    group = Group.objects.get(name=Role.ALUMNI.value)
    companions = []
    for username, first, last, code, sex in DEMO_COMPANIONS:
        user = known.get(username)
        if user is None:
            user = User(
                username=username,
                first_name=first,
                last_name=last,
                organisation=organisation,
                village=regions.get(code),
                sex=sex,
                must_change_password=False,
            )
            # Nobody signs in as them: they only give the figures a shape.
            user.set_unusable_password()
            user.save()
            user.groups.add(group)
        companions.append(user)
    return companions


def _session_day(year: int, today: datetime.date) -> datetime.date:
    """November's reflection; this year's a little before today if November
    has not come yet, so nothing counted lies in the future."""
    november = datetime.date(year, 11, 10)
    if november < today:
        return november
    return max(datetime.date(year, 1, 1), today - datetime.timedelta(days=10))


def _reflection_year(programme, organisation, facilitator, companions, year, today):
    rng = random.Random(f"{PROGRAMME}-{year}")  # noqa: S311 - demo figures
    day = _session_day(year, today)
    place_code, venue = SESSION_PLACES[year % len(SESSION_PLACES)]
    session = ReflectionSession.objects.create(
        programme=programme,
        organisation=organisation,
        year=year,
        start_date=day,
        end_date=day,
        place=Region.objects.get(code=place_code),
        venue=venue,
        agenda="Kasus yang didampingi setahun ini, kendala, dan rencana tindak lanjut.",
        findings="Sebagian besar kasus diselesaikan secara non-litigasi di "
        "tingkat desa; kasus kekerasan seksual dirujuk ke SSP.",
    )
    session.facilitators.add(facilitator)
    # Most companions come; one or two each year cannot.
    attending = sorted(
        rng.sample(companions, len(companions) - rng.randint(1, 3)),
        key=lambda user: user.username,
    )
    session.attendees.add(*attending)
    # One who came wrote nothing down this year.
    writers = attending[:-1] if len(attending) > 1 else attending
    total = CASES_BY_YEAR.get(year) or rng.randint(*CASES_DRAWN)
    weights = [rng.randint(1, 6) for _writer in writers]
    cases: list[Counter] = [Counter() for _writer in writers]
    types, type_weights = zip(*TYPE_WEIGHTS.items(), strict=True)
    paths, path_weights = zip(*PATH_WEIGHTS.items(), strict=True)
    for _case in range(total):
        (index,) = rng.choices(range(len(writers)), weights)
        (kind,) = rng.choices(types, type_weights)
        (path,) = rng.choices(paths, path_weights)
        cases[index][(kind.value, path.value)] += 1
    obstacles, obstacle_weights = zip(*OBSTACLE_WEIGHTS.items(), strict=True)
    moment = demo_moment(day, 15)
    Reflection.objects.bulk_create(
        [
            Reflection(
                person=writer,
                session=session,
                case_counts=[
                    {"type": kind, "path": path, "count": count}
                    for (kind, path), count in sorted(counted.items())
                ],
                obstacles=[
                    {"category": category.value, "text": OBSTACLE_TEXTS[category]}
                    for category in sorted(
                        set(rng.choices(obstacles, obstacle_weights, k=2))
                    )
                ],
                partners=sorted(
                    rng.sample(
                        [
                            ReferralPartner.POLSEK.value,
                            ReferralPartner.PUSKESMAS.value,
                            ReferralPartner.VILLAGE_OFFICE.value,
                            ReferralPartner.LEADERS.value,
                        ],
                        2,
                    )
                ),
                entered_by=facilitator,
                created_at=moment,
            )
            for writer, counted in zip(writers, cases, strict=True)
        ]
    )
    _follow_ups(session, facilitator, day, today)


def _follow_ups(session, facilitator, day, today) -> None:
    """Earlier years' follow-ups are done, but last year's second; this
    year's: one done, one overdue, one still to come."""
    rows = []
    for index, description in enumerate(FOLLOW_UPS):
        due = day + datetime.timedelta(days=30 * (index + 1))
        done = None
        if session.year < today.year - 1 or (
            session.year == today.year - 1 and index != 1
        ):
            done = demo_moment(due - datetime.timedelta(days=3), 10)
        elif session.year == today.year:
            due = today + datetime.timedelta(days=(-20, -5, 25)[index])
            if index == 0:
                done = demo_moment(min(today, due), 10)
        rows.append(
            FollowUpAction(
                session=session,
                description=description,
                owner=facilitator,
                due_date=due,
                done_at=done,
            )
        )
    FollowUpAction.objects.bulk_create(rows)


def _history(programme, organisation, coordinator) -> None:
    entered = set(
        ProgrammeHistoryYear.objects.filter(
            programme=programme, organisation=organisation
        ).values_list("year", flat=True)
    )
    for year, cases in HISTORY_CASES.items():
        if year in entered:
            continue
        try:
            save_history_year(
                actor=coordinator,
                programme=programme,
                organisation=organisation,
                year=year,
                cases_accompanied=cases,
                cases_by_type=None,
                villages_assisted=HISTORY_VILLAGES,
                active_companions=None,
                source=HISTORY_SOURCE,
            )
        except ValidationError as error:
            # A database where the programme's sessions start earlier: the
            # rule keeps the series honest, the demo goes on without it.
            logger.warning("Demo history year %s not entered: %s", year, error)
