"""Bounded queries at province scale (issue 26): every page, export and API
list that lists or aggregates runs the same number of SQL queries over a
small and a larger synthetic programme, for each role that opens it.

One test, as `generate_province` refuses a second batch: the programme at
scale 0.001 inside a transaction, every page measured, the transaction rolled
back; then at 0.004, every page measured again. The larger run also gives
each person twice the records of their own (hours, sittings, cases,
assessments), and `top_up` adds what the generator does not make (a
countersign link, risk check-ins, earlier years of reflection), so a
trainee's own pages grow as a facilitator's or a coordinator's scope does.

For each page the test checks that what it shows grew, so the comparison
means something, then that its query count did not; a failure names the page,
the role, both counts and the statements that repeated.
"""

import datetime
import re
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import resolve

import pytest

from assessments.choices import CompetenceLevel, QuestionKind, QuizMode, SittingStatus
from assessments.models import (
    Answer,
    Certificate,
    CompetenceAssessment,
    Competency,
    Quiz,
    Sitting,
)
from learning.api import api
from learning.choices import Role
from learning.models import Cohort, User
from learning.scope import people_visible_to
from mentorship import province, verification
from mentorship.choices import CaseStatus, EntryStatus, Feeling
from mentorship.models import (
    CountersignLink,
    HourEntry,
    PracticeCase,
    Reflection,
    ReflectionSession,
    WellbeingCheckIn,
)
from mentorship.wellbeing import alerts_for, record_checkin
from modules.models import LessonPage, ModulePage
from tests.factories import HourEntryFactory, outside_placement
from tests.factories.province import province_curriculum

pytestmark = pytest.mark.django_db

SMALL, LARGE = 0.001, 0.004
# In the larger run each person also has twice the records of their own.
PER_PERSON = ("hour_entries", "sittings", "practice_cases", "competence_assessments")

P = province.USERNAME_PREFIX
TRAINEE = f"{P}peserta-00004"  # not certified: a trainee at both scales
ALUMNA = f"{P}peserta-00001"
FACILITATOR = f"{P}fasilitator-01-1"
COORDINATOR = f"{P}koordinator-01"
FIRST_COHORT = "Angkatan Sintetis 001"
# The API's index lists its own addresses: no data, nothing to grow.
API_WITHOUT_DATA = {"/api/"}


@pytest.fixture
def curriculum(tree):
    """Two core modules, a graded quiz with an essay, a practice quiz."""
    province_curriculum()


# --- what is measured -----------------------------------------------------------


@dataclass
class World:
    """The people and records the pages are opened for, at one scale."""

    trainee: User
    alumna: User
    facilitator: User
    coordinator: User
    cohort: Cohort
    module: ModulePage
    lesson: LessonPage
    graded: Quiz
    sitting: Sitting
    session: ReflectionSession
    superuser: User
    token: str = ""
    anonymous: None = None

    @classmethod
    def load(cls) -> "World":
        trainee = User.objects.get(username=TRAINEE)
        assert trainee.has_role(Role.PESERTA), "the generator certified her"
        cohort = Cohort.objects.get(name=FIRST_COHORT)
        module = ModulePage.objects.live().order_by("path").first()
        graded = Quiz.objects.get(mode=QuizMode.GRADED)
        return cls(
            trainee=trainee,
            alumna=User.objects.get(username=ALUMNA),
            facilitator=User.objects.get(username=FACILITATOR),
            coordinator=User.objects.get(username=COORDINATOR),
            cohort=cohort,
            module=module,
            lesson=LessonPage.objects.live().descendant_of(module).first(),
            graded=graded,
            sitting=Sitting.objects.filter(user=trainee, quiz=graded)
            .exclude(status=SittingStatus.IN_PROGRESS)
            .order_by("-attempt")
            .first(),
            session=ReflectionSession.objects.order_by("-year").first(),
            superuser=User.objects.create_superuser(username="super-uji", email=""),
        )


