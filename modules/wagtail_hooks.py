from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.tables import BooleanColumn
from wagtail.snippets.models import register_snippet

from learning.viewsets import KeepingSnippetViewSet

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
