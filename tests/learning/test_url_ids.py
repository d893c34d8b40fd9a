"""Ids in URL paths: digits no row can have are not found, never a 500."""

import re
from pathlib import Path

from django.urls import resolve, reverse

import pytest

from learning.bounds import MAX_ID

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"  # more than any database integer holds


ROOT = Path(__file__).resolve().parents[2]
APPS = ("learning", "modules", "assessments", "mentorship")


def test_every_id_in_our_own_paths_is_bounded():
    """Our URL patterns say <id:…>; Wagtail's viewsets keep their own."""
    written = [
        f"{path.relative_to(ROOT)}: {line.strip()}"
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
        for line in path.read_text().splitlines()
        if re.search(r"[\"']([^\"']*)<int:", line)
    ]
    assert written == []
    route = reverse("modules:offline_package", args=[1])
    assert resolve(route).route == "belajar/offline/paket/<id:module_id>/"


@pytest.mark.parametrize(
    "path",
    [
        "/belajar/offline/paket/{}/",
        "/belajar/offline/halaman/{}/",
        "/belajar/buklet/{}/",
        "/belajar/pelajaran/{}/selesai/",
        "/belajar/pelajaran/{}/refleksi/x/",
        "/layanan/{}/",
        "/refleksi/{}/",
    ],
)
@pytest.mark.parametrize("number", [HUGE, str(MAX_ID + 1), "0"])
def test_an_id_no_row_can_have_is_not_found(client, trainee, path, number):
    client.force_login(trainee)
    for method in (client.get, client.post):
        assert method(path.format(number)).status_code == 404
