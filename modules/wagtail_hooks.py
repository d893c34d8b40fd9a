from django.shortcuts import redirect
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.models import Page
from wagtail.snippets.models import register_snippet

from learning.viewsets import KeepingSnippetViewSet

from . import edition_admin, offline_admin
from .deletion import page_deletion_refusal
from .models import ReferralService


class ReferralServiceViewSet(KeepingSnippetViewSet):
    """The referral directory, kept up to date by facilitators and coordinators.

    Who may edit is plain model permissions (see
    `modules.directory.grant_directory_permissions`): the directory is public
    information shared by every organisation, not scoped data.
    """

    model = ReferralService
    icon = "site"
    menu_label = _("Direktori layanan")
    add_to_admin_menu = True
    menu_order = 300
    list_display = [
        "name",
        "kind",
        "kabupaten",
        "last_verified",
        BooleanColumn(
            "is_sample",
            label=capfirst(ReferralService._meta.get_field("is_sample").verbose_name),
            sort_key="is_sample",
        ),
    ]
    list_filter = ["kind", "kabupaten", "is_sample"]
    # Substring search in the database, as on /layanan/: "puskes" finds
    # Puskesmas on SQLite and PostgreSQL alike, in name, notes or address.
    search_backend_name = None
    search_fields = ["name", "notes", "address"]
    ordering = "name"

    def get_queryset(self, request):
        return ReferralService.objects.select_related("kabupaten")


register_snippet(ReferralServiceViewSet)


@hooks.register("before_delete_page")
def keep_a_page_people_studied(request, page):
    """Refuse, in words, to delete a page whose subtree holds trainees' records.

    Asked when the confirmation opens and again when it is sent, so the
    editor learns before typing anything, and nothing reaches the
    database's refusal (a server error).
    """
    refusal = page_deletion_refusal(pages=[page])
    if refusal is None:
        return None
    buttons = []
    if page.live and page.permissions_for_user(request.user).can_unpublish():
        buttons.append(
            messages.button(
                reverse("wagtailadmin_pages:unpublish", args=(page.id,)),
                _("Batalkan terbit"),
            )
        )
    messages.error(request, refusal, buttons=buttons)
    return redirect(
        get_valid_next_url_from_request(request)
        or reverse("wagtailadmin_explore", args=(page.get_parent().id,))
    )


@hooks.register("before_bulk_action")
def keep_pages_people_studied(request, action_type, objects, action_class_instance):
    """The same refusal for pages deleted together from a listing: all or none."""
    if action_type != "delete" or not objects or not isinstance(objects[0], Page):
        return None
    refusal = page_deletion_refusal(pages=objects)
    if refusal is None:
        return None
    messages.error(request, refusal)
    return redirect(action_class_instance.next_url)


hooks.register("register_admin_urls", offline_admin.admin_urls)
hooks.register("register_reports_menu_item", offline_admin.menu_item)

# A newer sample edition that could not replace an edited module, quiz or bank.
hooks.register("construct_homepage_panels", edition_admin.add_sample_editions_panel)
hooks.register("register_admin_urls", edition_admin.admin_urls)
