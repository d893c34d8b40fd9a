"""The few places a signed-in person goes: a bar at the foot of a phone's
screen, a menu under the header on a wide one.

Each app registers its places from AppConfig.ready(), as the home panels are
(`learning` never imports the apps above it). A person sees the places their
roles reach, at most `MOST_PLACES` of them: when more apply, those with the
lowest `keep` give way, so Beranda and Akun always stay.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from .choices import Role

MOST_PLACES = 5


@dataclass(frozen=True)
class Place:
    """One entry of the menu: its label, where it leads, who sees it."""

    name: str
    label: str
    url: Callable[[], str | None]
    roles: frozenset[Role] | None
    order: int
    keep: int


_places: dict[str, Place] = {}


def named_url(url_name: str) -> Callable[[], str | None]:
    """A place's address from a URL name (None when the URL conf lacks it)."""

    def url() -> str | None:
        try:
            return reverse(url_name)
        except NoReverseMatch:
            return None

    return url


def register_place(
    *,
    name: str,
    label: str,
    url: Callable[[], str | None],
    order: int,
    keep: int = 50,
    roles: Iterable[Role] | None = None,
) -> None:
    """Add (or replace, by name) a place; `roles=None` means every signed-in person."""
    _places[name] = Place(
        name=name,
        label=label,
        url=url,
        roles=None if roles is None else frozenset(roles),
        order=order,
        keep=keep,
    )


def places_for(request: HttpRequest) -> list[dict]:
    """The menu of the person making `request`: label, url and whether it is here.

    Empty for a visitor who has not signed in. The place whose address is the
    longest start of the current path is marked current (Beranda only on "/").
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    held = set(user.roles)
    reached = [p for p in _places.values() if p.roles is None or p.roles & held]
    kept = sorted(reached, key=lambda p: (-p.keep, p.order))[:MOST_PLACES]
    menu = []
    for place in sorted(kept, key=lambda p: (p.order, p.name)):
        url = place.url()
        if url:
            menu.append({"name": place.name, "label": place.label, "url": url})
    here = _current(request.path, [item["url"] for item in menu])
    for item in menu:
        item["current"] = item["url"] == here
    return menu


def _current(path: str, urls: list[str]) -> str | None:
    matching = [
        url for url in urls if path == url or (url != "/" and path.startswith(url))
    ]
    return max(matching, key=len, default=None)
