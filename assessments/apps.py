from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Penilaian")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from learning.choices import Role
        from learning.home import register_home_panel
        from learning.site_setup import register_site_setup
        from modules.offline import register_offline_part
        from modules.progress import register_completion_rule
        from modules.sections import register_module_section

        from .demo import prepare_assessments
        from .grading import graded_quiz_passed
        from .offline import offline_entries, offline_links, offline_version
        from .selectors import module_quizzes

        register_site_setup(prepare_assessments)
        register_home_panel(
            name="competence",
            template="assessments/panels/competence.html",
            roles=[Role.PESERTA, Role.ALUMNI],
            order=15,
        )
        register_completion_rule(graded_quiz_passed)
        register_module_section(
            name="quizzes",
            template="assessments/includes/module_quizzes.html",
            get_context=module_quizzes,
            order=10,
        )
        register_offline_part(
            name="practice_quizzes",
            version=offline_version,
            entries=offline_entries,
            links=offline_links,
        )
