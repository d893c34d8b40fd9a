import io

from django.core.files.uploadedfile import SimpleUploadedFile

import pytest
from openpyxl import Workbook

from learning.choices import Role
from learning.models import User
from learning.people_import import COLUMNS

pytestmark = pytest.mark.django_db

HEADER = ",".join(COLUMNS)
GOOD_ROWS = [
    "paralegal-biloto,Maria,Taneo,Peserta,YUP,53.02.02.2001,,,P,1985,0812 1111 2222,,",
    "paralegal-oelet,Rut,,Peserta,,,Oelet,TTS,P,,,,",
    "alumni-niukbaun,Magda,Ora,Alumni,YUP,,Niukbaun,Kupang,P,,,magda@example.org,",
]


def csv_upload(*lines, name="orang.csv"):
    return SimpleUploadedFile(name, "\n".join([HEADER, *lines]).encode("utf-8"))


def post(client, upload, cohort=""):
    return client.post(
        "/admin/orang/impor/", {"sheet": upload, "cohort": cohort}
    ).content.decode()


def test_a_good_csv_creates_every_account_and_enrols_them(
    signed_in, facilitator, coordinator
):
    cohort = coordinator.coordinated_programmes.get().cohorts.get()
    page = post(signed_in(facilitator), csv_upload(*GOOD_ROWS), cohort=cohort.pk)
    assert "3 akun dibuat" in page
    created = User.objects.filter(username__in=["paralegal-biloto", "paralegal-oelet"])
    assert created.count() == 2
    oelet = User.objects.get(username="paralegal-oelet")
    assert oelet.village.code == "53.02.04.2002"
    assert oelet.must_change_password  # no password in the sheet
    assert User.objects.get(username="paralegal-biloto").phone == "+6281211112222"
    assert User.objects.get(username="alumni-niukbaun").roles == [Role.ALUMNI]
    assert cohort.enrolments.count() == 4


def test_an_xlsx_sheet_works_too(signed_in, facilitator):
    workbook = Workbook()
    workbook.active.append(COLUMNS)
    workbook.active.append(
        ["paralegal-maubesi", "Fransiska", "Abi", "Peserta"] + [""] * 9
    )
    data = io.BytesIO()
    workbook.save(data)
    upload = SimpleUploadedFile("orang.xlsx", data.getvalue())
    assert "1 akun dibuat" in post(signed_in(facilitator), upload)
    assert User.objects.filter(username="paralegal-maubesi").exists()


def test_bad_rows_are_reported_by_row_and_nothing_is_imported(signed_in, facilitator):
    page = post(
        signed_in(facilitator),
        csv_upload(
            GOOD_ROWS[0],
            "paralegal-x,,,Koordinator,,,,,X,1800,123,bukan-email,",
            "paralegal-y,Yosefina,,Peserta,,,Oeekam,TTS,,,,,",
            "paralegal-z,Zakaria,,Peserta,,,Kuanek,TTU,L,,,,",
        ),
    )
    assert "Tidak ada yang diimpor" in page
    assert User.objects.filter(username__startswith="paralegal-").count() == 0
    for expected in [
        "Wajib diisi",  # row 3: nama
        "Peran harus salah satu dari: Alumni, Peserta",  # no staff roles
        "Isi P (perempuan) atau L (laki-laki)",
        "Tahun lahir tidak masuk akal",
        "Nomor HP tidak dikenali",
        "Alamat email tidak sah",
        "Ada beberapa desa bernama Oeekam",  # three Oe'Ekam in TTS
        "53.02.04.2012",
        "Desa Kuanek tidak ditemukan",
        "Kuaken",
    ]:
        assert expected in page, expected
    assert "<td>3</td>" in page and "<td>5</td>" in page


def test_duplicate_usernames_in_the_file_or_the_database_are_refused(
    signed_in, facilitator, trainee
):
    page = post(
        signed_in(facilitator),
        csv_upload(
            "kembar,A,,Peserta,,,,,,,,,",
            "kembar,B,,Peserta,,,,,,,,,",
            f"{trainee.username},C,,Peserta,,,,,,,,,",
        ),
    )
    assert "sudah ada di baris 2" in page
    assert f"Nama pengguna {trainee.username} sudah dipakai" in page
    assert not User.objects.filter(username="kembar").exists()


def test_a_file_that_is_not_a_sheet_is_explained(signed_in, facilitator):
    page = post(signed_in(facilitator), SimpleUploadedFile("foto.jpg", b"\xff\xd8\xff"))
    assert "Unggah berkas .csv atau .xlsx" in page


def test_the_template_downloads_as_xlsx(signed_in, facilitator):
    response = signed_in(facilitator).get("/admin/orang/impor/templat.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].endswith("spreadsheetml.sheet")
    assert response.content[:2] == b"PK"


def test_trainees_cannot_import(signed_in, trainee):
    response = signed_in(trainee).get("/admin/orang/impor/")
    assert response.status_code in (302, 403)
