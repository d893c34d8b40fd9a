"""Learning figures beside the service ones: the training funnel per cohort,
practice cases reviewed, and the follow-ups reflection sessions decided.

"Completed" is the certification rule's core-modules condition
(`assessments.certification_conditions.check_core_modules`: every live core
module of the programme completed and its graded quizzes passed), read here
for all cohorts at once: that function works one programme at a time, and
the view must not cost more queries for more programmes. A test holds the two
to the same answer.
"""

from collections import Counter, defaultdict

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.certification import standing_certificates
from assessments.choices import QuizMode
from assessments.models import Quiz, Sitting
from learning.models import Enrolment
from learning.tables import Row, Table
from modules.models import ModuleCompletion, ModulePage

from ..choices import CaseStatus, ViolenceType
from ..models import FollowUpAction, PracticeCase, ReflectionSession
from .scope import Scope, place_q


def _core_modules() -> tuple[QuerySet, set[int], dict[int, set[int]]]:
    """Live core modules (as a subquery), those open to every programme, and
    those of each programme: `core_modules(programme)` for all at once."""
    core = ModulePage.objects.live().filter(is_core=True)
    open_to_all: set[int] = set()
    by_programme: dict[int, set[int]] = defaultdict(set)
    for module, programme in core.values_list("pk", "programmes"):
        if programme is None:
            open_to_all.add(module)
        else:
            by_programme[programme].add(module)
    return core.values("pk"), open_to_all, by_programme


def training_funnel(scope: Scope, year: int) -> Table:
    """Seven queries, whatever the number of cohorts, trainees or modules
    (subqueries rather than lists of ids, so none is skipped when empty)."""
    if scope.empty:
        return _funnel_table([])
    cohort_queryset = scope.cohort_queryset().filter(start_date__year__lte=year)
    cohorts = list(
        cohort_queryset.select_related("programme").order_by(
            "programme__short_name", "start_date", "name"
        )
    )
    rows = []
    enrolments = Enrolment.objects.filter(cohort__in=cohort_queryset.values("pk"))
    if scope.place is not None:
        enrolments = enrolments.filter(place_q(scope.place, "trainee__village"))
    enrolled: dict[int, set[int]] = defaultdict(set)
    for cohort, trainee in enrolments.values_list("cohort_id", "trainee_id"):
        enrolled[cohort].add(trainee)
    trainees = enrolments.values("trainee_id")
    core, open_to_all, by_programme = _core_modules()
    completed: dict[int, set[int]] = defaultdict(set)
    for user, module in ModuleCompletion.objects.filter(
        user_id__in=trainees, module_id__in=core
    ).values_list("user_id", "module_id"):
        completed[user].add(module)
    graded_quizzes = Quiz.objects.filter(
        module_id__in=core, mode=QuizMode.GRADED, draft=False
    )
    graded: dict[int, set[int]] = defaultdict(set)
    for quiz, module in graded_quizzes.values_list("pk", "module_id"):
        graded[module].add(quiz)
    passed: dict[int, set[int]] = defaultdict(set)
    # Unordered and once per pair: a sitting's default order would sort every
    # passed sitting of the scope for nothing.
    for user, quiz in (
        Sitting.objects.filter(
            user_id__in=trainees, quiz_id__in=graded_quizzes.values("pk"), passed=True
        )
        .order_by()
        .distinct()
        .values_list("user_id", "quiz_id")
    ):
        passed[user].add(quiz)
    certified = set(
        standing_certificates()
        .filter(
            holder_id__in=trainees,
            programme_id__in=cohort_queryset.values("programme_id"),
        )
        .values_list("holder_id", "programme_id")
    )

    def done(trainee: int, programme: int) -> bool:
        return all(
            module in completed[trainee] and graded[module] <= passed[trainee]
            for module in open_to_all | by_programme[programme]
        )

    for cohort in cohorts:
        people = enrolled[cohort.pk]
        rows.append(
            Row(
                str(cohort),
                [
                    len(people),
                    sum(done(person, cohort.programme_id) for person in people),
                    sum(
                        (person, cohort.programme_id) in certified for person in people
                    ),
                ],
            )
        )
    return _funnel_table(rows)


