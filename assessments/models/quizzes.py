from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.models import Orderable

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from ..choices import FeedbackTiming, QuizMode


class Quiz(ClusterableModel):
    """A quiz: which questions, in which order, and how it is scored."""

    title = models.CharField(_("judul"), max_length=200)
    slug = models.SlugField(_("alamat"), max_length=80, unique=True)
    description = models.TextField(_("keterangan"), blank=True)
    category = models.ForeignKey(
        "assessments.Category",
        verbose_name=_("kategori"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="quizzes",
    )
    module = models.ForeignKey(
        "modules.ModulePage",
        verbose_name=_("modul"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="quizzes",
        help_text=_("Lulus kuis dinilai dari modul ini diperlukan agar modul selesai."),
    )
    mode = models.CharField(
        _("jenis kuis"),
        max_length=10,
        choices=QuizMode.choices,
        default=QuizMode.GRADED,
    )
    random_order = models.BooleanField(_("acak urutan soal"), default=False)
    max_questions = models.PositiveSmallIntegerField(
        _("jumlah soal paling banyak"),
        null=True,
        blank=True,
        help_text=_("Kosongkan untuk memakai semua soal."),
    )
    feedback = models.CharField(
        _("jawaban benar ditampilkan"),
        max_length=12,
        choices=FeedbackTiming.choices,
        default=FeedbackTiming.AT_END,
    )
    keep_paper = models.BooleanField(
        _("simpan lembar jawaban"),
        default=True,
        help_text=_("Peserta dapat melihat lagi setiap percobaannya."),
    )
    single_attempt = models.BooleanField(_("hanya satu kali"), default=False)
    attempt_limit = models.PositiveSmallIntegerField(
        _("batas percobaan"),
        null=True,
        blank=True,
        help_text=_("Untuk kuis dinilai. Kosongkan bila tidak dibatasi."),
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("batas waktu (menit)"), null=True, blank=True
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("nilai lulus (%)"),
        default=70,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    success_text = models.TextField(_("pesan bila lulus"), blank=True)
    fail_text = models.TextField(_("pesan bila belum lulus"), blank=True)
    draft = models.BooleanField(
        _("konsep"), default=False, help_text=_("Konsep tidak tampil bagi peserta.")
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("category"), FieldPanel("mode")]),
        PageChooserPanel("module", "modules.ModulePage"),
        InlinePanel("picked_questions", label=_("Soal pilihan")),
        InlinePanel("pools", label=_("Soal acak dari bank")),
        MultiFieldPanel(
            [
                FieldPanel("random_order"),
                FieldPanel("max_questions"),
                FieldPanel("feedback"),
                FieldPanel("keep_paper"),
            ],
            heading=_("Soal dan umpan balik"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("pass_mark"),
                FieldPanel("single_attempt"),
                FieldPanel("attempt_limit"),
                FieldPanel("time_limit_minutes"),
                FieldPanel("success_text"),
                FieldPanel("fail_text"),
            ],
            heading=_("Penilaian"),
        ),
        FieldPanel("draft"),
    ]

    class Meta:
        verbose_name = _("kuis")
        verbose_name_plural = _("kuis")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_graded(self) -> bool:
        return self.mode == QuizMode.GRADED

    @property
    def max_attempts(self) -> int | None:
        if self.single_attempt:
            return 1
        return self.attempt_limit if self.is_graded else None


class QuizQuestion(Orderable):
    """A question a facilitator put in a quiz by hand, in this order."""

    quiz = ParentalKey(Quiz, on_delete=models.CASCADE, related_name="picked_questions")
    question = models.ForeignKey(
        "assessments.Question",
        verbose_name=_("soal"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [FieldPanel("question")]

    class Meta(Orderable.Meta):
        verbose_name = _("soal pilihan")
        verbose_name_plural = _("soal pilihan")
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "question"], name="question_once_per_quiz"
            )
        ]


class QuestionPool(Orderable):
    """Draw `count` random questions from a category (and its sub-categories)."""

    quiz = ParentalKey(Quiz, on_delete=models.CASCADE, related_name="pools")
    category = models.ForeignKey(
        "assessments.Category",
        verbose_name=_("kategori"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    count = models.PositiveSmallIntegerField(
        _("jumlah soal"), validators=[MinValueValidator(1)]
    )

    panels = [FieldPanel("category"), FieldPanel("count")]

    class Meta(Orderable.Meta):
        verbose_name = _("soal acak dari bank")
        verbose_name_plural = _("soal acak dari bank")
