from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable
from wagtail.search import index

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from ..choices import QuestionKind


class Category(models.Model):
    """A group of questions (and sub-groups): a topic of the question bank."""

    name = models.CharField(_("nama"), max_length=120)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("induk"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("kategori soal")
        verbose_name_plural = _("kategori soal")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"], name="unique_category_name_in_parent"
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=models.Q(parent__isnull=True),
                name="unique_top_category_name",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.parent} / {self.name}" if self.parent_id else self.name

    def with_descendants(self) -> list[int]:
        """Ids of this category and every sub-category below it."""
        ids, frontier = [self.pk], [self.pk]
        while frontier:
            frontier = list(
                Category.objects.filter(parent_id__in=frontier).values_list(
                    "pk", flat=True
                )
            )
            ids.extend(frontier)
        return ids


class Scenario(models.Model):
    """A fictional case vignette that several questions ask about."""

    title = models.CharField(_("judul"), max_length=200)
    vignette = models.TextField(
        _("kisah kasus"),
        help_text=_("Kisah rekaan. Jangan memakai nama, desa atau ciri korban nyata."),
    )

    class Meta:
        verbose_name = _("kisah kasus soal")
        verbose_name_plural = _("kisah kasus soal")

    def __str__(self) -> str:
        return self.title


class Question(index.Indexed, ClusterableModel):
    """A question in the bank; quizzes take it by hand or draw it at random."""

    kind = models.CharField(_("jenis"), max_length=20, choices=QuestionKind.choices)
    category = models.ForeignKey(
        Category,
        verbose_name=_("kategori"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    scenario = models.ForeignKey(
        Scenario,
        verbose_name=_("kisah kasus"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    text = models.TextField(_("pertanyaan"))
    explanation = models.TextField(
        _("penjelasan"),
        blank=True,
        help_text=_("Ditampilkan setelah menjawab: mengapa jawaban itu benar."),
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("gambar"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    several_correct = models.BooleanField(
        _("boleh memilih lebih dari satu"),
        default=False,
        help_text=_("Untuk pilihan ganda dengan beberapa jawaban benar."),
    )
    shuffle_options = models.BooleanField(_("acak urutan pilihan"), default=False)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    panels = [
        FieldPanel("kind"),
        FieldPanel("category"),
        FieldPanel("scenario"),
        FieldPanel("text"),
        FieldPanel("image"),
        InlinePanel("options", label=_("Pilihan jawaban")),
        FieldPanel("several_correct"),
        FieldPanel("shuffle_options"),
        FieldPanel("explanation"),
    ]

    search_fields = [
        index.SearchField("text"),
        index.SearchField("explanation"),
        index.FilterField("kind"),
        index.FilterField("category_id"),
    ]

    class Meta:
        verbose_name = _("soal")
        verbose_name_plural = _("soal")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text if len(self.text) <= 80 else self.text[:79] + "…"

    @property
    def is_essay(self) -> bool:
        return self.kind == QuestionKind.ESSAY


class AnswerOption(Orderable):
    """One option of a multiple-choice or true/false question.

    `weight` is the share of the question's mark the option earns, from -1 to
    1 (GIFT's percentages): a single right answer weighs 1; with several right
    answers their weights add up to 1; a wrong option may take marks away.
    """

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="options")
    text = models.CharField(_("jawaban"), max_length=500)
    weight = models.DecimalField(
        _("bobot"),
        max_digits=6,
        decimal_places=5,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(-1)), MaxValueValidator(Decimal(1))],
        help_text=_("1 = benar penuh, 0 = salah; 0,5 = setengah benar."),
    )
    feedback = models.CharField(_("umpan balik"), max_length=500, blank=True)

    panels = [FieldPanel("text"), FieldPanel("weight"), FieldPanel("feedback")]

    class Meta(Orderable.Meta):
        verbose_name = _("pilihan jawaban")
        verbose_name_plural = _("pilihan jawaban")

    def __str__(self) -> str:
        return self.text

    @property
    def is_correct(self) -> bool:
        return self.weight > 0
