"""The staff sign-in and the admin wear Pendamping's name and words, and an icon."""

from django.contrib.staticfiles import finders

import pytest

pytestmark = pytest.mark.django_db


def test_the_staff_sign_in_names_pendamping_in_indonesian(client):
    page = client.get("/admin/login/").content.decode()
    assert "Masuk ke ruang kerja Pendamping" in page
    assert "Wagtail" not in page.split("<title>")[1].split("</title>")[0]
    assert "Kata sandi<span" in page
    assert "Password" not in page


def test_staff_still_sign_in_through_the_renamed_form(client, facilitator):
    facilitator.set_password("sandi-yang-panjang-sekali")
    facilitator.save()
    response = client.post(
        "/admin/login/",
        {"username": facilitator.username, "password": "sandi-yang-panjang-sekali"},
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_every_admin_page_carries_the_icon_and_the_phone_styles(signed_in, facilitator):
    page = signed_in(facilitator).get("/admin/").content.decode()
    assert "learning/favicon" in page
    assert "learning/css/admin" in page
    assert "Pendamping</title>" in page.replace("\n", "").replace(" ", "")


def test_favicon_ico_leads_to_an_icon_that_exists(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    target = response["Location"]
    assert target.endswith(".svg")
    name = target.split("/static/", 1)[1]
    assert finders.find(name.split("?")[0]) or finders.find("learning/favicon.svg")
