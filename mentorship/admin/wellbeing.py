"""Wellbeing check-ins in the admin: counts, and nothing else.

Check-ins are health data under UU PDP; no admin screen lists or opens one.
"Kesejahteraan: angka" gives coordinators and facilitators `checkin_counts`
for the companions of the programmes in their scope: how many check-ins, by
feeling, how many signalled risk. Below `MIN_PEOPLE` companions the numbers
are withheld, so that nobody can be recognised from them.

Registered in `mentorship.wagtail_hooks`.
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy

from assessments.admin.access import FacilitatorMenuItem
from learning.models import User

from ..choices import Feeling
from ..wellbeing import checkin_counts
from .case_counts import ProgrammeCountsView, count_rows

# Fewer companions than this and a count could point at one person.
MIN_PEOPLE = 5


class WellbeingCountsView(ProgrammeCountsView):
    template_name = "mentorship/wellbeing/admin_counts.html"
    page_title = gettext_lazy("Kesejahteraan: angka")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, chosen, programmes = self.chosen_programmes()
        people = User.objects.filter(enrolments__cohort__programme__in=programmes)
        counts = checkin_counts(people=people)
        context.update(
            form=form,
            programme=chosen,
            counts=counts,
            by_feeling=count_rows(counts.by_feeling, Feeling.choices),
            shown=counts.people >= MIN_PEOPLE,
            min_people=MIN_PEOPLE,
        )
        return context


def wellbeing_count_urls():
    return [
        path(
            "magang/kesejahteraan-angka/",
            WellbeingCountsView.as_view(),
            name="mentorship_wellbeing_counts",
        )
    ]


def wellbeing_counts_menu_item():
    return FacilitatorMenuItem(
        gettext_lazy("Kesejahteraan: angka"),
        reverse("mentorship_wellbeing_counts"),
        icon_name="table",
        order=810,
    )
