"""A synthetic programme the size of NTT, for measuring pages and queries at scale.

`generate_province(scale=1.0, seed=2026)` writes, with bulk inserts and no
signals or tasks, 30 organisations in 10 consortium programmes, 400 cohorts,
10,000 trainees and alumni spread over the villages of every kabupaten loaded
by `load_regions`, and their records: 500,000 magang hour entries, 200,000
quiz sittings with their answers, 20,000 practice cases, 8,000 competence
assessments, ten years of reflection sessions with their reflections, and a
certificate for every alumna. At scale s each count is round(count × s), at
least 1 where other rows hang from it.

Everything is invented and says so: "Peserta Sintetis 00042", "Lembaga
Sintetis 07", usernames beginning with `sintetis-`. Narrative fields hold
short generic sentences that pass the narrative check. The same seed and
scale give the same rows: one `random.Random(seed)` and a fixed anchor day,
never the clock. It never touches other data, and refuses to run into a
database that already holds a synthetic batch (`SyntheticDataExists`).

Every row satisfies the database's constraints and the states agree: a
verified entry has its verifier and time, a finished sitting its score, an
alumna her completed modules, verified hours, reviewed cases and certificate
under her programme's certification rule. Histories (hour entry and case
events) and workshop attendance are not generated.
"""

import datetime
import random
import time
from collections.abc import Callable

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, make_password
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils.translation import gettext as _

from assessments.models import CertificationRule, Competency, Quiz
from learning.choices import OrganisationKind, RegionLevel, Role, Sex
from learning.demo import DEMO_ACCOUNTS, DEMO_TRAINEES
from learning.models import (
    Cohort,
    Enrolment,
    Organisation,
    PrivacyConsent,
    Programme,
    Region,
    User,
)
from learning.privacy import PRIVACY_NOTICE_VERSION
from learning.regions import load_regions
from modules.models import ModulePage

from .programme_demo import DEMO_COMPANIONS
from .province_learning import (
    create_certificates,
    create_competence_assessments,
    create_progress,
    create_reflections,
    create_sittings,
)
from .province_magang import (
    create_hour_entries,
    create_placements,
    create_practice_cases,
)
from .province_world import Person, World

USERNAME_PREFIX = "sintetis-"
# The demo's people (learning.demo, mentorship.programme_demo): invented too.
DEMO_USERNAMES = (
    {demo.username for demo in DEMO_ACCOUNTS}
    | {username for username, *_ in DEMO_TRAINEES}
    | {username for username, *_ in DEMO_COMPANIONS}
)
ORGANISATION_PREFIX = "Lembaga Sintetis"
# The day the generated programme stands at: every record lies before it.
ANCHOR = datetime.date(2026, 3, 1)

# Counts at scale 1 (issue 26).
FULL = {
    "organisations": 30,
    "programmes": 10,
    "cohorts": 400,
    "people": 10_000,
    "hour_entries": 500_000,
    "sittings": 200_000,
    "practice_cases": 20_000,
    "competence_assessments": 8_000,
}
FACILITATORS_PER_ORGANISATION = 3
VILLAGES_PER_COHORT = 8
REFLECTION_YEARS = 10
COHORT_DAYS = 300
# One trainee in seven of a finished cohort has not been certified (yet).
NOT_CERTIFIED_EVERY = 7


class SyntheticDataExists(Exception):
    """The database already holds a synthetic batch; nothing was written."""


class RealPeoplePresent(Exception):
    """The database may hold real people (see `real_people_present`)."""


class CurriculumMissing(Exception):
    """No modules, quizzes or competencies to build records on."""


def scaled(count: int, scale: float, *, minimum: int = 1) -> int:
    return max(minimum, round(count * scale))


def real_people_present() -> bool:
    """Whether the database may hold real people, whom invented records must
    never sit beside (DESIGN.md, "Do no harm").

    Accounts other than the synthetic ones and the demo's are taken for real
    people, except a fresh site's first coordinator who has not signed in yet
    (`prepare_site` without the demo makes one).
    """
    others = User.objects.exclude(username__startswith=USERNAME_PREFIX).exclude(
        username__in=DEMO_USERNAMES
    )
    return others.filter(last_login__isnull=False).exists() or others.count() > 1


