"""The curriculum in the JSON API: the same access rule and progress as the pages."""

import datetime

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from ninja import Router, Schema

from learning.bounds import Id

from .access import can_view_page, modules_visible_to
from .models import LessonPage, ModulePage
from .progress import mark_lesson_done
from .selectors import progress_for

router = Router(tags=["modul"])


class ModuleOut(Schema):
    id: int
    title: str
    url: str
    topic: str
    summary: str
    study_minutes: int
    is_core: bool
    is_refresher: bool
    lessons_total: int
    lessons_done: int
    percent: int
    completed: bool
    next_lesson_id: int | None


class LessonOut(Schema):
    id: int
    title: str
    url: str
    done: bool


class LessonDoneOut(Schema):
    lesson_id: int
    completed_at: datetime.datetime
    module_id: int
    module_percent: int
    module_completed: bool


def _module_out(request, progress) -> dict:
    module = progress.module
    return {
        "id": module.pk,
        "title": module.title,
        "url": module.get_url(request),
        "topic": module.topic,
        "summary": module.summary,
        "study_minutes": module.study_minutes,
        "is_core": module.is_core,
        "is_refresher": module.is_refresher,
        "lessons_total": progress.total,
        "lessons_done": progress.done,
        "percent": progress.percent,
        "completed": progress.completed,
        "next_lesson_id": progress.next_lesson.pk if progress.next_lesson else None,
    }


def _visible_module(request, module_id: Id) -> ModulePage:
    return get_object_or_404(modules_visible_to(request.auth), pk=module_id)


@router.get("/", response=list[ModuleOut], summary="Modul pengguna dan kemajuannya")
def my_modules(request: HttpRequest):
    modules = list(modules_visible_to(request.auth).order_by("path"))
    return [_module_out(request, p) for p in progress_for(request.auth, modules)]


@router.get(
    "/{module_id}/lessons", response=list[LessonOut], summary="Pelajaran sebuah modul"
)
def module_lessons(request: HttpRequest, module_id: Id):
    [progress] = progress_for(request.auth, [_visible_module(request, module_id)])
    return [
        {
            "id": lesson.pk,
            "title": lesson.title,
            "url": lesson.get_url(request),
            "done": lesson.pk in progress.done_ids,
        }
        for lesson in progress.lessons
    ]


@router.post(
    "/lessons/{lesson_id}/done",
    response=LessonDoneOut,
    summary="Tandai pelajaran selesai (aman diulang)",
)
def lesson_done(request: HttpRequest, lesson_id: Id):
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    if not can_view_page(request.auth, lesson):
        raise Http404
    progress = mark_lesson_done(user=request.auth, lesson=lesson)
    module = lesson.module()
    [module_progress] = progress_for(request.auth, [module])
    return {
        "lesson_id": lesson.pk,
        "completed_at": progress.completed_at,
        "module_id": module.pk,
        "module_percent": module_progress.percent,
        "module_completed": module_progress.completed,
    }
