"""The installed app: its manifest, its icons, and the name on each page."""

import json
import re

from django.contrib.staticfiles import finders

import pytest
from PIL import Image

pytestmark = pytest.mark.django_db


def manifest(client, query: str = "") -> dict:
    response = client.get(f"/manifest.webmanifest{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    return json.loads(response.content)


def icon_file(src: str) -> str:
    path = finders.find(src.removeprefix("/static/"))
    assert path, f"{src} is not a static file"
    return path


@pytest.mark.parametrize(
    ("query", "name", "icon"),
    [("", "Pendamping", "pendamping"), ("?nama=belajar", "Belajar", "belajar")],
)
def test_each_name_has_a_manifest_with_icons_android_can_use(client, query, name, icon):
    data = manifest(client, query)
    assert data["name"] == data["short_name"] == name
    assert data["start_url"] == data["scope"] == "/"
    assert data["display"] == "standalone"
    # The bar above the page and the splash screen, in the site's own colours.
    assert (data["theme_color"], data["background_color"]) == ("#7a2e5c", "#f4f1ec")
    seen = set()
    for entry in data["icons"]:
        assert f"/{icon}" in entry["src"]
        with Image.open(icon_file(entry["src"])) as image:
            assert image.format == "PNG"
            assert f"{image.width}x{image.height}" == entry["sizes"]
        seen.add((entry["sizes"], entry["purpose"]))
    assert seen >= {
        ("192x192", "any"),
        ("512x512", "any"),
        ("192x192", "maskable"),
        ("512x512", "maskable"),
    }


def test_the_neutral_manifest_says_nothing_of_companions_or_victims(client):
    text = json.dumps(manifest(client, "?nama=belajar")).lower()
    for word in ("pendamping", "korban", "paralegal", "kekerasan"):
        assert word not in text


def test_icons_are_small_and_the_two_names_look_different(client):
    sources = {
        name: [entry["src"] for entry in manifest(client, query)["icons"]]
        for name, query in (("pendamping", ""), ("belajar", "?nama=belajar"))
    }
    for src in sources["pendamping"] + sources["belajar"]:
        with open(icon_file(src), "rb") as file:
            assert len(file.read()) < 8 * 1024, src
    with (
        Image.open(icon_file(sources["pendamping"][0])) as ours,
        Image.open(icon_file(sources["belajar"][0])) as neutral,
    ):
        assert ours.convert("RGBA").tobytes() != neutral.convert("RGBA").tobytes()


@pytest.mark.parametrize(
    "query",
    ["?nama=rahasia", "?nama=", "?nama=BELAJAR", "?nama=%00", "?nama=" + "x" * 5000],
)
def test_an_unknown_name_gets_the_default_manifest_not_an_error(client, query):
    assert manifest(client, query)["name"] == "Pendamping"


def test_the_manifest_may_be_cached_for_a_while_and_is_only_read(client):
    response = client.get("/manifest.webmanifest?nama=belajar")
    assert "public" in response["Cache-Control"]
    assert "max-age=3600" in response["Cache-Control"]
    assert client.post("/manifest.webmanifest").status_code == 405


def test_pages_link_the_manifest_icons_and_theme_colour(client):
    page = client.get("/masuk/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert '<meta name="theme-color" content="#7a2e5c">' in page
    touch = re.search(r'<link rel="apple-touch-icon" href="([^"]+)">', page)
    assert touch and icon_file(touch.group(1))
    assert "<title>Masuk · Pendamping</title>" in page


def test_a_phone_set_to_belajar_gets_the_neutral_title_brand_and_manifest(client):
    client.cookies["app_nama"] = "belajar"
    page = client.get("/masuk/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest?nama=belajar">' in page
    assert "<title>Masuk · Belajar</title>" in page
    assert '<a class="brand" href="/">Belajar</a>' in page
    assert "Pendamping" not in page
    assert "/static/learning/icons/belajar-" in page


def test_a_cookie_with_another_value_is_the_default(client):
    client.cookies["app_nama"] = "<script>"
    page = client.get("/masuk/").content.decode()
    assert "<title>Masuk · Pendamping</title>" in page
