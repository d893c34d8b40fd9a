import io
import threading
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils import timezone

import pytest
from openpyxl import Workbook

from learning.choices import Role
from learning.models import PeopleImport, User
from learning.people_import import (
    BACKGROUND_AFTER,
    STUCK_AFTER,
    record_import,
    run_import,
)
from learning.people_sheet import COLUMNS, MAX_ROWS
from learning.tasks import run_people_import
from tests.factories import OrganisationFactory, UserFactory, user_with_roles
from tests.factories.people import PASSWORD

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
    """The page the importer ends on (the import's own page, once it exists)."""
    return client.post(
        "/admin/orang/impor/", {"sheet": upload, "cohort": cohort}, follow=True
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


# --- every problem of every row ---------------------------------------------------


def test_every_problem_of_a_row_is_listed_under_its_row(signed_in, facilitator):
    page = post(
        signed_in(facilitator),
        csv_upload(
            "",  # a blank line: the next row is row 3 of the sheet
            "paralegal-x,,,Koordinator,,,,,X,1800,123,bukan-email,",
        ),
    )
    row = page.split("<td>3</td>")[1].split("</tr>")[0]
    for expected in [
        "Wajib diisi",
        "Peran harus salah satu dari",
        "Isi P (perempuan) atau L (laki-laki)",
        "Tahun lahir tidak masuk akal",
        "Nomor HP tidak dikenali",
        "Alamat email tidak sah",
    ]:
        assert expected in row, expected
    assert not User.objects.filter(username="paralegal-x").exists()


# --- hostile files ------------------------------------------------------------------


def test_a_formula_typed_as_a_name_is_refused_and_nothing_is_saved(
    signed_in, facilitator
):
    page = post(
        signed_in(facilitator),
        csv_upload(
            GOOD_ROWS[0],
            'paralegal-rumus,"=HYPERLINK(""http://x"",""a"")",,Peserta,,,,,,,,,',
            "paralegal-plus,Rut,@SUM(1),Peserta,,,,,,,,,",
        ),
    )
    assert "Tidak ada yang diimpor" in page
    assert page.count("Nama tidak boleh diawali =, +, - atau @") == 2
    assert "=HYPERLINK(" in page  # the value is quoted back
    assert not User.objects.filter(username__startswith="paralegal-").exists()


def test_an_xlsx_zip_bomb_is_refused_with_a_clear_message(signed_in, facilitator):
    from tests.learning.test_spreadsheets import zip_bomb

    upload = SimpleUploadedFile("orang.xlsx", zip_bomb(100))
    page = post(signed_in(facilitator), upload)
    assert "Isi berkas XLSX ini" in page
    assert "setelah dibuka; paling besar 25 MB" in page
    assert not PeopleImport.objects.exists()


def test_overlong_cells_nul_bytes_and_overlong_names_are_refused(
    signed_in, facilitator
):
    client = signed_in(facilitator)
    page = post(client, csv_upload("paralegal-nul,Rut\x00,,Peserta,,,,,,,,,"))
    assert "karakter NUL" in page
    page = post(client, csv_upload(f"paralegal-panjang,{'R' * 400},,Peserta,,,,,,,,,"))
    assert "berisi 400 huruf; paling banyak 300" in page
    page = post(client, csv_upload(f"paralegal-nama,{'R' * 151},,Peserta,,,,,,,,,"))
    assert "Paling banyak 150 huruf (ada 151)" in page
    assert not User.objects.filter(username__startswith="paralegal-").exists()


def test_too_many_rows_are_refused_before_anything_is_checked(signed_in, facilitator):
    lines = [f"orang-{n},Nama,,Peserta,,,,,,,,," for n in range(MAX_ROWS + 1)]
    page = post(signed_in(facilitator), csv_upload(*lines))
    assert "Berkas lebih dari 10001 baris" in page
    assert not PeopleImport.objects.exists()


# --- accounts without passwords -------------------------------------------------


def test_imported_accounts_get_a_temporary_password_from_the_import_page(
    client, signed_in, facilitator
):
    page = post(signed_in(facilitator), csv_upload(GOOD_ROWS[1]))
    assert "1 akun dibuat" in page
    oelet = User.objects.get(username="paralegal-oelet")
    assert not oelet.has_usable_password()  # no hashing while importing
    assert "Buat kata sandi sementara" in page
    job_page = f"/admin/orang/impor/{PeopleImport.objects.get().pk}/"

    issued = client.post(job_page, {"akun": oelet.pk}).content.decode()
    assert "Hanya tampil sekali ini" in issued
    password = issued.split("<code>")[1].split("</code>")[0]
    client.logout()
    response = client.post(
        "/masuk/", {"username": "paralegal-oelet", "password": password}
    )
    assert response.status_code == 302
    oelet.refresh_from_db()
    assert oelet.must_change_password

    # Once used, the account is handed over: this page gives no new password.
    client.force_login(facilitator)
    again = client.post(job_page, {"akun": oelet.pk}).content.decode()
    assert "sudah pernah masuk" in again
    assert "Hanya tampil sekali ini" not in again
    for bad in ("bukan-angka", "99999999999999999999999"):
        assert client.post(job_page, {"akun": bad}).status_code == 200


def test_a_password_in_the_sheet_is_hashed_once_and_used(
    client, signed_in, facilitator
):
    page = post(
        signed_in(facilitator),
        csv_upload("paralegal-sandi,Maria,,Peserta,,,,,,,,,Lembah-Mutis-2024"),
    )
    assert "dari berkas" in page
    person = User.objects.get(username="paralegal-sandi")
    assert person.check_password("Lembah-Mutis-2024")
    assert not person.must_change_password
    job = PeopleImport.objects.get()
    assert job.rows == []  # nothing of the sheet is kept once imported


def test_more_than_twenty_passwords_in_a_sheet_are_refused(signed_in, facilitator):
    lines = [f"orang-{n},Nama,,Peserta,,,,,,,,,Lembah-Mutis-{n}" for n in range(21)]
    page = post(signed_in(facilitator), csv_upload(*lines))
    assert "Kata sandi diisi di 21 baris; paling banyak 20" in page
    assert not User.objects.filter(username__startswith="orang-").exists()


# --- big imports run as a task -------------------------------------------------


def people_lines(count: int, prefix: str = "orang") -> list[str]:
    return [
        f"{prefix}-{n:05d},Nama {n},,Peserta,YUP,53.02.02.2001,,,P,1990,,,"
        for n in range(count)
    ]


def test_a_big_sheet_is_imported_by_a_task_with_its_progress_on_a_page(
    signed_in, facilitator, coordinator, django_capture_on_commit_callbacks
):
    cohort = coordinator.coordinated_programmes.get().cohorts.get()
    client = signed_in(facilitator)
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(
            "/admin/orang/impor/",
            {
                "sheet": csv_upload(*people_lines(BACKGROUND_AFTER + 1)),
                "cohort": cohort.pk,
            },
        )
    job = PeopleImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/orang/impor/{job.pk}/"
    assert len(queued) == 1
    waiting = client.get(response["Location"]).content.decode()
    assert "Menunggu giliran" in waiting
    assert "0 dari 201 baris diperiksa" in waiting
    assert not User.objects.filter(username__startswith="orang-").exists()

    run_people_import.apply(args=[job.pk])
    run_people_import.apply(args=[job.pk])  # a second delivery changes nothing

    done = client.get(response["Location"]).content.decode()
    assert "201 akun dibuat" in done
    assert User.objects.filter(username__startswith="orang-").count() == 201
    assert (
        cohort.enrolments.filter(trainee__username__startswith="orang-").count() == 201
    )
    job.refresh_from_db()
    assert (job.status, job.checked_count, job.created_count) == ("selesai", 201, 201)
    assert job.rows == []


def test_an_import_lost_with_its_worker_goes_on_without_duplicates(
    signed_in, facilitator, django_capture_on_commit_callbacks
):
    client = signed_in(facilitator)
    with django_capture_on_commit_callbacks():
        client.post("/admin/orang/impor/", {"sheet": csv_upload(*people_lines(250))})
    job = PeopleImport.objects.get()
    rows = job.rows
    run_import(job_id=job.pk)
    # As if the worker died after the first chunk: the rest was never written.
    made = list(job.__class__.objects.get().created_accounts)
    User.objects.filter(pk__in=made[200:]).delete()
    job.__class__.objects.filter(pk=job.pk).update(
        status="berjalan",
        rows=rows,
        created_accounts=made[:200],
        started_at=timezone.now() - STUCK_AFTER - timedelta(minutes=1),
    )
    with django_capture_on_commit_callbacks(execute=False) as queued:
        page = client.get(f"/admin/orang/impor/{job.pk}/").content.decode()
    assert "Menunggu giliran" in page
    assert len(queued) == 1

    run_people_import.apply(args=[job.pk])

    assert User.objects.filter(username__startswith="orang-").count() == 250
    job.refresh_from_db()
    assert job.status == "selesai" and job.created_count == 250


def test_only_the_importer_opens_an_import_page(
    client, signed_in, facilitator, coordinator
):
    post(signed_in(facilitator), csv_upload(GOOD_ROWS[1]))
    page = f"/admin/orang/impor/{PeopleImport.objects.get().pk}/"
    client.logout()
    client.force_login(coordinator)
    assert client.get(page).status_code == 404
    assert client.post(page, {"akun": 1}).status_code == 404


# --- the site keeps answering while a big sheet goes in ---------------------------


@pytest.mark.django_db(transaction=True)
def test_people_sign_in_while_a_big_import_is_being_written(migrated_data, monkeypatch):
    """The import writes in short transactions: on SQLite, whose one write lock
    a sign-in needs to save its session, sign-ins go through between them,
    halfway through the writing, and none waits as long as the busy timeout,
    here lowered to one second."""
    rows = 2000
    organisation = OrganisationFactory(short_name="YUP")
    # A superuser: a transactional test run earlier may have emptied the
    # role groups' permissions (migrated_data puts back the groups only).
    importer = UserFactory(username="uji-pengimpor", is_superuser=True)
    reader = user_with_roles(
        Role.PESERTA, username="uji-pembaca", organisation=organisation
    )
    # Recorded, not queued (in CI a worker is listening): run here in a thread.
    job = record_import(upload=csv_upload(*people_lines(rows)), actor=importer)
    sqlite = connection.vendor == "sqlite"
    if sqlite:  # PostgreSQL locks rows, not the database: nobody waits there
        monkeypatch.setitem(connection.settings_dict["OPTIONS"], "timeout", 1)
        connection.close()  # every later connection waits one second at most

    client = Client(raise_request_exception=False)
    client.get("/masuk/")  # the first request loads what every later one uses
    finished = threading.Event()
    sign_ins: list[tuple[int, int]] = []  # (status, accounts written by then)

    def import_sheet() -> None:
        try:
            run_import(job_id=job.pk)
        finally:
            finished.set()
            connection.close()

    def sign_in_until_finished() -> None:
        try:
            while not finished.is_set():
                response = client.post(
                    "/masuk/", {"username": reader.username, "password": PASSWORD}
                )
                written = PeopleImport.objects.get(pk=job.pk).created_count
                sign_ins.append((response.status_code, written))
                client.logout()
        finally:
            connection.close()

    threads = [
        threading.Thread(target=import_sheet),
        threading.Thread(target=sign_in_until_finished),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    job.refresh_from_db()
    assert (job.status, job.created_count) == ("selesai", rows)
    assert {status for status, _written in sign_ins} == {302}, sign_ins
    halfway = [written for _status, written in sign_ins if 0 < written < rows]
    if sqlite:
        assert len(halfway) >= 2, sign_ins


def test_finished_imports_are_forgotten_after_thirty_days(signed_in, facilitator):
    client = signed_in(facilitator)
    post(client, csv_upload(GOOD_ROWS[1]))
    PeopleImport.objects.update(requested_at=timezone.now() - timedelta(days=31))
    post(client, csv_upload(GOOD_ROWS[2]))
    assert PeopleImport.objects.count() == 1


def test_a_coordinator_imports_into_a_cohort_so_the_people_stay_in_view(
    signed_in, coordinator
):
    """A coordinator sees people through their programmes' cohorts: without a
    cohort the imported accounts would vanish from their list. The page asks
    for one and makes nobody; with one, the people are listed."""
    client = signed_in(coordinator)
    page = post(client, csv_upload(GOOD_ROWS[1]))
    assert "Pilih angkatan" in page
    assert not User.objects.filter(username="paralegal-oelet").exists()
    assert not PeopleImport.objects.exists()

    cohort = coordinator.coordinated_programmes.get().cohorts.get()
    assert "1 akun dibuat" in post(client, csv_upload(GOOD_ROWS[1]), cohort=cohort.pk)
    assert "paralegal-oelet" in client.get("/admin/users/").content.decode()
