""" "Unduh data saya": every record of the person in a ZIP of JSON files with a
README, nothing of anyone else; check-ins only in their own file; the file
for its owner only, for a week; one build at a time."""

import datetime
import io
import json
import zipfile

from django.core.files.storage import default_storage
from django.utils import timezone

import pytest

from assessments.grading import finish_sitting, start_sitting, submit_answer
from assessments.models import (
    Attendance,
    CompetenceAssessment,
    Competency,
    TrainingEvent,
)
from learning.choices import AuditAction, Role
from learning.models import AuditEvent, OutboxMessage, PersonalDataExport
from learning.personal_data import build_export, purge_expired, request_export
from mentorship.models import Reflection, WellbeingCheckIn
from modules.models import ReflectionAnswer
from modules.progress import mark_lesson_done
from tests.concurrency import all_at_once, signed_in_clients
from tests.factories import (
    CohortFactory,
    HourEntryFactory,
    PlacementFactory,
    PracticeCaseFactory,
    ProgrammeFactory,
    reflection_session,
    region,
    user_with_roles,
)
from tests.factories.assessments import choice_question, essay_question, quiz_with
from tests.factories.certificates_site import certificate_for
from tests.factories.people import client_for

ACCOUNT = "/akun/"
REQUEST = "/akun/data-saya/"
RECORD_FILES = {
    "README.txt",
    "profil.json",
    "angkatan.json",
    "kemajuan_belajar.json",
    "refleksi_pelajaran.json",
    "kuis.json",
    "penilaian_kompetensi.json",
    "kehadiran_pelatihan.json",
    "sertifikat.json",
    "magang.json",
    "jam_magang.json",
    "kasus_praktik.json",
    "refleksi_tahunan.json",
}
# Words only the other person's records hold.
OTHER_WORDS = "Rahasia-orang-lain"


def give_records(person, facilitator, organisation, module, *, words: str):
    """One record of every kind for `person`, each carrying `words`."""
    cohort = CohortFactory(
        programme=ProgrammeFactory(organisations=[organisation]),
        facilitators=[facilitator],
        trainees=[person],
    )
    lesson = module.lessons()[0]
    mark_lesson_done(user=person, lesson=lesson)
    ReflectionAnswer.objects.create(
        user=person, lesson=lesson, prompt_id=words[:60], text=f"Refleksi {words}"
    )
    quiz = quiz_with([choice_question(), essay_question()], title=f"Kuis {words}")
    sitting = start_sitting(user=person, quiz=quiz)
    items = list(sitting.questions.all())
    for item in items:
        if item.snapshot["options"]:
            submit_answer(
                sitting=sitting,
                user=person,
                position=item.position,
                chosen=[item.snapshot["options"][0]["id"]],
            )
        else:
            submit_answer(
                sitting=sitting,
                user=person,
                position=item.position,
                text=f"Esai {words}",
            )
    finish_sitting(sitting=sitting, user=person)
    competency, _ = Competency.objects.get_or_create(
        name="Rujukan", defaults={"description": "Merujuk.", "criteria": "Tahu"}
    )
    CompetenceAssessment.objects.create(
        trainee=person,
        competency=competency,
        level="kompeten",
        assessed_on=timezone.localdate(),
        comment=f"Penilaian {words}",
        assessor=facilitator,
    )
    event = TrainingEvent.objects.create(
        title=f"Lokakarya {words}",
        programme=cohort.programme,
        start_date=timezone.localdate(),
        end_date=timezone.localdate(),
        place=region("53.02.01"),
    )
    Attendance.objects.create(event=event, trainee=person, day=timezone.localdate())
    certificate_for(person, cohort.programme)
    placement = PlacementFactory(trainee=person, supervisor=facilitator)
    HourEntryFactory(placement=placement, activity=f"Jam {words}")
    PracticeCaseFactory(placement=placement, learned=f"Kasus {words}")
    session = reflection_session(
        organisation=organisation, facilitator=facilitator, trainees=[person]
    )
    Reflection.objects.create(
        person=person, session=session, support_needed=f"Dukungan {words}"
    )
    WellbeingCheckIn.objects.create(
        person=person, feeling="lelah", note=f"Kesejahteraan {words}"
    )


def zip_of(export: PersonalDataExport) -> dict[str, str]:
    export.refresh_from_db()
    assert export.status == PersonalDataExport.Status.READY
    with (
        export.file.open("rb") as handle,
        zipfile.ZipFile(io.BytesIO(handle.read())) as z,
    ):
        return {name: z.read(name).decode("utf-8") for name in z.namelist()}


@pytest.fixture
def person(trainee):
    return trainee


@pytest.fixture
def ask(django_capture_on_commit_callbacks):
    """Request an export as the button does; the commit hands the task to the
    (eager, in tests) worker, which builds the ZIP."""

    def request(person, kind="catatan"):
        with django_capture_on_commit_callbacks(execute=True):
            return request_export(person=person, kind=kind)

    return request


