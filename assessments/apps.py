from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Penilaian")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from learning.choices import Role
        from learning.first_run import register_first_run_step
        from learning.home import register_home_panel
        from learning.navigation import named_url, register_place
        from learning.site_setup import register_site_setup
        from modules.offline import register_offline_part
        from modules.progress import (
            register_completion_listener,
            register_completion_rule,
        )
        from modules.sections import register_module_section

        from .admin.sample_curriculum import CURRICULUM_STEP
        from .demo import prepare_assessments
        from .grading import graded_quiz_passed
        from .offline import offline_entries, offline_links, offline_version
        from .selectors import module_quizzes

        register_site_setup(prepare_assessments)
        # The curriculum step of the admin home's first-run checklist.
        register_first_run_step(CURRICULUM_STEP)
        register_home_panel(
            name="competence",
            template="assessments/panels/competence.html",
            roles=[Role.PESERTA, Role.ALUMNI],
            order=15,
        )
        register_completion_rule(graded_quiz_passed)
        from . import certification_conditions as conditions
        from .certificate_renewal import renew_after_refresher
        from .certification import register_certification_condition
        from .views.certificates import home_panel as certificates_panel

        register_completion_listener(renew_after_refresher)
        # Alumni reach their certificates from the menu; trainees from the
        # home panel (their five places are full).
        register_place(
            name="sertifikat",
            label=_("Sertifikat"),
            url=named_url("assessments:my_certificates"),
            roles=[Role.ALUMNI],
            order=50,
            keep=45,
        )
        register_home_panel(
            name="sertifikat",
            template="assessments/panels/certificates.html",
            roles=[Role.PESERTA, Role.ALUMNI],
            order=16,
            get_context=certificates_panel,
        )

        register_certification_condition(
            "modules",
            order=10,
            applies=lambda rule: rule.require_core_modules,
            check=conditions.check_core_modules,
        )
        register_certification_condition(
            "competencies",
            order=20,
            applies=lambda rule: rule.require_competencies,
            check=conditions.check_competencies,
        )
        register_certification_condition(
            "attendance",
            order=50,
            applies=lambda rule: rule.require_workshop_attendance,
            check=conditions.check_workshop_attendance,
        )
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