def top_up(world: World, count: int) -> None:
    """What the generator does not make, or makes as many of at every scale,
    `count` of each: hours waiting for an outside supervisor's
    countersignature, risk check-ins of the trainee and of others in her
    cohort (past the ten notifications the home shows at both sizes), earlier
    years of reflection for the alumna. And one competence assessment: the
    generator assesses alumni first, none of this trainee at the small scale."""
    placement = outside_placement(
        trainee=world.trainee,
        host=world.trainee.organisation,
        start_date=datetime.date(2025, 1, 6),
    )
    entries = [
        HourEntryFactory(
            placement=placement,
            date=placement.start_date + datetime.timedelta(days=day),
            status=EntryStatus.SUBMITTED,
        )
        for day in range(count)
    ]
    _link, world.token = verification.create_countersign_link(
        trainee=world.trainee, placement=placement, entries=entries
    )
    others = world.cohort.enrolments.exclude(trainee=world.trainee).order_by("pk")
    people = [world.trainee] * count + [e.trainee for e in others[:count]]
    for person in people:
        record_checkin(
            person=person, uuid=uuid.uuid4(), feeling=Feeling.HEAVY, threatened=True
        )
    # Years of reflection before the generated ten, the alumna at each.
    latest = Reflection.objects.filter(person=world.alumna).latest("created_at")
    for year in range(2000, 2000 + count):
        day = datetime.date(year, 11, 10)
        session = ReflectionSession.objects.create(
            programme=world.session.programme,
            organisation=world.session.organisation,
            year=year,
            start_date=day,
            end_date=day,
            place=world.session.place,
        )
        session.facilitators.add(world.facilitator)
        session.attendees.add(world.alumna)
        Reflection.objects.create(
            person=world.alumna,
            session=session,
            case_counts=latest.case_counts,
            partners=latest.partners,
            obstacles=latest.obstacles,
            entered_by=world.facilitator,
        )
    CompetenceAssessment.objects.create(
        trainee=world.trainee,
        competency=Competency.objects.order_by("pk").first(),
        level=CompetenceLevel.DEVELOPING,
        assessed_on=datetime.date(2025, 6, 1),
        comment="Diamati saat praktik.",
        assessor=world.facilitator,
    )


# How much each page has to show, at one scale: it must grow between scales.
Size = Callable[[World, User | None], int]


def _own(w: World, person: User) -> int:
    return (
        HourEntry.objects.filter(trainee=person).count()
        + Sitting.objects.filter(user=person).count()
        + PracticeCase.objects.filter(trainee=person).count()
        + CompetenceAssessment.objects.filter(trainee=person).count()
    )


def _visible(w: World, person: User) -> int:
    return people_visible_to(person).count()


def _hours(w: World, person: User) -> int:
    return HourEntry.objects.filter(trainee=w.trainee).count()


def _cases(w: World, person: User) -> int:
    return PracticeCase.objects.filter(trainee=w.trainee).count()


def _sittings(w: World, person: User) -> int:
    return Sitting.objects.filter(user=w.trainee).count()


def _assessed(w: World, person: User) -> int:
    return CompetenceAssessment.objects.filter(trainee=w.trainee).count()


def _countersign(w: World, person: User | None) -> int:
    return CountersignLink.entries.through.objects.count()


def _checkins(w: World, person: User) -> int:
    return WellbeingCheckIn.objects.filter(person=w.trainee).count()


def _all_checkins(w: World, person: User) -> int:
    return WellbeingCheckIn.objects.count()


def _alerts(w: World, person: User) -> int:
    return alerts_for(person).count()


def _waiting_hours(w: World, person: User) -> int:
    return HourEntry.objects.filter(
        status=EntryStatus.SUBMITTED, placement__supervisor=person
    ).count()


def _waiting_cases(w: World, person: User) -> int:
    return PracticeCase.objects.filter(
        status=CaseStatus.SUBMITTED, placement__supervisor=person
    ).count()


def _essays(w: World, person: User) -> int:
    return Answer.objects.filter(sitting_question__kind=QuestionKind.ESSAY).count()


def _cohort(w: World, person: User) -> int:
    return (
        w.cohort.enrolments.count()
        + Sitting.objects.filter(user__enrolments__cohort=w.cohort).count()
    )


def _reflections(w: World, person: User) -> int:
    return Reflection.objects.filter(person=w.alumna).count()


def _sessions(w: World, person: User) -> int:
    return ReflectionSession.objects.count()


def _session(w: World, person: User) -> int:
    return w.session.attendees.count()


def _records(w: World, person: User) -> int:
    return HourEntry.objects.count() + PracticeCase.objects.count()


def _quiz(w: World, person: User) -> int:
    return Sitting.objects.filter(quiz=w.graded).count()


def _certificates(w: World, person: User) -> int:
    return Certificate.objects.count()


def _cohorts(w: World, person: User) -> int:
    return Cohort.objects.count()


@dataclass(frozen=True)
class Page:
    name: str
    role: str  # an attribute of World
    url: Callable[[World], str]
    size: Size


def pages(roles: tuple[str, ...], *rows: tuple) -> list[Page]:
    """Each (name, url, size) row, opened by each of `roles`."""
    return [Page(name, role, url, size) for role in roles for name, url, size in rows]


