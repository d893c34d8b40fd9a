"""What the curriculum's screens read, in a fixed number of queries each."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import F, Q

from wagtail.search.backends import get_search_backend

from learning.choices import Role
from learning.models import User
from learning.search import search_query

from .access import lessons_visible_to, modules_visible_to, restricted_paths
from .choices import Topic
from .content_cache import content_token, lesson_body, module_outline
from .models import (
    InfoPage,
    LessonPage,
    LessonProgress,
    ModuleCompletion,
    ModulePage,
    ReferralService,
    ReflectionAnswer,
    ResourcePage,
)


@dataclass
class ModuleProgress:
    """How far one person is in one module."""

    module: ModulePage
    lessons: list[LessonPage] = field(default_factory=list)
    done_ids: set[int] = field(default_factory=set)
    completed: bool = False
    last_activity: datetime | None = None

    @property
    def total(self) -> int:
        return len(self.lessons)

    @property
    def done(self) -> int:
        return sum(1 for lesson in self.lessons if lesson.pk in self.done_ids)

    @property
    def percent(self) -> int:
        if self.completed:
            return 100
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def started(self) -> bool:
        return self.done > 0

    @property
    def next_lesson(self) -> LessonPage | None:
        """The first lesson not done yet, in the module's order."""
        for lesson in self.lessons:
            if lesson.pk not in self.done_ids:
                return lesson
        return None


def progress_for(user: User, modules: list[ModulePage]) -> list[ModuleProgress]:
    """Progress in each of `modules`, in three queries whatever their number."""
    if not modules:
        return []
    by_path = {module.path: ModuleProgress(module=module) for module in modules}
    lessons = lessons_visible_to(
        user, ModulePage.objects.filter(pk__in=[m.pk for m in modules])
    )
    lessons = list(
        lessons.order_by("path").only("id", "path", "title", "url_path", "depth")
    )
    for lesson in lessons:
        by_path[lesson.module_path].lessons.append(lesson)
    done = LessonProgress.objects.filter(
        user=user, lesson_id__in=[lesson.pk for lesson in lessons]
    ).values_list("lesson_id", "completed_at", "lesson__path")
    for lesson_id, completed_at, path in done:
        progress = by_path[path[: -LessonPage.steplen]]
        progress.done_ids.add(lesson_id)
        if progress.last_activity is None or completed_at > progress.last_activity:
            progress.last_activity = completed_at
    completed = set(
        ModuleCompletion.objects.filter(user=user, module__in=modules).values_list(
            "module_id", flat=True
        )
    )
    for progress in by_path.values():
        progress.completed = progress.module.pk in completed
    return list(by_path.values())


def resume_point(progress: list[ModuleProgress]) -> ModuleProgress | None:
    """Where "Lanjutkan belajar" leads: the unfinished module worked on last,
    else the first module not yet started."""
    unfinished = [p for p in progress if not p.completed and p.next_lesson]
    started = [p for p in unfinished if p.last_activity]
    if started:
        return max(started, key=lambda p: p.last_activity)
    return unfinished[0] if unfinished else None


def visible_modules_list(user: User) -> list[ModulePage]:
    return list(modules_visible_to(user).select_related("cover_image").order_by("path"))


def learner_overview(user: User) -> dict:
    """The training home and the trainee's home panel."""
    progress = progress_for(user, visible_modules_list(user))
    return {
        "progress": progress,
        "resume": resume_point(progress),
        "modules_done": sum(1 for p in progress if p.completed),
        "is_alumnus": Role.ALUMNI in user.roles,
    }


def modules_by_topic(user: User) -> list[tuple[str, list[ModuleProgress]]]:
    """The module index: modules with progress, grouped in the curriculum's order."""
    progress = progress_for(user, visible_modules_list(user))
    groups = []
    for topic in Topic:
        members = [p for p in progress if p.module.topic == topic]
        if members:
            groups.append((topic.label, members))
    return groups


def module_detail(user: User, module: ModulePage) -> dict:
    [progress] = progress_for(user, [module]) or [ModuleProgress(module=module)]
    completed = set(
        ModuleCompletion.objects.filter(user=user).values_list("module_id", flat=True)
    )
    missing = [
        prerequisite
        for prerequisite in module.prerequisites.live().order_by("path")
        if prerequisite.pk not in completed
    ]
    return {"module_progress": progress, "missing_prerequisites": missing}


