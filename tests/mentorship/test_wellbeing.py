"""Wellbeing check-ins: alerts on risk, and the privacy of the answers.

Health data under UU PDP (UU 27/2022): only the companion reads them; their
facilitators hear of a risk (name, time, signal, never the note);
coordinators see counts; no export carries them; the companion may delete.
"""

import csv
import datetime
import io
import re
import uuid
from pathlib import Path

from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from learning.choices import Role
from learning.models import Enrolment, Notification, User
from mentorship.admin.paper_import import paper_log_template
from mentorship.choices import Feeling
from mentorship.models import ReflectionSession, WellbeingCheckIn
from mentorship.reflection_pdf import summary_pdf
from mentorship.tasks import remind_checkins as remind_task
from mentorship.wellbeing import (
    checkin_counts,
    checkins_asking_contact,
    delete_checkin,
    record_checkin,
    remind_checkins,
)
from tests.factories import (
    CohortFactory,
    OrganisationFactory,
    PlacementFactory,
    ProgrammeFactory,
    region,
    user_with_roles,
)

pytestmark = pytest.mark.django_db

PAGE = "/kesejahteraan/"
NOTE = "Saya sulit tidur sejak sidang kemarin CATATANPRIBADI"
JSON = "application/json"


def alert_url(checkin) -> str:
    return f"/kesejahteraan/perhatian/{checkin.uuid}/"


@pytest.fixture
def people(organisation, trainee, facilitator):
    """A trainee in a cohort taught by `facilitator` (with an e-mail address);
    a colleague facilitator in the same organisation; a facilitator of another
    cohort; the programme's coordinator."""
    for person, address in (
        (trainee, "peserta@example.org"),
        (facilitator, "fasilitator@example.org"),
    ):
        person.email = address
        person.save()
    coordinator = user_with_roles(
        Role.KOORDINATOR, username="uji-koord", email="koord@example.org"
    )
    colleague = user_with_roles(
        Role.FASILITATOR,
        username="uji-rekan",
        organisation=organisation,
        email="rekan@example.org",
    )
    other = user_with_roles(
        Role.FASILITATOR, username="uji-lain", email="lain@example.org"
    )
    programme = ProgrammeFactory(coordinators=[coordinator])
    CohortFactory(programme=programme, facilitators=[facilitator], trainees=[trainee])
    CohortFactory(
        programme=programme,
        facilitators=[other],
        trainees=[user_with_roles(Role.PESERTA, username="uji-peserta-lain")],
    )
    return {
        "trainee": trainee,
        "facilitator": facilitator,
        "colleague": colleague,
        "other": other,
        "coordinator": coordinator,
    }


@pytest.fixture
def check_in(django_capture_on_commit_callbacks):
    """Record a check-in as the page does: e-mails go out after commit."""

    def record(person, **answers):
        answers.setdefault("feeling", Feeling.WELL)
        answers.setdefault("uuid", uuid.uuid4())
        with django_capture_on_commit_callbacks(execute=True):
            checkin, _created = record_checkin(person=person, **answers)
        return checkin

    return record


def form_data(**answers) -> dict:
    data = {
        "uuid": str(uuid.uuid4()),
        "feeling": "baik",
        "threatened": "tidak",
        "wants_contact": "tidak",
        "note": "",
    }
    data.update(answers)
    return data


def text_of(response) -> str:
    return response.content.decode()


# --- The form ----------------------------------------------------------------------


def test_the_form_says_the_answers_are_health_data_under_uu_pdp(signed_in, trainee):
    page = text_of(signed_in(trainee).get(PAGE))
    assert "UU 27/2022" in page
    assert "data kesehatan" in page
    assert "tidak pernah masuk ke unduhan" in page
    assert "menghapus" in page
    assert re.search(r'type="hidden" name="uuid" value="[0-9a-f-]{36}"', page)
    for label in ("Baik", "Lelah", "Berat sekali"):
        assert label in page


