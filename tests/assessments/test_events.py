import datetime
import io

from django.utils import timezone

import pytest
from openpyxl import load_workbook

from assessments.competence import CompetenceError, record_assessment
from assessments.events import (
    AttendanceError,
    attendance_template,
    events_visible_to,
    expected_attendees,
    import_attendance,
    mark_lessons_studied_in_class,
    record_attendance,
)
from assessments.models import (
    Attendance,
    CompetenceAssessment,
    Competency,
    TrainingEvent,
)
from learning.choices import Role
from modules.models import LessonProgress
from tests.factories import (
    CohortFactory,
    OrganisationFactory,
    region,
    user_with_roles,
)
from tests.factories.modules import module_with_lessons

pytestmark = pytest.mark.django_db

DAY_ONE = datetime.date(2022, 11, 17)
DAY_TWO = datetime.date(2022, 11, 18)


def make_event(programme, *, title="Pelatihan Pendokumentasian Kasus", modules=()):
    event = TrainingEvent.objects.create(
        title=title,
        programme=programme,
        start_date=DAY_ONE,
        end_date=DAY_TWO,
        place=region("53.02"),
        venue="Aula Gereja",
    )
    event.organisers.set(programme.organisations.all())
    event.modules.set(modules)
    event.save()
    return event


@pytest.fixture
def programme(coordinator):
    return coordinator.coordinated_programmes.get()


@pytest.fixture
def cohort(programme):
    return programme.cohorts.get()


@pytest.fixture
def event(programme):
    return make_event(programme)


@pytest.fixture
def classmate(cohort, organisation):
    person = user_with_roles(
        Role.PESERTA,
        username="uji-teman",
        first_name="Yuliana",
        organisation=organisation,
    )
    CohortFactory(programme=cohort.programme, trainees=[person])
    return person


@pytest.fixture
def stranger(db):
    """A facilitator of another organisation who teaches none of the cohorts."""
    return user_with_roles(
        Role.FASILITATOR,
        username="uji-asing",
        organisation=OrganisationFactory(short_name="ASG"),
    )


def present_days(event, person):
    return set(
        Attendance.objects.filter(event=event, trainee=person).values_list(
            "day", flat=True
        )
    )


# Recording attendance


def test_recording_and_unrecording_a_day_is_idempotent(event, facilitator, trainee):
    assert (
        record_attendance(
            recorder=facilitator, event=event, day=DAY_ONE, trainees=[trainee]
        )
        == 1
    )
    assert (
        record_attendance(
            recorder=facilitator, event=event, day=DAY_ONE, trainees=[trainee]
        )
        == 0
    )
    assert present_days(event, trainee) == {DAY_ONE}
    assert Attendance.objects.get().recorded_by == facilitator
    for expected in (1, 0):
        assert (
            record_attendance(
                recorder=facilitator,
                event=event,
                day=DAY_ONE,
                trainees=[trainee],
                present=False,
            )
            == expected
        )
    assert not Attendance.objects.exists()


def test_a_day_outside_the_event_is_refused(event, facilitator, trainee):
    with pytest.raises(AttendanceError, match="di luar pelatihan"):
        record_attendance(
            recorder=facilitator,
            event=event,
            day=datetime.date(2022, 11, 19),
            trainees=[trainee],
        )
    assert not Attendance.objects.exists()


def test_a_trainee_not_enrolled_in_the_programme_is_refused_and_nothing_saved(
    event, facilitator, trainee, organisation
):
    elsewhere = user_with_roles(
        Role.PESERTA, username="uji-lain", organisation=organisation
    )
    CohortFactory(trainees=[elsewhere])  # another programme's cohort
    with pytest.raises(AttendanceError, match="tidak terdaftar") as refusal:
        record_attendance(
            recorder=facilitator,
            event=event,
            day=DAY_ONE,
            trainees=[trainee, elsewhere],
        )
    assert elsewhere.display_name in str(refusal.value)
    assert trainee.display_name not in str(refusal.value)
    assert not Attendance.objects.exists()


def test_a_facilitator_out_of_scope_sees_no_event_and_cannot_record(
    event, stranger, trainee
):
    assert not events_visible_to(stranger).exists()
    with pytest.raises(AttendanceError):
        record_attendance(
            recorder=stranger, event=event, day=DAY_ONE, trainees=[trainee]
        )
    assert not Attendance.objects.exists()


def test_who_sees_an_event(event, facilitator, coordinator, trainee, stranger):
    assert list(events_visible_to(facilitator)) == [event]
    assert list(events_visible_to(coordinator)) == [event]
    assert not events_visible_to(trainee).exists()
    # Leading a workshop is enough, even for another organisation's programme.
    event.facilitators.set([stranger])
    event.save()
    assert list(events_visible_to(stranger)) == [event]