LEARNERS = ("trainee", "alumna")
STAFF = ("facilitator", "coordinator", "superuser")
SUPERVISORS = ("facilitator", "superuser")

PAGES = [
    *pages(
        LEARNERS,
        ("home", lambda w: "/", _own),
        ("training home", lambda w: "/belajar/", _own),
        ("module", lambda w: w.module.url, _own),
        ("lesson", lambda w: w.lesson.url, _own),
        ("api me", lambda w: "/api/me", _own),
        ("api my cohorts", lambda w: "/api/me/cohorts", _own),
        ("api modules", lambda w: "/api/modules/", _own),
        ("api module lessons", lambda w: f"/api/modules/{w.module.pk}/lessons", _own),
        ("api placements", lambda w: "/api/magang/placements", _own),
        ("api checklist", lambda w: "/api/certificates/checklist", _own),
    ),
    # The trainee's records.
    *pages(
        ("trainee",),
        (
            "quiz result",
            lambda w: f"/kuis/percobaan/{w.sitting.uuid}/hasil/",
            _sittings,
        ),
        ("quiz", lambda w: f"/kuis/{w.graded.slug}/", _sittings),
        ("quiz progress", lambda w: "/kuis/kemajuan/", _sittings),
        ("magang log", lambda w: "/magang/", _hours),
        ("magang log CSV", lambda w: "/magang/unduh/catatan-magang.csv", _hours),
        ("magang log PDF", lambda w: "/magang/unduh/catatan-magang.pdf", _hours),
        ("practice cases", lambda w: "/magang/kasus/", _cases),
        ("countersign links", lambda w: "/magang/tautan/", _countersign),
        ("competence", lambda w: "/kompetensi/", _assessed),
        ("wellbeing", lambda w: "/kesejahteraan/", _checkins),
        ("api hour entries", lambda w: "/api/magang/entries", _hours),
        ("api cases", lambda w: "/api/magang/cases", _cases),
        ("api checkins", lambda w: "/api/magang/wellbeing/mine", _checkins),
        ("api competence", lambda w: "/api/competence/me", _assessed),
        ("api sitting", lambda w: f"/api/quizzes/sittings/{w.sitting.uuid}", _sittings),
        (
            "api quiz result",
            lambda w: f"/api/quizzes/sittings/{w.sitting.uuid}/result",
            _sittings,
        ),
    ),
    # The outside supervisor's countersign page, opened from the link.
    *pages(
        ("anonymous",),
        ("countersign", lambda w: f"/magang/tanda-tangan/{w.token}/", _countersign),
    ),
    # The alumna's.
    *pages(
        ("alumna",),
        ("certificates", lambda w: "/sertifikat/", _own),
        ("refresher library", lambda w: "/belajar/penyegaran/", _own),
        ("api certificates", lambda w: "/api/certificates/mine", _own),
        ("api my reflections", lambda w: "/api/magang/reflection/mine", _reflections),
        (
            "api my reflection sessions",
            lambda w: "/api/magang/reflection/mine/sessions",
            _reflections,
        ),
        ("api refreshers", lambda w: "/api/magang/refreshers/mine", _own),
    ),
    # What every member of staff opens: home, the programme, results, exports.
    *pages(
        STAFF,
        ("home", lambda w: "/", _visible),
        ("admin home", lambda w: "/admin/", _visible),
        ("programme view", lambda w: "/admin/angka-program/", _records),
        ("every hour entry", lambda w: "/admin/magang/jam/?tampilkan=semua", _records),
        ("case counts", lambda w: "/admin/magang/kasus-angka/", _records),
        ("placements", lambda w: "/admin/magang/penempatan/", _visible),
        ("quiz results", lambda w: "/admin/hasil-kuis/", _quiz),
        (
            "one quiz's results",
            lambda w: f"/admin/hasil-kuis/kuis/{w.graded.pk}/",
            _quiz,
        ),
        (
            "one quiz's results CSV",
            lambda w: f"/admin/hasil-kuis/kuis/{w.graded.pk}/?export=csv",
            _quiz,
        ),
        (
            "one quiz's results XLSX",
            lambda w: f"/admin/hasil-kuis/kuis/{w.graded.pk}/?export=xlsx",
            _quiz,
        ),
        (
            "item statistics",
            lambda w: f"/admin/hasil-kuis/kuis/{w.graded.pk}/statistik/",
            _quiz,
        ),
        ("essays to mark", lambda w: "/admin/hasil-kuis/esai/", _essays),
        ("quizzes' statistics", lambda w: "/admin/hasil-kuis/statistik/", _quiz),
        ("cohorts' quiz results", lambda w: "/admin/hasil-kuis/angkatan/", _cohorts),
        (
            "cohort quiz results",
            lambda w: f"/admin/hasil-kuis/angkatan/{w.cohort.pk}/",
            _cohort,
        ),
        (
            "cohort quiz results XLSX",
            lambda w: f"/admin/hasil-kuis/angkatan/{w.cohort.pk}/?export=xlsx",
            _cohort,
        ),
        ("competence cohorts", lambda w: "/admin/kompetensi/matriks/", _cohorts),
        (
            "competence matrix",
            lambda w: f"/admin/kompetensi/matriks/{w.cohort.pk}/",
            _cohort,
        ),
        (
            "competence matrix XLSX",
            lambda w: f"/admin/kompetensi/matriks/{w.cohort.pk}/?export=xlsx",
            _cohort,
        ),
        ("certification cohorts", lambda w: "/admin/sertifikasi/", _cohorts),
        (
            "cohort certification",
            lambda w: f"/admin/sertifikasi/angkatan/{w.cohort.pk}/",
            _cohort,
        ),
        ("certificates", lambda w: "/admin/sertifikasi/sertifikat/", _certificates),
        ("cohorts", lambda w: "/admin/cohort/", _cohorts),
        ("programmes", lambda w: "/admin/programme/", _cohorts),
        ("organisations", lambda w: "/admin/organisation/", _visible),
        ("people", lambda w: "/admin/users/", _visible),
        ("reflection sessions", lambda w: "/admin/refleksi/", _sessions),
        (
            "wellbeing counts",
            lambda w: "/admin/magang/kesejahteraan-angka/",
            _all_checkins,
        ),
        (
            "trainee's magang log CSV",
            lambda w: f"/magang/unduh/catatan-magang.csv?peserta={w.trainee.pk}",
            _hours,
        ),
        ("api people", lambda w: "/api/people", _visible),
        ("api my cohorts", lambda w: "/api/me/cohorts", _cohorts),
    ),
    # A supervisor's queues.
    *pages(
        ("facilitator",),
        (
            "hours to verify",
            lambda w: "/admin/magang/jam/?tampilkan=antrean",
            _waiting_hours,
        ),
        (
            "cases to review",
            lambda w: "/admin/magang/kasus/?tampilkan=antrean",
            _waiting_cases,
        ),
        ("every case", lambda w: "/admin/magang/kasus/?tampilkan=semua", _records),
        ("wellbeing alerts", lambda w: "/kesejahteraan/perhatian/", _alerts),
        ("api hours queue", lambda w: "/api/magang/queue", _waiting_hours),
        ("api cases queue", lambda w: "/api/magang/cases/queue", _waiting_cases),
    ),
    # A teacher's records of one trainee, cohort and reflection session.
    *pages(
        SUPERVISORS,
        (
            "reflection session",
            lambda w: f"/admin/refleksi/{w.session.pk}/sesi/",
            _session,
        ),
        (
            "reflection session PDF",
            lambda w: f"/admin/refleksi/{w.session.pk}/ringkasan.pdf",
            _session,
        ),
        (
            "reflections of a session",
            lambda w: f"/admin/refleksi/{w.session.pk}/isi/",
            _session,
        ),
        (
            "session attendance sheet",
            lambda w: f"/kehadiran/refleksi/{w.session.pk}/",
            _session,
        ),
        ("attendance", lambda w: "/kehadiran/", _visible),
        (
            "trainee's competence",
            lambda w: f"/admin/kompetensi/peserta/{w.trainee.pk}/",
            _assessed,
        ),
        (
            "trainee's certification",
            lambda w: f"/admin/sertifikasi/peserta/{w.trainee.pk}/",
            _assessed,
        ),
        (
            "api reflection sessions",
            lambda w: "/api/magang/reflection/sessions",
            _sessions,
        ),
        (
            "api person's competence",
            lambda w: f"/api/competence/people/{w.trainee.pk}",
            _assessed,
        ),
        (
            "api cohort ready",
            lambda w: f"/api/certificates/cohorts/{w.cohort.pk}/ready",
            _cohort,
        ),
    ),
    # The downloads of the programme view, from the same figures as the page
    # every member of staff opens: by the coordinator, who sends them out.
    *pages(
        ("coordinator",),
        (
            "programme view CSV",
            lambda w: "/admin/angka-program/?unduh=csv&untuk=luar",
            _records,
        ),
        (
            "programme view XLSX",
            lambda w: "/admin/angka-program/?unduh=xlsx&untuk=luar",
            _records,
        ),
        (
            "programme view XLSX, exact",
            lambda w: "/admin/angka-program/?unduh=xlsx&untuk=dalam",
            _records,
        ),
    ),
    # What only a coordinator (and a superuser) opens.
    *pages(
        ("coordinator", "superuser"),
        ("audit trail", lambda w: "/admin/jejak-audit/", _visible),
    ),
]


