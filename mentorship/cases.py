"""Supervised practice cases: the one place their rules live.

The trainee's form, the admin review and the API all go through these
functions. A case is recorded in SIMFONI-PPA's categories, dated by month and
year, placed by kecamatan; its free text passes the narrative check, which
refuses anything that could identify the victim. It is reviewed by the
placement's supervisor, who gives feedback and names the competencies the
case showed (evidence for the competence assessment), or returns it.

Who reads a case's narrative: the trainee and the supervisor; once reviewed,
also the facilitators who teach the trainee's cohorts. Coordinators get
counts only (`case_counts`).
"""

import datetime
import re
import uuid as uuid_module
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from learning import audit
from learning.choices import AuditAction, RegionLevel
from learning.models import Programme, Region, User
from learning.notifications import notify
from learning.scope import is_signed_in

from . import workflow
from .choices import (
    AgeGroup,
    CaseAction,
    CasePath,
    CaseService,
    CaseStatus,
    IncidentPlace,
    PerpetratorAge,
    Relation,
    VictimSex,
    ViolenceType,
)
from .models import Placement, PracticeCase, PracticeCaseEvent
from .narrative import narrative_problems

MAX_TEXT_LENGTH = 3000
TEXT_FIELDS = ("trainee_role", "actions", "went_well", "was_hard", "learned")
REQUIRED_TEXT = ("trainee_role", "actions", "learned")


@dataclass
class CaseInput:
    """What a trainee gives for a practice case, before it is checked."""

    placement: Placement
    violence_types: list[str]
    victim_sex: str
    victim_age_group: str
    perpetrator_relation: str
    perpetrator_age: str
    incident_place: str
    month: int
    year: int
    kecamatan: Region
    services: list[str]
    path: str
    trainee_role: str
    actions: str
    learned: str
    went_well: str = ""
    was_hard: str = ""
    victim_disability: bool | None = None
    extra: dict = field(default_factory=dict)


# --- The TPKS warning (UU 12/2022 pasal 23) ------------------------------------
#
# Sexual violence by an adult is not settled out of court. The conditions are
# written once here; the form's script receives them as data
# (`settlement_rule`), with the words, so the live warning beside the path
# choice and the one shown after saving cannot disagree.

SEXUAL_TYPES = (ViolenceType.SEXUAL,)
# Definite: an adult perpetrator on a path that settles outside court.
ADULT_AGES = (PerpetratorAge.ADULT,)
SETTLING_PATHS = (CasePath.NON_LITIGATION, CasePath.BOTH)
# A question: the age or the path is not known yet, or the narrative speaks of
# settling.
UNSURE_AGES = (PerpetratorAge.ADULT, PerpetratorAge.UNKNOWN)
UNSURE_PATHS = (*SETTLING_PATHS, CasePath.UNDECIDED)
SETTLE_WORDS = (
    "damai",
    "berdamai",
    "kekeluargaan",
    "denda adat",
    "cabut laporan",
    "mencabut laporan",
    "uang damai",
)
_SETTLE_PATTERN = re.compile(
    r"\b(?:"
    + "|".join(
        r"\s+".join(re.escape(part) for part in word.split())
        for word in sorted(SETTLE_WORDS, key=len, reverse=True)
    )
    + r")\b",
    re.IGNORECASE,
)


def speaks_of_settling(text: str) -> bool:
    """Whether a text speaks of settling: "damai", "denda adat", … (whole words)."""
    return bool(_SETTLE_PATTERN.search(text or ""))


def case_narrative(data) -> str:
    """The trainee's texts of a case (a `CaseInput`, a case or a dict), joined."""
    if isinstance(data, dict):
        return "\n".join(str(data.get(name) or "") for name in TEXT_FIELDS)
    return "\n".join(str(getattr(data, name, "") or "") for name in TEXT_FIELDS)


def settlement_flagged(*, violence_types, perpetrator_age: str, path: str) -> bool:
    """The case is flagged: sexual violence by an adult on a path out of court."""
    return (
        bool(set(violence_types or ()) & set(SEXUAL_TYPES))
        and perpetrator_age in ADULT_AGES
        and path in SETTLING_PATHS
    )