def test_a_calm_check_in_is_kept_and_tells_nobody(
    signed_in, people, django_capture_on_commit_callbacks
):
    client = signed_in(people["trainee"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(PAGE, form_data(note=NOTE), follow=True)
    assert "Cek kesejahteraanmu tersimpan" in text_of(response)
    checkin = WellbeingCheckIn.objects.get()
    assert (checkin.person, checkin.feeling, checkin.note) == (
        people["trainee"],
        Feeling.WELL,
        NOTE,
    )
    assert not checkin.alerted.exists()
    assert not Notification.objects.exists()
    assert mail.outbox == []
    # The companion sees it in their own list, note included.
    assert NOTE in text_of(client.get(PAGE))


def test_sending_the_form_twice_keeps_one_check_in_and_one_alert(
    signed_in, people, django_capture_on_commit_callbacks
):
    client = signed_in(people["trainee"])
    data = form_data(wants_contact="ya")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(PAGE, data)
        response = client.post(PAGE, data, follow=True)
    assert "tidak dicatat dua kali" in text_of(response)
    assert WellbeingCheckIn.objects.count() == 1
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_note_that_names_someone_is_refused_and_nothing_is_saved(
    signed_in, people, django_capture_on_commit_callbacks
):
    client = signed_in(people["trainee"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            PAGE, form_data(wants_contact="ya", note="Pelaku menelepon 081234567890")
        )
    assert response.status_code == 200
    assert "nomor telepon" in text_of(response)
    assert not WellbeingCheckIn.objects.exists()
    assert not Notification.objects.exists()
    assert mail.outbox == []

    with pytest.raises(ValidationError) as refused:
        record_checkin(
            person=people["trainee"],
            uuid=uuid.uuid4(),
            feeling="sedih",
            note="NIK 5302041234560001",
        )
    assert set(refused.value.message_dict) == {"feeling", "note"}
    assert not WellbeingCheckIn.objects.exists()


def test_a_coordinator_cannot_check_in(signed_in, people):
    assert signed_in(people["coordinator"]).get(PAGE).status_code == 403
    with pytest.raises(PermissionDenied):
        record_checkin(person=people["coordinator"], uuid=uuid.uuid4(), feeling="baik")


def test_alumni_and_facilitators_may_check_in(alumnus, people, check_in):
    assert check_in(alumnus).person == alumnus
    assert check_in(people["colleague"]).person == people["colleague"]


def test_trainees_and_alumni_find_it_on_their_home_page(
    client, signed_in, trainee, alumnus
):
    for person in (trainee, alumnus):
        client.logout()
        page = text_of(signed_in(person).get("/"))
        assert "Kesejahteraanmu" in page
        assert 'href="/kesejahteraan/"' in page


@pytest.mark.parametrize("count", [1, 12])
def test_the_page_costs_the_same_queries_however_many_check_ins(
    signed_in, trainee, count, django_assert_max_num_queries
):
    for number in range(count):
        WellbeingCheckIn.objects.create(
            person=trainee, feeling=Feeling.TIRED, note=f"catatan {number}"
        )
    client = signed_in(trainee)
    with django_assert_max_num_queries(12):
        response = client.get(PAGE)
    assert text_of(response).count("/hapus/") == count


# --- The alert ---------------------------------------------------------------------


def test_asking_for_contact_tells_the_cohort_facilitator_only(
    people, check_in, signed_in
):
    trainee = people["trainee"]
    check_in(trainee, feeling=Feeling.TIRED, wants_contact=True, note=NOTE)

    told = Notification.objects.get()
    assert told.recipient == people["facilitator"]
    assert told.message == (
        f"{trainee.display_name} meminta dihubungi dalam cek kesejahteraan"
    )
    assert [message.to for message in mail.outbox] == [["fasilitator@example.org"]]
    email = mail.outbox[0]
    assert trainee.display_name in email.subject
    assert told.link in email.body
    for private in (NOTE, "Lelah", "lelah"):
        assert private not in email.body
        assert private not in email.subject
    # Not the coordinator, not the colleague, not another cohort's facilitator.
    for person in ("coordinator", "colleague", "other"):
        assert not Notification.objects.filter(recipient=people[person]).exists()


def test_threats_or_a_heavy_feeling_are_a_risk_too(people, check_in):
    check_in(people["trainee"], threatened=True)
    check_in(people["trainee"], feeling=Feeling.HEAVY)
    messages = list(Notification.objects.values_list("message", flat=True))
    name = people["trainee"].display_name
    assert messages == [f"{name} menandai risiko dalam cek kesejahteraan"] * 2
    assert len(mail.outbox) == 2


def test_without_a_cohort_the_organisation_facilitators_are_told(
    organisation, people, check_in
):
    alone = user_with_roles(
        Role.ALUMNI, username="uji-alumni-sendiri", organisation=organisation
    )
    elsewhere = user_with_roles(
        Role.FASILITATOR,
        username="uji-lembaga-lain",
        organisation=OrganisationFactory(),
    )
    check_in(alone, wants_contact=True)
    told = set(Notification.objects.values_list("recipient", flat=True))
    assert told == {people["facilitator"].pk, people["colleague"].pk}
    assert elsewhere.pk not in told


def test_with_no_facilitator_the_companion_is_told_where_to_turn(
    signed_in, django_capture_on_commit_callbacks
):
    lonely = user_with_roles(Role.PESERTA, username="uji-tanpa-lembaga")
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(lonely).post(PAGE, form_data(threatened="ya"), follow=True)
    assert "SAPA 129" in text_of(response)
    assert not Notification.objects.exists()


def test_the_facilitator_page_shows_name_time_and_signal_but_never_the_note(
    people, check_in, signed_in
):
    checkin = check_in(
        people["trainee"], feeling=Feeling.TIRED, threatened=True, note=NOTE
    )
    page = text_of(signed_in(people["facilitator"]).get(alert_url(checkin)))
    assert people["trainee"].display_name in page
    assert "Mendapat ancaman atau tekanan" in page
    assert "Ingin dihubungi" not in page
    assert "Merasa berat sekali" not in page
    assert timezone.localtime(checkin.created_at).strftime("%H:%M") in page
    assert NOTE not in page
    assert "CATATANPRIBADI" not in page
    assert "Lelah" not in page
    assert "Sudah saya hubungi" in page


@pytest.mark.parametrize("who", ["coordinator", "colleague", "other", "trainee"])
def test_nobody_else_can_open_the_alert(people, check_in, signed_in, client, who):
    checkin = check_in(people["trainee"], wants_contact=True, note=NOTE)
    signed_in(people[who])
    assert client.get(alert_url(checkin)).status_code == 404
    assert client.post(alert_url(checkin)).status_code == 404
    checkin.refresh_from_db()
    assert checkin.contacted_at is None


def test_a_calm_check_in_has_no_alert_page(people, check_in, signed_in):
    checkin = check_in(people["trainee"], feeling=Feeling.WELL)
    assert signed_in(people["facilitator"]).get(alert_url(checkin)).status_code == 404


def test_marking_contacted_takes_it_off_the_attention_list(people, check_in, signed_in):
    facilitator = people["facilitator"]
    checkin = check_in(people["trainee"], wants_contact=True)
    old = check_in(people["trainee"], threatened=True)
    WellbeingCheckIn.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=31)
    )
    check_in(people["trainee"], feeling=Feeling.WELL)

    alerts = checkins_asking_contact(facilitator=facilitator)
    assert [alert.uuid for alert in alerts] == [checkin.uuid]
    assert alerts[0].name == people["trainee"].display_name
    assert not hasattr(alerts[0], "note")
    assert checkins_asking_contact(facilitator=people["colleague"]) == []
    assert checkins_asking_contact(facilitator=people["coordinator"]) == []

    client = signed_in(facilitator)
    listing = text_of(client.get("/kesejahteraan/perhatian/"))
    assert people["trainee"].display_name in listing
    assert alert_url(checkin) in listing

    response = client.post(alert_url(checkin), follow=True)
    assert "Sudah dihubungi oleh" in text_of(response)
    checkin.refresh_from_db()
    assert checkin.contacted_by == facilitator
    assert checkins_asking_contact(facilitator=facilitator) == []
    # The companion sees that someone reached out.
    client.logout()
    page = text_of(signed_in(people["trainee"]).get(PAGE))
    assert "Fasilitator sudah menghubungimu" in page


# --- Deleting ----------------------------------------------------------------------


def test_the_companion_deletes_their_own_check_in_and_its_alerts(
    people, check_in, signed_in
):
    checkin = check_in(people["trainee"], wants_contact=True, note=NOTE)
    client = signed_in(people["trainee"])
    delete_url = f"/kesejahteraan/{checkin.uuid}/hapus/"
    confirm = client.get(delete_url)
    assert "Ya, hapus" in text_of(confirm)
    assert WellbeingCheckIn.objects.filter(pk=checkin.pk).exists()

    response = client.post(delete_url, follow=True)
    assert "sudah dihapus" in text_of(response)
    assert not WellbeingCheckIn.objects.exists()
    assert not Notification.objects.exists()
    client.logout()
    assert signed_in(people["facilitator"]).get(alert_url(checkin)).status_code == 404


@pytest.mark.parametrize("who", ["facilitator", "coordinator", "other"])
def test_nobody_else_can_delete_a_check_in(people, check_in, signed_in, who):
    checkin = check_in(people["trainee"], wants_contact=True)
    client = signed_in(people[who])
    delete_url = f"/kesejahteraan/{checkin.uuid}/hapus/"
    assert client.get(delete_url).status_code == 404
    assert client.post(delete_url).status_code == 404
    with pytest.raises(PermissionDenied):
        delete_checkin(checkin=checkin, person=people[who])
    assert WellbeingCheckIn.objects.filter(pk=checkin.pk).exists()


# --- Counts for coordinators -------------------------------------------------------


COUNTS = "/admin/magang/kesejahteraan-angka/"


def five_companions_checked_in(people, check_in) -> list:
    cohort = people["trainee"].enrolments.get().cohort
    companions = [people["trainee"]] + [
        user_with_roles(Role.PESERTA, username=f"uji-hitung-{n}") for n in range(4)
    ]
    for person in companions[1:]:
        Enrolment.objects.create(cohort=cohort, trainee=person)
    feelings = [Feeling.WELL, Feeling.WELL, Feeling.TIRED, Feeling.HEAVY, Feeling.WELL]
    for person, feeling in zip(companions, feelings, strict=True):
        check_in(person, feeling=feeling, note=NOTE)
    check_in(companions[1], feeling=Feeling.WELL, wants_contact=True)
    return companions


def test_a_coordinator_sees_counts_only(people, check_in, signed_in):
    companions = five_companions_checked_in(people, check_in)
    counts = checkin_counts(people=User.objects.all())
    assert (counts.total, counts.people, counts.risk) == (6, 5, 2)
    assert counts.by_feeling == {"baik": 4, "lelah": 1, "berat": 1}

    page = text_of(signed_in(people["coordinator"]).get(COUNTS))
    assert "6 cek kesejahteraan" in page
    assert "dari 5 pendamping" in page
    assert "2 menandai risiko" in page
    assert "Berat sekali" in page
    for person in companions:
        assert person.display_name not in page
        assert person.username not in page
    assert "CATATANPRIBADI" not in page


def test_counts_are_withheld_for_fewer_than_five_companions(
    people, check_in, signed_in
):
    check_in(people["trainee"], feeling=Feeling.HEAVY)
    page = text_of(signed_in(people["coordinator"]).get(COUNTS))
    assert "sedikitnya 5 pendamping" in page
    assert "1 cek kesejahteraan" not in page


def test_a_trainee_gets_no_counts(people, signed_in):
    assert signed_in(people["trainee"]).get(COUNTS).status_code in (302, 403)


def test_no_admin_screen_lists_or_opens_a_check_in(people, check_in, signed_in):
    checkin = check_in(people["trainee"], wants_contact=True, note=NOTE)
    client = signed_in(people["coordinator"])
    for url in (
        "/admin/snippets/mentorship/wellbeingcheckin/",
        "/admin/mentorship/wellbeingcheckin/",
        f"/admin/snippets/mentorship/wellbeingcheckin/edit/{checkin.pk}/",
        alert_url(checkin),
    ):
        assert client.get(url).status_code == 404, url


# --- Exports -----------------------------------------------------------------------


PRIVATE = ("CATATANPRIBADI", "Berat sekali", "cek kesejahteraan", "Kesejahteraan")


def assert_private(text: str) -> None:
    for word in PRIVATE:
        assert word not in text


def test_exports_never_carry_check_ins(signed_in, check_in, organisation):
    facilitator = user_with_roles(
        Role.FASILITATOR, username="uji-fas-ekspor", organisation=organisation
    )
    placement = PlacementFactory()
    trainee = placement.trainee
    cohort = CohortFactory(facilitators=[facilitator], trainees=[trainee])
    check_in(trainee, feeling=Feeling.HEAVY, threatened=True, note=NOTE)
    check_in(trainee, feeling=Feeling.TIRED, wants_contact=True, note=NOTE)

    client = signed_in(trainee)
    response = client.get("/magang/unduh/catatan-magang.pdf")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    assert_private("\n".join(page.extract_text() for page in reader.pages))
    response = client.get("/magang/unduh/catatan-magang.csv")
    assert response.status_code == 200
    assert_private(response.content.decode("utf-8-sig"))

    client.logout()
    staff = signed_in(facilitator)
    response = staff.get(f"/magang/unduh/catatan-magang.csv?peserta={trainee.pk}")
    assert response.status_code == 200
    assert_private(response.content.decode("utf-8-sig"))
    for export in ("csv", "xlsx"):
        response = staff.get(
            f"/admin/hasil-kuis/angkatan/{cohort.pk}/", {"export": export}
        )
        assert response.status_code == 200
        assert_private(spreadsheet_text(response, export))
    response = staff.get(
        reverse("assessments_competence_matrix", args=[cohort.pk]), {"export": "xlsx"}
    )
    assert response.status_code == 200
    assert_private(spreadsheet_text(response, "xlsx"))
    assert_private(workbook_text(paper_log_template(placement)))

    session = ReflectionSession.objects.create(
        programme=cohort.programme,
        organisation=organisation,
        year=2025,
        start_date=datetime.date(2025, 11, 4),
        end_date=datetime.date(2025, 11, 6),
        place=region("53.02.01"),
    )
    session.facilitators.add(facilitator)
    session.attendees.add(trainee)
    reader = PdfReader(io.BytesIO(summary_pdf(session)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert trainee.display_name in text
    assert_private(text)


def spreadsheet_text(response, kind: str) -> str:
    content = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    if kind == "csv":
        return "\n".join(
            ",".join(row) for row in csv.reader(io.StringIO(content.decode()))
        )
    return workbook_text(content)


def workbook_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content))
    return "\n".join(
        str(cell)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    )


# Modules that may read check-ins. An export, report or admin screen that
# starts reading them must be added here knowingly, and be checked above.
READERS = {
    "mentorship/models/wellbeing.py",
    "mentorship/models/__init__.py",
    "mentorship/wellbeing.py",
    "mentorship/views/wellbeing.py",
    "mentorship/api/wellbeing.py",
    "mentorship/attention.py",
    # Erasure deletes the person's own check-ins (tests/learning/test_erasure.py).
    "learning/erasure.py",
    # "Unduh data saya" hands the person their own check-ins, in a file of
    # their own, to them only (tests/learning/test_personal_data_export.py).
    "mentorship/personal_data.py",
}


def test_only_the_wellbeing_modules_read_check_ins():
    root = Path(__file__).resolve().parents[2]
    readers = set()
    for app in ("learning", "modules", "assessments", "mentorship"):
        for source in (root / app).rglob("*.py"):
            if "migrations" in source.parts:
                continue
            text = source.read_text()
            if "WellbeingCheckIn" in text or "wellbeing_checkins" in text:
                readers.add(source.relative_to(root).as_posix())
    assert readers <= READERS


# --- The monthly reminder ----------------------------------------------------------


def test_companions_are_reminded_once_a_month(
    people, alumnus, django_capture_on_commit_callbacks
):
    march = datetime.date(2025, 3, 3)
    with django_capture_on_commit_callbacks(execute=True):
        first = remind_checkins(today=march)
        again = remind_checkins(today=march + datetime.timedelta(days=20))
    reminded = set(Notification.objects.values_list("recipient", flat=True))
    companions = {people["trainee"].pk, alumnus.pk}
    companions.add(User.objects.get(username="uji-peserta-lain").pk)
    assert reminded == companions
    assert (first, again) == (3, 0)
    assert [message.to for message in mail.outbox] == [["peserta@example.org"]]
    link = Notification.objects.filter(recipient=people["trainee"]).get().link
    assert link == "/kesejahteraan/#cek-2025-03"

    assert remind_checkins(today=datetime.date(2025, 4, 7)) == 3


def test_someone_who_checked_in_this_month_is_not_reminded(people, check_in):
    check_in(people["trainee"])
    today = timezone.localdate()
    remind_checkins(today=today)
    assert not Notification.objects.filter(recipient=people["trainee"]).exists()


def test_the_task_runs_the_reminder(people):
    assert remind_task() == 2
    assert remind_task() == 0


def test_the_reminder_is_scheduled_on_the_first_monday(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["wellbeing-monthly-reminder"]
    assert entry["task"] == "mentorship.tasks.remind_checkins"
    schedule = entry["schedule"]
    assert schedule.day_of_week == {1}
    assert schedule.day_of_month == set(range(1, 8))
    assert (schedule.hour, schedule.minute) == ({8}, {0})


# --- The API -----------------------------------------------------------------------


def test_the_api_creates_once_lists_mine_and_deletes_mine(
    client, people, django_capture_on_commit_callbacks
):
    body = {
        "uuid": str(uuid.uuid4()),
        "feeling": "berat",
        "threatened": False,
        "wants_contact": True,
        "note": NOTE,
    }
    client.force_login(people["trainee"])
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post("/api/magang/wellbeing", body, content_type=JSON)
        second = client.post("/api/magang/wellbeing", body, content_type=JSON)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert first.json()["facilitator_told"] is True
    assert first.json()["signals_risk"] is True
    assert WellbeingCheckIn.objects.count() == 1
    assert Notification.objects.count() == 1

    refused = client.post(
        "/api/magang/wellbeing",
        {**body, "uuid": str(uuid.uuid4()), "note": "hubungi 081234567890"},
        content_type=JSON,
    )
    assert refused.status_code == 422
    assert "note" in refused.json()["errors"]

    mine = client.get("/api/magang/wellbeing/mine").json()
    assert [item["uuid"] for item in mine["items"]] == [body["uuid"]]

    client.force_login(people["facilitator"])
    assert client.get("/api/magang/wellbeing/mine").json()["items"] == []
    taken = client.post("/api/magang/wellbeing", body, content_type=JSON)
    assert taken.status_code == 409
    assert client.delete(f"/api/magang/wellbeing/{body['uuid']}").status_code == 404
    client.force_login(people["coordinator"])
    assert client.get("/api/magang/wellbeing/mine").status_code == 403

    client.force_login(people["trainee"])
    assert client.delete(f"/api/magang/wellbeing/{body['uuid']}").status_code == 204
    assert not WellbeingCheckIn.objects.exists()
    assert not Notification.objects.exists()
