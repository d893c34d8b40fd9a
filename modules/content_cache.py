"""What a lesson shows every reader alike, rendered once per change of content.

A lesson's blocks (all but its reflection prompts, which hold the reader's own
answer) and its module's list of lessons are the same for every trainee until
somebody publishes, moves or deletes a page, or changes a referral service, a
document, an image or the site that a lesson shows. Each such change adds a
`ContentStamp` row in the change's own transaction; a request reads the newest
rows' tokens (one small query), makes one token of them and looks the rendered
parts up under it. Every
process (the gunicorn workers, the Celery worker, the embedded server, a
management command) sees a change on its next request, whichever cache it
keeps, because the token lives in the database and not in the cache.

Issue 26 measured a lesson at 4 to 5 times the framework's floor, most of it
rendering blocks that had not changed since they were published.
"""

import hashlib
from collections.abc import Iterable
from contextvars import ContextVar

from django.apps import apps
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest
from django.http.request import split_domain_port
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from wagtail import views as wagtail_views
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site, get_page_models
from wagtail.signals import page_published, post_page_move
from wagtail.url_routing import RouteResult

from learning.stamps import add_stamp, newest_token

from .models import ContentStamp, LessonPage, ModulePage, ReferralService

# A token names the content as it stood; an old one is never read again, so
# its entries only need to outlive a quiet day, not to be removed.
CACHE_SECONDS = 24 * 60 * 60
REFLECTION = "reflection"


# The token read by the request being served (see ContentTokenMiddleware).
_request_memo: ContextVar[dict | None] = ContextVar("content_token", default=None)


# --- The stamp ------------------------------------------------------------------


def content_token() -> int | None:
    """The token of the content as it stands; None when no change was ever
    stamped (a freshly emptied database), and then nothing is cached.

    Read once a request; outside requests (tasks, commands), on every call.
    """
    memo = _request_memo.get()
    if memo is not None and "token" in memo:
        return memo["token"]
    token = newest_token(ContentStamp)
    if memo is not None:
        memo["token"] = token
    return token


def token_read_by_this_request() -> int | None:
    """The token, if the request being served has read it already; else None.

    For parts every page shows (the menu's "Belajar"): worth a cache lookup
    on a page that reads the token anyway, not a query of its own elsewhere.
    """
    memo = _request_memo.get()
    return memo.get("token") if memo is not None else None


def stamp_content_change() -> None:
    """Name the content anew, in the caller's transaction: a reader that sees
    the change sees the new token with it, and a rolled-back change leaves no
    token behind."""
    add_stamp(ContentStamp)
    memo = _request_memo.get()
    if memo is not None:  # the rest of this request reads its own change
        memo.pop("token", None)


def _on_change(sender, **kwargs) -> None:
    if kwargs.get("raw"):  # loaddata: the rows are restored, not changed
        return
    stamp_content_change()


def _watched_models() -> Iterable[type]:
    yield from get_page_models()
    yield Page
    yield ReferralService
    yield get_document_model()
    yield get_image_model()
    yield Site
    yield PageViewRestriction
    # A module limited to a programme that is deleted opens to every programme.
    yield apps.get_model("learning", "Programme")


def connect_content_signals() -> None:
    """Stamp every change that can alter what a lesson shows (AppConfig.ready).

    Saves are sent for the concrete class only, so every page model is named;
    a page's deletion reaches `Page`. A move rewrites descendants' paths in
    one UPDATE, so it has its own signal.
    """
    for model in set(_watched_models()):
        uid = f"content-stamp-{model._meta.label_lower}"
        post_save.connect(_on_change, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"{uid}-delete")
    post_page_move.connect(_on_change, dispatch_uid="content-stamp-move")
    # Sent once the page's own relations (a module's programmes) are written
    # too, which its post_save comes before.
    page_published.connect(_on_change, dispatch_uid="content-stamp-publish")
    m2m_changed.connect(
        _on_change,
        sender=PageViewRestriction.groups.through,
        dispatch_uid="content-stamp-restriction-groups",
    )