def _definite_words() -> str:
    return _(
        "Perhatian: menurut UU 12/2022 pasal 23, perkara kekerasan seksual tidak "
        "dapat diselesaikan di luar proses peradilan, kecuali pelakunya anak. "
        "Denda adat atau damai tidak mengakhiri perkaranya. Catatan ini ditandai "
        "untuk dibicarakan dengan pembimbingmu."
    )


def _question_words() -> str:
    return _(
        "Sudahkah dipastikan perkara kekerasan seksual ini tidak diselesaikan di "
        "luar proses peradilan? Menurut UU 12/2022 pasal 23, perkara kekerasan "
        "seksual dengan pelaku dewasa tidak dapat diselesaikan dengan damai, "
        "kekeluargaan atau denda adat, kecuali pelakunya anak. Bicarakan dengan "
        "pembimbingmu."
    )


def settlement_warning(
    *, violence_types, perpetrator_age: str, path: str, narrative: str = ""
) -> str | None:
    """UU 12/2022 pasal 23: sexual violence by an adult is not settled out of court.

    A statement when the case is flagged (`settlement_flagged`); a question
    ("Sudahkah dipastikan …?") when the perpetrator may be an adult (adult or
    age unknown) and the path may settle it (non-litigation, both, not decided
    yet) or the narrative speaks of settling. A child perpetrator or no sexual
    violence: nothing.
    """
    if settlement_flagged(
        violence_types=violence_types, perpetrator_age=perpetrator_age, path=path
    ):
        return _definite_words()
    if (
        set(violence_types or ()) & set(SEXUAL_TYPES)
        and perpetrator_age in UNSURE_AGES
        and (path in UNSURE_PATHS or speaks_of_settling(narrative))
    ):
        return _question_words()
    return None


def settlement_rule() -> dict:
    """The warning's conditions and words, for the form's live script."""
    return {
        "sexual": [str(value) for value in SEXUAL_TYPES],
        "adult": [str(value) for value in ADULT_AGES],
        "settling": [str(value) for value in SETTLING_PATHS],
        "unsureAges": [str(value) for value in UNSURE_AGES],
        "unsurePaths": [str(value) for value in UNSURE_PATHS],
        "settleWords": list(SETTLE_WORDS),
        "textFields": list(TEXT_FIELDS),
        "definite": _definite_words(),
        "question": _question_words(),
    }


def case_warning(case: PracticeCase) -> str | None:
    """The flag of a saved case (the admin's filter and the counts agree with it)."""
    if settlement_flagged(
        violence_types=case.violence_types,
        perpetrator_age=case.perpetrator_age,
        path=case.path,
    ):
        return _definite_words()
    return None


def case_settlement_notice(case: PracticeCase) -> str | None:
    """What the trainee reads on a saved case: the flag, or the question."""
    return settlement_warning(
        violence_types=case.violence_types,
        perpetrator_age=case.perpetrator_age,
        path=case.path,
        narrative=case_narrative(case),
    )


def _choice_errors(data: CaseInput, errors) -> None:
    single = {
        "victim_sex": VictimSex,
        "victim_age_group": AgeGroup,
        "perpetrator_relation": Relation,
        "perpetrator_age": PerpetratorAge,
        "incident_place": IncidentPlace,
        "path": CasePath,
    }
    for name, choices in single.items():
        if getattr(data, name) not in choices.values:
            errors[name].append(_("Pilih salah satu dari daftar."))
    if not data.violence_types or not set(data.violence_types) <= set(
        ViolenceType.values
    ):
        errors["violence_types"].append(
            _("Pilih sedikitnya satu jenis kekerasan dari daftar.")
        )
    if not set(data.services or []) <= set(CaseService.values):
        errors["services"].append(_("Pilih layanan dari daftar."))


