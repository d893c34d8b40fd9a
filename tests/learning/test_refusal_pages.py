"""A page someone may not open says why, in the site's own page and language,
not Django's bare "403 Forbidden"."""

from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

import pytest

pytestmark = pytest.mark.django_db


def test_a_refused_page_says_why_in_indonesian_with_a_way_home(client, trainee):
    client.force_login(trainee)
    response = client.get(reverse("mentorship:attendance"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Halaman ini tidak untuk akun kamu" in html
    assert "Halaman kehadiran hanya untuk fasilitator dan koordinator." in html
    assert 'href="/"' in html and "Keluar cepat" in html
    assert "403 Forbidden" not in html


def test_a_refusal_without_a_message_still_says_something(trainee):
    request = RequestFactory().get("/")
    request.user = trainee
    html = render_to_string("403.html", {"exception": ""}, request=request)
    assert "Akun kamu tidak dapat membuka halaman ini." in html
