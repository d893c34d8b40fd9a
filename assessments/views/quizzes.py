from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from learning.bounds import parse_id

from ..grading import (
    IdentifyingAnswer,
    QuizError,
    UnansweredQuestions,
    attempts_left,
    can_take,
    current_question,
    finish_sitting,
    sitting_tally,
    start_sitting,
    submit_answer,
)
from ..models import Quiz, Sitting
from ..selectors import (
    category_progress,
    essay_markers,
    feedback_for,
    question_image,
    quiz_state,
    sitting_review,
)


def _quiz(request: HttpRequest, slug: str) -> Quiz:
    quiz = get_object_or_404(Quiz.objects.select_related("module"), slug=slug)
    if not can_take(request.user, quiz):
        raise Http404
    return quiz


def _own_sitting(request: HttpRequest, uuid) -> Sitting:
    """The person's own sitting; anybody else's does not exist for them."""
    return get_object_or_404(
        Sitting.objects.select_related("quiz"), uuid=uuid, user=request.user
    )


@login_required
def quiz_detail(request: HttpRequest, slug: str) -> HttpResponse:
    quiz = _quiz(request, slug)
    if request.method == "POST":
        try:
            sitting = start_sitting(user=request.user, quiz=quiz)
        except QuizError as error:
            messages.error(request, str(error))
            return redirect("assessments:quiz_detail", slug=slug)
        return redirect("assessments:sitting", uuid=sitting.uuid)
    return render(
        request,
        "assessments/quiz_detail.html",
        {"quiz": quiz, "state": quiz_state(request.user, quiz)},
    )


@login_required
def sitting(request: HttpRequest, uuid) -> HttpResponse:
    """One question at a time; a POST saves the answer and moves on."""
    sitting = _own_sitting(request, uuid)
    if not sitting.is_open:
        return redirect("assessments:sitting_result", uuid=uuid)
    questions = list(sitting.questions.select_related("answer").order_by("position"))
    if request.method == "POST":
        position = parse_id(request.POST.get("nomor")) or 0
        try:
            result = submit_answer(
                sitting=sitting,
                user=request.user,
                position=position,
                chosen=request.POST.getlist("pilihan"),
                text=request.POST.get("jawaban", ""),
            )
        except IdentifyingAnswer as error:
            # The essay comes back as typed, with the reason at the field.
            item = next(q for q in questions if q.position == position)
            context = {
                "sitting": sitting,
                "questions": questions,
                "answered": sum(1 for q in questions if hasattr(q, "answer")),
                "item": item,
                "answer": {"text": request.POST.get("jawaban", "")},
                "error": str(error),
                "image": question_image(item),
            }
            return render(request, "assessments/sitting.html", context, status=400)
        except QuizError as error:
            messages.error(request, str(error))
            sitting.refresh_from_db()
            if not sitting.is_open:
                return redirect("assessments:sitting_result", uuid=uuid)
            return redirect(
                f"{reverse('assessments:sitting', args=[uuid])}?nomor={position}"
            )
        if result.show_feedback:
            item = next(q for q in questions if q.position == position)
            return render(
                request,
                "assessments/sitting_feedback.html",
                {
                    "sitting": sitting,
                    "review": feedback_for(item, result.answer),
                    "next_position": position + 1
                    if position < len(questions)
                    else None,
                },
            )
        next_open = current_question(sitting)
        target = f"?nomor={next_open.position}" if next_open else "?ringkasan=1"
        return redirect(reverse("assessments:sitting", args=[uuid]) + target)

    requested = request.GET.get("nomor")
    item = None
    if parse_id(requested) is not None:
        item = next((q for q in questions if q.position == parse_id(requested)), None)
    elif not request.GET.get("ringkasan"):
        item = next((q for q in questions if not hasattr(q, "answer")), None)
    answered = sum(1 for q in questions if hasattr(q, "answer"))
    context = {
        "sitting": sitting,
        "questions": questions,
        "answered": answered,
        "item": item,
        "answer": getattr(item, "answer", None) if item else None,
        "image": question_image(item) if item else None,
    }
    return render(request, "assessments/sitting.html", context)


@login_required
@require_POST
def finish(request: HttpRequest, uuid) -> HttpResponse:
    """Finish and score; with questions unanswered, ask first (no JavaScript)."""
    sitting = _own_sitting(request, uuid)
    try:
        finish_sitting(
            sitting=sitting,
            user=request.user,
            allow_unanswered=request.POST.get("confirm") == "1",
        )
    except UnansweredQuestions as unanswered:
        return render(
            request,
            "assessments/sitting_confirm_finish.html",
            {
                "sitting": sitting,
                "unanswered": unanswered,
                "attempts_left": attempts_left(user=request.user, quiz=sitting.quiz),
            },
        )
    return redirect("assessments:sitting_result", uuid=uuid)


@login_required
def result(request: HttpRequest, uuid) -> HttpResponse:
    sitting = _own_sitting(request, uuid)
    if sitting.is_open:
        return redirect("assessments:sitting", uuid=uuid)
    tally = sitting_tally(sitting=sitting)
    review = sitting_review(sitting)
    return render(
        request,
        "assessments/sitting_result.html",
        {
            "sitting": sitting,
            "quiz": sitting.quiz,
            "tally": tally,
            "markers": [] if tally.is_final else essay_markers(sitting=sitting),
            "review": review,
            "folded": sum(item.folds for item in review),
        },
    )


@login_required
def progress(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "assessments/progress.html",
        {"categories": category_progress(request.user)},
    )