def check_case(*, trainee: User, data: CaseInput) -> None:
    """Raise a ValidationError keyed by field unless every rule holds."""
    errors: dict[str, list[str]] = defaultdict(list)
    placement = data.placement
    if placement.trainee_id != trainee.pk:
        errors["placement"].append(_("Penempatan ini bukan milikmu."))
    elif placement.supervisor_id is None:
        errors["placement"].append(
            _(
                "Catatan kasus ditinjau pembimbing yang punya akun. Minta "
                "fasilitatormu menambahkan pembimbing untuk penempatan ini."
            )
        )
    _choice_errors(data, errors)
    today = timezone.localdate()
    try:
        first_day = datetime.date(int(data.year), int(data.month), 1)
    except (TypeError, ValueError):
        errors["month"].append(_("Isi bulan (1–12) dan tahun kasus."))
    else:
        if first_day > today:
            errors["month"].append(_("Bulan ini belum terjadi."))
        elif data.year < 2000:
            errors["year"].append(_("Tahun kasus terlalu lama."))
    if data.kecamatan is None or data.kecamatan.level != RegionLevel.KECAMATAN:
        errors["kecamatan"].append(_("Pilih kecamatan; desa dan alamat tidak dicatat."))
    for name in TEXT_FIELDS:
        text = (getattr(data, name) or "").strip()
        if name in REQUIRED_TEXT and not text:
            errors[name].append(_("Bagian ini wajib diisi."))
        elif len(text) > MAX_TEXT_LENGTH:
            errors[name].append(
                _("Terlalu panjang: paling banyak %(max)s huruf.")
                % {"max": MAX_TEXT_LENGTH}
            )
        else:
            errors[name].extend(narrative_problems(text))
    problems = {name: messages for name, messages in errors.items() if messages}
    if problems:
        raise ValidationError(problems)


def _values(data: CaseInput) -> dict:
    return {
        "placement": data.placement,
        "violence_types": sorted(set(data.violence_types)),
        "victim_sex": data.victim_sex,
        "victim_age_group": data.victim_age_group,
        "victim_disability": data.victim_disability,
        "perpetrator_relation": data.perpetrator_relation,
        "perpetrator_age": data.perpetrator_age,
        "incident_place": data.incident_place,
        "month": int(data.month),
        "year": int(data.year),
        "kecamatan": data.kecamatan,
        "services": sorted(set(data.services or [])),
        "path": data.path,
        **{name: (getattr(data, name) or "").strip() for name in TEXT_FIELDS},
    }


def _names(values, choices) -> str:
    names = dict(choices)
    return ", ".join(str(names.get(value, value)) for value in values) or "–"


def _version(case: PracticeCase) -> dict[str, tuple[str, str, str]]:
    """What the trainee wrote, for `workflow.Flow.version` (needs
    `placement__host` and `kecamatan` loaded)."""
    disability = {True: _("Ya"), False: _("Tidak"), None: _("Tidak diketahui")}

    def choice(name: str) -> tuple[str, str, str]:
        field_ = PracticeCase._meta.get_field(name)
        value = getattr(case, name)
        return (
            str(field_.verbose_name).capitalize(),
            value,
            str(dict(field_.choices).get(value, value)),
        )

    version = {
        "placement": (
            _("Tempat magang"),
            str(case.placement_id),
            case.placement.host.short_name,
        ),
        "when": (
            _("Bulan dan tahun"),
            f"{case.year}-{case.month:02d}",
            f"{case.month:02d}/{case.year}",
        ),
        "kecamatan": (_("Kecamatan"), str(case.kecamatan_id), case.kecamatan.name),
        "violence_types": (
            _("Jenis kekerasan"),
            ",".join(case.violence_types),
            _names(case.violence_types, ViolenceType.choices),
        ),
        "victim_sex": choice("victim_sex"),
        "victim_age_group": choice("victim_age_group"),
        "victim_disability": (
            _("Korban penyandang disabilitas"),
            str(case.victim_disability),
            str(disability[case.victim_disability]),
        ),
        "perpetrator_relation": choice("perpetrator_relation"),
        "perpetrator_age": choice("perpetrator_age"),
        "incident_place": choice("incident_place"),
        "services": (
            _("Layanan yang dirujuk"),
            ",".join(case.services),
            _names(case.services, CaseService.choices),
        ),
        "path": choice("path"),
    }
    text_labels = {
        "trainee_role": _("Peran peserta dalam kasus ini"),
        "actions": _("Langkah yang diambil"),
        "went_well": _("Yang berjalan baik"),
        "was_hard": _("Yang sulit"),
        "learned": _("Yang dipelajari"),
    }
    for name in TEXT_FIELDS:
        text = getattr(case, name)
        version[name] = (text_labels[name], text, text or "–")
    return version


