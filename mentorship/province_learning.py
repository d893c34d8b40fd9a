"""The synthetic programme's learning records (`mentorship.province`, continued):
quiz sittings with their answers, lesson and module progress, competence
assessments, certificates, and ten years of reflection sessions.

Each part reads the people `province` made (its `World`) and writes with bulk
inserts; the states agree with what the domain functions would have written
(`assessments.grading.rescore` for a sitting's score, for instance).
"""

import datetime
import random
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

from assessments.choices import CompetenceLevel, QuestionKind, QuizMode, SittingStatus
from assessments.grading import mark_for
from assessments.grading import snapshot as question_snapshot
from assessments.models import (
    Answer,
    Certificate,
    CompetenceAssessment,
    Competency,
    Question,
    Quiz,
    Sitting,
    SittingQuestion,
)
from assessments.models.certification import CODE_ALPHABET, CODE_LENGTH
from modules.models import LessonPage, LessonProgress, ModuleCompletion, ModulePage

from .choices import CasePath, Obstacle, ReferralPartner, ViolenceType
from .models import FollowUpAction, Reflection, ReflectionSession
from .province_world import World, share

ESSAY_ANSWER = "Saya mendengarkan korban dulu, lalu menjelaskan layanan yang ada."
OBSTACLE_TEXTS = {
    Obstacle.DISTANCE: "Jarak ke layanan jauh dan kendaraan sulit didapat.",
    Obstacle.COST: "Biaya transportasi korban belum ada yang menanggung.",
    Obstacle.FAMILY_PRESSURE: "Keluarga meminta perkara diselesaikan secara adat.",
    Obstacle.OFFICIALS: "Laporan di tingkat desa lama ditindaklanjuti.",
}
FOLLOW_UPS = [
    "Menyampaikan temuan refleksi kepada DP3A kabupaten",
    "Pelatihan ulang pendokumentasian kasus bagi pendamping baru",
]
REFLECTION_ATTENDEES = 25


# --- quizzes --------------------------------------------------------------------


class _QuizPaper:
    """A quiz's questions as the engine would draw them, read once."""

    def __init__(self, quiz: Quiz, questions: dict[int, Question]):
        self.quiz = quiz
        self.picked = [
            questions[item.question_id]
            for item in quiz.picked_questions.order_by("sort_order")
            if item.question_id in questions
        ]
        self.pools = []
        for pool in quiz.pools.select_related("category").order_by("sort_order"):
            ids = set(pool.category.with_descendants())
            candidates = [q for q in questions.values() if q.category_id in ids]
            self.pools.append((pool.count, candidates))

    def draw(self, rng: random.Random) -> list[Question]:
        chosen = list(self.picked)
        taken = {q.pk for q in chosen}
        for count, candidates in self.pools:
            left = [q for q in candidates if q.pk not in taken]
            sample = rng.sample(left, min(count, len(left)))
            taken.update(q.pk for q in sample)
            chosen += sample
        if self.quiz.random_order:
            rng.shuffle(chosen)
        if self.quiz.max_questions:
            chosen = chosen[: self.quiz.max_questions]
        return chosen


def _choose(snapshot: dict, right: bool, rng: random.Random) -> list[str]:
    options = snapshot["options"]
    positive = [o["id"] for o in options if Decimal(o["weight"]) > 0]
    wrong = [o["id"] for o in options if Decimal(o["weight"]) <= 0]
    if right or not wrong:
        if snapshot["several_correct"]:
            return sorted(positive)
        best = max(options, key=lambda o: Decimal(o["weight"]))
        return [best["id"]]
    return [rng.choice(wrong)]


def _slots(quota: int, quizzes: list[Quiz]) -> list[tuple[Quiz, int]]:
    """Which quiz and attempt each of a person's sittings is: graded quizzes
    first, then practice, round after round, within each quiz's limit."""
    attempts: Counter = Counter()
    slots: list[tuple[Quiz, int]] = []
    while len(slots) < quota:
        grew = False
        for quiz in quizzes:
            if len(slots) >= quota:
                break
            limit = quiz.max_attempts
            if limit is not None and attempts[quiz.pk] >= limit:
                continue
            attempts[quiz.pk] += 1
            slots.append((quiz, attempts[quiz.pk]))
            grew = True
        if not grew:
            break
    return slots