def synthetic_data_exists() -> bool:
    return (
        User.objects.filter(username__startswith=USERNAME_PREFIX).exists()
        or Organisation.objects.filter(name__startswith=ORGANISATION_PREFIX).exists()
    )


# --- the organisations, programmes and people ---------------------------------------


def create_organisations(*, world: World, count: int) -> None:
    kabupaten = list(
        Region.objects.filter(level=RegionLevel.KABUPATEN).order_by("code")
    )
    kinds = list(OrganisationKind)
    world.organisations = world.bulk(
        Organisation,
        [
            Organisation(
                name=f"{ORGANISATION_PREFIX} {number:02d}",
                short_name=f"LS-{number:02d}",
                kind=world.rng.choice(kinds),
                kabupaten=kabupaten[(number - 1) % len(kabupaten)],
            )
            for number in range(1, count + 1)
        ],
        key="organisations",
    )


def create_staff(*, world: World, password: str) -> None:
    """Three facilitators per organisation; a coordinator per programme later."""
    rows = []
    for organisation in world.organisations:
        for number in range(1, FACILITATORS_PER_ORGANISATION + 1):
            label = f"{organisation.short_name[3:]}-{number}"
            rows.append(
                _user(
                    f"fasilitator-{label}",
                    "Fasilitator",
                    label,
                    organisation,
                    password,
                    world,
                )
            )
    made = world.bulk(User, rows, key="facilitators")
    for user in made:
        world.facilitators.setdefault(user.organisation_id, []).append(user)
    _grant(made, Role.FASILITATOR, world)


def _user(kind, label, number, organisation, password, world, village=None) -> User:
    return User(
        username=f"{USERNAME_PREFIX}{kind}",
        first_name=label,
        last_name=f"Sintetis {number}",
        organisation=organisation,
        village=village,
        sex=world.rng.choice([Sex.FEMALE, Sex.FEMALE, Sex.FEMALE, Sex.MALE]),
        birth_year=world.rng.randint(1965, 2000),
        password=password,
        must_change_password=False,
        privacy_notice_version=PRIVACY_NOTICE_VERSION,
        date_joined=world.moment(world.anchor - datetime.timedelta(days=3700)),
    )


def _grant(users: list[User], role: Role, world: World) -> None:
    group = Group.objects.get(name=role.value)
    through = User.groups.through
    world.bulk(through, [through(user_id=u.pk, group_id=group.pk) for u in users])
    world.bulk(
        PrivacyConsent,
        [
            PrivacyConsent(
                person=u, version=PRIVACY_NOTICE_VERSION, accepted_at=u.date_joined
            )
            for u in users
        ],
    )


def create_programmes(*, world: World, count: int, password: str) -> None:
    """Consortium programmes: organisation n belongs to programme n mod count."""
    first = world.anchor - datetime.timedelta(days=365 * REFLECTION_YEARS + 60)
    programmes = world.bulk(
        Programme,
        [
            Programme(
                name=f"Program Sintetis {number:02d}",
                short_name=f"PS-{number:02d}",
                description="Program sintetis untuk uji skala; bukan data nyata.",
                start_date=first,
            )
            for number in range(1, count + 1)
        ],
        key="programmes",
    )
    coordinators = world.bulk(
        User,
        [
            _user(
                f"koordinator-{n:02d}", "Koordinator", f"{n:02d}", None, password, world
            )
            for n in range(1, count + 1)
        ],
        key="coordinators",
    )
    _grant(coordinators, Role.KOORDINATOR, world)
    members, areas, leads = [], [], []
    for index, organisation in enumerate(world.organisations):
        programme = programmes[index % count]
        world.programme_of[organisation.pk] = programme
        members.append((programme.pk, organisation.pk))
        areas.append((programme.pk, organisation.kabupaten_id))
    for programme, coordinator in zip(programmes, coordinators, strict=True):
        world.coordinators[programme.pk] = coordinator
        leads.append((programme.pk, coordinator.pk))
    world.link(Programme.organisations.through, "organisation_id", members)
    world.link(Programme.kabupaten.through, "region_id", sorted(set(areas)))
    world.link(Programme.coordinators.through, "user_id", leads)
    world.bulk(
        CertificationRule,
        [
            # What 8,000 assessments and no workshop records can bear: the
            # rule certifies on modules, hours and cases.
            CertificationRule(
                programme=programme,
                require_competencies=False,
                require_workshop_attendance=False,
                min_magang_hours=40,
                min_practice_cases=1,
            )
            for programme in programmes
        ],
    )