CASES = workflow.Flow(
    model=PracticeCase,
    event_model=PracticeCaseEvent,
    event_field="case",
    done=CaseStatus.REVIEWED,
    done_action=CaseAction.REVIEWED,
    words=workflow.Words(
        locked=lambda: _(
            "Catatan yang sudah diajukan atau ditinjau tidak dapat diubah."
        ),
        changed_meanwhile=lambda: _(
            "Catatan ini baru saja diajukan atau ditinjau; muat ulang."
        ),
        uuid_taken=lambda: _("Kode catatan ini sudah dipakai."),
    ),
    version=_version,
)


def _checked(trainee: User, data: CaseInput) -> dict:
    check_case(trainee=trainee, data=data)
    return _values(data)


def record_case(
    *,
    trainee: User,
    uuid: uuid_module.UUID | str,
    data: CaseInput,
    submit: bool = False,
) -> tuple[PracticeCase, bool]:
    """Create the case with this client-made UUID, once: (case, created).

    A repeat of the UUID, even twenty at once, returns the case as it is now
    and changes nothing; someone else's UUID is refused.
    """
    return workflow.create(
        CASES,
        trainee=trainee,
        uuid=uuid,
        values=lambda: _checked(trainee, data),
        submit=submit,
    )


def update_case(*, case: PracticeCase, trainee: User, data: CaseInput) -> PracticeCase:
    """Change a draft or returned case; waiting and reviewed ones are locked."""
    return workflow.change(
        CASES, record=case, trainee=trainee, values=lambda: _checked(trainee, data)
    )


def submit_cases(*, trainee: User, cases) -> list[PracticeCase]:
    """Send drafts and corrected returned cases to the supervisor; twice is once."""
    return workflow.submit(CASES, trainee=trainee, records=cases)


def withdraw_case(*, case: PracticeCase, trainee: User) -> PracticeCase:
    """Take a waiting case back to a draft, until the supervisor has acted."""
    return workflow.withdraw(CASES, record=case, trainee=trainee)


def can_review(user: User, case: PracticeCase) -> bool:
    return (
        user.is_authenticated
        and case.placement.supervisor_id == user.pk
        and case.trainee_id != user.pk
    )


def _decide(
    case: PracticeCase,
    supervisor: User,
    *,
    reviewed: bool,
    feedback: str,
    competencies=(),
) -> PracticeCase:
    feedback = (feedback or "").strip()
    if not feedback:
        raise ValidationError({"feedback": [_("Tulis umpan balik untuk peserta.")]})
    problems = narrative_problems(feedback)
    if problems:
        raise ValidationError({"feedback": problems})
    now = timezone.now()
    with transaction.atomic():
        case = (
            PracticeCase.objects.select_for_update(of=("self",))
            .select_related("placement", "trainee")
            .get(pk=case.pk)
        )
        if not can_review(supervisor, case):
            raise ValidationError(_("Kamu bukan pembimbing untuk catatan kasus ini."))
        if not workflow.decide(
            CASES,
            records=[case],
            done=reviewed,
            values={
                "supervisor_feedback": feedback,
                "reviewed_by": supervisor if reviewed else None,
                "reviewed_at": now if reviewed else None,
            },
            comment=feedback,
            actor=supervisor,
        ):
            raise ValidationError(_("Catatan ini tidak sedang menunggu tinjauan."))
        if reviewed:
            case.competencies_shown.set(competencies)
        notify(
            recipient=case.trainee,
            message=(
                _("Catatan kasus praktikmu sudah ditinjau oleh %(by)s.")
                if reviewed
                else _("Catatan kasus praktikmu dikembalikan oleh %(by)s.")
            )
            % {"by": supervisor.display_name},
            link=f"/magang/kasus/{case.uuid}/",
        )
        audit.record(
            AuditAction.CASE_CHANGED,
            actor=supervisor,
            target=case,
            target_label=case_audit_label(case),
            subject=case.trainee,
            programme=audit.programme_of(case.trainee),
            detail={"decision": "reviewed" if reviewed else "returned"},
        )
    case.refresh_from_db()
    return case


MONTHS = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]


def case_audit_label(case: PracticeCase) -> str:
    """How the audit trail names a case: its month and year, never its story."""
    month = MONTHS[case.month - 1] if 1 <= (case.month or 0) <= 12 else "?"
    return f"Kasus praktik {month} {case.year}"


