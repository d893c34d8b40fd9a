from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModulesConfig(AppConfig):
    name = "modules"
    verbose_name = _("Modul pelatihan")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from learning.choices import Role
        from learning.home import register_home_panel
        from learning.navigation import named_url, register_place
        from learning.site_setup import register_site_setup

        from .content_cache import connect_content_signals
        from .offline import prepare_offline_packages
        from .panels import (
            curriculum_context,
            learning_context,
            refresher_context,
            training_home_url,
        )
        from .site_setup import prepare_curriculum

        connect_content_signals()
        register_site_setup(prepare_curriculum)
        register_place(
            name="learn", label=_("Belajar"), url=training_home_url, order=20, keep=90
        )
        register_place(
            name="search",
            label=_("Cari"),
            url=named_url("modules:search"),
            order=60,
            keep=40,
        )
        register_site_setup(prepare_offline_packages, last=True)
        # Replaces the placeholder panels `learning` draws for these roles.
        register_home_panel(
            name="trainee",
            template="modules/panels/learning.html",
            roles=[Role.PESERTA],
            order=10,
            get_context=learning_context,
        )
        register_home_panel(
            name="alumni",
            template="modules/panels/refresher.html",
            roles=[Role.ALUMNI],
            order=20,
            get_context=refresher_context,
        )
        register_home_panel(
            name="curriculum",
            template="modules/panels/curriculum.html",
            roles=[Role.FASILITATOR, Role.KOORDINATOR],
            order=25,
            get_context=curriculum_context,
        )
