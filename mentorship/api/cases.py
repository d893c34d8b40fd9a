"""Practice cases in the JSON API.

The same rules as the pages, through `mentorship.cases`: a case is read
through `cases_visible_to` (the trainee, the supervisor, and after review
the trainee's facilitators), changed only by its trainee, reviewed only by
its placement's supervisor. Errors follow the entries' convention: 422 with
`errors` by field, 409 for a state that forbids the change (a locked case,
a UUID someone else used), 404 outside one's view, 403 for a decision on a
case one does not supervise.
"""

import datetime
import uuid as uuid_module

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from assessments.models import Competency
from learning.api_devices import SYNC_AUTH, by_device
from learning.bounds import Id, Number, Year, paginate
from learning.models import Region

from ..cases import (
    CaseInput,
    can_review,
    case_settlement_notice,
    cases_visible_to,
    record_case,
    record_cases_viewed,
    return_case,
    review_case,
    review_queue,
    submit_cases,
    update_case,
    withdraw_case,
)
from ..choices import (
    AgeGroup,
    CasePath,
    CaseService,
    CaseStatus,
    IncidentPlace,
    PerpetratorAge,
    Relation,
    VictimSex,
    ViolenceType,
)
from ..models import (
    PracticeCase,
    PracticeCaseEvent,
)
from .common import (
    ErrorOut,
    Refused,
    change_refusal,
    codes,
)
from .records import (
    FlowRecordOut,
    Records,
    Summaries,
    add_write_routes,
    placement_for,
)

router = Router(tags=["kasus praktik"])


class CompetencyOut(Schema):
    id: int
    name: str


class CaseOut(FlowRecordOut):
    trainee_id: int
    trainee: str
    violence_types: list[str]
    victim_sex: str
    victim_age_group: str
    victim_disability: bool | None
    perpetrator_relation: str
    perpetrator_age: str
    incident_place: str
    month: int
    year: int
    kecamatan: str = Field(..., description="Kode Kemendagri kecamatan.")
    kecamatan_label: str
    services: list[str]
    path: str
    trainee_role: str
    actions: str
    went_well: str
    was_hard: str
    learned: str
    warning: str | None = Field(
        None,
        description=(
            "Peringatan UU 12/2022 pasal 23: pernyataan bila kasus ini ditandai; "
            "pertanyaan bila umur pelaku atau jalurnya belum pasti atau ceritanya "
            "menyebut damai."
        ),
    )
    supervisor_feedback: str
    competencies_shown: list[CompetencyOut]
    reviewer: str | None
    reviewed_at: datetime.datetime | None

    @staticmethod
    def resolve_trainee(case: PracticeCase) -> str:
        return case.trainee.display_name

    @staticmethod
    def resolve_kecamatan(case: PracticeCase) -> str:
        return case.kecamatan.code

    @staticmethod
    def resolve_kecamatan_label(case: PracticeCase) -> str:
        return case.kecamatan.label

    @staticmethod
    def resolve_warning(case: PracticeCase) -> str | None:
        return case_settlement_notice(case)

    @staticmethod
    def resolve_competencies_shown(case: PracticeCase) -> list:
        return list(case.competencies_shown.all())

    @staticmethod
    def resolve_reviewer(case: PracticeCase) -> str | None:
        return case.reviewed_by.display_name if case.reviewed_by else None


class CaseIn(Schema):
    placement_id: Id
    violence_types: list[str] = Field(
        ..., description="Satu atau lebih: " + codes(ViolenceType)
    )
    victim_sex: str = Field(..., description=codes(VictimSex))
    victim_age_group: str = Field(..., description=codes(AgeGroup))
    victim_disability: bool | None = None
    perpetrator_relation: str = Field(..., description=codes(Relation))
    perpetrator_age: str = Field(..., description=codes(PerpetratorAge))
    incident_place: str = Field(..., description=codes(IncidentPlace))
    month: Number = Field(..., description="1–12; tanpa tanggal.")
    year: Year
    kecamatan: str = Field(
        ..., description="Kode Kemendagri kecamatan, misalnya `53.02.01`; bukan desa."
    )
    services: list[str] = Field([], description=codes(CaseService))
    path: str = Field(..., description=codes(CasePath))
    trainee_role: str
    actions: str
    learned: str
    went_well: str = ""
    was_hard: str = ""


class CaseCreateIn(CaseIn):
    uuid: uuid_module.UUID = Field(
        ..., description="Dibuat oleh aplikasi; mengirim ulang UUID yang sama aman."
    )
    submit: bool = Field(False, description="Langsung ajukan ke pembimbing.")


class ReviewIn(Schema):
    feedback: str = ""
    competency_ids: list[Id] = Field([], max_length=50)


class ReturnIn(Schema):
    feedback: str = ""


def _case_details(cases: QuerySet[PracticeCase]) -> QuerySet[PracticeCase]:
    """What CaseOut reads, fetched in a fixed number of queries."""
    return cases.select_related("trainee", "kecamatan", "reviewed_by").prefetch_related(
        "competencies_shown",
        Prefetch(
            "history",
            queryset=PracticeCaseEvent.objects.select_related("actor").order_by(
                "at", "pk"
            ),
        ),
    )


class ViewedCases:
    """A listing's cases, recorded in the audit trail as opened by `actor`
    when the paginator cuts the page it sends (someone else's cases only)."""

    def __init__(self, cases: QuerySet[PracticeCase], actor):
        self.cases = cases
        self.actor = actor

    def all(self) -> QuerySet[PracticeCase]:
        # The paginator counts with `.all().count()`.
        return self.cases.all()

    def __len__(self) -> int:
        return self.cases.count()

    def __getitem__(self, key):
        page = list(self.cases[key]) if isinstance(key, slice) else [self.cases[key]]
        record_cases_viewed(cases=page, actor=self.actor, via="api")
        return page if isinstance(key, slice) else page[0]