def create_sittings(*, world: World, count: int) -> set[tuple[int, int]]:
    """Sittings, their questions and answers, scored as `rescore` scores them.

    An alumna's last attempt at each graded quiz is all right, so she passed;
    a trainee of a running cohort has her last sitting still open. Returns
    the (person, quiz) pairs the person passed.
    """
    rng = world.rng
    questions = {
        q.pk: q
        for q in Question.objects.select_related("scenario")
        .prefetch_related("options")
        .order_by("pk")
    }
    quizzes = list(Quiz.objects.filter(draft=False).order_by("-mode", "pk"))
    # Graded ("ujian") before practice ("latihan").
    quizzes.sort(key=lambda quiz: quiz.mode != QuizMode.GRADED)
    papers = {quiz.pk: _QuizPaper(quiz, questions) for quiz in quizzes}
    passed: set[tuple[int, int]] = set()
    pending: list[tuple[Sitting, list[tuple[SittingQuestion, Answer | None]]]] = []
    for index, person in enumerate(world.people):
        slots = _slots(share(count, len(world.people), index), quizzes)
        last_graded = {quiz.pk: attempt for quiz, attempt in slots}
        running = person.cohort.end_date >= world.anchor and not person.alumna
        ability = rng.uniform(0.45, 0.95)
        facilitator = world.facilitators[person.organisation.pk][0]
        for position, (quiz, attempt) in enumerate(slots):
            drawn = papers[quiz.pk].draw(rng)
            if not drawn:
                continue
            is_open = running and position == len(slots) - 1
            all_right = (
                person.alumna
                and quiz.mode == QuizMode.GRADED
                and attempt == last_graded[quiz.pk]
            )
            started = world.moment(
                person.cohort.start_date + datetime.timedelta(days=7 + position * 3), 9
            )
            sitting = Sitting(
                uuid=world.uuid(),
                user=person.user,
                quiz=quiz,
                attempt=attempt,
                mode=quiz.mode,
                feedback=quiz.feedback,
                pass_mark=quiz.pass_mark,
                started_at=started,
                deadline=(
                    started + datetime.timedelta(minutes=quiz.time_limit_minutes)
                    if quiz.time_limit_minutes and quiz.mode == QuizMode.GRADED
                    else None
                ),
                max_score=len(drawn),
            )
            items = []
            score = Decimal(0)
            for number, question in enumerate(drawn, start=1):
                snapshot = question_snapshot(question, rng)
                item = SittingQuestion(
                    position=number,
                    question=question,
                    category_id=question.category_id,
                    kind=question.kind,
                    snapshot=snapshot,
                )
                answer = None
                if not is_open or number <= len(drawn) // 2:
                    right = all_right or rng.random() < ability
                    answer = _answer(
                        snapshot, question.kind, right, rng, started, facilitator
                    )
                    answer.answered_at = started + datetime.timedelta(minutes=number)
                    if not is_open:
                        score += answer.mark
                items.append((item, answer))
            if is_open:
                sitting.status = SittingStatus.IN_PROGRESS
            else:
                percent = (Decimal(100) * score / len(drawn)).quantize(
                    Decimal(1), rounding=ROUND_HALF_UP
                )
                sitting.status = SittingStatus.FINISHED
                sitting.finished_at = started + datetime.timedelta(minutes=25)
                sitting.score = score
                sitting.percent = int(percent)
                sitting.passed = sitting.percent >= sitting.pass_mark
                if sitting.passed:
                    passed.add((person.user.pk, quiz.pk))
            pending.append((sitting, items))
        if sum(len(items) for _s, items in pending) >= 5000:
            _flush_sittings(pending, world)
            pending = []
    _flush_sittings(pending, world)
    return passed


def _answer(snapshot, kind, right, rng, started, facilitator) -> Answer:
    if kind == QuestionKind.ESSAY:
        mark = Decimal(1) if right else Decimal(rng.choice(["0.5", "0.75"]))
        return Answer(
            text=ESSAY_ANSWER,
            mark=mark,
            marked_by=facilitator,
            marked_at=started + datetime.timedelta(days=2),
            comment="Jawaban sudah menyebut langkah utama.",
        )
    chosen = sorted(_choose(snapshot, right, rng))
    return Answer(chosen=chosen, mark=mark_for(snapshot, chosen))


