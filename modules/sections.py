"""Extra sections on a module page that higher apps add (its quizzes, say),
so `modules` shows them without importing those apps."""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest

SectionContext = Callable[[HttpRequest, object], dict | None]


@dataclass(frozen=True)
class ModuleSection:
    name: str
    template: str
    get_context: SectionContext
    order: int = 100


_sections: dict[str, ModuleSection] = {}


def register_module_section(
    *, name: str, template: str, get_context: SectionContext, order: int = 100
) -> None:
    """`get_context(request, module)` returns the section's context, or None to
    leave the section out for this person."""
    _sections[name] = ModuleSection(name, template, get_context, order)


def sections_for(request: HttpRequest, module) -> list[dict]:
    shown = []
    for section in sorted(_sections.values(), key=lambda s: (s.order, s.name)):
        context = section.get_context(request, module)
        if context is not None:
            shown.append({"template": section.template, "context": context})
    return shown
