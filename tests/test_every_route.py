"""Every route as every kind of person: an access matrix and a crawl.

The matrix takes the routes from the project's own URL patterns, its admin
viewsets and snippets, its API operations and a sample of Wagtail's admin
(`tests.site_personas.routes`), and holds the expected answer of each route
to each person, for reading (GET) and for writing (POST, PUT, DELETE with an
empty body), in one table: `tests/access_matrix.py`. A route with no row
fails, so a new route cannot be forgotten; a row whose route is gone fails
too. Every write runs in a transaction that is rolled back, so the people
after see the same site.

The crawl signs in as each demo person and follows the same-origin links from
the home page and the admin home, a few pages per URL shape, and fails on
any server error.

Run with PENDAMPING_MATRIX_PRINT=1 to print the observed table (for review,
never to copy blindly).
"""

import json
import os
import re
import time
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.db import transaction

import pytest

from tests.access_matrix import EXPECTED, body, describe
from tests.site_personas import PERSONAS, demo_client, demo_site, routes

pytestmark = pytest.mark.django_db

SIGNS_OUT = {"keluar/", "keluar-cepat/"}


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker):
    """The demo, loaded once for this module and rolled back after it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield demo_site()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def outcome(response) -> str:
    """One letter for what a person gets back."""
    status = response.status_code
    if status >= 500:
        return "E"
    if 200 <= status < 300:
        return "2"
    if status in (301, 302, 303, 307, 308):
        target = urlsplit(response.headers.get("Location", "")).path
        if target.startswith(("/masuk", "/admin/login")):
            return "L"
        if target in ("/admin/", "/"):
            return "H"
        return "R"
    if status in (400, 409, 422):
        return "V"
    if status in (401, 403, 404, 405):
        return "N"
    return "?"


def send(client, method: str, url: str, payload: dict):
    """One request, rolled back whatever it wrote."""
    with transaction.atomic():
        if method == "GET":
            response = client.get(url)
        elif url.startswith("/api/"):
            response = client.generic(
                method, url, json.dumps(payload), "application/json"
            )
        else:
            response = client.generic(
                method, url, "", "application/x-www-form-urlencoded"
            )
        transaction.set_rollback(True)
    return response


def test_every_route_answers_every_person_as_the_table_says(site):
    found = {route.pattern: route for route in routes()}
    missing = sorted(set(found) - set(EXPECTED))
    gone = sorted(set(EXPECTED) - set(found))

    clients = {name: demo_client(site["people"][name]) for name in PERSONAS}
    for client in clients.values():
        client.raise_request_exception = False  # a 500 is a cell, not a crash
    observed, wrong, timings = {}, [], {}

    def client_of(name, pattern):
        if pattern not in SIGNS_OUT:
            return clients[name]
        # Signing out must not sign the shared browsers out for the rows after.
        client = demo_client(site["people"][name])
        client.raise_request_exception = False
        return client

    started = time.monotonic()
    for pattern, route in sorted(found.items()):
        url = describe(pattern, site)
        payload = body(pattern, site)
        row = {}
        route_started = time.monotonic()
        for method in route.methods:
            cells = "".join(
                outcome(send(client_of(name, pattern), method, url, payload))
                for name in PERSONAS
            )
            row[method] = cells
            expected = EXPECTED.get(pattern, {}).get(method)
            if "E" in cells or cells != expected:
                wrong.append(f"{method} {url} ({pattern}): {cells} != {expected}")
        observed[pattern] = row
        timings[pattern] = time.monotonic() - route_started
    if os.environ.get("PENDAMPING_MATRIX_PRINT"):
        for pattern, row in observed.items():
            print(f"    {pattern!r}: {row!r},")
        print(f"matrix: {len(found)} routes in {time.monotonic() - started:.1f} s")
        for pattern, seconds in sorted(timings.items(), key=lambda item: -item[1])[:25]:
            print(f"  {seconds:.2f} s {pattern}")
    assert not missing, f"routes with no row in tests/access_matrix.py: {missing}"
    assert not gone, f"rows for routes that no longer exist: {gone}"
    assert not wrong, "\n".join(wrong)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


SKIP = re.compile(
    r"/keluar|/logout|/delete/|/hapus/|/unpublish/|/batal/|/unduh/|"
    r"\.(pdf|csv|xlsx|zip)$|/download|/ringkasan|templat|export=|/preview"
)


def shape(path: str, query: str) -> str:
    """The URL with its ids replaced, so a crawl takes a few of each kind."""
    path = re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}", "{uuid}", path)
    path = re.sub(r"/\d+/", "/{n}/", path)
    keys = sorted({part.split("=")[0] for part in query.split("&") if part})
    return path + ("?" + "&".join(keys) if keys else "")


def crawl(client, starts, *, per_shape=1, limit=250) -> tuple[list[str], int]:
    seen_shapes: dict[str, int] = {}
    queue, visited, failures = list(starts), set(), []
    while queue and len(visited) < limit:
        url = queue.pop(0)
        parts = urlsplit(url)
        key = shape(parts.path, parts.query)
        if url in visited or seen_shapes.get(key, 0) >= per_shape:
            continue
        seen_shapes[key] = seen_shapes.get(key, 0) + 1
        visited.add(url)
        response = client.get(url)
        if response.status_code >= 500:
            failures.append(f"{response.status_code} {url}")
            continue
        if "text/html" not in response.headers.get("Content-Type", ""):
            continue
        parser = _Links()
        parser.feed(response.content.decode("utf-8", "replace"))
        for href in parser.hrefs:
            absolute = urljoin(url, href)
            target = urlsplit(absolute)
            if target.scheme not in ("http", "") or target.netloc not in (
                "",
                "testserver",
            ):
                continue
            local = target.path + (f"?{target.query}" if target.query else "")
            if not SKIP.search(local):
                queue.append(local)
    return failures, len(visited)


@pytest.mark.parametrize(
    "person", ["trainee", "alumnus", "facilitator", "coordinator", "partner"]
)
def test_no_page_reachable_by_links_answers_a_server_error(site, person):
    client = demo_client(site["people"][person])
    starts = ["/"]
    if person in ("facilitator", "coordinator", "partner"):
        starts.append("/admin/")
    failures, visited = crawl(client, starts)
    print(f"crawl as {person}: {visited} pages")
    assert visited > 10
    assert not failures, failures
