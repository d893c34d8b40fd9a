from html.parser import HTMLParser

from django.conf import settings

import pytest

pytestmark = pytest.mark.django_db


class ScriptsAndLinks(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inline_scripts = 0
        self.urls = []
        self.inline_handlers = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        is_data = attrs.get("type") == "application/json"
        if tag == "script" and "src" not in attrs and not is_data:
            self.inline_scripts += 1
        # What the browser fetches by itself (links to follow are not requests).
        fetched = ["src", "action", "poster", "data"]
        if tag == "link":
            fetched.append("href")
        for name in fetched:
            if attrs.get(name):
                self.urls.append(attrs[name])
        self.inline_handlers += [name for name in attrs if name.startswith("on")]


def parse(response):
    parser = ScriptsAndLinks()
    parser.feed(response.content.decode())
    return parser


PUBLIC_PAGES = ["/", "/masuk/", "/bantuan/", "/akun/lupa-kata-sandi/", "/tidak-ada/"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_public_page_has_a_quick_exit(client, path):
    page = client.get(path).content.decode()
    assert 'href="/keluar-cepat/"' in page
    assert "Keluar cepat" in page
    assert f'data-quick-exit-target="{settings.QUICK_EXIT_URL}"' in page


def test_signed_in_pages_have_quick_exit_and_sign_out(signed_in, trainee):
    client = signed_in(trainee)
    for path in ["/", "/akun/kata-sandi/"]:
        page = client.get(path).content.decode()
        assert "Keluar cepat" in page
        assert 'action="/keluar/"' in page


def test_quick_exit_signs_out_and_leaves_for_a_neutral_page(signed_in, trainee):
    client = signed_in(trainee)
    response = client.get("/keluar-cepat/")
    assert response.status_code == 302
    assert response.url == settings.QUICK_EXIT_URL
    assert "no-store" in response["Cache-Control"]
    assert response["Clear-Site-Data"] == '"cache"'
    assert client.get("/api/me").status_code == 401


def test_quick_exit_works_without_a_csrf_token(signed_in, trainee):
    # The script's beacon carries no token; leaving must never fail.
    client = signed_in(trainee)
    client.handler.enforce_csrf_checks = True
    assert client.post("/keluar-cepat/").status_code == 302
    assert client.get("/api/me").status_code == 401


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_run_no_inline_script_and_load_nothing_from_elsewhere(
    client, path
):
    response = client.get(path)
    parsed = parse(response)
    assert parsed.inline_scripts == 0
    assert parsed.inline_handlers == []
    assert [
        url for url in parsed.urls if url.startswith(("http:", "https:", "//"))
    ] == []


def test_public_site_sends_a_strict_content_security_policy(client):
    policy = client.get("/masuk/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert "unsafe" not in policy


def test_admin_policy_allows_wagtails_inline_scripts_but_no_other_host(client):
    policy = client.get("/admin/login/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self' 'unsafe-inline'"
    assert directives["default-src"] == "'self'"
    assert "unsafe-eval" not in policy
    assert "http" not in policy


@pytest.mark.parametrize("path", ["/", "/masuk/", "/admin/login/", "/api/"])
def test_security_headers_on_every_response(client, path):
    response = client.get(path)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "Content-Security-Policy" in response


def test_private_pages_are_never_cached_by_the_browser(signed_in, trainee):
    client = signed_in(trainee)
    assert "no-store" in client.get("/")["Cache-Control"]


def test_admin_pages_make_no_third_party_requests(signed_in, facilitator):
    client = signed_in(facilitator)
    for path in ["/admin/", "/admin/akun/kata-sandi-sementara/"]:
        page = client.get(path).content.decode()
        assert "gravatar" not in page.lower()
        assert "releases.wagtail.io" not in page
        parsed = parse(client.get(path))
        external = [
            url
            for url in parsed.urls
            if url.startswith(("http:", "https:", "//"))
            and "127.0.0.1" not in url
            and "testserver" not in url
        ]
        assert external == [], external
