from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_audit, admin_second_factor, first_run
from .admin_erasure import add_inactive_panel, erase_admin_urls
from .admin_views import (
    ImportPeopleView,
    OneTimePasswordView,
    PeopleImportJobView,
    import_template,
)
from .people_bulk_actions import SCOPED_BULK_ACTIONS, refuse_bulk_changes_outside_scope
from .region_field import region_search
from .viewsets import ProgrammeGroup

# Wagtail's bulk actions on the people list ask the scope rule too; registered
# after Wagtail's own (order=1), whose place they take.
for _action in SCOPED_BULK_ACTIONS:
    hooks.register("register_bulk_action", _action, order=1)
hooks.register("before_bulk_action", refuse_bulk_changes_outside_scope)


@hooks.register("register_admin_viewset")
def register_programme_screens():
    return ProgrammeGroup()


@hooks.register("register_admin_urls")
def register_account_urls():
    return [
        path(
            "akun/kata-sandi-sementara/",
            OneTimePasswordView.as_view(),
            name="learning_one_time_password",
        ),
        path("orang/impor/", ImportPeopleView.as_view(), name="learning_import_people"),
        path(
            "orang/impor/<id:pk>/",
            PeopleImportJobView.as_view(),
            name="learning_import_people_job",
        ),
        path(
            "orang/impor/templat.xlsx",
            import_template,
            name="learning_import_template",
        ),
        # Suggestions for the region field, as one types a place's name.
        path("wilayah/cari/", region_search, name="learning_region_search"),
    ]


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_menu_item")
def register_one_time_password_menu_item():
    return PermissionMenuItem(
        _("Atur kata sandi"),
        reverse("learning_one_time_password"),
        icon_name="key",
        order=900,
        permission="learning.set_one_time_password",
    )


@hooks.register("register_admin_menu_item")
def register_import_people_menu_item():
    return PermissionMenuItem(
        _("Impor orang"),
        reverse("learning_import_people"),
        icon_name="upload",
        order=220,
        permission="learning.add_user",
    )


@hooks.register("insert_global_admin_css")
def admin_phone_css():
    return format_html(
        '<link rel="stylesheet" href="{}">', static("learning/css/admin.css")
    )


# The first-run checklist on the admin home (learning.first_run).
hooks.register("construct_homepage_panels", first_run.add_first_run_panel)
hooks.register("register_admin_urls", first_run.admin_urls)

# The audit trail's listing, for coordinators and superusers (learning.admin_audit).
hooks.register("register_admin_urls", admin_audit.admin_urls)
hooks.register("register_admin_menu_item", admin_audit.menu_item)

# A superuser resets another person's second factor
# (learning.admin_second_factor), from the person's edit page.
hooks.register("register_admin_urls", admin_second_factor.admin_urls)

# Anonymising a person who left, and the accounts not seen for years
# (learning.admin_erasure): the confirmation page (its button is on the person's
# edit page, learning.viewsets) and the admin home's panel.
hooks.register("register_admin_urls", erase_admin_urls)
hooks.register("construct_homepage_panels", add_inactive_panel)
