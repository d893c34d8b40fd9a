"""Quizzes in the JSON API: the same engine and rules as the pages."""

import datetime
import uuid

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from ninja import Router, Schema, Status
from ninja.errors import HttpError

from learning.bounds import Number

from ..grading import (
    QuizError,
    UnansweredQuestions,
    can_take,
    current_question,
    finish_sitting,
    sitting_tally,
    start_sitting,
    submit_answer,
)
from ..models import Quiz, Sitting
from ..selectors import sitting_review

router = Router(tags=["kuis"])


class OptionOut(Schema):
    id: str
    text: str


class QuestionOut(Schema):
    position: int
    kind: str
    text: str
    scenario: dict | None
    several_correct: bool
    options: list[OptionOut]


class SittingOut(Schema):
    uuid: uuid.UUID
    quiz: str
    status: str
    questions: int
    answered: int
    deadline: datetime.datetime | None
    current: QuestionOut | None


class AnswerIn(Schema):
    position: Number
    chosen: list[str] = []
    text: str = ""


class AnswerOut(Schema):
    position: int
    saved: bool
    mark_percent: int | None = None
    explanation: str | None = None


class ReviewOut(Schema):
    position: int
    text: str
    chosen: list[str]
    answer_text: str
    mark_percent: int | None
    correct_options: list[str] | None
    explanation: str | None
    comment: str


class ResultOut(Schema):
    """`percent` and `passed` are null while essays wait for marking; the
    part marked so far is `marked_score` out of `marked` questions."""

    uuid: uuid.UUID
    status: str
    percent: int | None
    passed: bool | None
    questions: int
    marked: int
    marked_score: float
    essays_waiting: int
    review: list[ReviewOut]


def _question_out(item) -> dict | None:
    if item is None:
        return None
    snapshot = item.snapshot
    return {
        "position": item.position,
        "kind": item.kind,
        "text": snapshot["text"],
        "scenario": snapshot["scenario"],
        "several_correct": snapshot["several_correct"],
        # Never the weights: grading happens on the server.
        "options": [{"id": o["id"], "text": o["text"]} for o in snapshot["options"]],
    }


def _sitting_out(sitting: Sitting) -> dict:
    questions = sitting.questions.count()
    answered = sitting.questions.filter(answer__isnull=False).count()
    return {
        "uuid": sitting.uuid,
        "quiz": sitting.quiz.slug,
        "status": sitting.status,
        "questions": questions,
        "answered": answered,
        "deadline": sitting.deadline,
        "current": _question_out(current_question(sitting))
        if sitting.is_open
        else None,
    }


def _own(request, sitting_uuid) -> Sitting:
    return get_object_or_404(
        Sitting.objects.select_related("quiz"), uuid=sitting_uuid, user=request.auth
    )


@router.post(
    "/{slug}/sittings", response=SittingOut, summary="Mulai atau lanjutkan kuis"
)
def start(request: HttpRequest, slug: str):
    quiz = get_object_or_404(Quiz.objects.select_related("module"), slug=slug)
    if not can_take(request.auth, quiz):
        raise Http404
    try:
        sitting = start_sitting(user=request.auth, quiz=quiz)
    except QuizError as error:
        raise HttpError(409, str(error)) from error
    return _sitting_out(sitting)


@router.get(
    "/sittings/{sitting_uuid}", response=SittingOut, summary="Keadaan percobaan"
)
def show(request: HttpRequest, sitting_uuid: uuid.UUID):
    return _sitting_out(_own(request, sitting_uuid))


@router.post(
    "/sittings/{sitting_uuid}/answers",
    response=AnswerOut,
    summary="Jawab satu soal (aman diulang)",
)
def answer(request: HttpRequest, sitting_uuid: uuid.UUID, payload: AnswerIn):
    sitting = _own(request, sitting_uuid)
    try:
        result = submit_answer(
            sitting=sitting,
            user=request.auth,
            position=payload.position,
            chosen=payload.chosen,
            text=payload.text,
        )
    except QuizError as error:
        raise HttpError(409, str(error)) from error
    out = {"position": payload.position, "saved": True}
    if result.show_feedback:
        mark = result.answer.mark
        out["mark_percent"] = None if mark is None else int(mark * 100)
        out["explanation"] = result.answer.sitting_question.snapshot["explanation"]
    return out


class UnansweredOut(Schema):
    detail: str
    unanswered: int
    first_unanswered: int


@router.post(
    "/sittings/{sitting_uuid}/finish",
    response={200: ResultOut, 409: UnansweredOut},
    summary="Selesai dan nilai",
)
def finish(request: HttpRequest, sitting_uuid: uuid.UUID, confirm: bool = False):
    """With questions unanswered, 409 says how many; send again with
    `?confirm=true` to score them as 0."""
    try:
        sitting = finish_sitting(
            sitting=_own(request, sitting_uuid),
            user=request.auth,
            allow_unanswered=confirm,
        )
    except UnansweredQuestions as unanswered:
        return Status(
            409,
            {
                "detail": str(unanswered),
                "unanswered": unanswered.count,
                "first_unanswered": unanswered.first_position,
            },
        )
    return _result_out(sitting)


@router.get(
    "/sittings/{sitting_uuid}/result", response=ResultOut, summary="Hasil percobaan"
)
def result(request: HttpRequest, sitting_uuid: uuid.UUID):
    sitting = _own(request, sitting_uuid)
    if sitting.is_open:
        raise HttpError(409, _("Percobaan ini belum selesai dikerjakan."))
    return _result_out(sitting)


def _result_out(sitting: Sitting) -> dict:
    review = []
    for item in sitting_review(sitting):
        show = item.show_answers
        review.append(
            {
                "position": item.item.position,
                "text": item.item.snapshot["text"],
                "chosen": item.answer.chosen if item.answer else [],
                "answer_text": item.answer.text if item.answer else "",
                "mark_percent": item.percent,
                "correct_options": (
                    [o["id"] for o in item.options if o["correct"]] if show else None
                ),
                "explanation": item.item.snapshot["explanation"] if show else None,
                "comment": item.answer.comment if item.answer else "",
            }
        )
    tally = sitting_tally(sitting=sitting)
    return {
        "uuid": sitting.uuid,
        "status": sitting.status,
        "percent": sitting.percent,
        "passed": sitting.passed,
        "questions": tally.questions,
        "marked": tally.marked,
        "marked_score": float(tally.marked_score),
        "essays_waiting": tally.essays_waiting,
        "review": review,
    }