def create_cohorts(*, world: World, count: int) -> list[Cohort]:
    """Cohorts spread over eleven years, the last starting 200 days before the
    anchor: the first alumni are certified in time for ten reflection years."""
    desa_by_kabupaten: dict[str, list[Region]] = {}
    for desa in Region.objects.filter(level=RegionLevel.DESA).order_by("code"):
        desa_by_kabupaten.setdefault(desa.code[:5], []).append(desa)
    kabupaten_code = dict(
        Region.objects.filter(level=RegionLevel.KABUPATEN).values_list("pk", "code")
    )
    first = world.anchor - datetime.timedelta(days=365 * (REFLECTION_YEARS + 1))
    span = (world.anchor - datetime.timedelta(days=200) - first).days
    rows, owners = [], []
    for index in range(count):
        organisation = world.organisations[index % len(world.organisations)]
        start = first + datetime.timedelta(days=span * index // max(count - 1, 1))
        rows.append(
            Cohort(
                programme=world.programme_of[organisation.pk],
                name=f"Angkatan Sintetis {index + 1:03d}",
                start_date=start,
                end_date=start + datetime.timedelta(days=COHORT_DAYS - 1),
            )
        )
        owners.append(organisation)
    cohorts = world.bulk(Cohort, rows, key="cohorts")
    teaching, places = [], []
    for cohort, organisation in zip(cohorts, owners, strict=True):
        world.cohort_org[cohort.pk] = organisation
        staff = world.facilitators[organisation.pk]
        teaching += [(cohort.pk, user.pk) for user in staff[:2]]
        villages = desa_by_kabupaten.get(kabupaten_code[organisation.kabupaten_id])
        chosen = world.rng.sample(villages, min(VILLAGES_PER_COHORT, len(villages)))
        world.cohort_villages[cohort.pk] = chosen
        places += [(cohort.pk, village.pk) for village in chosen]
    world.link(Cohort.facilitators.through, "user_id", teaching)
    world.link(Cohort.villages.through, "region_id", places)
    return cohorts


def create_people(*, world: World, count: int, cohorts: list[Cohort], password) -> None:
    """Trainees and alumni, each enrolled in one cohort in one of its villages."""
    certified_by = world.anchor - datetime.timedelta(days=30)
    plan = []
    for index in range(count):
        cohort = cohorts[index * len(cohorts) // count]
        organisation = world.cohort_org[cohort.pk]
        village = world.rng.choice(world.cohort_villages[cohort.pk])
        alumna = (
            cohort.end_date < certified_by
            and index % NOT_CERTIFIED_EVERY != NOT_CERTIFIED_EVERY // 2
        )
        user = _user(
            f"peserta-{index + 1:05d}",
            "Peserta",
            f"{index + 1:05d}",
            organisation,
            password,
            world,
            village=village,
        )
        user.date_joined = world.moment(cohort.start_date)
        plan.append((user, cohort, organisation, alumna))
    users = world.bulk(User, [row[0] for row in plan], key="people")
    world.people = [
        Person(u, c, o, world.programme_of[o.pk], a)
        for u, (_u, c, o, a) in zip(users, plan, strict=True)
    ]
    alumni = [p.user for p in world.people if p.alumna]
    trainees = [p.user for p in world.people if not p.alumna]
    _grant(alumni, Role.ALUMNI, world)
    _grant(trainees, Role.PESERTA, world)
    world.counts["alumni"] = len(alumni)
    world.bulk(
        Enrolment,
        [
            Enrolment(cohort=p.cohort, trainee=p.user, enrolled_on=p.cohort.start_date)
            for p in world.people
        ],
    )


# --- the whole programme ------------------------------------------------------------


Report = Callable[[str, dict[str, int], float], None]


def generate_province(
    *,
    scale: float = 1.0,
    seed: int = 2026,
    anchor: datetime.date = ANCHOR,
    password: str | None = None,
    report: Report | None = None,
) -> dict[str, int]:
    """Write the synthetic programme in one transaction; return what was made.

    `report(part, counts, seconds)` is called after each part. `password`,
    when given, is hashed once (with a salt drawn from the seed) for every
    synthetic account; otherwise nobody can sign in as them.
    """
    rng = random.Random(seed)  # noqa: S311 - invented data, not a secret
    world = World(rng=rng, anchor=anchor)
    hashed = (
        make_password(password, salt=f"sintetis{seed}")
        if password
        else f"{UNUSABLE_PASSWORD_PREFIX}sintetis"
    )
    size = {name: scaled(count, scale) for name, count in FULL.items()}
    size["organisations"] = min(size["organisations"], size["cohorts"])
    size["programmes"] = min(size["programmes"], size["organisations"])
    state: dict = {}
    parts: list[tuple[str, Callable[[], object]]] = [
        (
            "lembaga",
            lambda: create_organisations(world=world, count=size["organisations"]),
        ),
        ("fasilitator", lambda: create_staff(world=world, password=hashed)),
        (
            "program",
            lambda: create_programmes(
                world=world, count=size["programmes"], password=hashed
            ),
        ),
        (
            "angkatan",
            lambda: state.update(
                cohorts=create_cohorts(world=world, count=size["cohorts"])
            ),
        ),
        (
            "peserta",
            lambda: create_people(
                world=world,
                count=size["people"],
                cohorts=state["cohorts"],
                password=hashed,
            ),
        ),
        ("penempatan", lambda: create_placements(world=world)),
        (
            "jam magang",
            lambda: create_hour_entries(world=world, count=size["hour_entries"]),
        ),
        (
            "kasus praktik",
            lambda: create_practice_cases(world=world, count=size["practice_cases"]),
        ),
        (
            "kuis",
            lambda: state.update(
                passed=create_sittings(world=world, count=size["sittings"])
            ),
        ),
        (
            "kemajuan belajar",
            lambda: create_progress(world=world, passed=state["passed"]),
        ),
        (
            "penilaian kompetensi",
            lambda: create_competence_assessments(
                world=world, count=size["competence_assessments"]
            ),
        ),
        ("sertifikat", lambda: create_certificates(world=world)),
        (
            "refleksi",
            lambda: create_reflections(world=world, years=REFLECTION_YEARS),
        ),
    ]
    with transaction.atomic():
        # Checked in the transaction that writes: nobody signs in between.
        if real_people_present():
            raise RealPeoplePresent(
                _(
                    "Basis data ini berisi akun orang sungguhan (bukan akun demo "
                    "atau sintetis). Data sintetis tidak boleh dicampur dengan "
                    "data orang sungguhan: jalankan perintah ini pada basis data "
                    "baru (migrate, prepare_site, load_sample_curriculum)."
                )
            )
        if synthetic_data_exists():
            raise SyntheticDataExists(
                _(
                    "Basis data ini sudah berisi data sintetis (akun berawalan "
                    "%(prefix)s). Perintah ini tidak menimpa dan tidak menghapusnya; "
                    "pakai basis data baru."
                )
                % {"prefix": USERNAME_PREFIX}
            )
        _check_ready()
        for name, part in parts:
            before = dict(world.counts)
            started = time.perf_counter()
            part()
            made = {
                key: value - before.get(key, 0)
                for key, value in world.counts.items()
                if value != before.get(key, 0)
            }
            if report:
                report(name, made, time.perf_counter() - started)
    started = time.perf_counter()
    refresh_planner_statistics()
    if report:
        report("statistik", {}, time.perf_counter() - started)
    return world.counts


def refresh_planner_statistics() -> None:
    """ANALYZE, once the rows are committed. The database plans its queries
    from statistics it gathers in the background, some minutes after a bulk
    load; until then it guesses. Measured at full scale, one sitting's
    questions were guessed at 100,000 rows instead of 5: an answer took 340 ms
    (a hash of all two million answers) instead of 10."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _check_ready() -> None:
    """Regions are loaded here if missing; the curriculum must be in place."""
    if not Region.objects.filter(level=RegionLevel.DESA).exists():
        load_regions()
    if not (
        ModulePage.objects.live().exists()
        and Competency.objects.exists()
        and Quiz.objects.filter(draft=False).exists()
    ):
        raise CurriculumMissing(
            _(
                "Belum ada modul, kuis dan kompetensi untuk dipakai data sintetis. "
                "Jalankan dulu: manage.py prepare_site lalu manage.py "
                "load_sample_curriculum."
            )
        )
