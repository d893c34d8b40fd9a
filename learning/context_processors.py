from django.conf import settings

from .navigation import places_for
from .offline import outbox_url, owner_mark


def site(request) -> dict:
    return {
        "QUICK_EXIT_URL": settings.QUICK_EXIT_URL,
        # Whose stored pages this page may show offline (opaque; see offline.py).
        "OFFLINE_OWNER": owner_mark(getattr(request, "user", None)),
        "OFFLINE_OUTBOX_URL": outbox_url(),
        # Called by the template only where it draws the menu.
        "NAV_PLACES": lambda: places_for(request),
    }