@pytest.mark.django_db
def test_the_zip_holds_every_kind_of_record_and_none_of_another_person(
    ask, person, facilitator, organisation, module
):
    other = user_with_roles(
        Role.PESERTA, username="orang-lain", organisation=organisation
    )
    give_records(person, facilitator, organisation, module, words="milikku")
    give_records(other, facilitator, organisation, module, words=OTHER_WORDS)

    export, asked = ask(person)
    assert asked
    files = zip_of(export)  # built at commit by the (eager) worker
    assert set(files) == RECORD_FILES
    everything = "".join(files.values())
    assert OTHER_WORDS not in everything
    assert "orang-lain" not in everything
    assert "Kesejahteraan" not in everything  # check-ins stay out
    data = {
        name: json.loads(text) for name, text in files.items() if name.endswith(".json")
    }
    assert data["profil.json"][0]["nama_pengguna"] == "uji-peserta"
    for name in RECORD_FILES - {"README.txt", "profil.json"}:
        assert len(data[name]) >= 1, name
    [sitting] = data["kuis.json"]
    assert sitting["kuis"] == "Kuis milikku"
    assert any(
        q["jawabanmu"] and q["jawabanmu"]["esai"] == "Esai milikku"
        for q in sitting["soal"]
    )
    assert "weight" not in files["kuis.json"]  # no answer key leaves
    assert data["jam_magang.json"][0]["uraian"] == "Jam milikku"
    assert data["kasus_praktik.json"][0]["yang_dipelajari"] == "Kasus milikku"
    assert data["refleksi_tahunan.json"][0]["dukungan_yang_dibutuhkan"] == (
        "Dukungan milikku"
    )
    assert data["penilaian_kompetensi.json"][0]["penilai"] == facilitator.display_name
    assert data["refleksi_pelajaran.json"][0]["jawaban"] == "Refleksi milikku"
    readme = files["README.txt"]
    for name in RECORD_FILES - {"README.txt"}:
        assert name in readme
    assert "Download" in readme
    assert "UU Nomor 27 Tahun 2022" in readme


@pytest.mark.django_db
def test_check_ins_come_only_in_their_own_file(
    ask, person, facilitator, organisation, module
):
    give_records(person, facilitator, organisation, module, words="milikku")
    export, _ = ask(person, "kesejahteraan")
    files = zip_of(export)
    assert set(files) == {"README.txt", "cek_kesejahteraan.json"}
    [checkin] = json.loads(files["cek_kesejahteraan.json"])
    assert checkin["catatan"] == "Kesejahteraan milikku"
    assert checkin["perasaan"] == "Lelah"
    assert "data kesehatan" in files["README.txt"]


@pytest.mark.django_db
def test_a_person_with_no_records_gets_empty_lists(ask, person):
    export, _ = ask(person)
    files = zip_of(export)
    assert set(files) == RECORD_FILES
    for name in RECORD_FILES - {"README.txt", "profil.json"}:
        assert json.loads(files[name]) == [], name


@pytest.mark.django_db
def test_names_with_quotes_control_characters_and_emoji_survive_as_json(ask, person):
    person.first_name = 'Maria "Ina" \x01\t 🌺'
    person.last_name = "O'Neil \\ </script>"
    person.save()
    export, _ = ask(person)
    files = zip_of(export)
    [profile] = json.loads(files["profil.json"])
    assert profile["nama_depan"] == 'Maria "Ina" \x01\t 🌺'
    assert profile["nama_belakang"] == "O'Neil \\ </script>"
    assert "🌺" in files["README.txt"]


@pytest.mark.django_db
def test_a_name_with_a_nul_byte_never_reaches_the_file(ask, person, signed_in):
    # The account form refuses it (PostgreSQL could not even store it), so
    # the export never meets one.
    client = signed_in(person)
    response = client.post(
        ACCOUNT,
        {"first_name": "Ma\x00ria", "last_name": "", "phone": "", "email": ""},
    )
    assert response.status_code == 200
    person.refresh_from_db()
    assert "\x00" not in person.first_name
    export, _ = ask(person)
    [profile] = json.loads(zip_of(export)["profil.json"])
    assert profile["nama_depan"] == person.first_name


@pytest.mark.django_db
def test_the_account_page_requests_and_offers_the_file_to_its_owner(
    person, facilitator, coordinator, signed_in, django_capture_on_commit_callbacks
):
    client = signed_in(person)
    page = client.get(ACCOUNT).content.decode()
    assert "Unduh data saya" in page
    assert "Unduh cek kesejahteraan saya" in page
    assert "folder Download" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REQUEST, {"jenis": "catatan"})
    assert response.status_code == 302
    assert response["Location"] == ACCOUNT + "#data-saya"
    export = PersonalDataExport.objects.get(person=person)
    event = AuditEvent.objects.get(action=AuditAction.PERSONAL_DATA_REQUESTED)
    assert event.subject == person and event.actor == person
    assert event.detail == {"jenis": "catatan"}
    page = client.get(ACCOUNT).content.decode()
    link = f"/akun/data-saya/{export.pk}/"
    assert link in page
    download = client.get(link)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert "attachment" in download["Content-Disposition"]
    assert "data-saya-" in download["Content-Disposition"]
    assert person.username not in download["Content-Disposition"]
    body = b"".join(download.streaming_content)
    assert zipfile.ZipFile(io.BytesIO(body)).namelist()[0] == "README.txt"
    # Anyone else, staff included, gets the same 404 as for no file at all.
    for other in (facilitator, coordinator):
        assert client_for(other).get(link).status_code == 404
    assert client_for(None).get(link).status_code == 302
    superuser = user_with_roles(username="super", is_superuser=True, is_staff=True)
    assert client_for(superuser).get(link).status_code == 404


