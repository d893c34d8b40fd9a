"""`{% narrative_check %}`: the narrative check on a page that saves offline.

Renders the messages (in the page's language) and the address of the desa
names as a JSON element, and loads narrative-check.js, which reads them; see
that script for `window.PendampingNarrative`.
"""

from django import template
from django.urls import reverse

from ..narrative_device import device_messages

register = template.Library()


@register.inclusion_tag("mentorship/includes/narrative_check.html")
def narrative_check() -> dict:
    return {
        "narrative_check": {
            "messages": device_messages(),
            "desa_url": reverse("mentorship:narrative_desa"),
        }
    }