def _funnel_table(rows: list[Row]) -> Table:
    return Table(
        key="pelatihan-angkatan",
        title=_("Pelatihan per angkatan"),
        row_header=_("Angkatan"),
        columns=[_("Terdaftar"), _("Selesai"), _("Bersertifikat")],
        rows=rows,
        totals=False,
    )


def practice_cases(scope: Scope, year: int) -> Table:
    cases = PracticeCase.objects.filter(status=CaseStatus.REVIEWED, year=year).filter(
        scope.enrolled("trainee")
    )
    if scope.organisation_id is not None:
        cases = cases.filter(trainee__organisation_id=scope.organisation_id)
    place = scope.place
    if place is not None:
        # A practice case records its kecamatan only: a desa narrows to its own.
        if place.code.count(".") >= 3:
            cases = cases.filter(kecamatan_id=place.parent_id)
        elif place.code.count(".") == 2:
            cases = cases.filter(kecamatan_id=place.pk)
        else:
            cases = cases.filter(place_q(place, "kecamatan"))
    counted = Counter()
    kinds = set(ViolenceType.values)  # built once, not per case
    for types in [] if scope.empty else cases.values_list("violence_types", flat=True):
        if isinstance(types, list):
            counted.update(set(types) & kinds)
    return Table(
        key="kasus-praktik",
        title=_("Kasus praktik yang sudah ditinjau"),
        row_header=_("Jenis kekerasan"),
        columns=[_("Kasus praktik")],
        rows=[
            Row(str(label), [counted[value]]) for value, label in ViolenceType.choices
        ],
        totals=False,
        note=_(
            "Angka belajar peserta magang, terpisah dari kasus yang didampingi. "
            "Satu kasus dengan beberapa jenis kekerasan dihitung pada tiap jenisnya. "
            "Kasus praktik dicatat per kecamatan."
        ),
    )


def follow_ups(scope: Scope, year: int) -> Table:
    actions = FollowUpAction.objects.filter(session__year=year).filter(scope.session())
    if scope.organisation_id is not None:
        actions = actions.filter(session__organisation_id=scope.organisation_id)
    if scope.place is not None:
        actions = actions.filter(place_q(scope.place, "session__place"))
    today = timezone.localdate()
    counted: dict[int, list[int]] = {}
    labels: dict[int, str] = {}
    rows = actions.order_by("session__start_date", "session_id").values(
        "session_id",
        "session__programme__short_name",
        "session__start_date",
        "session__end_date",
        "session__place__name",
        "due_date",
        "done_at",
    )
    for row in [] if scope.empty else rows:
        session = row["session_id"]
        if session not in counted:
            counted[session] = [0, 0, 0]
            dates = ReflectionSession(
                start_date=row["session__start_date"],
                end_date=row["session__end_date"],
            ).dates_label
            place = row["session__place__name"]
            labels[session] = " · ".join(
                (row["session__programme__short_name"], dates, place)
            )
        if row["done_at"] is not None:
            counted[session][2] += 1
        elif row["due_date"] < today:
            counted[session][1] += 1
        else:
            counted[session][0] += 1
    return Table.with_totals(
        key="tindak-lanjut",
        title=_("Tindak lanjut sesi refleksi"),
        row_header=_("Sesi refleksi"),
        columns=[_("Belum selesai"), _("Terlambat"), _("Selesai")],
        rows=[Row(labels[session], counted[session]) for session in counted],
        suppress=False,
        note=_(
            "Terlambat: belum selesai dan tenggatnya sudah lewat. Belum selesai: "
            "tenggatnya belum lewat."
        ),
    )
