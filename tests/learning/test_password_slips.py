"""Printed slips of temporary passwords: one per person, seen once, by the importer."""

import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

import pytest
from pypdf import PdfReader

from learning.choices import Role
from learning.models import PeopleImport, User
from learning.people_import import MAX_SLIPS
from learning.people_sheet import COLUMNS
from tests.factories import OrganisationFactory, user_with_roles

pytestmark = pytest.mark.django_db

SIGN_OFF = "Ganti kata sandi setelah masuk."


def import_people(client: Client, count: int) -> PeopleImport:
    lines = [",".join(COLUMNS)] + [
        f"slip-{n:02d},Orang {n:02d},,Peserta,,,,,,,,," for n in range(count)
    ]
    upload = SimpleUploadedFile("orang.csv", "\n".join(lines).encode())
    client.post("/admin/orang/impor/", {"sheet": upload})
    return PeopleImport.objects.latest("pk")


def slips_in(response) -> list[dict]:
    """Each slip's name, username and password, read back from the PDF."""
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    slips = []
    for page in reader.pages:
        text = page.extract_text()
        for block in text.split(SIGN_OFF)[:-1]:
            found = re.search(
                r"([^\n]+)\nNama pengguna\n([^\n]+)\nKata sandi sementara\n"
                r"([^\n]+)\nMasuk di: ([^\n]+)",
                block,
            )
            assert found, block
            name, username, password, address = found.groups()
            slips.append(
                {
                    "name": name.strip(),
                    "username": username.strip(),
                    "password": password.strip(),
                    "address": address.strip(),
                }
            )
    return slips