def cached(name: str, token: int | None, build):
    """`build()` once per token (and language), kept in the cache."""
    if token is None:
        return build()
    key = f"isi:{name}:{token}:{get_language()}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, CACHE_SECONDS)
    return value


# --- Finding the page a request asks for ------------------------------------------


class ContentTokenMiddleware:
    """Reads the content token at most once a request, and finds the page a
    Wagtail address asks for by the token instead of walking the tree.

    Wagtail finds the site and then the page one level at a time (five
    queries for a lesson); a page found before under the same token comes
    from the cache as it was then, with no query. Only a route to a live page
    itself is kept (no arguments), and only for reading (GET, HEAD); anything
    else goes Wagtail's own way.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        reset = _request_memo.set({})
        try:
            return self.get_response(request)
        finally:
            _request_memo.reset(reset)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is not wagtail_views.serve or request.method not in (
            "GET",
            "HEAD",
        ):
            return None
        token = content_token()
        if token is None:
            return None
        # Wagtail's pattern passes the path as its one positional argument.
        path = view_args[0] if view_args else view_kwargs.get("path", "")
        hostname = split_domain_port(request._get_raw_host())[0]
        where = hashlib.sha256(
            f"{hostname}|{request.get_port()}|{path}".encode()
        ).hexdigest()
        key = f"isi:alamat:{token}:{where}"
        known = cache.get(key)
        if known is not None:
            # The page as it stood under this token: any save, publication,
            # move or deletion since would have named the content anew.
            request._wagtail_site, page = known
            request._wagtail_route_for_request = RouteResult(page)
            return None
        route = Page.route_for_request(request, path)
        site = getattr(request, "_wagtail_site", None)
        if (
            route is not None
            and site is not None
            and route.page.live
            and not (route.args or route.kwargs)
        ):
            cache.set(key, (site, route.page), CACHE_SECONDS)
        return None


# --- A lesson's parts ---------------------------------------------------------------


def lesson_body(lesson: LessonPage, token: int | None) -> list[dict]:
    """The lesson's body as the template walks it: `{"html": ...}` for a run
    of blocks that read the same for everyone, `{"prompt_id", "value"}` for a
    reflection prompt, which the page fills with the reader's own answer."""
    return cached(f"pelajaran-isi:{lesson.pk}", token, lambda: _render_body(lesson))


def _render_body(lesson: LessonPage) -> list[dict]:
    items: list[dict] = []
    run: list[str] = []
    for block in lesson.body:
        if block.block_type == REFLECTION:
            if run:
                items.append({"html": _joined(run)})
                run = []
            items.append(
                {
                    "prompt_id": block.id,
                    "value": {
                        "prompt": block.value["prompt"],
                        "hint": block.value["hint"],
                    },
                }
            )
        else:
            run.append(block.render())
    if run:
        items.append({"html": _joined(run)})
    return items


def _joined(parts: list[str]) -> SafeString:
    # Each part is a block's own template output, escaped by that template.
    return mark_safe("\n".join(parts))  # noqa: S308


def module_outline(lesson: LessonPage, token: int | None) -> dict:
    """The lesson's module (title, address, content note) and its live
    lessons in order, each as `{"pk", "title", "url"}`."""
    return cached(
        f"pelajaran-modul:{lesson.module_path}", token, lambda: _outline(lesson)
    )


def _outline(lesson: LessonPage) -> dict:
    module = ModulePage.objects.get(path=lesson.module_path)
    lessons = module.lessons().only("id", "path", "title", "url_path", "depth")
    return {
        "module": {
            "pk": module.pk,
            "title": module.title,
            "url": module.url,
            "content_note": module.content_note,
        },
        "lessons": [
            {"pk": each.pk, "title": each.title, "url": each.url} for each in lessons
        ],
    }