def test_expected_attendees_are_the_programmes_trainees_in_scope(
    event, facilitator, stranger, trainee, classmate
):
    assert set(expected_attendees(event, facilitator)) == {trainee, classmate}
    assert not expected_attendees(event, stranger).exists()


# Lessons studied in class


def test_attendees_lessons_are_marked_studied_in_class_once(
    tree, programme, facilitator, trainee, classmate
):
    covered = module_with_lessons(lessons=3, title="Pendokumentasian Kasus")
    other = module_with_lessons(lessons=2, title="Konseling")
    second = module_with_lessons(lessons=1, title="Rujukan")
    event = make_event(programme, modules=[covered, second])
    record_attendance(
        recorder=facilitator, event=event, day=DAY_TWO, trainees=[trainee]
    )

    assert mark_lessons_studied_in_class(event=event, recorder=facilitator) == 4
    progress = LessonProgress.objects.filter(user=trainee)
    assert {p.lesson_id for p in progress} == {
        lesson.pk for module in (covered, second) for lesson in module.lessons()
    }
    assert {p.via for p in progress} == {"kelas"}
    assert not LessonProgress.objects.filter(user=classmate).exists()
    assert not LessonProgress.objects.filter(lesson__in=other.lessons()).exists()

    assert mark_lessons_studied_in_class(event=event) == 0
    assert LessonProgress.objects.count() == 4


def test_marking_studied_in_class_is_refused_out_of_scope(
    tree, programme, facilitator, trainee, stranger
):
    event = make_event(programme, modules=[module_with_lessons(lessons=1)])
    record_attendance(
        recorder=facilitator, event=event, day=DAY_ONE, trainees=[trainee]
    )
    with pytest.raises(AttendanceError):
        mark_lessons_studied_in_class(event=event, recorder=stranger)
    assert not LessonProgress.objects.exists()


# The paper sheet


def fill(content: bytes, marks: dict[str, list[str]], extra_rows=()) -> bytes:
    """Fill the template as a facilitator would: x under the days present."""
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["kehadiran"]
    for row in sheet.iter_rows(min_row=5):
        username = row[0].value
        for column, mark in enumerate(marks.get(username, []), start=2):
            row[column].value = mark
    for cells in extra_rows:
        sheet.append(cells)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def test_the_filled_template_records_attendance(event, facilitator, trainee, classmate):
    content = attendance_template(event, facilitator)
    sheet = load_workbook(io.BytesIO(content))["kehadiran"]
    assert "Petunjuk" in sheet["A3"].value
    assert [cell.value for cell in sheet[4]] == [
        "username",
        "nama",
        "17-11-2022",
        "18-11-2022",
    ]
    assert {sheet.cell(row, 1).value for row in (5, 6)} == {
        trainee.username,
        classmate.username,
    }

    filled = fill(
        content, {trainee.username: ["x", "✓"], classmate.username: ["", "Hadir"]}
    )
    report = import_attendance(recorder=facilitator, event=event, content=filled)
    assert report.ok, report.messages
    assert report.created == 3
    assert present_days(event, trainee) == {DAY_ONE, DAY_TWO}
    assert present_days(event, classmate) == {DAY_TWO}
    again = import_attendance(recorder=facilitator, event=event, content=filled)
    assert again.ok and again.created == 0


def test_a_broken_sheet_reports_its_rows_and_saves_nothing(
    event, facilitator, trainee, stranger
):
    content = fill(
        attendance_template(event, facilitator),
        {trainee.username: ["x", "mungkin"]},
        extra_rows=[["tidak-ada", "Siapa", "x"], [stranger.username, "Asing", "x"]],
    )
    report = import_attendance(recorder=facilitator, event=event, content=content)
    assert not report.ok
    assert report.errors.rows() == [5, 6, 7]
    assert any("mungkin" in message for message in report.messages)
    assert any(message.startswith("Baris 6: tidak-ada") for message in report.messages)
    assert not Attendance.objects.exists()


def test_a_sheet_with_a_day_outside_the_event_is_refused(event, facilitator, trainee):
    workbook = load_workbook(io.BytesIO(attendance_template(event, facilitator)))
    workbook["kehadiran"].cell(4, 4).value = "19-11-2022"
    output = io.BytesIO()
    workbook.save(output)
    content = fill(output.getvalue(), {trainee.username: ["x", "x"]})
    report = import_attendance(recorder=facilitator, event=event, content=content)
    assert [problem.row for problem in report.errors] == [4]
    assert not Attendance.objects.exists()


def test_a_file_that_is_not_a_spreadsheet_is_reported(event, facilitator):
    report = import_attendance(recorder=facilitator, event=event, content=b"bukan")
    assert report.messages == [
        "Berkas XLSX tidak bisa dibaca. Pakai templat yang diunduh dari halaman "
        "ini, lalu simpan sebagai .xlsx."
    ]


