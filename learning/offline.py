"""The offline shell every app shares: the service worker, the page shown
when a page is not stored, and the owner mark that keeps one person's stored
pages from another on a shared phone.

The service worker keeps copies that contain nothing private (no name of the
person, no answers, no scores; a facilitator's attendance pages name the
trainees expected, and a check-in's copy the facilitators' phone numbers),
and serves them only while the person who stored them is the one signed in on
this browser: every HTML response carries an opaque
`X-Offline-Owner` mark (empty when nobody is signed in), which the worker
reads on each page it fetches. Sign-out, quick exit or another person signing
in changes the mark, and the stored pages stop being served.
"""

import hashlib
import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.crypto import salted_hmac
from django.views.decorators.http import require_GET

OWNER_HEADER = "X-Offline-Owner"

# What the worker keeps from the first visit, so the offline page and the
# quick exit work with no signal at all.
SHELL_FILES = (
    "learning/css/site.css",
    "learning/js/quick-exit.js",
    "learning/js/offline.js",
    "learning/favicon.svg",
)


# Forms a higher app lets a person fill in with no signal. The worker keeps a
# copy of each (rendered for `?salinan=offline`: no account bar) and, when
# sending fails for lack of signal, keeps what was written on the phone
# (IndexedDB) and shows the outbox page (`register_offline_outbox`), or the
# form again for a kind that answers there (`back_to_form`).
#   url_name -> kind: a form at one address, kept whenever there is signal;
#   (prefix, pattern) -> kind: a form per object (a session, a workshop day),
#   kept when a kept page names its copy (`data-offline-keep`).
_offline_forms: dict[str, str] = {}
_offline_patterns: dict[tuple[str, str], str] = {}
_back_to_form: set[str] = set()
# Pages kept too, which list what else to keep (the outbox, a facilitator's
# attendance list); opening one with signal refreshes every copy at once.
_offline_pages: list[str] = []
_offline_outbox: list[str] = []
# Scripts the worker loads to send what waits in the background.
_offline_senders: list[str] = []


def register_offline_form(
    *,
    kind: str,
    url_name: str = "",
    prefix: str = "",
    pattern: str = "",
    back_to_form: bool = False,
) -> None:
    """Let a form be written offline: `url_name`'s, or every form whose path
    (under `prefix`) matches the regular expression `pattern`. Its view renders
    an offline copy for `?salinan=offline`; the outbox page sends what was kept.
    """
    if url_name:
        _offline_forms[url_name] = kind
    else:
        _offline_patterns[(prefix, pattern)] = kind
    if back_to_form:
        _back_to_form.add(kind)


def register_offline_page(*, url_name: str) -> None:
    """A page kept for use offline that names other copies to keep."""
    if url_name not in _offline_pages:
        _offline_pages.append(url_name)


def register_offline_outbox(*, url_name: str, sender: str = "") -> None:
    """The page that lists what waits on the phone and sends it; `sender`, a
    static script the worker loads to send in the background where the
    browser allows it."""
    if url_name not in _offline_outbox:
        _offline_outbox.append(url_name)
    register_offline_page(url_name=url_name)
    if sender and sender not in _offline_senders:
        _offline_senders.append(sender)


def outbox_url() -> str:
    """Where what waits on the phone is listed and sent ('' when no app has one)."""
    return reverse(_offline_outbox[0]) if _offline_outbox else ""


def offline_copy_requested(request: HttpRequest) -> bool:
    """Is this GET the worker fetching a form's copy for the phone?"""
    return request.GET.get("salinan") == "offline"


def owner_mark(user) -> str:
    """An opaque, stable mark for `user` on this site ('' for nobody).

    It says nothing about the person (an HMAC of the account's id under the
    site's secret), so it may sit in a stored page's headers.
    """
    if user is None or not user.is_authenticated:
        return ""
    return salted_hmac("pendamping.offline.owner", str(user.pk)).hexdigest()[:24]


class OfflineOwnerMiddleware:
    """Marks every HTML page with whose stored pages may be served now."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            response[OWNER_HEADER] = owner_mark(getattr(request, "user", None))
        return response


def _sections() -> list[str]:
    """The site's sections holding offline forms ("/magang/"), and the home
    page: opening one with signal keeps the copies fresh."""
    paths = [reverse(name) for name in [*_offline_forms, *_offline_pages]]
    paths += [prefix for prefix, _pattern in _offline_patterns]
    sections = {"/" + path.split("/")[1] + "/" for path in paths if path.count("/") > 1}
    return ["/", *sorted(sections)]


def _service_worker_script() -> str:
    shell = [static(name) for name in SHELL_FILES]
    version = hashlib.sha256("|".join(shell).encode()).hexdigest()[:12]
    return render_to_string(
        "learning/offline/sw.js",
        {
            "version": version,
            "shell_json": json.dumps(shell),
            "quick_exit_target": settings.QUICK_EXIT_URL,
            "sign_in_url": reverse("login"),
            "offline_url": reverse("offline"),
            "owner_header": OWNER_HEADER,
            "quick_exit_url": reverse("quick_exit"),
            "sign_out_url": reverse("logout"),
            "forms_json": json.dumps(
                {reverse(name): kind for name, kind in sorted(_offline_forms.items())}
            ),
            "patterns_json": json.dumps(
                [[pattern, kind] for (_p, pattern), kind in _offline_patterns.items()]
            ),
            "back_json": json.dumps(sorted(_back_to_form)),
            "pages_json": json.dumps([reverse(name) for name in _offline_pages]),
            "sections_json": json.dumps(_sections()),
            "senders_json": json.dumps([static(name) for name in _offline_senders]),
            "outbox_url": outbox_url(),
        },
    )


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """`/sw.js`: served from the root so its scope is the whole site.

    The browser asks for it after every page it controls; an unchanged
    script answers 304 (under 1 KB) rather than the whole file again.
    """
    body = _service_worker_script()
    etag = '"' + hashlib.sha256(body.encode()).hexdigest()[:20] + '"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse(
            body, content_type="application/javascript; charset=utf-8"
        )
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    response.same_for_everyone = True
    return response


@require_GET
def offline_page(request: HttpRequest) -> HttpResponse:
    """What is stored on this phone; also what the worker shows offline for a
    page that was not stored. It holds nothing private: the list is read from
    the browser's own storage by offline.js."""
    # The worker stores this page as it is, so it is rendered as an offline
    # copy: base.html leaves out the account bar and its name.
    return render(request, "learning/offline/stored.html", {"offline_copy": True})
