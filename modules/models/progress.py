from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import StudiedVia


class LessonProgress(models.Model):
    """A person has studied one lesson, on the site or in a workshop."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("orang"),
        on_delete=models.CASCADE,
        related_name="lesson_progress",
    )
    # Evidence of a person's learning (a workshop marks it too): a lesson that
    # people studied is unpublished, never deleted with their records.
    lesson = models.ForeignKey(
        "modules.LessonPage",
        verbose_name=_("pelajaran"),
        on_delete=models.PROTECT,
        related_name="progress",
    )
    completed_at = models.DateTimeField(_("selesai pada"), default=timezone.now)
    via = models.CharField(
        _("cara belajar"),
        max_length=10,
        choices=StudiedVia.choices,
        default=StudiedVia.ONLINE,
    )

    class Meta:
        verbose_name = _("pelajaran selesai")
        verbose_name_plural = _("pelajaran selesai")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "lesson"], name="one_progress_per_lesson"
            )
        ]
        indexes = [models.Index(fields=["user", "-completed_at"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.lesson}"


class ModuleCompletion(models.Model):
    """A person has finished a module: every lesson, and its graded quiz if any."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("orang"),
        on_delete=models.CASCADE,
        related_name="module_completions",
    )
    # Evidence that outlives the module's content: see `modules.deletion`.
    module = models.ForeignKey(
        "modules.ModulePage",
        verbose_name=_("modul"),
        on_delete=models.PROTECT,
        related_name="completions",
    )
    completed_at = models.DateTimeField(_("selesai pada"), default=timezone.now)

    class Meta:
        verbose_name = _("modul selesai")
        verbose_name_plural = _("modul selesai")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "module"], name="one_completion_per_module"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.module}"


class ReflectionAnswer(models.Model):
    """A person's private answer to one reflection prompt in a lesson.

    Nobody else reads it: not facilitators, not coordinators, not exports.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("orang"),
        on_delete=models.CASCADE,
        related_name="reflection_answers",
    )
    # The person's own writing: an editor deleting the lesson must not take it.
    lesson = models.ForeignKey(
        "modules.LessonPage",
        verbose_name=_("pelajaran"),
        on_delete=models.PROTECT,
        related_name="reflection_answers",
    )
    # The StreamField block's id: stays put when the editor reorders blocks.
    prompt_id = models.CharField(_("pertanyaan"), max_length=64)
    text = models.TextField(_("jawaban"))
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        verbose_name = _("jawaban refleksi")
        verbose_name_plural = _("jawaban refleksi")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "lesson", "prompt_id"], name="one_answer_per_prompt"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.lesson}"