def record_cases_viewed(*, cases, actor: User, via: str) -> None:
    """`record_case_viewed` for a page of cases at once, in a fixed number
    of queries; the actor's own cases are left out."""
    others = [case for case in cases if case.trainee_id != actor.pk]
    if not others:
        return
    programmes = audit.programmes_of({case.trainee_id for case in others})
    audit.record_many(
        AuditAction.CASE_VIEWED,
        actor=actor,
        lines=[
            {
                "target": case,
                "target_label": case_audit_label(case),
                "subject": case.trainee,
                "programme": programmes.get(case.trainee_id),
                "detail": {"via": via},
            }
            for case in others
        ],
    )


def record_case_viewed(*, case: PracticeCase, actor: User, request=None, via: str):
    """A line for staff opening someone else's case (admin or API); a trainee
    reading their own case is not recorded."""
    if actor.pk == case.trainee_id:
        return
    audit.record(
        AuditAction.CASE_VIEWED,
        actor=actor,
        target=case,
        target_label=case_audit_label(case),
        subject=case.trainee,
        programme=audit.programme_of(case.trainee),
        detail={"via": via},
        request=request,
    )


def review_case(
    *, case: PracticeCase, supervisor: User, feedback: str, competencies=()
) -> PracticeCase:
    """The supervisor's feedback and the competencies the case showed."""
    return _decide(
        case, supervisor, reviewed=True, feedback=feedback, competencies=competencies
    )


def return_case(*, case: PracticeCase, supervisor: User, feedback: str) -> PracticeCase:
    """Send the case back to the trainee to correct, saying what."""
    return _decide(case, supervisor, reviewed=False, feedback=feedback)


# --- Who reads what ----------------------------------------------------------


def cases_visible_to(user: User) -> QuerySet[PracticeCase]:
    """Narratives: the trainee's own; the supervisor's; after review, the
    facilitators who teach the trainee. Coordinators read none (counts only)."""
    if not is_signed_in(user):
        return PracticeCase.objects.none()
    # A draft is the trainee's own until they submit it. Three subqueries, each
    # on its own index, rather than one OR over joins that needed DISTINCT and
    # read every case of the province (issue 26).
    own = PracticeCase.objects.filter(trainee=user)
    supervised = PracticeCase.objects.filter(placement__supervisor=user).exclude(
        status=CaseStatus.DRAFT
    )
    taught = PracticeCase.objects.filter(
        status=CaseStatus.REVIEWED,
        trainee__enrolments__cohort__facilitators=user,
    )
    return PracticeCase.objects.filter(
        Q(pk__in=own.values("pk"))
        | Q(pk__in=supervised.values("pk"))
        | Q(pk__in=taught.values("pk"))
    )


def can_withdraw(user: User, case: PracticeCase) -> bool:
    """Withdrawing is narrower than reading: the case's own trainee, while it
    waits for the supervisor (`workflow.can_withdraw`)."""
    return workflow.can_withdraw(user, case)


def review_queue(user: User) -> QuerySet[PracticeCase]:
    """Cases waiting for this supervisor's review, oldest first."""
    return (
        PracticeCase.objects.filter(
            placement__supervisor=user, status=CaseStatus.SUBMITTED
        )
        .exclude(trainee=user)
        .select_related("trainee", "placement__host", "kecamatan")
        .order_by("created_at", "pk")
    )


@dataclass
class CaseCounts:
    """What a coordinator may know of practice cases: numbers, never narratives."""

    total: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    by_violence_type: dict[str, int] = field(default_factory=dict)
    by_path: dict[str, int] = field(default_factory=dict)
    flagged: int = 0


def case_counts(*, programmes: QuerySet[Programme]) -> CaseCounts:
    """Counts for the trainees enrolled in these programmes; one query."""
    rows = (
        PracticeCase.objects.filter(
            trainee__enrolments__cohort__programme__in=programmes
        )
        .distinct()
        .values_list("status", "violence_types", "path", "perpetrator_age")
    )
    counts = CaseCounts()
    status, types, paths = Counter(), Counter(), Counter()
    for case_status, violence_types, path, perpetrator_age in rows:
        counts.total += 1
        status[case_status] += 1
        types.update(violence_types)
        paths[path] += 1
        if settlement_flagged(
            violence_types=violence_types, perpetrator_age=perpetrator_age, path=path
        ):
            counts.flagged += 1
    counts.by_status = dict(status)
    counts.by_violence_type = dict(types)
    counts.by_path = dict(paths)
    return counts