# --- measuring -------------------------------------------------------------------


@dataclass
class Measure:
    route: str
    size: int
    status: int
    sql: list[str]


NUMBER = re.compile(r"\b\d+(\.\d+)?\b")
QUOTED = re.compile(r"'(?:[^']|'')*'")
IN_LIST = re.compile(r"\bIN \((?:\s*(?:\?|%s)\s*,?)+\)")


def normalised(sql: str) -> str:
    sql = QUOTED.sub("?", sql)
    sql = NUMBER.sub("?", sql)
    return IN_LIST.sub("IN (...)", sql)


def measure_all(client, *, top_ups: int) -> dict[tuple[str, str], Measure]:
    """Open every page once as its person; what it showed and the SQL it ran."""
    world = World.load()
    top_up(world, top_ups)
    measures = {}
    signed_in = False
    for page in PAGES:
        person = getattr(world, page.role)
        if person is not signed_in:
            if person is None:
                client.logout()
            else:
                client.force_login(person)
            signed_in = person
        url = page.url(world)
        # Django keeps content types in the process: both sizes start without.
        ContentType.objects.clear_cache()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        measures[(page.role, page.name)] = Measure(
            route=resolve(urlsplit(url).path).route,
            size=page.size(world, person),
            status=response.status_code,
            sql=[normalised(query["sql"]) for query in queries.captured_queries],
        )
    return measures


