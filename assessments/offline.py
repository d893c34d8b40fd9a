"""Practice quizzes in a module's offline package (see modules/offline.py).

A practice quiz goes to the phone with its answer keys, so it can give its
feedback with no signal. Only questions that no graded quiz can pick or draw
travel that way: a key on a phone is a key anyone can read, and a graded
quiz's questions must stay on the server. Essays (marked by a facilitator)
and questions with a picture stay out too; the page says how many. Offline
attempts are marked on the phone and recorded nowhere. Graded quizzes are
listed as needing a connection.
"""

import hashlib
import json
import os

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db.models import Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

from modules.offline import OfflineEntry, OfflineLink

from .choices import QuestionKind, QuizMode
from .models import Category, Question, QuestionPool, Quiz, QuizQuestion

PRACTICE_SCRIPT = "assessments/js/practice-offline.js"


def _categories_with_descendants(category_ids: set[int]) -> set[int]:
    found, frontier = set(category_ids), set(category_ids)
    while frontier:
        frontier = (
            set(
                Category.objects.filter(parent_id__in=frontier).values_list(
                    "pk", flat=True
                )
            )
            - found
        )
        found |= frontier
    return found


def questions_kept_from_phones() -> Q:
    """Questions a graded quiz (draft or not) can pick or draw."""
    picked = QuizQuestion.objects.filter(quiz__mode=QuizMode.GRADED).values(
        "question_id"
    )
    drawn = _categories_with_descendants(
        set(
            QuestionPool.objects.filter(quiz__mode=QuizMode.GRADED).values_list(
                "category_id", flat=True
            )
        )
    )
    return Q(pk__in=picked) | Q(category_id__in=drawn)


def _offline_questions(queryset) -> tuple[list[dict], int]:
    """The questions of `queryset` a phone can mark, and how many it cannot."""
    questions, left_out = [], 0
    for question in queryset.select_related("scenario").prefetch_related("options"):
        if question.kind == QuestionKind.ESSAY or question.image_id:
            left_out += 1
            continue
        questions.append(
            {
                "id": question.pk,
                "kind": question.kind,
                "scenario": question.scenario.vignette if question.scenario else "",
                "text": question.text,
                "several": question.several_correct,
                "shuffle": question.shuffle_options,
                "explanation": question.explanation,
                "options": [
                    {
                        "id": option.pk,
                        "text": option.text,
                        "weight": float(option.weight),
                        "feedback": option.feedback,
                    }
                    for option in question.options.all()
                ],
            }
        )
    return questions, left_out


def practice_payload(quiz: Quiz) -> dict:
    """What the phone gets for a practice quiz: its safe questions with keys.

    Questions a graded quiz could use are counted in `left_out`, never sent.
    """
    kept = questions_kept_from_phones()
    picked_questions = Question.objects.filter(
        pk__in=QuizQuestion.objects.filter(quiz=quiz).values("question_id")
    )
    picked, left_out = _offline_questions(picked_questions.exclude(kept).order_by("pk"))
    left_out += picked_questions.filter(kept).count()
    pools = []
    for pool in quiz.pools.all():
        in_pool = Question.objects.filter(
            category_id__in=_categories_with_descendants({pool.category_id})
        )
        questions, _ = _offline_questions(in_pool.exclude(kept).order_by("pk"))
        left_out += max(pool.count - len(questions), 0)
        if questions:
            pools.append({"count": pool.count, "questions": questions})
    return {
        "quiz": quiz.slug,
        "title": quiz.title,
        "description": quiz.description,
        "random_order": quiz.random_order,
        "max_questions": quiz.max_questions,
        "questions": picked,
        "pools": pools,
        "left_out": left_out,
    }


def render_practice_page(request: HttpRequest, quiz: Quiz) -> str:
    """The practice page a phone stores: the same for everyone, no name."""
    return render_to_string(
        "assessments/offline_practice.html",
        {"quiz": quiz, "offline_copy": True},
        request=request,
    )


def practice_quizzes(module) -> list[Quiz]:
    return list(
        Quiz.objects.filter(
            module=module, mode=QuizMode.PRACTICE, draft=False
        ).order_by("title", "pk")
    )


def practice_json(quiz: Quiz) -> str:
    return json.dumps(practice_payload(quiz), ensure_ascii=False, sort_keys=True)


# --- the offline part -------------------------------------------------------------


def offline_version(module) -> str:
    digest = hashlib.sha256()
    for quiz in practice_quizzes(module):
        digest.update(practice_json(quiz).encode())
    graded = Quiz.objects.filter(module=module, mode=QuizMode.GRADED, draft=False)
    digest.update(repr(list(graded.values_list("slug", "title"))).encode())
    return digest.hexdigest()[:16]


def _script_entry() -> OfflineEntry:
    """The script that shows and marks a practice quiz, for use with no signal."""
    url = static(PRACTICE_SCRIPT)
    path = finders.find(PRACTICE_SCRIPT) or staticfiles_storage.path(PRACTICE_SCRIPT)
    return OfflineEntry(key=url, source=url, size=os.path.getsize(path), kind="skrip")


def offline_entries(request: HttpRequest, module) -> list[OfflineEntry]:
    quizzes = practice_quizzes(module)
    entries = [_script_entry()] if quizzes else []
    for quiz in quizzes:
        page = reverse("assessments:practice_offline", args=[quiz.slug])
        data = reverse("assessments:practice_offline_data", args=[quiz.slug])
        entries.append(
            OfflineEntry(
                key=page,
                source=page,
                size=len(render_practice_page(request, quiz).encode()),
                kind="halaman",
            )
        )
        entries.append(
            OfflineEntry(
                key=data,
                source=data,
                size=len(practice_json(quiz).encode()),
                kind="data",
            )
        )
    return entries


def offline_links(module) -> list[OfflineLink]:
    links = [
        OfflineLink(
            url=reverse("assessments:practice_offline", args=[quiz.slug]),
            title=quiz.title,
            note=_("latihan, bisa tanpa sinyal"),
        )
        for quiz in practice_quizzes(module)
    ]
    links += [
        OfflineLink(
            url="",
            title=quiz.title,
            note=_("dinilai: perlu sinyal"),
            offline=False,
        )
        for quiz in Quiz.objects.filter(
            module=module, mode=QuizMode.GRADED, draft=False
        ).order_by("title", "pk")
    ]
    return links