def _flush_sittings(pending, world: World) -> None:
    if not pending:
        return
    sittings = Sitting.objects.bulk_create(
        [sitting for sitting, _items in pending], batch_size=1000
    )
    world.counts["sittings"] = world.counts.get("sittings", 0) + len(sittings)
    items = []
    for sitting, (_unsaved, pairs) in zip(sittings, pending, strict=True):
        for item, _answer_row in pairs:
            item.sitting = sitting
            items.append(item)
    made = SittingQuestion.objects.bulk_create(items, batch_size=1000)
    world.counts["sitting_questions"] = world.counts.get("sitting_questions", 0) + len(
        made
    )
    answers = []
    for _sitting, pairs in pending:
        for item, answer in pairs:
            if answer is not None:
                answer.sitting_question = item
                answers.append(answer)
    Answer.objects.bulk_create(answers, batch_size=1000)
    world.counts["answers"] = world.counts.get("answers", 0) + len(answers)


# --- lessons and modules -----------------------------------------------------------


def create_progress(*, world: World, passed: set[tuple[int, int]]) -> None:
    """Alumni studied every lesson of the modules they completed: the core
    modules and those whose graded quiz they passed. Trainees, the first
    half of the core lessons."""
    modules = list(ModulePage.objects.live().order_by("path"))
    graded: dict[int, list[int]] = {}
    for quiz_pk, module_pk in Quiz.objects.filter(
        mode=QuizMode.GRADED, draft=False, module__isnull=False
    ).values_list("pk", "module_id"):
        graded.setdefault(module_pk, []).append(quiz_pk)
    lessons: dict[int, list[int]] = {}
    for lesson in LessonPage.objects.live().order_by("path"):
        parent = next((m for m in modules if lesson.path.startswith(m.path)), None)
        if parent is not None:
            lessons.setdefault(parent.pk, []).append(lesson.pk)
    core = [m for m in modules if m.is_core]
    progress, completions = [], []
    for person in world.people:
        day = world.moment(person.cohort.start_date + datetime.timedelta(days=120), 11)
        if person.alumna:
            done = [
                m
                for m in modules
                if (m.is_core or m.pk in graded)
                and all((person.user.pk, q) in passed for q in graded.get(m.pk, []))
            ]
            studied = [pk for m in done for pk in lessons.get(m.pk, [])]
            completions += [
                ModuleCompletion(user=person.user, module=m, completed_at=day)
                for m in done
            ]
        else:
            every = [pk for m in core for pk in lessons.get(m.pk, [])]
            studied = every[: len(every) // 2]
        progress += [
            LessonProgress(user=person.user, lesson_id=pk, completed_at=day)
            for pk in studied
        ]
        person.modules = [m.title for m in done] if person.alumna else []
        if len(progress) >= 20_000:
            world.bulk(LessonProgress, progress, key="lesson_progress")
            progress = []
    world.bulk(LessonProgress, progress, key="lesson_progress")
    world.bulk(ModuleCompletion, completions, key="module_completions")


# --- competence and certificates ----------------------------------------------------


def create_competence_assessments(*, world: World, count: int) -> None:
    """Alumni first: they are the ones assessed competent."""
    competencies = list(Competency.objects.order_by("sort_order", "name"))
    order = [p for p in world.people if p.alumna] + [
        p for p in world.people if not p.alumna
    ]
    rows = []
    for index, person in enumerate(order):
        for number in range(share(count, len(order), index)):
            competency = competencies[(index + number) % len(competencies)]
            level = (
                CompetenceLevel.COMPETENT
                if person.alumna
                else world.rng.choice(
                    [CompetenceLevel.NOT_YET, CompetenceLevel.DEVELOPING]
                )
            )
            if person.alumna:
                person.competent.append(competency.name)
            day = person.cohort.end_date - datetime.timedelta(days=20)
            rows.append(
                CompetenceAssessment(
                    trainee=person.user,
                    competency=competency,
                    level=level,
                    assessed_on=day,
                    comment="Diamati saat praktik pendampingan.",
                    assessor=world.facilitators[person.organisation.pk][0],
                    recorded_at=world.moment(day, 15),
                )
            )
    world.bulk(CompetenceAssessment, rows, key="competence_assessments")


def create_certificates(*, world: World) -> None:
    names = {
        programme.pk: ", ".join(
            o.name
            for o in world.organisations
            if world.programme_of[o.pk].pk == programme.pk
        )
        for programme in world.programme_of.values()
    }
    rows = []
    for person in world.people:
        if not person.alumna:
            continue
        issued = min(
            person.cohort.end_date + datetime.timedelta(days=14),
            world.anchor - datetime.timedelta(days=1),
        )
        person.certified_on = issued
        rows.append(
            Certificate(
                holder=person.user,
                programme=person.programme,
                cohort=person.cohort,
                code="".join(
                    world.rng.choice(CODE_ALPHABET) for _c in range(CODE_LENGTH)
                ),
                holder_name=person.user.display_name,
                programme_name=person.programme.name,
                organisation_names=names[person.programme.pk],
                training_started_on=person.cohort.start_date,
                training_ended_on=person.cohort.end_date,
                basis={
                    "competencies": sorted(set(person.competent)),
                    "hours": person.verified_minutes,
                    "cases": person.reviewed_cases,
                    "modules": person.modules,
                },
                issued_on=issued,
                issued_by=world.coordinators[person.programme.pk],
                issued_at=world.moment(issued, 10),
            )
        )
    world.bulk(Certificate, rows, key="certificates")


# --- reflection ----------------------------------------------------------------------


def create_reflections(*, world: World, years: int) -> None:
    """A November session a year for each organisation, attended by its alumni
    certified by then; all but one attendee write a reflection."""
    rng = world.rng
    types, paths = list(ViolenceType), list(CasePath)
    partners = [p.value for p in ReferralPartner]
    alumni: dict[int, list] = {}
    for person in world.people:
        if person.alumna:
            alumni.setdefault(person.organisation.pk, []).append(person)
    plans = []
    for year in range(world.anchor.year - years, world.anchor.year):
        day = datetime.date(year, 11, 10)
        for organisation in world.organisations:
            ready = [p for p in alumni.get(organisation.pk, []) if p.certified_on < day]
            if not ready:
                continue
            attending = rng.sample(ready, min(REFLECTION_ATTENDEES, len(ready)))
            village = rng.choice(world.cohort_villages_of(organisation))
            session = ReflectionSession(
                programme=world.programme_of[organisation.pk],
                organisation=organisation,
                year=year,
                start_date=day,
                end_date=day + datetime.timedelta(days=1),
                place_id=village.parent_id,
                venue="Balai pertemuan kecamatan",
                agenda="Kasus setahun ini, kendala, dan rencana tindak lanjut.",
                findings="Sebagian besar kasus diselesaikan secara non-litigasi.",
            )
            plans.append((session, organisation, attending))
    sessions = world.bulk(
        ReflectionSession, [s for s, _o, _a in plans], key="reflection_sessions"
    )
    hosts, present, reflections, follow_ups = [], [], [], []
    for session, (_s, organisation, attending) in zip(sessions, plans, strict=True):
        staff = world.facilitators[organisation.pk]
        hosts += [(session.pk, user.pk) for user in staff[:2]]
        present += [(session.pk, p.user.pk) for p in attending]
        for person in attending[:-1] if len(attending) > 1 else attending:
            counts = Counter(
                (rng.choice(types).value, rng.choice(paths).value)
                for _case in range(rng.randint(1, 8))
            )
            obstacle = rng.choice(list(OBSTACLE_TEXTS))
            reflections.append(
                Reflection(
                    uuid=world.uuid(),
                    person=person.user,
                    session=session,
                    case_counts=[
                        {"type": kind, "path": path, "count": n}
                        for (kind, path), n in sorted(counts.items())
                    ],
                    partners=sorted(rng.sample(partners, 2)),
                    obstacles=[
                        {"category": obstacle.value, "text": OBSTACLE_TEXTS[obstacle]}
                    ],
                    support_needed="Biaya transportasi untuk mendampingi korban.",
                    learning_needs="Pendalaman tentang rujukan ke layanan hukum.",
                    entered_by=staff[0],
                    created_at=world.moment(session.start_date, 15),
                )
            )
        for number, description in enumerate(FOLLOW_UPS, start=1):
            due = session.start_date + datetime.timedelta(days=30 * number)
            done = due - datetime.timedelta(days=3)
            follow_ups.append(
                FollowUpAction(
                    session=session,
                    description=description,
                    owner=staff[0],
                    due_date=due,
                    done_at=world.moment(done, 10) if done < world.anchor else None,
                )
            )
    world.link(ReflectionSession.facilitators.through, "user_id", hosts)
    world.link(ReflectionSession.attendees.through, "user_id", present)
    world.bulk(Reflection, reflections, key="reflections")
    world.bulk(FollowUpAction, follow_ups, key="follow_ups")


__all__ = [
    "create_certificates",
    "create_competence_assessments",
    "create_progress",
    "create_reflections",
    "create_sittings",
]
