"""What the phone is given to run the narrative check offline: the desa names
(/magang/narasi/desa.json) and the messages (`{% narrative_check %}`)."""

import gzip
import json

from django.template import Context, Template
from django.utils import translation

import pytest

from mentorship.narrative_names import word_lists
from mentorship.narrative_places import place_names

pytestmark = pytest.mark.django_db

URL = "/magang/narasi/desa.json"


def keys(payload: dict, part: str) -> set[str]:
    return set(payload[part].split(" "))


def test_the_desa_names_are_those_the_server_s_rule_reads(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    payload = json.loads(response.content)
    desa, several, allowed = (keys(payload, p) for p in ("desa", "several", "allowed"))
    names = place_names()
    assert desa | several == set(names.desa)
    assert several == set(names.desa_of_several_words)
    assert allowed == set(names.allowed)
    assert {"oelet", "biloto", "nekbaun"} <= desa
    assert "oeekam" in several  # "Oe Ekam" is matched too
    assert {"amanubanselatan", "molloutara", "soe", "kupang"} <= allowed
    # Ordinary words and towns are not desa names here either.
    assert "tentang" not in desa
    assert "soe" not in desa


def test_the_desa_names_stay_small_for_a_phone(client):
    body = client.get(URL).content
    # NTT's 3,000 villages: about 14 KB on the wire.
    assert len(gzip.compress(body)) < 20_000


def test_the_desa_names_are_kept_by_the_browser_and_revalidated(
    client, trainee, signed_in
):
    first = client.get(URL)
    etag = first["ETag"]
    assert "public" in first["Cache-Control"]
    assert "max-age=86400" in first["Cache-Control"]
    again = client.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    # Signed in, the answer is the same and still public: it holds nothing of her.
    signed_in(trainee)
    mine = client.get(URL)
    assert mine.content == first.content
    assert mine["ETag"] == etag
    assert "no-store" not in mine["Cache-Control"]
    assert client.post(URL).status_code == 405


def _rendered() -> tuple[dict, str]:
    html = Template("{% load narrative_check %}{% narrative_check %}").render(Context())
    start = html.index(">", html.index('id="narrative-check-config"')) + 1
    return json.loads(html[start : html.index("</script>", start)]), html


def test_the_page_tag_gives_the_messages_in_the_page_s_language():
    with translation.override("id"):
        config, html = _rendered()
    assert config["desa_url"] == URL
    assert config["messages"]["phone"].startswith(
        'Tulisan memuat nomor telepon: "%(quote)s".'
    )
    assert set(config["messages"]) == {
        *("nik", "kk", "phone", "email", "bpjs", "desa"),
        *("name", "name_after", "name_age"),
    }
    assert 'type="application/json"' in html
    assert '<script src="/static/mentorship/js/narrative-check.js" defer>' in html
    with translation.override("en"):
        config, _html = _rendered()
    assert config["messages"]["phone"].startswith('The text contains a phone number: "')


def test_the_name_rule_s_word_lists_come_with_the_desa_names(client):
    payload = json.loads(client.get(URL).content)
    lists = word_lists()
    for field in ("given", "family", "courtesy", "not_names", "institutions"):
        assert set(payload["names"][field].split(" ")) == getattr(lists, field)
    assert "tefa" in payload["names"]["family"].split(" ")
