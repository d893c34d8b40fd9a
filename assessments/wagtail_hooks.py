"""Everything the assessments app adds to the Wagtail admin, registered here.

The question bank, quizzes and competencies are snippets; the other screens
live in `assessments.admin`, one module per sub-domain, and are wired to the
admin below (their URLs, menu items, the workshop viewset and its scoped
permission policy). No admin module registers anything when imported.
"""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from learning.admin_scope import ScopedPermissionPolicy
from learning.viewsets import KeepingSnippetViewSet

from .admin import (
    assessment,
    certification,
    competence,
    events,
    item_statistics,
    marking,
    question_import,
    results,
    sample_curriculum,
)
from .admin.question_form import QuestionForm
from .deletion import quiz_deletion_refusal
from .events import events_managed_by, events_visible_to
from .models import (
    Category,
    CertificationRule,
    Competency,
    Question,
    Quiz,
    Scenario,
    TrainingEvent,
)

# Workshops: every admin screen and chooser asks the scope rule. First, as
# Wagtail asks, before anything looks a policy up.
register_permission_policy(
    TrainingEvent,
    ScopedPermissionPolicy(
        TrainingEvent, scope=events_visible_to, change_scope=events_managed_by
    ),
)
# Certification rules: staff see those of their programmes, the coordinators
# who certify a programme change its rule.
register_permission_policy(CertificationRule, certification.certification_policy())


class QuizViewSet(KeepingSnippetViewSet):
    model = Quiz
    icon = "form"
    menu_label = _("Daftar kuis")
    index_view_class = results.QuizListingView
    edit_view_class = results.QuizEditView
    list_display = [
        "title",
        "mode",
        "module",
        "pass_mark",
        # Words, not Python's "False" (Wagtail's tick column reads it aloud).
        Column(
            "draft",
            label=_("Status"),
            accessor=lambda quiz: (
                gettext("Konsep") if quiz.draft else gettext("Tampil")
            ),
        ),
    ]
    list_filter = ["mode", "draft", "category"]
    search_fields = ["title", "description"]
    search_backend_name = None


class QuestionViewSet(KeepingSnippetViewSet):
    model = Question
    edit_handler = ObjectList(Question.panels, base_form_class=QuestionForm)
    icon = "help"
    menu_label = _("Bank soal")
    list_display = ["__str__", "kind", "category", "updated_at"]
    list_filter = ["kind", "category"]
    search_fields = ["text", "explanation"]
    search_backend_name = None

    def get_queryset(self, request):
        return Question.objects.select_related("category__parent")


class CategoryViewSet(KeepingSnippetViewSet):
    model = Category
    icon = "folder-open-inverse"
    menu_label = _("Kategori soal")
    list_display = ["__str__"]

    def get_queryset(self, request):
        return Category.objects.select_related("parent")


class ScenarioViewSet(KeepingSnippetViewSet):
    model = Scenario
    icon = "group"
    menu_label = _("Kisah kasus soal")


class CompetencyViewSet(KeepingSnippetViewSet):
    model = Competency
    icon = "success"
    menu_label = _("Daftar kompetensi")
    list_display = ["name", "legal_basis"]
    search_fields = ["name", "description"]
    search_backend_name = None


# Sidebar labels stay short (Wagtail cuts them near 20 characters), and
# related screens sit together: the quiz snippets with the import, results and
# statistics; the competencies with their matrix. The screens that are not
# snippets join a group through its submenu hook, each keeping its own check
# of who may see it.
KUIS_MENU_HOOK = "register_assessments_quiz_menu_item"
KOMPETENSI_MENU_HOOK = "register_assessments_competence_menu_item"


class QuizGroup(SnippetViewSetGroup):
    menu_label = _("Kuis")
    menu_name = "kuis"
    menu_icon = "form"
    menu_order = 250
    submenu_hook = KUIS_MENU_HOOK
    items = (QuizViewSet, QuestionViewSet, CategoryViewSet, ScenarioViewSet)


class CompetenceGroup(SnippetViewSetGroup):
    menu_label = _("Kompetensi")
    menu_name = "kompetensi"
    menu_icon = "success"
    menu_order = 260
    submenu_hook = KOMPETENSI_MENU_HOOK
    items = (CompetencyViewSet,)


register_snippet(QuizGroup)
register_snippet(CompetenceGroup)

hooks.register("register_admin_viewset", events.event_viewset)
hooks.register("register_admin_viewset", certification.CertificationGroup)

hooks.register("register_admin_urls", assessment.admin_urls)
hooks.register("register_admin_urls", certification.admin_urls)
hooks.register("register_admin_urls", competence.admin_urls)
hooks.register("register_admin_urls", events.admin_urls)
hooks.register("register_admin_urls", item_statistics.admin_urls)
hooks.register("register_admin_urls", marking.admin_urls)
hooks.register("register_admin_urls", question_import.admin_urls)
hooks.register("register_admin_urls", results.admin_urls)
hooks.register("register_admin_urls", sample_curriculum.admin_urls)

for menu_item in (
    question_import.import_questions_menu_item,
    *results.results_menu_items,
    item_statistics.item_statistics_menu_item,
):
    hooks.register(KUIS_MENU_HOOK, menu_item)
hooks.register(KOMPETENSI_MENU_HOOK, competence.competence_matrix_menu_item)
# Sertifikasi: Kesiapan, Sertifikat (here), Aturan (the rule viewset).
for menu_item in (
    certification.readiness_menu_item,
    certification.certificates_menu_item,
):
    hooks.register(certification.SERTIFIKASI_MENU_HOOK, menu_item)


@hooks.register("before_delete_snippet")
def keep_quizzes_people_sat(request, instances):
    """Refuse, in words, to delete quizzes that have results, one or several.

    Asked when the confirmation opens and again when it is sent, so nothing
    reaches the database's refusal (`Sitting.quiz` is PROTECT: a server
    error, or a bulk delete failing half-way).
    """
    quizzes = [instance for instance in instances if isinstance(instance, Quiz)]
    if not quizzes:
        return None
    refusal = quiz_deletion_refusal(quizzes=quizzes)
    if refusal is None:
        return None
    messages.error(request, refusal)
    return redirect(
        get_valid_next_url_from_request(request)
        or reverse("wagtailsnippets_assessments_quiz:list")
    )
