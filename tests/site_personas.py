"""The demo site with one person of each kind, for the crawl and the access matrix.

`demo_site()` loads what `make run` loads, adds the people the demo lacks
(a coordinator of another programme, a superuser) and the records the demo
does not make (a quiz sitting, a wellbeing check-in), and returns them by
name. `routes()` lists every route of the project: its own URL patterns, its
admin viewsets and snippets, its API operations, and a listed sample of
Wagtail's own admin.
"""

import datetime
import uuid
from dataclasses import dataclass

from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from learning.choices import Role
from learning.demo import DEMO_PASSWORD
from learning.models import Cohort, Organisation, Programme, User
from tests.factories import user_with_roles
from tests.factories.people import client_for

PROJECT_APPS = ("learning", "modules", "assessments", "mentorship")

# The admin viewsets and snippets of the project's own models, by namespace.
PROJECT_NAMESPACES = (
    "cohort",
    "programme",
    "organisation",
    "trainingevent",
    "mentorship_placement",
    "mentorship_hourentry",
    "mentorship_practicecase",
    "reflection_session",
    "wagtailusers_users",
    "wagtailsnippets_modules_",
    "wagtailsnippets_assessments_",
    "wagtailsnippets_mentorship_",
    "wagtailsnippets_learning_",
)

# Wagtail's own admin, by a sample: pages, images, documents, users.
WAGTAIL_SAMPLE = (
    "admin/",
    "admin/pages/",
    "admin/pages/<int:parent_page_id>/",
    "admin/pages/<int:page_id>/edit/",
    "admin/images/",
    "admin/images/<int:image_id>/",
    "admin/documents/",
    "admin/documents/edit/<int:document_id>/",
    "admin/reports/site-history/",
)

PERSONAS = (
    "anonymous",
    "trainee",
    "other_trainee",
    "facilitator",
    "partner",
    "other_coordinator",
    "superuser",
)


@dataclass(frozen=True)
class Route:
    """One URL pattern, with the HTTP methods it answers."""

    pattern: str
    name: str
    methods: tuple[str, ...]


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace + (f"{entry.namespace}:" if entry.namespace else "")
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), namespace + (entry.name or ""), entry


def _module_of(pattern: URLPattern) -> str:
    view = pattern.callback
    view_class = getattr(view, "view_class", None)
    return (view_class or view).__module__


def _api_methods() -> dict[str, tuple[str, ...]]:
    """Each API path with its methods, from the served OpenAPI schema."""
    from learning.api import api

    schema = api.get_openapi_schema()
    methods = {}
    for path, operations in schema["paths"].items():
        # /api/magang/entries/{entry_uuid} -> api/magang/entries/<entry_uuid>
        route = path.lstrip("/").replace("{", "<").replace("}", ">")
        methods[route] = tuple(sorted(method.upper() for method in operations))
    return methods


def _is_projects(pattern_text: str, name: str, pattern: URLPattern) -> bool:
    if pattern_text in WAGTAIL_SAMPLE:
        return True
    namespace = name.split(":", 1)[0] + ":" if ":" in name else ""
    if any(namespace.startswith(prefix) for prefix in PROJECT_NAMESPACES):
        return True
    return _module_of(pattern).split(".", 1)[0] in PROJECT_APPS


def routes() -> list[Route]:
    """Every route of the project, one row per URL pattern."""
    api_methods = _api_methods()
    found: dict[str, Route] = {}
    for text, name, pattern in _walk(get_resolver().url_patterns):
        if not _is_projects(text, name, pattern) and not text.startswith("api/"):
            continue
        if text.startswith("api/"):
            plain = _strip_converters(text)
            if plain in ("api/openapi.json", "api/docs", "api/"):
                methods = ("GET",)
            elif plain in api_methods:
                methods = api_methods[plain]
            else:
                continue
            text = plain
        elif text in WAGTAIL_SAMPLE:
            methods = ("GET",)  # Wagtail's own forms are Wagtail's to test
        else:
            methods = ("GET", "POST")
        found[text] = Route(text, name, methods)
    return sorted(found.values(), key=lambda route: route.pattern)


def _strip_converters(text: str) -> str:
    """api/x/<uuidstr:entry_uuid> -> api/x/<entry_uuid>, as the schema names it."""
    import re

    return re.sub(r"<\w+:(\w+)>", r"<\1>", text)


def demo_client(person: User | None) -> Client:
    """A browser of its own for a demo person (or anonymous)."""
    return client_for(person, DEMO_PASSWORD)


def demo_site() -> dict:
    """Load the demo as `make run` does and name the people and records."""
    from assessments.grading import start_sitting
    from assessments.models import Quiz
    from learning.privacy import accept_notice
    from mentorship.wellbeing import record_checkin

    call_command("prepare_site", demo=True, verbosity=0)
    people = {
        "trainee": User.objects.get(username="peserta"),
        "other_trainee": User.objects.get(username="paralegal-oelomin"),
        "facilitator": User.objects.get(username="fasilitator"),
        "partner": User.objects.get(username="fasilitator-yabiku"),
        "coordinator": User.objects.get(username="koordinator"),
        "alumnus": User.objects.get(username="alumni"),
    }
    other = user_with_roles(Role.KOORDINATOR, username="koordinator-lain")
    other.set_password(DEMO_PASSWORD)
    other.save(update_fields=["password"])
    cis = Organisation.objects.get(short_name="CIS Timor")
    programme = Programme.objects.create(name="Program Lain CIS", short_name="PL-CIS")
    programme.organisations.set([cis])
    programme.coordinators.set([other])
    programme.save()
    Cohort.objects.create(
        programme=programme, name="Angkatan Lain", start_date=datetime.date(2023, 1, 1)
    )
    people["other_coordinator"] = other
    people["superuser"] = User.objects.create_superuser(
        username="super-uji", password=DEMO_PASSWORD, email=""
    )
    # Like the demo's own people, the two it lacks have read the privacy notice.
    for added in (other, people["superuser"]):
        accept_notice(person=added)
    quiz = Quiz.objects.order_by("pk").first()
    sitting = start_sitting(user=people["trainee"], quiz=quiz)
    checkin, _ = record_checkin(
        person=people["trainee"], uuid=uuid.uuid4(), feeling="baik", note=""
    )
    # Wagtail fills its reference index after commit, which never comes in the
    # rolled-back transaction the tests run in; build it, so "in use" answers
    # the same in every run. The admin's viewsets register their models for
    # the index when the URLs load: load them first.
    get_resolver().url_patterns  # noqa: B018
    call_command("rebuild_references_index", verbosity=0)
    people["anonymous"] = None
    return {"people": people, "sitting": sitting, "checkin": checkin}
