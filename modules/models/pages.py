"""The authored content of the curriculum: pages in Wagtail's tree.

    TrainingHomePage (/belajar/)
    ├── ModuleIndexPage (/belajar/modul/)
    │   └── ModulePage
    │       └── LessonPage
    └── ResourceIndexPage (/belajar/pustaka/)
        └── ResourcePage
    InfoPage (about, contact: public, under the site root)

Everything under the training home is for signed-in people whom
`modules.access` lets in; an InfoPage is for anyone.
"""

from django.contrib.auth.views import redirect_to_login
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index

from modelcluster.fields import ParentalManyToManyField

from ..blocks import InfoBodyBlock, LessonBodyBlock
from ..choices import ResourceKind, Topic

INTRO_FEATURES = ["bold", "italic", "ol", "ul", "link"]


class SignedInPage(Page):
    """A page only signed-in people whom the access rule admits may open."""

    class Meta:
        abstract = True

    def serve(self, request, *args, **kwargs):
        from ..access import can_view_page

        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_view_page(request.user, self):
            # Say nothing about a page the person may not see.
            raise Http404
        return super().serve(request, *args, **kwargs)

    def get_view_restrictions(self):
        """Wagtail's privacy settings over this page: with none above it (as
        `modules.access` keeps them per change of content), an empty queryset
        and no query; otherwise Wagtail's own, aliases and all."""
        from ..access import restriction_over

        if self.alias_of_id is None and not restriction_over(self.path):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