CASES = Records(
    model=PracticeCase,
    visible_to=cases_visible_to,
    with_details=_case_details,
    order=("-year", "-month", "-pk"),
    not_found=lambda: _("Catatan kasus ini tidak ditemukan."),
)


def _case_input(request: HttpRequest, payload: CaseIn) -> CaseInput:
    placement = placement_for(request, payload.placement_id)
    # An unknown code reaches check_case as no kecamatan and gets its message,
    # together with every other problem of the same case.
    kecamatan = Region.objects.filter(code=payload.kecamatan.strip()).first()
    return CaseInput(
        placement=placement,
        violence_types=payload.violence_types,
        victim_sex=payload.victim_sex,
        victim_age_group=payload.victim_age_group,
        victim_disability=payload.victim_disability,
        perpetrator_relation=payload.perpetrator_relation,
        perpetrator_age=payload.perpetrator_age,
        incident_place=payload.incident_place,
        month=payload.month,
        year=payload.year,
        kecamatan=kecamatan,
        services=payload.services,
        path=payload.path,
        trainee_role=payload.trainee_role,
        actions=payload.actions,
        learned=payload.learned,
        went_well=payload.went_well,
        was_hard=payload.was_hard,
    )


@router.get(
    "/cases",
    response=list[CaseOut],
    auth=SYNC_AUTH,
    summary="Catatan kasus praktik yang boleh saya baca",
)
@paginate
def cases(
    request: HttpRequest,
    status: CaseStatus | None = None,
    mine: bool = False,
):
    """My own cases; for a supervisor also their placements' cases; for a
    facilitator the reviewed cases of the trainees they teach. With a sync
    key: only my own."""
    visible = cases_visible_to(request.auth)
    if mine or by_device(request):
        visible = visible.filter(trainee=request.auth)
    if status is not None:
        visible = visible.filter(status=status)
    return ViewedCases(
        _case_details(visible).order_by("-year", "-month", "-pk"), request.auth
    )


add_write_routes(
    router,
    CASES,
    path="/cases",
    out=CaseOut,
    create_in=CaseCreateIn,
    change_in=CaseIn,
    create=lambda request, payload: record_case(
        trainee=request.auth,
        uuid=payload.uuid,
        data=_case_input(request, payload),
        submit=payload.submit,
    ),
    change=lambda request, case, payload: update_case(
        case=case, trainee=request.auth, data=_case_input(request, payload)
    ),
    submit=lambda request, chosen: submit_cases(trainee=request.auth, cases=chosen),
    summaries=Summaries(
        create="Catat kasus praktik (aman dikirim ulang dengan UUID yang sama)",
        change="Ubah draf atau catatan kasus yang dikembalikan",
        submit="Ajukan catatan kasus ke pembimbing (aman diulang)",
        withdraw="Tarik kembali catatan kasus yang menunggu tinjauan (jadi draf lagi)",
    ),
    name="practice_case",
    uuid_name="case_uuid",
    withdraw=lambda request, case: withdraw_case(case=case, trainee=request.auth),
)


@router.get(
    "/cases/queue",
    response=list[CaseOut],
    summary="Catatan kasus yang menunggu tinjauan saya sebagai pembimbing",
)
@paginate
def case_queue(request: HttpRequest):
    return ViewedCases(_case_details(review_queue(request.auth)), request.auth)


def _decide_case(request: HttpRequest, case_uuid, decide) -> Status:
    case = (
        cases_visible_to(request.auth)
        .select_related("placement", "trainee")
        .filter(uuid=case_uuid)
        .first()
    )
    if case is None:
        raise HttpError(404, _("Catatan kasus ini tidak ditemukan."))
    if not can_review(request.auth, case):
        raise HttpError(403, _("Kamu bukan pembimbing untuk catatan kasus ini."))
    try:
        case = decide(case)
    except Refused as refusal:
        return Status(refusal.status, refusal.body)
    except ValidationError as error:
        return change_refusal(error)
    return Status(200, CASES.one(case.pk))


@router.post(
    "/cases/{uuid:case_uuid}/review",
    response={200: CaseOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Tinjau catatan kasus: umpan balik dan kompetensi yang ditunjukkan",
)
def review_practice_case(
    request: HttpRequest, case_uuid: uuid_module.UUID, payload: ReviewIn
):
    def decide(case):
        wanted = set(payload.competency_ids)
        competencies = list(Competency.objects.filter(pk__in=wanted))
        if len(competencies) != len(wanted):
            message = _("Pilih kompetensi dari daftar.")
            raise Refused(
                422, {"detail": message, "errors": {"competency_ids": [message]}}
            )
        return review_case(
            case=case,
            supervisor=request.auth,
            feedback=payload.feedback,
            competencies=competencies,
        )

    return _decide_case(request, case_uuid, decide)


@router.post(
    "/cases/{uuid:case_uuid}/return",
    response={200: CaseOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Kembalikan catatan kasus kepada peserta dengan umpan balik",
)
def return_practice_case(
    request: HttpRequest, case_uuid: uuid_module.UUID, payload: ReturnIn
):
    return _decide_case(
        request,
        case_uuid,
        lambda case: return_case(
            case=case, supervisor=request.auth, feedback=payload.feedback
        ),
    )
