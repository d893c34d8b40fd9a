"""The mentorship admin: every screen, panel, menu item and bulk action of the
"Magang" menu and of the annual reflection, registered here and only here.

Facilitators and coordinators set up placements and import paper logs;
supervisors verify or return hour entries and review practice cases with
Wagtail bulk actions and see on their dashboard what waits for them;
coordinators see counts of cases and wellbeing check-ins (no screen lists or
opens a check-in); reflection sessions have their attendance, entries and
summary.
"""

from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup

from .admin.attention import add_attention_panel
from .admin.case_counts import case_count_urls, case_counts_menu_item
from .admin.cases import PracticeCaseViewSet, add_waiting_cases_panel
from .admin.hours import HourEntryViewSet, add_waiting_hours_panel
from .admin.paper_import import (
    register_paper_import_menu_item,
    register_paper_import_urls,
)
from .admin.placements import PlacementViewSet
from .admin.programme_history import (
    programme_history_menu_item,
    programme_history_viewset,
)
from .admin.programme_view import (
    add_programme_panel,
    programme_view_menu_item,
    programme_view_urls,
)
from .admin.reflection import register_reflection_viewset
from .admin.reflection_session import register_reflection_urls
from .admin.verification import ReturnBulkAction, VerifyBulkAction
from .admin.wellbeing import wellbeing_count_urls, wellbeing_counts_menu_item


class MagangGroup(ViewSetGroup):
    menu_label = _("Magang")
    menu_icon = "time"
    menu_order = 270
    # The paper-log import and the counts add their menu items through this hook.
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


# Hours: the supervisor's bulk decisions and waiting panel.
hooks.register("register_bulk_action", VerifyBulkAction)
hooks.register("register_bulk_action", ReturnBulkAction)
hooks.register("construct_homepage_panels", add_waiting_hours_panel)

# Practice cases: the supervisor's review, its dashboard panel, the counts.
hooks.register("construct_homepage_panels", add_waiting_cases_panel)
hooks.register("register_admin_urls", case_count_urls)
hooks.register("register_magang_menu_item", case_counts_menu_item)

# What waits for a facilitator, across hours, cases, essays and check-ins.
hooks.register("construct_homepage_panels", add_attention_panel)

# Paper logs: pick a placement, download its template, upload it.
hooks.register("register_admin_urls", register_paper_import_urls)
hooks.register("register_magang_menu_item", register_paper_import_menu_item)

# Wellbeing check-ins: counts only.
hooks.register("register_admin_urls", wellbeing_count_urls)
hooks.register("register_magang_menu_item", wellbeing_counts_menu_item)

# Annual reflection: sessions, attendance, reflections, outcomes.
hooks.register("register_admin_viewset", register_reflection_viewset)
hooks.register("register_admin_urls", register_reflection_urls)

# A programme's years before Pendamping, entered by hand (beside "Angka program").
hooks.register("register_admin_viewset", programme_history_viewset)
hooks.register("register_admin_menu_item", programme_history_menu_item)

# The programme view: a year's figures, charts, exports and the home panel.
hooks.register("register_admin_urls", programme_view_urls)
hooks.register("register_admin_menu_item", programme_view_menu_item)
hooks.register("construct_homepage_panels", add_programme_panel)
