"""The people import's template: its example row is plainly an example."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile

import pytest
from openpyxl import load_workbook

from learning.demo import DEMO_TRAINEES
from learning.models import User

pytestmark = pytest.mark.django_db


def template_rows(client) -> list[list[str]]:
    response = client.get("/admin/orang/impor/templat.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [
        ["" if v is None else str(v) for v in row]
        for row in sheet.iter_rows(values_only=True)
    ]


def test_the_example_row_is_nobody_real(signed_in, facilitator):
    header, example = template_rows(signed_in(facilitator))
    row = dict(zip(header, example, strict=True))
    assert row["username"].startswith("contoh")
    assert f"{row['nama']} {row['nama_belakang']}" == "Contoh Nama Peserta"
    demo_usernames = {username for username, *_rest in DEMO_TRAINEES}
    demo_usernames |= {"peserta", "alumni", "fasilitator", "koordinator"}
    assert row["username"] not in demo_usernames
    page = signed_in(facilitator).get("/admin/orang/impor/").content.decode()
    assert "Baris contoh di templat (Contoh Nama Peserta) tidak diimpor" in page


def test_the_untouched_template_imports_nobody_and_says_why(signed_in, facilitator):
    client = signed_in(facilitator)
    template = client.get("/admin/orang/impor/templat.xlsx").content
    page = client.post(
        "/admin/orang/impor/",
        {"sheet": SimpleUploadedFile("templat-impor-orang.xlsx", template)},
        follow=True,
    ).content.decode()
    assert "Tidak ada yang diimpor" in page
    assert "baris contoh dari templat" in page
    assert not User.objects.filter(username__startswith="contoh").exists()


def test_the_example_left_above_real_rows_is_refused_by_its_row(signed_in, facilitator):
    client = signed_in(facilitator)
    header, example = template_rows(client)
    lines = [
        ",".join(header),
        ",".join(example),
        "paralegal-baru,Maria,,Peserta,,,,,,,,,",
    ]
    page = client.post(
        "/admin/orang/impor/",
        {"sheet": SimpleUploadedFile("orang.csv", "\n".join(lines).encode())},
        follow=True,
    ).content.decode()
    assert "baris contoh dari templat" in page
    assert not User.objects.filter(username="paralegal-baru").exists()
    # Once the example row is gone, the sheet goes in.
    page = client.post(
        "/admin/orang/impor/",
        {
            "sheet": SimpleUploadedFile(
                "orang.csv", "\n".join([lines[0], lines[2]]).encode()
            )
        },
        follow=True,
    ).content.decode()
    assert "1 akun dibuat" in page