def test_the_importer_prints_one_slip_per_person_and_each_password_works(
    signed_in, facilitator
):
    client = signed_in(facilitator)
    job = import_people(client, 12)
    page = client.get(f"/admin/orang/impor/{job.pk}/").content.decode()
    assert "Cetak slip kata sandi (PDF)" in page
    assert "tidak disimpan" in page and "Hanya kamu, pengimpor berkas ini" in page
    ticked = re.findall(r'name="akun" value="(\d+)" form="slip-form"[^>]*checked', page)
    assert len(ticked) == 12  # none handed over yet: all ticked

    response = client.post(
        f"/admin/orang/impor/{job.pk}/", {"slip": "1", "akun": ticked}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    slips = slips_in(response)
    assert sorted(slip["username"] for slip in slips) == [
        f"slip-{n:02d}" for n in range(12)
    ]
    assert len(PdfReader(io.BytesIO(response.content)).pages) == 2  # ten a page
    assert slips[0]["address"] == "http://testserver/masuk/"
    # Nothing of the passwords is kept: only hashes, and the import's rows are gone.
    job.refresh_from_db()
    assert slips[0]["password"] not in str(job.rows) + str(job.problems)

    outsider = Client()
    for slip in (slips[0], slips[-1]):
        person = User.objects.get(username=slip["username"])
        assert person.must_change_password
        assert slip["name"] == person.display_name
        signed = outsider.post(
            "/masuk/", {"username": slip["username"], "password": slip["password"]}
        )
        assert signed.status_code == 302
        outsider.logout()

    # Handed over: the slip boxes are no longer ticked for them.
    again = client.get(f"/admin/orang/impor/{job.pk}/").content.decode()
    assert not re.findall(r'form="slip-form"[^>]*checked', again)


def test_another_facilitator_cannot_print_the_slips_and_nothing_changes(
    signed_in, facilitator, organisation
):
    client = signed_in(facilitator)
    job = import_people(client, 2)
    before = dict(
        User.objects.filter(pk__in=job.created_accounts).values_list("pk", "password")
    )
    colleague = user_with_roles(
        Role.FASILITATOR, username="rekan-fasilitator", organisation=organisation
    )
    client.logout()
    client = signed_in(colleague)
    response = client.post(
        f"/admin/orang/impor/{job.pk}/",
        {"slip": "1", "akun": [str(pk) for pk in job.created_accounts]},
    )
    assert response.status_code == 404
    partner = user_with_roles(
        Role.FASILITATOR,
        username="fasilitator-mitra",
        organisation=OrganisationFactory(short_name="MITRA"),
    )
    client.logout()
    response = signed_in(partner).post(
        f"/admin/orang/impor/{job.pk}/",
        {"slip": "1", "akun": [str(pk) for pk in job.created_accounts]},
    )
    assert response.status_code == 404
    after = dict(
        User.objects.filter(pk__in=job.created_accounts).values_list("pk", "password")
    )
    assert after == before


def test_a_trainee_cannot_print_slips(signed_in, facilitator, trainee):
    client = signed_in(facilitator)
    job = import_people(client, 1)
    client.logout()
    response = signed_in(trainee).post(
        f"/admin/orang/impor/{job.pk}/",
        {"slip": "1", "akun": [str(pk) for pk in job.created_accounts]},
    )
    assert response.status_code in (302, 403)
    assert response.get("Content-Type") != "application/pdf"


def test_slips_are_all_or_none_when_someone_has_already_signed_in(
    client, signed_in, facilitator
):
    signed_in(facilitator)
    job = import_people(client, 2)
    first, second = job.created_accounts
    first_slip = slips_in(
        client.post(f"/admin/orang/impor/{job.pk}/", {"slip": "1", "akun": [first]})
    )[0]
    Client().post(
        "/masuk/",
        {"username": first_slip["username"], "password": first_slip["password"]},
    )
    untouched = User.objects.get(pk=second).password
    response = client.post(
        f"/admin/orang/impor/{job.pk}/", {"slip": "1", "akun": [first, second]}
    )
    page = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert "sudah pernah masuk" in page
    assert User.objects.get(pk=second).password == untouched


def test_bad_or_too_many_choices_are_explained_and_change_nothing(
    client, signed_in, facilitator
):
    signed_in(facilitator)
    job = import_people(client, 1)
    url = f"/admin/orang/impor/{job.pk}/"
    before = User.objects.get(pk=job.created_accounts[0]).password
    for data, message in [
        ({"slip": "1"}, "Pilih minimal satu akun"),
        ({"slip": "1", "akun": ["bukan-angka"]}, "Pilih akun dari daftar"),
        ({"slip": "1", "akun": ["999999999"]}, "tidak dibuat oleh impor ini"),
        (
            {"slip": "1", "akun": [str(n) for n in range(1, MAX_SLIPS + 2)]},
            f"Paling banyak {MAX_SLIPS} slip",
        ),
    ]:
        response = client.post(url, data)
        assert response.status_code == 200
        assert message in response.content.decode()
    assert User.objects.get(pk=job.created_accounts[0]).password == before


def test_the_one_time_password_screen_prints_a_slip_instead_of_showing_it(
    client, signed_in, facilitator, trainee
):
    signed_in(facilitator)
    page = client.get("/admin/akun/kata-sandi-sementara/").content.decode()
    assert "Buat dan cetak slip (PDF)" in page
    response = client.post(
        "/admin/akun/kata-sandi-sementara/", {"account": trainee.pk, "slip": "1"}
    )
    assert "no-store" in response["Cache-Control"]
    (slip,) = slips_in(response)
    assert slip["username"] == trainee.username
    assert (
        Client()
        .post("/masuk/", {"username": trainee.username, "password": slip["password"]})
        .status_code
        == 302
    )


def test_the_one_time_slip_is_refused_for_someone_outside_ones_scope(
    client, signed_in, facilitator
):
    outsider = user_with_roles(
        Role.PESERTA,
        username="peserta-lain",
        organisation=OrganisationFactory(short_name="LAIN"),
    )
    before = outsider.password
    signed_in(facilitator)
    response = client.post(
        "/admin/akun/kata-sandi-sementara/", {"account": outsider.pk, "slip": "1"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    outsider.refresh_from_db()
    assert outsider.password == before
