"""What the competence screens read: a cohort's matrix and one person's profile.

Both take a fixed number of queries whatever the size of the cohort, the
framework or the history. People come through the one scope rule.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from learning.models import Cohort, User
from learning.scope import can_see_person, people_visible_to
from modules.access import modules_visible_to
from modules.selectors import ModuleProgress, progress_for

from .choices import CompetenceLevel
from .competence import describe_evidence, latest_assessments
from .models import CompetenceAssessment, Competency, Evidence

# A level filter value for "no judgement yet", beside CompetenceLevel's values.
NOT_ASSESSED = "belum_dinilai"
NOT_ASSESSED_LABEL = _("Belum dinilai")

LEVEL_FILTER_CHOICES = [*CompetenceLevel.choices, (NOT_ASSESSED, NOT_ASSESSED_LABEL)]

# Order of the legend and of the counts: from the start of the road to its end.
LEVEL_ORDER = [
    CompetenceLevel.NOT_YET,
    CompetenceLevel.DEVELOPING,
    CompetenceLevel.COMPETENT,
]


def level_key(assessment: CompetenceAssessment | None) -> str:
    """The level of a cell as a filter value (NOT_ASSESSED when empty)."""
    return assessment.level if assessment is not None else NOT_ASSESSED


def level_label(assessment: CompetenceAssessment | None) -> str:
    if assessment is None:
        return str(NOT_ASSESSED_LABEL)
    return str(assessment.get_level_display())


# --- the cohort matrix ---------------------------------------------------------


@dataclass
class MatrixRow:
    """One trainee's line: the latest judgement per column, or None."""

    trainee: User
    cells: list[CompetenceAssessment | None]


@dataclass
class CompetencyCount:
    """How many of the cohort's trainees stand at each level of one competency."""

    competency: Competency
    by_level: dict[str, int]

    @property
    def not_yet(self) -> int:
        return self.by_level[CompetenceLevel.NOT_YET]

    @property
    def developing(self) -> int:
        return self.by_level[CompetenceLevel.DEVELOPING]

    @property
    def competent(self) -> int:
        return self.by_level[CompetenceLevel.COMPETENT]

    @property
    def not_assessed(self) -> int:
        return self.by_level[NOT_ASSESSED]


@dataclass
class Matrix:
    """Trainees × competencies of one cohort, as `actor` may see them.

    `counts` cover every trainee in view (before the level filter), so the
    numbers describe the cohort; `rows` are the trainees the filter keeps.
    """

    cohort: Cohort
    competencies: list[Competency]
    rows: list[MatrixRow]
    counts: list[CompetencyCount]
    trainee_count: int
    level: str | None = None


def cohort_trainees(*, cohort: Cohort, actor: User):
    """The cohort's enrolled trainees that `actor` may see, by name."""
    return (
        people_visible_to(actor)
        .filter(enrolments__cohort=cohort)
        .order_by("first_name", "last_name", "username")
        .distinct()
    )


def cohort_matrix(
    *,
    cohort: Cohort,
    actor: User,
    competencies: Iterable[Competency] | None = None,
    level: str | None = None,
) -> Matrix:
    """The latest level of each trainee in each competency, in three queries.

    `competencies` narrows the columns; `level` (a CompetenceLevel value or
    NOT_ASSESSED) keeps the trainees at that level in at least one column,
    e.g. everyone still "belum kompeten" in one competency.
    """
    if competencies is None:
        columns = list(Competency.objects.all())
    else:
        wanted = {competency.pk for competency in competencies}
        columns = list(Competency.objects.filter(pk__in=wanted))
    trainees = list(cohort_trainees(cohort=cohort, actor=actor))
    latest = (
        latest_assessments(trainees=trainees, competencies=columns)
        if trainees and columns
        else {}
    )
    all_rows = [
        MatrixRow(
            trainee=trainee,
            cells=[latest.get((trainee.pk, column.pk)) for column in columns],
        )
        for trainee in trainees
    ]
    counts = []
    for index, column in enumerate(columns):
        by_level = dict.fromkeys([*LEVEL_ORDER, NOT_ASSESSED], 0)
        for row in all_rows:
            by_level[level_key(row.cells[index])] += 1
        counts.append(CompetencyCount(competency=column, by_level=by_level))
    rows = all_rows
    if level:
        rows = [
            row
            for row in all_rows
            if any(level_key(cell) == level for cell in row.cells)
        ]
    return Matrix(
        cohort=cohort,
        competencies=columns,
        rows=rows,
        counts=counts,
        trainee_count=len(all_rows),
        level=level or None,
    )


# --- one person's profile --------------------------------------------------------