# Admin screens


def test_the_listing_shows_only_events_in_scope(client, event, facilitator, stranger):
    other = make_event(
        CohortFactory(facilitators=[stranger]).programme, title="Pelatihan Lain"
    )
    client.force_login(facilitator)
    page = client.get("/admin/pelatihan/").content.decode()
    assert event.title in page
    assert other.title not in page
    assert f"/admin/pelatihan/{event.pk}/kehadiran/" in page


def test_a_hand_typed_edit_url_out_of_scope_is_not_found(client, event, stranger):
    client.force_login(stranger)
    url = f"/admin/pelatihan/edit/{event.pk}/"
    assert client.get(url).status_code == 404
    response = client.post(url, {"title": "Dibajak"})
    assert response.status_code == 404
    event.refresh_from_db()
    assert event.title == "Pelatihan Pendokumentasian Kasus"
    for suffix in ("kehadiran/", "kehadiran/templat.xlsx", "kehadiran/impor/"):
        assert client.get(f"/admin/pelatihan/{event.pk}/{suffix}").status_code == 404
    for view in ("history", "usage"):
        assert client.get(f"/admin/pelatihan/{view}/{event.pk}/").status_code == 404
    response = client.post(f"/admin/pelatihan/{event.pk}/tandai-dipelajari/")
    assert response.status_code == 404


def test_the_listing_query_count_does_not_grow_with_events(
    client, programme, coordinator, django_assert_max_num_queries
):
    make_event(programme)
    client.force_login(coordinator)
    client.get("/admin/pelatihan/")
    with django_assert_max_num_queries(25) as few:
        assert client.get("/admin/pelatihan/").status_code == 200
    for number in range(6):
        make_event(programme, title=f"Pelatihan {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/admin/pelatihan/").status_code == 200


def test_trainees_are_refused_the_attendance_screens(client, event, trainee):
    client.force_login(trainee)
    response = client.get(f"/admin/pelatihan/{event.pk}/kehadiran/")
    assert response.status_code in (302, 403)


def test_a_facilitator_adds_an_event_with_a_region_code(client, programme, facilitator):
    elsewhere = CohortFactory().programme
    client.force_login(facilitator)
    form = client.get("/admin/pelatihan/new/").content.decode()
    assert "Pelatihan tatap muka" in form
    assert programme.short_name in form
    assert elsewhere.short_name not in form  # the choices follow the scope
    data = {
        "title": "Pelatihan Konseling",
        "programme": programme.pk,
        "start_date": "2022-11-17",
        "end_date": "2022-11-16",
        "place": "53.02.01",
        "venue": "",
        "organisers": [o.pk for o in programme.organisations.all()],
        "facilitators": [facilitator.pk],
        "notes": "",
    }
    response = client.post("/admin/pelatihan/new/", data | {"place": "99.99"})
    assert "Kode wilayah ini tidak dikenal" in response.content.decode()
    response = client.post("/admin/pelatihan/new/", data)
    assert "Tanggal selesai tidak boleh sebelum tanggal mulai." in (
        response.content.decode()
    )
    assert not TrainingEvent.objects.exists()
    response = client.post("/admin/pelatihan/new/", data | {"end_date": "2022-11-18"})
    assert response.status_code == 302
    event = TrainingEvent.objects.get()
    assert event.place.code == "53.02.01"
    assert list(event.facilitators.all()) == [facilitator]


def test_the_grid_saves_the_whole_grid(client, event, facilitator, trainee, classmate):
    record_attendance(
        recorder=facilitator, event=event, day=DAY_ONE, trainees=[classmate]
    )
    client.force_login(facilitator)
    url = f"/admin/pelatihan/{event.pk}/kehadiran/"
    page = client.get(url).content.decode()
    assert trainee.display_name in page and classmate.display_name in page
    response = client.post(
        url,
        {
            "present": [
                f"{trainee.pk}:{DAY_ONE.isoformat()}",
                f"{trainee.pk}:{DAY_TWO.isoformat()}",
                f"{classmate.pk}:{DAY_TWO.isoformat()}",
            ]
        },
        follow=True,
    )
    assert "Daftar hadir tersimpan (4 perubahan)." in response.content.decode()
    assert present_days(event, trainee) == {DAY_ONE, DAY_TWO}
    assert present_days(event, classmate) == {DAY_TWO}


