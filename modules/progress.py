"""Progress through the curriculum: lessons done, modules completed.

A module is complete when every live lesson in it is done and every
completion rule registered by a higher app agrees (the quiz engine registers
"the module's graded quiz is passed"). A module with no such rule completes
on its lessons alone.
"""

from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learning.identifiers import identifier_problems
from learning.models import User

from .choices import StudiedVia
from .models import (
    LessonPage,
    LessonProgress,
    ModuleCompletion,
    ModulePage,
    ReflectionAnswer,
)

CompletionRule = Callable[[User, ModulePage], bool]
_completion_rules: list[CompletionRule] = []


def register_completion_rule(rule: CompletionRule) -> None:
    """Let a higher app add a condition a module needs before it is complete."""
    if rule not in _completion_rules:
        _completion_rules.append(rule)


CompletionListener = Callable[[ModuleCompletion], None]
_completion_listeners: list[CompletionListener] = []


def register_completion_listener(listener: CompletionListener) -> None:
    """Let a higher app act when a person completes a module (e.g. renew a
    certificate after a refresher); called once per new completion, inside
    the transaction that records it."""
    if listener not in _completion_listeners:
        _completion_listeners.append(listener)


def mark_lesson_done(
    *, user: User, lesson: LessonPage, via: StudiedVia = StudiedVia.ONLINE
) -> LessonProgress:
    """Record that `user` studied `lesson`; doing it twice changes nothing."""
    try:
        with transaction.atomic():
            progress, _created = LessonProgress.objects.get_or_create(
                user=user, lesson=lesson, defaults={"via": via}
            )
    except IntegrityError:  # the same click, arriving twice at once
        progress = LessonProgress.objects.get(user=user, lesson=lesson)
    update_module_completion(user=user, module=lesson.module())
    return progress


def update_module_completion(*, user: User, module: ModulePage) -> bool:
    """Record the module as complete if it now is; True when it is complete.

    Higher apps call this after their own condition changes (a quiz passed).
    A completion, once earned, is kept even if a lesson is added later: the
    refresher library shows what changed since.
    """
    if ModuleCompletion.objects.filter(user=user, module=module).exists():
        return True
    lesson_ids = set(module.lessons().values_list("pk", flat=True))
    if not lesson_ids:
        return False
    done = set(
        LessonProgress.objects.filter(user=user, lesson_id__in=lesson_ids).values_list(
            "lesson_id", flat=True
        )
    )
    if done != lesson_ids:
        return False
    if not all(rule(user, module) for rule in _completion_rules):
        return False
    with transaction.atomic():
        completion, created = ModuleCompletion.objects.get_or_create(
            user=user, module=module, defaults={"completed_at": timezone.now()}
        )
        if created:
            for listener in _completion_listeners:
                listener(completion)
    return True


REFLECTION_MAX_LENGTH = 4000


class ReflectionError(ValueError):
    """An answer that cannot be saved; the message says why, in the user's language."""


def save_reflection(
    *, user: User, lesson: LessonPage, prompt_id: str, text: str
) -> ReflectionAnswer | None:
    """Keep `user`'s private answer to one prompt; an empty answer deletes it."""
    if prompt_id not in {block.id for block in lesson.reflection_prompts()}:
        raise ReflectionError(
            _("Pertanyaan refleksi ini sudah tidak ada di pelajaran.")
        )
    text = text.strip()
    if len(text) > REFLECTION_MAX_LENGTH:
        raise ReflectionError(
            _("Jawaban terlalu panjang: paling banyak %(max)d huruf, ini %(length)d.")
            % {"max": REFLECTION_MAX_LENGTH, "length": len(text)}
        )
    # Private, but a shared phone or a later export can show it: no NIK, phone
    # number, e-mail address or card number of anyone.
    if problems := identifier_problems(text):
        raise ReflectionError(" ".join(problems))
    if not text:
        ReflectionAnswer.objects.filter(
            user=user, lesson=lesson, prompt_id=prompt_id
        ).delete()
        return None
    answer, _created = ReflectionAnswer.objects.update_or_create(
        user=user, lesson=lesson, prompt_id=prompt_id, defaults={"text": text}
    )
    return answer
