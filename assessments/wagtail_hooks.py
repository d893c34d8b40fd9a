from django.utils.translation import gettext_lazy as _

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from learning.viewsets import KeepingSnippetViewSet

from .models import Category, Competency, Question, Quiz, Scenario


class QuizViewSet(KeepingSnippetViewSet):
    model = Quiz
    icon = "form"
    menu_label = _("Kuis")
    list_display = ["title", "mode", "module", "pass_mark", "draft"]
    list_filter = ["mode", "draft", "category"]
    search_fields = ["title", "description"]
    search_backend_name = None


class QuestionViewSet(KeepingSnippetViewSet):
    model = Question
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
    menu_label = _("Kompetensi")
    add_to_admin_menu = True
    menu_order = 260
    list_display = ["name", "legal_basis"]
    search_fields = ["name", "description"]
    search_backend_name = None


class QuizGroup(SnippetViewSetGroup):
    menu_label = _("Kuis & soal")
    menu_icon = "form"
    menu_order = 250
    items = (QuizViewSet, QuestionViewSet, CategoryViewSet, ScenarioViewSet)


register_snippet(QuizGroup)
register_snippet(CompetencyViewSet)

# Admin screens that register their own URLs and menu items.
from . import (  # noqa: E402, F401
    admin_assessment,
    admin_competence,
    admin_events,
    admin_import,
    admin_results,
)