def test_a_grid_with_someone_unexpected_saves_nothing(
    client, event, facilitator, trainee, organisation
):
    elsewhere = user_with_roles(
        Role.PESERTA, username="uji-lain", organisation=organisation
    )
    client.force_login(facilitator)
    response = client.post(
        f"/admin/pelatihan/{event.pk}/kehadiran/",
        {
            "present": [
                f"{trainee.pk}:{DAY_ONE.isoformat()}",
                f"{elsewhere.pk}:{DAY_ONE.isoformat()}",
            ]
        },
    )
    assert response.status_code == 200
    assert "Tidak ada yang disimpan" in response.content.decode()
    assert not Attendance.objects.exists()


def test_the_grid_query_count_does_not_grow_with_attendees(
    client, event, facilitator, cohort, organisation, django_assert_max_num_queries
):
    client.force_login(facilitator)
    url = f"/admin/pelatihan/{event.pk}/kehadiran/"
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        assert client.get(url).status_code == 200
    for n in range(8):
        person = user_with_roles(
            Role.PESERTA, username=f"uji-banyak-{n}", organisation=organisation
        )
        CohortFactory(programme=cohort.programme, trainees=[person])
        record_attendance(
            recorder=facilitator, event=event, day=DAY_ONE, trainees=[person]
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_import_screen_records_a_filled_sheet(client, event, facilitator, trainee):
    client.force_login(facilitator)
    download = client.get(f"/admin/pelatihan/{event.pk}/kehadiran/templat.xlsx")
    assert download.status_code == 200
    filled = fill(download.content, {trainee.username: ["x", "x"]})
    upload = io.BytesIO(filled)
    upload.name = "daftar-hadir.xlsx"
    response = client.post(
        f"/admin/pelatihan/{event.pk}/kehadiran/impor/", {"sheet": upload}, follow=True
    )
    assert "2 kehadiran baru tercatat." in response.content.decode()
    assert present_days(event, trainee) == {DAY_ONE, DAY_TWO}

    broken = io.BytesIO(fill(download.content, {trainee.username: ["?", ""]}))
    broken.name = "daftar-hadir.xlsx"
    Attendance.objects.all().delete()
    response = client.post(
        f"/admin/pelatihan/{event.pk}/kehadiran/impor/", {"sheet": broken}
    )
    page = response.content.decode()
    assert "Tidak ada kehadiran yang disimpan" in page and "Baris 5" in page
    assert not Attendance.objects.exists()


def test_the_admin_action_marks_lessons_studied_in_class(
    client, tree, programme, facilitator, trainee
):
    event = make_event(programme, modules=[module_with_lessons(lessons=2)])
    record_attendance(
        recorder=facilitator, event=event, day=DAY_ONE, trainees=[trainee]
    )
    client.force_login(facilitator)
    url = f"/admin/pelatihan/{event.pk}/tandai-dipelajari/"
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert "2 pelajaran tercatat dipelajari di kelas." in response.content.decode()
    assert LessonProgress.objects.filter(user=trainee, via="kelas").count() == 2


# Attendance as evidence


def test_attendance_backs_a_competence_assessment_for_the_attendee_only(
    event, facilitator, trainee, classmate
):
    competency = Competency.objects.create(
        name="Dokumentasi kasus", description="Mencatat kasus.", criteria="Lengkap"
    )
    record_attendance(
        recorder=facilitator, event=event, day=DAY_ONE, trainees=[trainee, classmate]
    )
    attendance = Attendance.objects.get(trainee=trainee)
    assessment = record_assessment(
        assessor=facilitator,
        trainee=trainee,
        competency=competency,
        level="berkembang",
        assessed_on=timezone.localdate(),
        evidence=[(attendance, "aktif berdiskusi")],
    )
    evidence = assessment.evidence.get()
    assert evidence.record == attendance and evidence.note == "aktif berdiskusi"
    with pytest.raises(CompetenceError, match="bukan milik"):
        record_assessment(
            assessor=facilitator,
            trainee=classmate,
            competency=competency,
            level="kompeten",
            evidence=[(attendance, "aktif berdiskusi")],
        )
    assert CompetenceAssessment.objects.count() == 1


def test_the_api_records_a_days_attendance_once_and_follows_the_scope(
    client, facilitator, trainee, event, stranger
):
    client.force_login(facilitator)
    url = f"/api/competence/events/{event.pk}/attendance"
    body = {"day": event.start_date.isoformat(), "trainee_ids": [trainee.pk]}
    first = client.post(url, body, content_type="application/json")
    assert first.status_code == 200, first.content
    assert first.json()["changed"] == 1
    again = client.post(url, body, content_type="application/json")
    assert again.json()["changed"] == 0
    outside = {"day": "2001-01-01", "trainee_ids": [trainee.pk]}
    assert client.post(url, outside, content_type="application/json").status_code == 409
    client.force_login(stranger)
    assert client.post(url, body, content_type="application/json").status_code == 404
    assert Attendance.objects.filter(event=event).count() == 1