def lesson_detail(user: User | None, lesson: LessonPage) -> dict:
    """A lesson with its module, its place in it and the person's own answers.

    With no `user` (an offline copy, shown to whoever holds the phone), no
    progress and no answers. What reads the same for everyone (the rendered
    blocks, the module's lessons) comes from `content_cache`.
    """
    token = content_token()
    outline = module_outline(lesson, token)
    siblings = outline["lessons"]
    ids = [sibling["pk"] for sibling in siblings]
    done_ids, answers = set(), {}
    if user is not None:
        done_ids = set(
            LessonProgress.objects.filter(user=user, lesson_id__in=ids).values_list(
                "lesson_id", flat=True
            )
        )
        answers = dict(
            ReflectionAnswer.objects.filter(user=user, lesson=lesson).values_list(
                "prompt_id", "text"
            )
        )
    position = ids.index(lesson.pk) if lesson.pk in ids else 0
    body_items = [
        item
        if "html" in item
        else {**item, "answer": answers.get(item["prompt_id"], "")}
        for item in lesson_body(lesson, token)
    ]
    return {
        "module": outline["module"],
        "position": position + 1,
        "lesson_count": len(siblings),
        "previous_lesson": siblings[position - 1] if position > 0 else None,
        "next_lesson": siblings[position + 1] if position + 1 < len(siblings) else None,
        "is_done": lesson.pk in done_ids,
        "lessons_done": len(done_ids),
        "body_items": body_items,
    }


def changed_since_completion(user: User) -> list[dict]:
    """Lessons published after `user` studied them, and lessons added to a
    module after they completed it ("Yang berubah sejak kamu lulus")."""
    visible = lessons_visible_to(user)
    changed = []
    updated = (
        LessonProgress.objects.filter(user=user, lesson__in=visible)
        .filter(lesson__last_published_at__gt=F("completed_at"))
        .select_related("lesson")
        .order_by("-lesson__last_published_at")
    )
    for progress in updated:
        changed.append(
            {
                "lesson": progress.lesson,
                "kind": "updated",
                "since": progress.completed_at,
            }
        )
    studied = LessonProgress.objects.filter(user=user).values("lesson_id")
    completions = ModuleCompletion.objects.filter(user=user).select_related("module")
    new_filter = Q()
    since_by_path = {}
    for completion in completions:
        new_filter |= Q(
            path__startswith=completion.module.path,
            first_published_at__gt=completion.completed_at,
        )
        since_by_path[completion.module.path] = completion.completed_at
    if since_by_path:
        for lesson in (
            visible.filter(new_filter).exclude(pk__in=studied).order_by("path")
        ):
            changed.append(
                {
                    "lesson": lesson,
                    "kind": "new",
                    "since": since_by_path[lesson.module_path],
                }
            )
    return changed


def refresher_overview(user: User) -> dict:
    modules = [m for m in visible_modules_list(user) if m.is_refresher]
    return {
        "refresher_progress": progress_for(user, modules),
        "changed": changed_since_completion(user),
    }


SEARCH_LIMIT = 20


def search_curriculum(user: User, text: str) -> dict:
    """Search hits `user` may open, grouped by kind; visitors find public pages only.

    `text` is what the person typed: "quoted words" must appear as a phrase.
    """
    query = search_query(text)
    if query is None:
        return {}
    closed = restricted_paths(user)

    def open_page(page) -> bool:
        return not any(page.path.startswith(path) for path in closed)

    results = {
        "info_pages": [
            page
            for page in InfoPage.objects.live().search(query)[:SEARCH_LIMIT]
            if open_page(page)
        ]
    }
    if not (user.is_authenticated and (user.is_superuser or user.roles)):
        return results
    module_paths = set(modules_visible_to(user).values_list("path", flat=True))
    results["modules"] = [
        page
        for page in ModulePage.objects.live().search(query)[:SEARCH_LIMIT]
        if page.path in module_paths
    ]
    results["lessons"] = [
        page
        for page in LessonPage.objects.live().search(query)[:SEARCH_LIMIT]
        if page.module_path in module_paths and open_page(page)
    ]
    results["resources"] = [
        page
        for page in ResourcePage.objects.live().search(query)[:SEARCH_LIMIT]
        if open_page(page)
    ]
    results["services"] = list(
        get_search_backend().search(query, ReferralService)[:SEARCH_LIMIT]
    )
    return results
