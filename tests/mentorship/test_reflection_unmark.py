"""Unmarking someone at a reflection session: the rule (who may, who is held
present and why), the admin's rows, the phone page, the later action
winning over an old tick sent late, and twenty clicks at once."""

import datetime
import json
import uuid

from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from learning.choices import Role
from mentorship.models import (
    Reflection,
    RefresherAssignment,
    SessionAttendanceMark,
)
from mentorship.reflection import (
    ReflectionInput,
    save_reflection,
    session_totals,
)
from mentorship.reflection_attendance import (
    AttendanceError,
    mark_present,
    save_session_attendance,
    unmark_attendance,
)
from tests.concurrency import all_at_once, signed_in_clients
from tests.factories import (
    CohortFactory,
    OrganisationFactory,
    UserFactory,
    reflection_session,
    user_with_roles,
)

API = "/api/magang/reflection/sessions/{}/attendance"
JSON = "application/json"


def admin_url(session) -> str:
    return reverse("mentorship_reflection_session", args=[session.pk])


def phone_url(session) -> str:
    return reverse("mentorship:attendance_session", args=[session.pk])


def signed_in_as(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def present(session) -> set[int]:
    return set(session.attendees.values_list("pk", flat=True))


@pytest.fixture
def session(organisation, facilitator, trainee, alumnus):
    made = reflection_session(
        organisation=organisation, facilitator=facilitator, trainees=[trainee, alumnus]
    )
    made.attendees.add(trainee, alumnus)
    return made


@pytest.fixture
def colleague(organisation, session):
    """A facilitator of the organising organisation who does not lead it."""
    person = user_with_roles(
        Role.FASILITATOR, username="rekan-sesi", organisation=organisation
    )
    CohortFactory(programme=session.programme, facilitators=[person])
    return person


@pytest.fixture
def partner(session):
    """A partner organisation's facilitator in the programme (as YABIKU in
    I-WILL), leading nothing here."""
    yabiku = OrganisationFactory(short_name="YAB-LEPAS")
    programme = session.programme
    programme.organisations.add(yabiku)
    programme.save()
    return user_with_roles(
        Role.FASILITATOR, username="mitra-lepas", organisation=yabiku
    )


@pytest.fixture
def programme_coordinator(session):
    person = user_with_roles(Role.KOORDINATOR, username="koor-sesi")
    programme = session.programme
    programme.coordinators.add(person)
    programme.save()  # a ParentalManyToManyField writes on save
    return person


# --- The rule -------------------------------------------------------------------


@pytest.mark.django_db
def test_someone_marked_present_can_be_unmarked_and_marked_again(
    session, facilitator, trainee, alumnus
):
    assert unmark_attendance(session=session, person_id=trainee.pk, by=facilitator)
    assert present(session) == {alumnus.pk}
    # A repeat (a double click) answers "nothing changed" and changes nothing.
    assert not unmark_attendance(session=session, person_id=trainee.pk, by=facilitator)
    assert present(session) == {alumnus.pk}
    assert mark_present(session=session, person_id=trainee.pk, by=facilitator)
    assert present(session) == {trainee.pk, alumnus.pk}
    mark = SessionAttendanceMark.objects.get(session=session, person=trainee)
    assert mark.present and mark.marked_by == facilitator


@pytest.mark.django_db
def test_the_programme_coordinator_may_unmark(session, programme_coordinator, trainee):
    assert unmark_attendance(
        session=session, person_id=trainee.pk, by=programme_coordinator
    )
    assert trainee.pk not in present(session)


@pytest.mark.django_db
def test_who_does_not_lead_the_session_may_not_unmark(
    session, colleague, partner, trainee, alumnus
):
    """Seeing is not changing: the colleague sees the session (same
    organisation); the partner and the trainee do not even see it."""
    for who in (colleague, partner, trainee):
        with pytest.raises(AttendanceError, match="tidak dapat mengubah kehadiran"):
            unmark_attendance(session=session, person_id=alumnus.pk, by=who)
        with pytest.raises(AttendanceError):
            mark_present(session=session, person_id=alumnus.pk, by=who)
    assert present(session) == {trainee.pk, alumnus.pk}
    assert not SessionAttendanceMark.objects.exists()


@pytest.mark.django_db
def test_a_reflection_the_companion_filled_does_not_hold_them_present(
    session, facilitator, trainee
):
    """Companions fill it before the session, present or not: it stays
    theirs and stays counted."""
    save_reflection(
        person=trainee,
        session=session,
        uuid=uuid.uuid4(),
        data=ReflectionInput(support_needed="Pelatihan konseling lanjutan."),
        entered_by=trainee,
    )
    assert unmark_attendance(session=session, person_id=trainee.pk, by=facilitator)
    assert Reflection.objects.filter(person=trainee, session=session).exists()
    assert session_totals(session).reflections == 1


@pytest.mark.django_db
def test_a_reflection_a_facilitator_entered_holds_them_present(
    session, facilitator, trainee, alumnus
):
    save_reflection(
        person=alumnus,
        session=session,
        uuid=uuid.uuid4(),
        data=ReflectionInput(learning_needs="Rujukan ke UPTD PPA."),
        entered_by=facilitator,
    )
    with pytest.raises(AttendanceError) as refused:
        save_session_attendance(
            session=session,
            present_ids=set(),
            absent_ids={trainee.pk, alumnus.pk},
            by=facilitator,
        )
    assert alumnus.display_name in str(refused.value)
    assert "refleksinya diisi fasilitator" in str(refused.value)
    # All or nothing: the trainee, who could go, stays too.
    assert present(session) == {trainee.pk, alumnus.pk}


@pytest.mark.django_db
def test_a_refresher_from_the_session_holds_them_present(
    session, facilitator, trainee, module
):
    RefresherAssignment.objects.create(session=session, person=trainee, module=module)
    with pytest.raises(AttendanceError, match="tugas modul penyegaran"):
        unmark_attendance(session=session, person_id=trainee.pk, by=facilitator)
    assert trainee.pk in present(session)


# --- The later action wins ----------------------------------------------------------


def post_api(client, session, **body):
    return client.post(API.format(session.pk), json.dumps(body), content_type=JSON)


@pytest.mark.django_db
def test_an_old_tick_sent_after_an_untick_changes_nothing(
    session, facilitator, trainee
):
    """A phone kept "present" at 09:00 with no signal; at 10:00 the person was
    unticked in the admin; the phone sends at 11:00: still absent. A tick
    kept after the untick does count."""
    client = signed_in_as(facilitator)
    kept = timezone.now() - datetime.timedelta(hours=1)
    unmark_attendance(session=session, person_id=trainee.pk, by=facilitator)
    response = post_api(
        client, session, person_ids=[trainee.pk], marked_at=kept.isoformat()
    )
    assert response.status_code == 200, response.content
    assert trainee.pk not in present(session)
    assert trainee.pk not in {p["id"] for p in response.json()["attendees"]}

    later = post_api(
        client, session, person_ids=[trainee.pk], marked_at=timezone.now().isoformat()
    )
    assert later.status_code == 200
    assert trainee.pk in present(session)


@pytest.mark.django_db
def test_an_outbox_sent_twice_does_not_undo_what_came_between(
    session, facilitator, trainee
):
    """The phone's answer was lost, so it sends the same record again after a
    colleague unticked the person: the person stays unticked."""
    client = signed_in_as(facilitator)
    kept = (timezone.now() - datetime.timedelta(minutes=5)).isoformat()
    body = {"person_ids": [], "absent_ids": [trainee.pk], "marked_at": kept}
    assert post_api(client, session, **body).status_code == 200
    mark_present(session=session, person_id=trainee.pk, by=facilitator)
    assert post_api(client, session, **body).status_code == 200
    assert trainee.pk in present(session)


@pytest.mark.django_db
def test_a_phone_clock_running_ahead_does_not_beat_a_later_action(
    session, facilitator, trainee
):
    client = signed_in_as(facilitator)
    tomorrow = (timezone.now() + datetime.timedelta(days=1)).isoformat()
    post_api(
        client, session, person_ids=[], absent_ids=[trainee.pk], marked_at=tomorrow
    )
    assert trainee.pk not in present(session)
    mark = SessionAttendanceMark.objects.get(session=session, person=trainee)
    assert mark.marked_at <= timezone.now()
    mark_present(session=session, person_id=trainee.pk, by=facilitator)
    assert trainee.pk in present(session)


@pytest.mark.django_db
def test_the_api_refuses_who_does_not_lead_and_a_bad_time(
    session, colleague, facilitator, trainee
):
    refused = post_api(
        signed_in_as(colleague), session, person_ids=[], absent_ids=[trainee.pk]
    )
    assert refused.status_code == 404
    bad = post_api(
        signed_in_as(facilitator),
        session,
        absent_ids=[trainee.pk],
        person_ids=[],
        marked_at="kemarin",
    )
    assert bad.status_code == 422
    assert trainee.pk in present(session)


# --- The admin's session page -------------------------------------------------------


@pytest.mark.django_db
def test_the_admin_page_unmarks_one_person_and_says_so(session, facilitator, trainee):
    client = signed_in_as(facilitator)
    page = client.get(admin_url(session)).content.decode()
    assert "Hapus tanda hadir" in page
    body = {"aksi": "tidak_hadir", "peserta": str(trainee.pk)}
    response = client.post(admin_url(session), body, follow=True)
    assert response.redirect_chain[-1][0] == admin_url(session)
    html = response.content.decode()
    assert f"{trainee.display_name} dicatat tidak hadir." in html
    assert trainee.pk not in present(session)
    # The person is now offered to be marked present again.
    assert 'value="hadir"' in html
    again = client.post(admin_url(session), body, follow=True).content.decode()
    assert f"{trainee.display_name} dicatat tidak hadir." in again
    back = client.post(
        admin_url(session), {"aksi": "hadir", "peserta": str(trainee.pk)}, follow=True
    )
    assert f"{trainee.display_name} dicatat hadir." in back.content.decode()
    assert trainee.pk in present(session)


@pytest.mark.django_db
def test_the_admin_page_says_why_someone_stays_present(
    session, facilitator, alumnus, module
):
    RefresherAssignment.objects.create(session=session, person=alumnus, module=module)
    client = signed_in_as(facilitator)
    page = client.get(admin_url(session)).content.decode()
    assert "Tetap hadir: sudah mendapat tugas modul penyegaran dari sesi ini" in page
    response = client.post(
        admin_url(session),
        {"aksi": "tidak_hadir", "peserta": str(alumnus.pk)},
        follow=True,
    )
    assert "Tidak ada yang disimpan" in response.content.decode()
    assert alumnus.pk in present(session)


@pytest.mark.django_db
@pytest.mark.parametrize("ugly", ["", "abc", "0", "-1", "1\x00", "9" * 40])
def test_an_ugly_person_on_the_admin_page_changes_nothing(
    session, facilitator, trainee, alumnus, ugly
):
    response = signed_in_as(facilitator).post(
        admin_url(session), {"aksi": "tidak_hadir", "peserta": ugly}, follow=True
    )
    assert response.status_code == 200
    assert "Peserta ini tidak ada di daftar sesi ini." in response.content.decode()
    assert present(session) == {trainee.pk, alumnus.pk}


@pytest.mark.django_db
def test_someone_outside_the_session_is_not_found_on_the_admin_page(
    session, facilitator, trainee
):
    outsider = UserFactory(username="bukan-peserta-sesi")
    response = signed_in_as(facilitator).post(
        admin_url(session), {"aksi": "hadir", "peserta": str(outsider.pk)}, follow=True
    )
    assert "Peserta ini tidak ada di daftar sesi ini." in response.content.decode()
    assert outsider.pk not in present(session)


@pytest.mark.django_db
def test_who_does_not_lead_gets_no_buttons_and_changes_nothing(
    session, colleague, partner, trainee, alumnus
):
    client = signed_in_as(colleague)
    page = client.get(admin_url(session)).content.decode()
    assert "Hapus tanda hadir" not in page
    assert "Kehadiran dicatat oleh fasilitator sesi ini" in page
    response = client.post(
        admin_url(session),
        {"aksi": "tidak_hadir", "peserta": str(trainee.pk)},
        follow=True,
    )
    assert "tidak dapat mengubah kehadiran" in response.content.decode()
    # The partner does not see the session at all; the trainee is no staff.
    assert (
        signed_in_as(partner)
        .post(admin_url(session), {"aksi": "tidak_hadir", "peserta": str(trainee.pk)})
        .status_code
        == 404
    )
    assert signed_in_as(trainee).post(
        admin_url(session), {"aksi": "tidak_hadir", "peserta": str(trainee.pk)}
    ).status_code in (302, 403)
    assert present(session) == {trainee.pk, alumnus.pk}


# --- The phone page -------------------------------------------------------------------


@pytest.mark.django_db
def test_the_phone_page_unticks_and_keeps_a_held_tick(
    session, facilitator, trainee, alumnus, module
):
    RefresherAssignment.objects.create(session=session, person=alumnus, module=module)
    client = signed_in_as(facilitator)
    html = client.get(phone_url(session)).content.decode()
    assert f'<input type="hidden" name="hadir" value="{alumnus.pk}">' in html
    assert "tetap hadir: sudah mendapat tugas modul penyegaran" in html
    # The page as a browser sends it: the held tick comes back hidden.
    response = client.post(
        phone_url(session),
        {"hadir": [str(alumnus.pk)], "tadi": [str(trainee.pk), str(alumnus.pk)]},
    )
    assert response.status_code == 302
    assert present(session) == {alumnus.pk}
    # Forced (a hand-made form): refused, nothing changes.
    forced = client.post(phone_url(session), {"tadi": [str(alumnus.pk)]})
    assert "Tidak ada yang disimpan" in forced.content.decode()
    assert present(session) == {alumnus.pk}


@pytest.mark.django_db
def test_a_tick_left_on_a_page_drawn_before_an_untick_does_not_undo_it(
    session, facilitator, programme_coordinator, trainee, alumnus
):
    """The facilitator's page showed the trainee ticked; meanwhile the
    coordinator unticked them; the facilitator saves having ticked nobody
    new: the untick stands."""
    client = signed_in_as(facilitator)
    client.get(phone_url(session))
    unmark_attendance(session=session, person_id=trainee.pk, by=programme_coordinator)
    client.post(
        phone_url(session),
        {
            "hadir": [str(trainee.pk), str(alumnus.pk)],
            "tadi": [str(trainee.pk), str(alumnus.pk)],
        },
    )
    assert present(session) == {alumnus.pk}


@pytest.mark.django_db
def test_the_phone_page_is_not_found_for_who_does_not_lead(session, colleague, partner):
    for who in (colleague, partner):
        assert signed_in_as(who).get(phone_url(session)).status_code == 404
        html = signed_in_as(who).get(reverse("mentorship:attendance")).content.decode()
        assert phone_url(session) not in html


# --- Twenty at once ---------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrated_data")
def test_twenty_unmarks_at_once_remove_once_and_all_answer_alike():
    organisation = OrganisationFactory(short_name="DUAPULUH")
    lead = user_with_roles(
        Role.FASILITATOR, username="dua-puluh", organisation=organisation
    )
    trainee = user_with_roles(
        Role.PESERTA, username="dua-puluh-p", organisation=organisation
    )
    other = user_with_roles(
        Role.PESERTA, username="dua-puluh-q", organisation=organisation
    )
    session = reflection_session(
        organisation=organisation, facilitator=lead, trainees=[trainee, other]
    )
    session.attendees.add(trainee, other)
    body = {"aksi": "tidak_hadir", "peserta": str(trainee.pk)}
    url = admin_url(session)

    def unmark(client):
        response = client.post(url, body)
        return response.status_code, response["Location"]

    answers = all_at_once(
        [lambda client=client: unmark(client) for client in signed_in_clients(lead, 20)]
    )
    assert answers == [(302, url)] * 20, answers
    assert present(session) == {other.pk}
    assert SessionAttendanceMark.objects.filter(session=session).count() == 1
