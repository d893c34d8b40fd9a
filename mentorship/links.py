"""Addresses of the supervisor's screens, for rules that point a person there.

The digests, the attention panel and the admin screens all link to the same
queues; the filter values live here so a rule never imports an admin module.
"""

from django.urls import reverse
from django.utils.http import urlencode

# Values of the admin lists' "tampilkan" filter.
QUEUE = "antrean"
EVERYTHING = "semua"


def hours_queue_url() -> str:
    """The supervisor's queue: hour entries waiting for their decision."""
    return reverse("mentorship_hourentry:index") + "?" + urlencode({"tampilkan": QUEUE})


def placement_entries_url(placement) -> str:
    """Every hour entry of one placement, whatever its status."""
    return (
        reverse("mentorship_hourentry:index")
        + "?"
        + urlencode({"tampilkan": EVERYTHING, "penempatan": placement.pk})
    )


def cases_queue_url() -> str:
    """The supervisor's queue: practice cases waiting for their review."""
    return (
        reverse("mentorship_practicecase:index") + "?" + urlencode({"tampilkan": QUEUE})
    )
