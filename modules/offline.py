"""A module's offline package: what "Simpan untuk dibaca offline" stores.

The package lists the addresses a trainee will open with no signal (the
module page, each live lesson, the images those pages actually show, the
booklet PDF when it is ready, and what higher apps add, such as a practice
quiz), where the browser fetches each one's offline copy, and its size. The
copies are rendered for nobody in particular: no name, no saved answers, no
progress or scores, so a stored page never shows one person's data to the next
person on a shared phone.

Higher apps add entries with `register_offline_part` (assessments adds the
practice quizzes) without `modules` importing them. The package's version
changes whenever anything in it would change; a stored module whose version
is no longer current is refreshed on the next connection.
"""

import hashlib
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language

from wagtail.models import Site

from .booklets import content_key, current_booklet, request_booklet
from .choices import BookletStatus
from .models import ModulePage, OfflinePackage

# Offline copies are pages, images, PDFs and small JSON files; nothing bigger
# belongs in a package a trainee downloads over 2G.
MAX_ENTRY_BYTES = 20 * 1024 * 1024

_IMAGE_SOURCE = re.compile(r"""<img\b[^>]*?\ssrc=["']([^"']+)["']""", re.IGNORECASE)


@dataclass(frozen=True)
class OfflineEntry:
    """One address in a package: stored under `key`, fetched from `source`."""

    key: str
    source: str
    size: int
    kind: str  # "halaman", "gambar", "pdf", "data"


@dataclass(frozen=True)
class OfflineLink:
    """A link the module's offline copy shows (a practice quiz, say)."""

    url: str
    title: str
    note: str = ""
    offline: bool = True


@dataclass(frozen=True)
class OfflinePart:
    name: str
    version: Callable[[ModulePage], str]
    entries: Callable[[HttpRequest, ModulePage], list[OfflineEntry]]
    links: Callable[[ModulePage], list[OfflineLink]]


_parts: dict[str, OfflinePart] = {}


def register_offline_part(
    *,
    name: str,
    version: Callable[[ModulePage], str],
    entries: Callable[[HttpRequest, ModulePage], list[OfflineEntry]],
    links: Callable[[ModulePage], list[OfflineLink]],
) -> None:
    """Add entries to every module's package. `version(module)` must change
    whenever `entries` would; `links(module)` are shown on the module's copy."""
    _parts[name] = OfflinePart(name, version, entries, links)


def _parts_in_order() -> list[OfflinePart]:
    return [_parts[name] for name in sorted(_parts)]


# --- Version ------------------------------------------------------------------


def module_version(module: ModulePage) -> str:
    """A fingerprint of the module's package as it would be built now."""
    booklet = current_booklet(module=module)
    ready = booklet is not None and booklet.status == BookletStatus.READY
    pieces = [content_key(module), "pdf" if ready else "-"]
    pieces += [f"{part.name}:{part.version(module)}" for part in _parts_in_order()]
    return hashlib.sha256("|".join(pieces).encode()).hexdigest()[:24]


# --- Copies -------------------------------------------------------------------


def offline_links(module: ModulePage) -> list[OfflineLink]:
    links = []
    for part in _parts_in_order():
        links.extend(part.links(module))
    return links


def render_copy(request: HttpRequest, page) -> str:
    """The offline copy of a module or lesson page, for nobody in particular."""
    from .selectors import lesson_detail

    page = page.specific
    context = {"page": page, "self": page, "request": request, "offline_copy": True}
    if isinstance(page, ModulePage):
        context.update(
            lessons=list(page.lessons().only("id", "path", "title", "url_path")),
            links=offline_links(page),
        )
        template = "modules/offline/module_copy.html"
    else:
        context.update(lesson_detail(None, page))
        template = "modules/lesson_page.html"
    return render_to_string(template, context, request=request)


def _media_entry(url: str) -> OfflineEntry | None:
    path = urlsplit(url).path
    if not path.startswith(settings.MEDIA_URL):
        return None
    name = unquote(path[len(settings.MEDIA_URL) :])
    try:
        size = default_storage.size(name)
    except (OSError, NotImplementedError, ValueError):
        return None
    if size > MAX_ENTRY_BYTES:
        return None
    return OfflineEntry(key=path, source=path, size=size, kind="gambar")


def _booklet_entries(module: ModulePage) -> tuple[list[OfflineEntry], bool]:
    """The booklet PDF if it is ready; otherwise ask for it (pending)."""
    booklet = current_booklet(module=module)
    if booklet is None or booklet.status not in (
        BookletStatus.READY,
        BookletStatus.FAILED,
    ):
        booklet = request_booklet(module=module)
    if booklet.status != BookletStatus.READY:
        return [], booklet.status != BookletStatus.FAILED
    try:
        size = booklet.file.size
    except (OSError, ValueError):
        return [], False
    url = reverse("modules:booklet", args=[module.pk])
    return [OfflineEntry(key=url, source=url, size=size, kind="pdf")], False


def build_entries(request: HttpRequest, module: ModulePage) -> tuple[list, bool]:
    entries: dict[str, OfflineEntry] = {}
    for page in [module, *module.lessons()]:
        html = render_copy(request, page)
        key = page.get_url(request=request)
        entries[key] = OfflineEntry(
            key=key,
            source=reverse("modules:offline_copy", args=[page.pk]),
            size=len(html.encode()),
            kind="halaman",
        )
        for source in _IMAGE_SOURCE.findall(html):
            image = _media_entry(source)
            if image is not None:
                entries.setdefault(image.key, image)
    booklet, booklet_pending = _booklet_entries(module)
    for entry in booklet:
        entries[entry.key] = entry
    for part in _parts_in_order():
        for entry in part.entries(request, module):
            entries.setdefault(entry.key, entry)
    return list(entries.values()), booklet_pending


# --- Package ------------------------------------------------------------------


def known_package(*, module: ModulePage) -> OfflinePackage | None:
    """The module's last built package in this language, current or not: its
    size is what the module page shows ("sekitar …")."""
    return OfflinePackage.objects.filter(module=module, language=get_language()).first()


def prepare_offline_packages(*, demo: bool) -> None:
    """Build every live module's package in the site's language, so module
    pages and the admin show sizes from the start (prepare_site)."""
    site = Site.objects.filter(is_default_site=True).first()
    request = HttpRequest()
    request.method = "GET"
    request.META = {
        "SERVER_NAME": site.hostname if site else "localhost",
        "SERVER_PORT": str(site.port) if site else "80",
    }
    request.user = AnonymousUser()
    with translation.override(settings.LANGUAGE_CODE):
        for module in ModulePage.objects.live().order_by("path"):
            package_for(request=request, module=module)


def package_for(*, request: HttpRequest, module: ModulePage) -> OfflinePackage:
    """The module's package as published now, built if it is not yet.

    Building renders every lesson once; the result is kept per language until
    something in the module is published again. Two trainees asking at once
    build it twice at worst and keep one row.
    """
    language = get_language()
    version = module_version(module)
    package = OfflinePackage.objects.filter(module=module, language=language).first()
    if package is not None and package.version == version:
        return package
    entries, booklet_pending = build_entries(request, module)
    values = {
        "version": version,
        "size": sum(entry.size for entry in entries),
        "entries": [asdict(entry) for entry in entries],
        "booklet_pending": booklet_pending,
    }
    try:
        with transaction.atomic():
            package, _ = OfflinePackage.objects.update_or_create(
                module=module, language=language, defaults=values
            )
    except IntegrityError:
        package = OfflinePackage.objects.get(module=module, language=language)
    return package