def _short(sql: str) -> str:
    """The start and the end of a statement: what it reads, and by which key."""
    return sql if len(sql) < 400 else f"{sql[:120]} ... {sql[-260:]}"


class _RollBack(Exception):
    """Ends the small run: its rows go, the larger run starts afresh."""


def _problems(small: dict, large: dict) -> list[str]:
    problems = []
    for (role, name), before in small.items():
        after = large[(role, name)]
        label = f"{name} ({role})"
        if before.status != 200 or after.status != 200:
            problems.append(f"{label}: answered {before.status} and {after.status}")
            continue
        if after.size <= before.size:
            problems.append(
                f"{label}: shows no more at scale {LARGE} ({after.size}) than at "
                f"{SMALL} ({before.size}); the comparison proves nothing"
            )
        if len(after.sql) != len(before.sql):
            grew = Counter(after.sql) - Counter(before.sql)
            shrank = Counter(before.sql) - Counter(after.sql)
            lines = [
                f"{label}: {len(before.sql)} queries at scale {SMALL} "
                f"(showing {before.size}), {len(after.sql)} at {LARGE} "
                f"(showing {after.size})"
            ]
            lines += [f"  +{n}x {_short(sql)}" for sql, n in grew.most_common(5)]
            lines += [f"  -{n}x {_short(sql)}" for sql, n in shrank.most_common(5)]
            problems.append("\n".join(lines))
    return problems


def _api_lists_not_opened(measures: dict) -> set[str]:
    """GET operations of the API schema that no page above opens."""
    opened = {
        "/" + measure.route.replace("<", "{").replace(">", "}")
        for measure in measures.values()
    }
    schema = api.get_openapi_schema()
    reads = {
        path for path, operations in schema["paths"].items() if "get" in operations
    }
    return reads - opened - API_WITHOUT_DATA


def test_every_listing_runs_the_same_queries_at_two_sizes(
    curriculum, client, monkeypatch
):
    try:
        with transaction.atomic():
            province.generate_province(scale=SMALL, seed=26)
            small = measure_all(client, top_ups=6)
            raise _RollBack
    except _RollBack:
        pass
    # Rows of the small run are gone; so must be anything cached about them.
    if isinstance(caches["default"], LocMemCache):
        caches["default"].clear()
    for part in PER_PERSON:
        monkeypatch.setitem(province.FULL, part, province.FULL[part] * 2)
    province.generate_province(scale=LARGE, seed=26)
    large = measure_all(client, top_ups=12)

    problems = _problems(small, large)
    assert not problems, "\n".join(problems)
    missing = _api_lists_not_opened(large)
    assert not missing, f"API reads that no page above opens: {sorted(missing)}"
