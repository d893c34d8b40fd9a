"""The admin's menu, built once per person and reused for a few minutes.

Wagtail builds the sidebar's menu on every admin page, asking each menu item
whether the person may see it: about a fifth of a page such as the programme
view (issue 26). What it shows depends on who the person is (name, groups,
superuser) and the language, which are the key, and on what their groups are
allowed, which changes only when an administrator changes the groups'
permissions: that shows within `SIDEBAR_SECONDS`. Nothing in it depends on
the page being shown (the sidebar marks the current item in the browser),
and it holds no secret (no CSRF token).
"""

import hashlib

from django.core.cache import cache
from django.utils.translation import get_language

from wagtail.admin.templatetags import wagtailadmin_tags

SIDEBAR_SECONDS = 5 * 60

_build = wagtailadmin_tags.sidebar_props


def cached_sidebar_props(context):
    request = context["request"]
    user = request.user
    who = "|".join(
        [
            str(user.pk),
            str(user.is_superuser),
            user.get_full_name(),
            ",".join(str(group.pk) for group in sorted(user.groups.all(), key=_pk)),
            get_language() or "",
        ]
    )
    key = "admin-menu:" + hashlib.sha256(who.encode()).hexdigest()
    props = cache.get(key)
    if props is None:
        props = _build(context)
        cache.set(key, props, SIDEBAR_SECONDS)
    return props


def _pk(group) -> int:
    return group.pk


def install() -> None:
    """Put the cached menu in place of Wagtail's tag (AppConfig.ready)."""
    wagtailadmin_tags.register.simple_tag(
        cached_sidebar_props, takes_context=True, name="sidebar_props"
    )
