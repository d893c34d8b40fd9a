from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentorshipConfig(AppConfig):
    name = "mentorship"
    verbose_name = _("Pendampingan dan magang")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from assessments.competence import register_evidence_kind
        from learning.choices import Role
        from learning.home import register_home_panel
        from learning.navigation import named_url, register_place
        from learning.offline import (
            register_offline_form,
            register_offline_outbox,
            register_offline_page,
        )
        from learning.scope import register_people_rule
        from learning.site_setup import register_site_setup

        from . import evidence
        from .demo import prepare_mentorship
        from .models import HourEntry, PracticeCase
        from .selectors import supervised_trainees
        from .views.hours import home_panel

        register_people_rule(supervised_trainees)
        register_place(
            name="magang",
            label=_("Magang"),
            url=named_url("mentorship:log"),
            roles=[Role.PESERTA],
            order=30,
            keep=70,
        )
        register_place(
            name="attendance",
            label=_("Kehadiran"),
            url=named_url("mentorship:attendance"),
            roles=[Role.FASILITATOR],
            order=40,
            keep=75,
        )
        register_site_setup(prepare_mentorship)
        from .programme_figures.kept import watch_input_writes

        watch_input_writes()
        register_evidence_kind(
            HourEntry,
            label=_("Jam magang terverifikasi"),
            offered=evidence.verified_hours_of,
            describe=evidence.describe_hours,
        )
        register_evidence_kind(
            PracticeCase,
            label=_("Kasus praktik yang sudah ditinjau"),
            offered=evidence.reviewed_cases_of,
            describe=evidence.describe_case,
            prefetch=("competencies_shown",),
            suggests=evidence.case_shows,
        )
        from assessments.certification import register_certification_condition

        from . import certification

        register_certification_condition(
            "hours",
            order=30,
            applies=lambda rule: rule.require_magang_hours,
            check=certification.check_magang_hours,
        )
        register_certification_condition(
            "cases",
            order=40,
            applies=lambda rule: rule.require_practice_cases,
            check=certification.check_practice_cases,
        )
        from .attention import home_panel as attention_panel

        register_home_panel(
            name="attention",
            template="mentorship/panels/attention.html",
            roles=[Role.FASILITATOR],
            order=8,
            get_context=attention_panel,
        )
        register_home_panel(
            name="magang",
            template="mentorship/panels/magang.html",
            roles=[Role.PESERTA],
            order=17,
            get_context=home_panel,
        )
        # A way to the wellbeing check-in, for companions (no query).
        register_home_panel(
            name="kesejahteraan",
            template="mentorship/wellbeing/panel.html",
            roles=[Role.PESERTA, Role.ALUMNI],
            order=60,
        )
        from .views.reflection import home_panel as reflection_panel

        register_home_panel(
            name="refleksi",
            template="mentorship/reflection/panel.html",
            roles=[Role.PESERTA, Role.ALUMNI],
            order=18,
            get_context=reflection_panel,
        )
        # Written with no signal, sent later by outbox-send.js (its kinds).
        register_offline_form(url_name="mentorship:entry_new", kind="jam")
        register_offline_form(url_name="mentorship:case_new", kind="kasus")
        register_offline_form(
            url_name="mentorship:wellbeing", kind="cek", back_to_form=True
        )
        register_offline_form(
            kind="refleksi", prefix="/refleksi/", pattern=r"^/refleksi/\d+/$"
        )
        # A facilitator's attendance in a village: the list keeps each day's page.
        register_offline_form(
            kind="hadir_pelatihan",
            prefix="/kehadiran/",
            pattern=r"^/kehadiran/pelatihan/\d+/\d{4}-\d{2}-\d{2}/$",
        )
        register_offline_form(
            kind="hadir_refleksi",
            prefix="/kehadiran/",
            pattern=r"^/kehadiran/refleksi/\d+/$",
        )
        register_offline_page(url_name="mentorship:attendance")
        register_offline_outbox(
            url_name="mentorship:outbox", sender="mentorship/js/outbox-send.js"
        )
