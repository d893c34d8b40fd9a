"""The public face reads as a plain training site; the help lines are one tap
further, on their own page.

After a quick exit a person who shares a phone may press Back: the page they
land on must not speak of violence. Whoever needs help finds SAPA 129 from
the landing and sign-in pages.
"""

import re

import pytest

pytestmark = pytest.mark.django_db

WORDS_OF_VIOLENCE = re.compile(r"kekerasan|korban|SAPA|129|polisi", re.IGNORECASE)


def _main(page: str) -> str:
    return page.split("<main", 1)[1].split("</main>", 1)[0]


def test_the_landing_page_speaks_only_of_a_training_programme(client):
    page = client.get("/").content.decode()
    main = _main(page)
    assert "Pelatihan pendamping dan paralegal desa" in main
    assert 'href="/masuk/"' in main
    assert not WORDS_OF_VIOLENCE.search(main), WORDS_OF_VIOLENCE.search(main)
    assert not WORDS_OF_VIOLENCE.search(page.split("<title>")[1].split("</title>")[0])


@pytest.mark.parametrize("path", ["/", "/masuk/"])
def test_the_landing_and_sign_in_pages_link_to_the_help_lines(client, path):
    assert 'href="/bantuan/">Layanan bantuan</a>' in client.get(path).content.decode()


def test_the_help_page_gives_the_help_lines(client):
    response = client.get("/bantuan/")
    assert response.status_code == 200
    main = _main(response.content.decode())
    assert "Perlu bantuan sekarang?" in main
    for fact in ("SAPA 129", "telepon 129", "WhatsApp 08111-129-129", "UPTD PPA"):
        assert fact in main
    assert "polisi di nomor 110" in main
    assert 'href="/"' in main


def test_the_help_page_is_there_for_a_signed_in_companion_too(signed_in, trainee):
    assert "SAPA 129" in signed_in(trainee).get("/bantuan/").content.decode()


def test_the_help_page_only_reads(client):
    assert client.post("/bantuan/").status_code == 405
