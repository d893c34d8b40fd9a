import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import SittingStatus


class Sitting(models.Model):
    """One attempt of one person at one quiz, with the paper it was taken on."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("peserta"),
        on_delete=models.CASCADE,
        related_name="sittings",
    )
    # A sitting is evidence of a person's learning: a quiz that people sat is
    # retired (marked a draft), never deleted with their results.
    quiz = models.ForeignKey(
        "assessments.Quiz",
        verbose_name=_("kuis"),
        on_delete=models.PROTECT,
        related_name="sittings",
    )
    attempt = models.PositiveSmallIntegerField(_("percobaan ke"), default=1)
    # The settings in force when the sitting began; a later edit of the quiz
    # does not change how this sitting is scored.
    mode = models.CharField(_("jenis kuis"), max_length=10)
    feedback = models.CharField(_("umpan balik"), max_length=12)
    pass_mark = models.PositiveSmallIntegerField(_("nilai lulus (%)"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SittingStatus.choices,
        default=SittingStatus.IN_PROGRESS,
    )
    started_at = models.DateTimeField(_("mulai"), default=timezone.now)
    deadline = models.DateTimeField(_("batas waktu"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    score = models.DecimalField(_("nilai"), max_digits=8, decimal_places=3, default=0)
    max_score = models.DecimalField(
        _("nilai tertinggi"), max_digits=8, decimal_places=3, default=0
    )
    percent = models.PositiveSmallIntegerField(_("persen"), null=True, blank=True)
    passed = models.BooleanField(_("lulus"), null=True, blank=True)

    class Meta:
        verbose_name = _("percobaan kuis")
        verbose_name_plural = _("percobaan kuis")
        ordering = ["-started_at"]
        indexes = [
            # Essays waiting for a mark: the essay queue, longest waiting first,
            # and the facilitator's home counting it, find the few sittings
            # "menunggu" without reading every sitting.
            models.Index(
                fields=["status", "finished_at"], name="sitting_status_finished_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "quiz", "attempt"], name="one_sitting_per_attempt"
            ),
            models.UniqueConstraint(
                fields=["user", "quiz"],
                condition=models.Q(status="berjalan"),
                name="one_open_sitting_per_quiz",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quiz} · {self.user} · {self.attempt}"

    @property
    def is_open(self) -> bool:
        return self.status == SittingStatus.IN_PROGRESS


class SittingQuestion(models.Model):
    """A question as it stood when drawn for a sitting (its text, options, order).

    The snapshot is what is shown and scored: editing the bank afterwards
    changes nothing here.
    """

    sitting = models.ForeignKey(
        Sitting, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("nomor"))
    # Kept for statistics; the snapshot carries everything else.
    question = models.ForeignKey(
        "assessments.Question",
        verbose_name=_("soal"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    category = models.ForeignKey(
        "assessments.Category",
        verbose_name=_("kategori"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("jenis"), max_length=20)
    snapshot = models.JSONField(_("soal saat diambil"))

    class Meta:
        verbose_name = _("soal dalam percobaan")
        verbose_name_plural = _("soal dalam percobaan")
        ordering = ["sitting", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["sitting", "position"], name="one_question_per_position"
            )
        ]

    def __str__(self) -> str:
        return f"{self.sitting} · {self.position}"


class Answer(models.Model):
    """A person's answer to one question of their sitting, and its mark.

    `mark` is a share of the question's full mark (0 to 1); an essay has none
    until a facilitator marks it.
    """

    sitting_question = models.OneToOneField(
        SittingQuestion, on_delete=models.CASCADE, related_name="answer"
    )
    chosen = models.JSONField(_("pilihan"), default=list, blank=True)
    text = models.TextField(_("jawaban esai"), blank=True)
    mark = models.DecimalField(
        _("nilai"), max_digits=6, decimal_places=5, null=True, blank=True
    )
    answered_at = models.DateTimeField(_("dijawab"), default=timezone.now)
    tries = models.PositiveSmallIntegerField(_("jumlah coba"), default=1)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dinilai oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    marked_at = models.DateTimeField(_("dinilai pada"), null=True, blank=True)
    comment = models.TextField(_("komentar fasilitator"), blank=True)

    class Meta:
        verbose_name = _("jawaban")
        verbose_name_plural = _("jawaban")

    def __str__(self) -> str:
        return str(self.sitting_question)

    @property
    def is_correct(self) -> bool | None:
        return None if self.mark is None else self.mark >= 1