class TrainingHomePage(SignedInPage):
    """The front door of the curriculum: the person's modules and where to go."""

    intro = RichTextField(_("pengantar"), blank=True, features=INTRO_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["modules.ModuleIndexPage", "modules.ResourceIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("beranda belajar")
        verbose_name_plural = _("beranda belajar")

    def get_context(self, request, *args, **kwargs):
        from ..selectors import learner_overview

        context = super().get_context(request, *args, **kwargs)
        context.update(learner_overview(request.user))
        return context

    def route(self, request, path_components):
        """The page at the rest of the path in two queries, not two for each
        level of the tree (issue 26: routing took a third of a lesson's time).

        No page below the training home routes on its own, so the live page
        whose url_path is the rest of the path is the page Wagtail's
        level-by-level route would reach.
        """
        if not path_components:
            return super().route(request, path_components)
        page = (
            Page.objects.descendant_of(self)
            .filter(
                url_path=f"{self.url_path}{'/'.join(path_components)}/",
                depth=self.depth + len(path_components),
            )
            .specific()
            .first()
        )
        if page is None:
            raise Http404
        return page.route(request, [])


class ModuleIndexPage(SignedInPage):
    """The list of modules, grouped by topic, with the person's progress."""

    intro = RichTextField(_("pengantar"), blank=True, features=INTRO_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["modules.TrainingHomePage"]
    subpage_types = ["modules.ModulePage"]

    class Meta:
        verbose_name = _("daftar modul")
        verbose_name_plural = _("daftar modul")

    def get_context(self, request, *args, **kwargs):
        from ..selectors import modules_by_topic

        context = super().get_context(request, *args, **kwargs)
        context["topics"] = modules_by_topic(request.user)
        return context


class ModulePage(SignedInPage):
    """A training module: a sequence of lessons on one topic."""

    topic = models.CharField(_("topik"), max_length=20, choices=Topic.choices)
    summary = models.TextField(
        _("ringkasan"), help_text=_("Dua atau tiga kalimat: untuk apa modul ini.")
    )
    learning_objectives = models.TextField(
        _("tujuan belajar"),
        blank=True,
        help_text=_("Satu tujuan per baris: apa yang mampu dilakukan peserta."),
    )
    study_minutes = models.PositiveSmallIntegerField(
        _("perkiraan waktu belajar (menit)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(2000)],
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("gambar sampul"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    prerequisites = ParentalManyToManyField(
        "self",
        verbose_name=_("modul prasyarat"),
        symmetrical=False,
        blank=True,
        related_name="required_by",
    )
    programmes = ParentalManyToManyField(
        "learning.Programme",
        verbose_name=_("program"),
        blank=True,
        related_name="modules",
        help_text=_(
            "Peserta program ini dapat membuka modul. Kosongkan agar terbuka "
            "bagi semua peserta."
        ),
    )
    is_core = models.BooleanField(
        _("modul inti"),
        default=True,
        help_text=_("Wajib diselesaikan untuk sertifikasi."),
    )
    is_refresher = models.BooleanField(
        _("bahan penyegaran"),
        default=False,
        help_text=_("Tampil di pustaka penyegaran untuk alumni."),
    )
    is_sample = models.BooleanField(
        _("materi contoh"),
        default=False,
        help_text=_(
            "Materi contoh bawaan Pendamping. Hapus centang setelah organisasi "
            "meninjau dan menyesuaikan isinya."
        ),
    )
    content_note = models.TextField(
        _("catatan isi"),
        blank=True,
        help_text=_(
            "Isi bila modul membahas hal yang dapat mengguncang perasaan "
            "(misalnya kekerasan seksual). Ditampilkan sebelum isi modul."
        ),
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("topic"),
                FieldPanel("summary"),
                FieldPanel("learning_objectives"),
                FieldPanel("study_minutes"),
                FieldPanel("cover_image"),
            ],
            heading=_("Tentang modul"),
        ),
        FieldPanel("content_note"),
        MultiFieldPanel(
            [
                FieldPanel("programmes"),
                FieldPanel("prerequisites"),
                FieldPanel("is_core"),
                FieldPanel("is_refresher"),
                FieldPanel("is_sample"),
            ],
            heading=_("Siapa dan kapan"),
        ),
        HelpPanel(
            content=_(
                "Pelajaran ditambahkan sebagai halaman anak modul ini, dalam "
                "urutan belajar."
            )
        ),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("learning_objectives"),
        index.FilterField("is_refresher"),
    ]

    parent_page_types = ["modules.ModuleIndexPage"]
    subpage_types = ["modules.LessonPage"]

    class Meta:
        verbose_name = _("modul")
        verbose_name_plural = _("modul")

    @property
    def objectives(self) -> list[str]:
        return [
            line.strip()
            for line in self.learning_objectives.splitlines()
            if line.strip()
        ]

    def lessons(self):
        return LessonPage.objects.child_of(self).live().order_by("path")

    def get_context(self, request, *args, **kwargs):
        from ..offline import known_package
        from ..sections import sections_for
        from ..selectors import module_detail

        context = super().get_context(request, *args, **kwargs)
        context.update(module_detail(request.user, self))
        context["sections"] = sections_for(request, self)
        context["offline_package"] = known_package(module=self)
        return context


class LessonPage(SignedInPage):
    """One lesson of a module, read on a phone in a few minutes."""

    summary = models.TextField(_("ringkasan"), blank=True)
    study_minutes = models.PositiveSmallIntegerField(
        _("perkiraan waktu belajar (menit)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
    )
    body = StreamField(LessonBodyBlock(), verbose_name=_("isi"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("study_minutes"),
        FieldPanel("body"),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]

    parent_page_types = ["modules.ModulePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("pelajaran")
        verbose_name_plural = _("pelajaran")

    @property
    def module_path(self) -> str:
        """The tree path of the module this lesson belongs to (its parent)."""
        return self.path[: -self.steplen]

    def module(self) -> "ModulePage":
        return ModulePage.objects.get(path=self.module_path)

    def next_lesson(self) -> "LessonPage | None":
        """The following live lesson of the same module, if any."""
        return (
            LessonPage.objects.sibling_of(self, inclusive=False)
            .live()
            .filter(path__gt=self.path)
            .order_by("path")
            .first()
        )

    def reflection_prompts(self) -> list:
        return [block for block in self.body if block.block_type == "reflection"]

    def get_context(self, request, *args, **kwargs):
        from ..selectors import lesson_detail

        context = super().get_context(request, *args, **kwargs)
        context.update(lesson_detail(request.user, self))
        # A refused answer (modules.views.learning.reflection) is shown as typed.
        refused = getattr(request, "refused_reflection", None)
        if refused:
            for item in context["body_items"]:
                if item.get("prompt_id") == refused["prompt_id"]:
                    item["answer"] = refused["text"]
                    item["error"] = refused["error"]
        return context


class ResourceIndexPage(SignedInPage):
    """The library of forms, laws and guides a companion keeps coming back to."""

    intro = RichTextField(_("pengantar"), blank=True, features=INTRO_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["modules.TrainingHomePage"]
    subpage_types = ["modules.ResourcePage"]

    class Meta:
        verbose_name = _("pustaka bahan")
        verbose_name_plural = _("pustaka bahan")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["resources"] = (
            ResourcePage.objects.child_of(self)
            .live()
            .select_related("document")
            .order_by("kind", "title")
        )
        return context


class ResourcePage(SignedInPage):
    """A form, law or guide: a short explanation and, usually, a document."""

    kind = models.CharField(_("jenis"), max_length=20, choices=ResourceKind.choices)
    summary = models.TextField(_("ringkasan"), blank=True)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("dokumen"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = RichTextField(_("penjelasan"), blank=True, features=INTRO_FEATURES)

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("summary"),
        FieldPanel("document"),
        FieldPanel("body"),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]

    parent_page_types = ["modules.ResourceIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("bahan pustaka")
        verbose_name_plural = _("bahan pustaka")


class InfoPage(Page):
    """A public page anyone may read: about the programme, how to reach us."""

    body = StreamField(InfoBodyBlock(), verbose_name=_("isi"))

    content_panels = [*Page.content_panels, FieldPanel("body")]

    search_fields = [*Page.search_fields, index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = []

    class Meta:
        verbose_name = _("halaman informasi")
        verbose_name_plural = _("halaman informasi")
