from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Penilaian")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from modules.progress import register_completion_rule

        from .grading import graded_quiz_passed

        register_completion_rule(graded_quiz_passed)