@pytest.mark.django_db
def test_the_file_is_not_in_a_public_folder(ask, person):
    export, _ = ask(person)
    export.refresh_from_db()
    assert export.file.name.startswith("unduh-data/")
    from learning.urls import PUBLIC_MEDIA_FOLDERS

    assert "unduh-data" not in PUBLIC_MEDIA_FOLDERS
    assert default_storage.exists(export.file.name)


@pytest.mark.django_db
def test_an_expired_file_is_gone(ask, person, signed_in):
    export, _ = ask(person)
    export.refresh_from_db()
    name = export.file.name
    client = signed_in(person)
    later = timezone.now() + datetime.timedelta(days=8)
    PersonalDataExport.objects.filter(pk=export.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert client.get(f"/akun/data-saya/{export.pk}/").status_code == 404
    assert f"/akun/data-saya/{export.pk}/" not in client.get(ACCOUNT).content.decode()
    assert purge_expired(now=later) == 1
    assert not default_storage.exists(name)
    assert not PersonalDataExport.objects.exists()


@pytest.mark.django_db
def test_a_new_request_replaces_the_old_file(ask, person):
    first, _ = ask(person)
    first.refresh_from_db()
    old_name = first.file.name
    second, asked = ask(person)
    assert asked and second.pk != first.pk
    assert list(PersonalDataExport.objects.values_list("pk", flat=True)) == [second.pk]
    assert not default_storage.exists(old_name)


@pytest.mark.django_db
def test_a_request_while_one_is_built_builds_nothing_more(person):
    # The test's transaction never commits: the task stays queued, unbuilt.
    first, asked = request_export(person=person, kind="catatan")
    again, asked_again = request_export(person=person, kind="catatan")
    assert asked and not asked_again
    assert again.pk == first.pk
    assert (
        OutboxMessage.objects.filter(
            task_name="learning.tasks.build_personal_data_export"
        ).count()
        == 1
    )
    # The task run twice writes one file.
    assert build_export(export_id=first.pk) is True
    assert build_export(export_id=first.pk) is False


@pytest.mark.django_db
def test_bad_input_changes_nothing(person, signed_in):
    client = signed_in(person)
    for value in ("", "semua", "catatan\x00", "x" * 5000):
        response = client.post(REQUEST, {"jenis": value})
        assert response.status_code == 302
    assert not PersonalDataExport.objects.exists()
    assert client.get(REQUEST).status_code == 405
    for pk in ("0", "99999999999999999999", "abc"):
        assert client.get(f"/akun/data-saya/{pk}/").status_code == 404


@pytest.mark.django_db
def test_the_build_takes_a_fixed_number_of_queries(
    person, facilitator, organisation, module, django_assert_max_num_queries
):
    give_records(person, facilitator, organisation, module, words="satu")
    export = PersonalDataExport.objects.create(person=person, kind="catatan")
    with django_assert_max_num_queries(40) as small:
        build_export(export_id=export.pk)
    for round_ in range(3):
        give_records(person, facilitator, organisation, module, words=f"lagi{round_}")
    # The same conditions as the first build: no earlier file to remove.
    PersonalDataExport.objects.all().delete()
    export = PersonalDataExport.objects.create(person=person, kind="catatan")
    with django_assert_max_num_queries(len(small.captured_queries)):
        build_export(export_id=export.pk)


@pytest.mark.django_db(transaction=True)
def test_twenty_requests_at_once_build_one_file(migrated_data, monkeypatch):
    # The broker is away: the queued build waits in the outbox, so the other
    # nineteen requests all meet it pending (the worker, running eagerly in
    # tests, would otherwise finish it between two of them).
    monkeypatch.setattr("learning.outbox.relay_message", lambda **kwargs: False)
    person = user_with_roles(Role.PESERTA, username="serentak-unduh")
    clients = signed_in_clients(person, 20)
    results = all_at_once(
        [lambda c=c: c.post(REQUEST, {"jenis": "catatan"}).status_code for c in clients]
    )
    assert results == [302] * 20
    assert PersonalDataExport.objects.filter(person=person).count() == 1
    assert (
        OutboxMessage.objects.filter(
            task_name="learning.tasks.build_personal_data_export"
        ).count()
        == 1
    )
    assert (
        AuditEvent.objects.filter(action=AuditAction.PERSONAL_DATA_REQUESTED).count()
        == 1
    )