@dataclass
class ProfileRow:
    """One competency in a person's profile: where they stand and how to go on."""

    competency: Competency
    history: list[CompetenceAssessment] = field(default_factory=list)
    modules: list[ModuleProgress] = field(default_factory=list)

    @property
    def latest(self) -> CompetenceAssessment | None:
        return self.history[0] if self.history else None

    @property
    def level(self) -> str:
        return level_key(self.latest)

    @property
    def level_label(self) -> str:
        return level_label(self.latest)

    @property
    def is_missing(self) -> bool:
        """Not yet judged competent: something still to learn or show."""
        return self.level != CompetenceLevel.COMPETENT

    @property
    def descriptor(self) -> str:
        """What the current level means for this competency."""
        return self.competency.descriptor(self.level) if self.latest else ""

    @property
    def evidence(self) -> list:
        """What the latest judgement rests on, each row with its `label`."""
        return list(self.latest.evidence.all()) if self.latest else []

    @property
    def earlier(self) -> list[CompetenceAssessment]:
        return self.history[1:]


def competence_profile(trainee: User, *, viewer: User) -> list[ProfileRow]:
    """Every competency with `trainee`'s latest judgement and history, and the
    modules teaching it that `viewer` may open, with `trainee`'s progress.

    A person reads their own profile; others only within the scope rule.
    Each judgement carries its evidence, named (`describe_evidence`). Seven or
    eight queries, and one per kind of evidence cited, whatever the number of
    competencies or judgements.
    """
    if viewer.pk != trainee.pk and not can_see_person(viewer, trainee):
        raise PermissionDenied
    openable = modules_visible_to(viewer).order_by("path")
    competencies = list(
        Competency.objects.prefetch_related(
            Prefetch("modules", queryset=openable, to_attr="openable_modules")
        )
    )
    history: dict[int, list[CompetenceAssessment]] = {}
    assessments = list(
        CompetenceAssessment.objects.filter(trainee=trainee)
        .select_related("assessor")
        .prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.order_by("pk"))
        )
        .order_by("-assessed_on", "-recorded_at")
    )
    # Each record named once, one query per kind of evidence.
    describe_evidence(row for item in assessments for row in item.evidence.all())
    for assessment in assessments:
        history.setdefault(assessment.competency_id, []).append(assessment)
    modules = {
        module.pk: module
        for competency in competencies
        for module in competency.openable_modules
    }
    progress = {
        item.module.pk: item
        for item in progress_for(trainee, sorted(modules.values(), key=_path))
    }
    return [
        ProfileRow(
            competency=competency,
            history=history.get(competency.pk, []),
            modules=[progress[module.pk] for module in competency.openable_modules],
        )
        for competency in competencies
    ]


# Order of a profile's summary: what is reached first, what is not yet judged last.
SUMMARY_ORDER = [*reversed(LEVEL_ORDER), NOT_ASSESSED]

# "1 berkembang", "7 belum dinilai": a count and the level in plain words.
_COUNTED = {
    CompetenceLevel.COMPETENT: _("%(count)d kompeten"),
    CompetenceLevel.DEVELOPING: _("%(count)d berkembang"),
    CompetenceLevel.NOT_YET: _("%(count)d belum kompeten"),
    NOT_ASSESSED: _("%(count)d belum dinilai"),
}


# When every competency stands at one level, one plain sentence says so.
_ALL_AT = {
    CompetenceLevel.COMPETENT: _("Kompeten dalam semua %(total)d kompetensi."),
    CompetenceLevel.DEVELOPING: _("Semua %(total)d kompetensi masih berkembang."),
    CompetenceLevel.NOT_YET: _("Semua %(total)d kompetensi belum kompeten."),
    NOT_ASSESSED: _("Belum ada yang dinilai dari %(total)d kompetensi."),
}


@dataclass
class LevelGroup:
    """The competencies of a profile that stand at one level."""

    level: str
    label: str
    rows: list[ProfileRow]

    @property
    def count(self) -> int:
        return len(self.rows)


@dataclass
class ProfileSummary:
    """How many competencies stand at each level, for the top of a profile.

    Only levels someone stands at appear: no empty group, no empty heading.
    """

    total: int
    groups: list[LevelGroup]

    @property
    def sentence(self) -> str:
        """E.g. "Dari 8 kompetensi: 1 berkembang, 7 belum dinilai." """
        if len(self.groups) == 1:
            return str(_ALL_AT[self.groups[0].level]) % {"total": self.total}
        parts = ", ".join(
            str(_COUNTED[group.level]) % {"count": group.count} for group in self.groups
        )
        return gettext("Dari %(total)d kompetensi: %(parts)s.") % {
            "total": self.total,
            "parts": parts,
        }

    def count(self, level: str) -> int:
        return next((g.count for g in self.groups if g.level == level), 0)


def profile_summary(rows: list[ProfileRow]) -> ProfileSummary:
    """Count a profile's competencies per level (kompeten, berkembang, belum
    kompeten, belum dinilai), each level once, in one pass over `rows`."""
    by_level: dict[str, list[ProfileRow]] = {level: [] for level in SUMMARY_ORDER}
    for row in rows:
        by_level[row.level].append(row)
    labels = dict(LEVEL_FILTER_CHOICES)
    return ProfileSummary(
        total=len(rows),
        groups=[
            LevelGroup(level=level, label=str(labels[level]), rows=members)
            for level, members in by_level.items()
            if members
        ],
    )


def _path(page) -> str:
    return page.path
