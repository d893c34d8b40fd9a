from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from wagtail.users.apps import WagtailUsersAppConfig


class LearningConfig(AppConfig):
    default = True
    name = "learning"
    verbose_name = _("Inti pembelajaran")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.urls import register_converter

        from .bounds import IdConverter
        from .choices import ADMIN_ROLES, Role
        from .home import register_home_panel
        from .navigation import named_url, register_place
        from .views import notifications_panel

        register_converter(IdConverter, "id")

        from . import admin_sidebar

        admin_sidebar.install()

        from django.contrib.auth.signals import user_logged_in

        from . import second_factor

        user_logged_in.connect(
            second_factor.remember_device_at_sign_in,
            dispatch_uid="pendamping-second-factor-at-sign-in",
        )

        register_home_panel(
            name="notifications",
            template="learning/panels/notifications.html",
            roles=list(Role),
            order=5,
            get_context=notifications_panel,
        )
        register_home_panel(
            name="trainee",
            template="learning/panels/trainee.html",
            roles=[Role.PESERTA],
            order=10,
        )
        register_home_panel(
            name="alumni",
            template="learning/panels/alumni.html",
            roles=[Role.ALUMNI],
            order=20,
        )
        register_home_panel(
            name="workspace",
            template="learning/panels/workspace.html",
            roles=[Role.FASILITATOR, Role.KOORDINATOR],
            order=30,
        )
        register_home_panel(
            name="account",
            template="learning/panels/account.html",
            roles=list(Role),
            order=1000,
        )
        register_place(
            name="home", label=_("Beranda"), url=named_url("home"), order=10, keep=100
        )
        register_place(
            name="admin",
            label=_("Kelola"),
            url=named_url("wagtailadmin_home"),
            roles=ADMIN_ROLES,
            order=70,
            keep=80,
        )
        register_place(
            name="account",
            label=_("Akun"),
            url=named_url("account"),
            order=90,
            keep=100,
        )


class UsersConfig(WagtailUsersAppConfig):
    """Wagtail's user admin with forms that fit people without e-mail or surname."""

    user_viewset = "learning.viewsets.UserViewSet"

    def ready(self):
        super().ready()  # registers Wagtail's plain policy for User; ours replaces it
        from .viewsets import register_scoped_policies

        register_scoped_policies()
