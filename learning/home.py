"""The signed-in home page is built from panels that each app registers.

`learning` draws the frame and its own panels; higher apps (modules,
assessments, mentorship) add theirs from their AppConfig.ready(), so this
module never imports them.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.http import HttpRequest

from .choices import Role


@dataclass(frozen=True)
class HomePanel:
    """One block of a role's home page: a template and the context it needs."""

    name: str
    template: str
    roles: frozenset[Role]
    order: int = 100
    get_context: Callable[[HttpRequest], dict] | None = field(default=None)


_panels: dict[str, HomePanel] = {}


def register_home_panel(
    *,
    name: str,
    template: str,
    roles: Iterable[Role],
    order: int = 100,
    get_context: Callable[[HttpRequest], dict] | None = None,
) -> None:
    """Add (or replace, by name) a panel shown to people holding any of `roles`."""
    _panels[name] = HomePanel(
        name=name,
        template=template,
        roles=frozenset(roles),
        order=order,
        get_context=get_context,
    )


def panels_for(request: HttpRequest, roles: Iterable[Role]) -> list[dict]:
    """The panels for a person with `roles`, in order, with their context."""
    held = set(roles)
    chosen = sorted(
        (panel for panel in _panels.values() if panel.roles & held),
        key=lambda panel: (panel.order, panel.name),
    )
    return [
        {
            "name": panel.name,
            "template": panel.template,
            "context": panel.get_context(request) if panel.get_context else {},
        }
        for panel in chosen
    ]
