"""The "Magang" admin menu: placements, hour entries, the paper-log import.

Facilitators and coordinators set up placements and import paper logs;
supervisors verify or return hour entries with Wagtail bulk actions, and see
on their dashboard how many entries wait for them.
Practice cases (`admin_cases`): the supervisor's review, counts for coordinators.
"""

from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup

from . import admin_import  # noqa: F401 - registers the import screens
from .admin_cases import (
    PracticeCaseViewSet,
    add_waiting_cases_panel,
    case_count_urls,
    case_counts_menu_item,
)
from .admin_hours import (
    HourEntryViewSet,
    ReturnBulkAction,
    VerifyBulkAction,
    add_waiting_hours_panel,
)
from .admin_placements import PlacementViewSet


class MagangGroup(ViewSetGroup):
    menu_label = _("Magang")
    menu_icon = "time"
    menu_order = 270
    # The paper-log import adds its menu item through this hook.
    submenu_hook = "register_magang_menu_item"

    def __init__(self):
        self.items = (
            PlacementViewSet("mentorship_placement"),
            HourEntryViewSet("mentorship_hourentry"),
            PracticeCaseViewSet("mentorship_practicecase"),
        )
        super().__init__()


@hooks.register("register_admin_viewset")
def register_magang_screens():
    return MagangGroup()


hooks.register("register_bulk_action", VerifyBulkAction)
hooks.register("register_bulk_action", ReturnBulkAction)
hooks.register("construct_homepage_panels", add_waiting_hours_panel)

# Practice cases: the supervisor's review, its dashboard panel, the counts.
hooks.register("construct_homepage_panels", add_waiting_cases_panel)
hooks.register("register_admin_urls", case_count_urls)
hooks.register("register_magang_menu_item", case_counts_menu_item)

# Wellbeing check-ins: counts only; no screen lists or opens a check-in.
from .admin_wellbeing import (  # noqa: E402
    wellbeing_count_urls,
    wellbeing_counts_menu_item,
)

hooks.register("register_admin_urls", wellbeing_count_urls)
hooks.register("register_magang_menu_item", wellbeing_counts_menu_item)

# Annual reflection: sessions, attendance, reflections, outcomes. Importing
# the module registers its viewset ("Refleksi tahunan") and its admin URLs.
from . import admin_reflection  # noqa: E402, F401
