"""Issue 21's magang and reflection screens, fed what a careless or hostile
person sends: ids no row can have, words where an id goes, a signer's line
longer than where it is kept, a phone clock at year 1. Each gets a refusal
or a message and changes nothing; none gets a 500 (the test client raises
on one)."""

import datetime
import json

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

import pytest

from learning.choices import Role
from mentorship.choices import EntryStatus
from mentorship.models import (
    FollowUpAction,
    HourEntry,
    HourEntryEvent,
    RefresherAssignment,
    SessionAttendanceMark,
)
from mentorship.reflection_attendance import unmark_attendance
from mentorship.verification import (
    countersign_entries,
    create_countersign_link,
    record_paper_signature,
)
from tests.factories import (
    CohortFactory,
    HourEntryFactory,
    OrganisationFactory,
    outside_placement,
    reflection_session,
    user_with_roles,
)
from tests.factories.modules import module_with_lessons

HUGE = "99999999999999999999"
NOT_IDS = [HUGE, "abc", '"', "'", "<script>x</script>", "a\x00b", "🙂", "1.5", " "]
TODAY = timezone.localdate


def signed_in_as(person) -> Client:
    client = Client()
    if person is not None:
        client.force_login(person)
    return client


@pytest.fixture
def placement(trainee):
    return outside_placement(trainee=trainee)


@pytest.fixture
def entries(placement):
    return [
        HourEntryFactory(
            placement=placement,
            status=EntryStatus.SUBMITTED,
            date=TODAY() - datetime.timedelta(days=3 + day),
        )
        for day in range(2)
    ]


def sign_url(placement) -> str:
    return f"/admin/magang/impor/{placement.pk}/tanda-tangan/"


def signature(entries, **fields) -> dict:
    return {
        "entri": [entry.pk for entry in entries],
        "nama": "Maria Bria",
        "jabatan": "Bidan koordinator, Puskesmas Kota SoE",
        "tanggal": TODAY().isoformat(),
        "pernyataan": "on",
    } | fields


def waiting(entries) -> bool:
    return set(
        HourEntry.objects.filter(pk__in=[e.pk for e in entries]).values_list(
            "status", flat=True
        )
    ) == {EntryStatus.SUBMITTED}


# --- The paper signature page -------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("ugly", NOT_IDS)
def test_an_entry_id_no_row_can_have_is_refused_in_words(
    facilitator, placement, entries, ugly
):
    client = signed_in_as(facilitator)
    data = signature(entries, entri=[entries[0].pk, ugly])
    response = client.post(sign_url(placement), data)
    assert response.status_code == 200
    assert "Tanda tangan belum dicatat" in response.content.decode()
    assert waiting(entries)
    # Chosen in the address (the import's link): the page still opens.
    assert client.get(sign_url(placement), {"entri": ugly}).status_code == 200


@pytest.mark.django_db
def test_a_signer_line_longer_than_its_column_is_refused_not_cut(
    facilitator, placement, entries
):
    # Each fits the form (120), together "name (position)" does not fit the
    # entry's 200: PostgreSQL refused it with a server error, SQLite kept it.
    client = signed_in_as(facilitator)
    response = client.post(
        sign_url(placement), signature(entries, nama="N" * 120, jabatan="J" * 120)
    )
    assert response.status_code == 200
    assert "Nama dan jabatan bersama terlalu panjang" in response.content.decode()
    assert waiting(entries)
    assert not HourEntryEvent.objects.filter(actor_name__startswith="NNN").exists()

    # Exactly as long as the column: kept whole.
    response = client.post(
        sign_url(placement), signature(entries, nama="N" * 100, jabatan="J" * 97)
    )
    assert response.status_code == 302
    kept = HourEntry.objects.get(pk=entries[0].pk).verified_by_name
    assert kept == "N" * 100 + " (" + "J" * 97 + ")"


@pytest.mark.django_db
def test_the_rule_refuses_a_long_signer_whoever_calls_it(
    facilitator, trainee, placement, entries
):
    with pytest.raises(ValidationError) as refused:
        record_paper_signature(
            entries=entries,
            facilitator=facilitator,
            name="N" * 121,
            position="Bidan",
            signed_on=TODAY(),
            attested=True,
        )
    assert "paling banyak 120 huruf" in str(refused.value)
    # The supervisor's countersign link keeps the same line on the entries.
    _link, token = create_countersign_link(
        trainee=trainee, placement=placement, entries=entries
    )
    with pytest.raises(ValidationError) as refused:
        countersign_entries(
            token=token,
            name="N" * 120,
            position="J" * 120,
            choices={entry.pk: "verifikasi" for entry in entries},
        )
    assert "terlalu panjang" in str(refused.value)
    assert waiting(entries)


@pytest.mark.django_db
@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "2026-02-30", "abc"])
def test_a_signature_day_out_of_reach_is_refused(facilitator, placement, entries, day):
    response = signed_in_as(facilitator).post(
        sign_url(placement), signature(entries, tanggal=day)
    )
    assert response.status_code == 200
    assert "Tanda tangan belum dicatat" in response.content.decode()
    assert waiting(entries)


# --- The reflection session's admin page and phone page -----------------------


@pytest.fixture
def session(organisation, facilitator, trainee, alumnus):
    made = reflection_session(
        organisation=organisation, facilitator=facilitator, trainees=[trainee, alumnus]
    )
    made.attendees.add(trainee)
    return made


def session_url(session) -> str:
    return f"/admin/refleksi/{session.pk}/sesi/"


@pytest.mark.django_db
@pytest.mark.parametrize("ugly", NOT_IDS + ["-1", "0"])
def test_a_follow_up_named_by_something_not_an_id_is_not_found(
    facilitator, trainee, session, ugly
):
    action = FollowUpAction.objects.create(
        session=session,
        description="Kunjungan ke UPTD PPA",
        owner=facilitator,
        due_date=session.start_date,
    )
    response = signed_in_as(facilitator).post(
        session_url(session), {"aksi": "selesai", "tindak_lanjut": ugly}
    )
    assert response.status_code == 404
    action.refresh_from_db()
    assert action.done_at is None


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["people", "modules"])
def test_refreshers_for_an_id_no_row_can_have_are_refused_in_words(
    facilitator, trainee, session, field
):
    data = {"aksi": "penyegaran", "people": [trainee.pk], "modules": ["1"]}
    data[field] = [HUGE]
    response = signed_in_as(facilitator).post(session_url(session), data)
    assert response.status_code == 200
    assert "bukan nilai yang valid" in response.content.decode()
    assert not RefresherAssignment.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("aksi", ["hadir", "tidak_hadir"])
def test_marking_with_ugly_ids_names_nobody_and_changes_nothing(
    facilitator, trainee, session, aksi
):
    client = signed_in_as(facilitator)
    for ugly in NOT_IDS + ["-1", "0", "x" * 10000]:
        response = client.post(
            session_url(session), {"aksi": aksi, "peserta": ugly}, follow=True
        )
        assert response.status_code == 200
        assert "Peserta ini tidak ada di daftar sesi ini." in response.content.decode()
    phone = f"/kehadiran/refleksi/{session.pk}/"
    for ugly in NOT_IDS:
        response = client.post(phone, {"hadir": [ugly], "tadi": [str(trainee.pk)]})
        assert response.status_code == 200
        assert "isian kehadiran tidak sesuai" in response.content.decode()
    assert set(session.attendees.values_list("pk", flat=True)) == {trainee.pk}
    assert not SessionAttendanceMark.objects.exists()


@pytest.fixture
def others(organisation, session, trainee):
    """Everyone who must be refused the session's attendance: the trainee, a
    partner organisation's facilitator in the programme who leads nothing,
    a coordinator of another programme."""
    yabiku = OrganisationFactory(short_name="YAB-HOSTIL")
    session.programme.organisations.add(yabiku)
    session.programme.save()
    return {
        "anonim": None,
        "peserta": trainee,
        "fasilitator-yabiku": user_with_roles(
            Role.FASILITATOR, username="yabiku-hostil", organisation=yabiku
        ),
        "koordinator lain": user_with_roles(Role.KOORDINATOR, username="koor-lain"),
    }


@pytest.mark.django_db
def test_those_who_may_not_change_attendance_change_nothing(
    session, others, alumnus, trainee
):
    for who, person in others.items():
        client = signed_in_as(person)
        for aksi in ("hadir", "tidak_hadir", "daftar_angkatan"):
            response = client.post(
                session_url(session), {"aksi": aksi, "peserta": alumnus.pk}
            )
            assert response.status_code in (302, 403, 404), who
            if response.status_code == 302:
                assert "/admin/login/" in response["Location"], who
        response = client.post(
            f"/kehadiran/refleksi/{session.pk}/",
            {"hadir": [alumnus.pk], "tadi": [trainee.pk]},
        )
        assert response.status_code in (302, 403, 404), who
        if person is not None:
            response = client.post(
                f"/api/magang/reflection/sessions/{session.pk}/attendance",
                json.dumps({"person_ids": [alumnus.pk], "absent_ids": [trainee.pk]}),
                content_type="application/json",
            )
            assert response.status_code in (401, 403, 404), who
    assert set(session.attendees.values_list("pk", flat=True)) == {trainee.pk}
    assert not SessionAttendanceMark.objects.exists()


# --- The reflection API's marked_at -------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("when", ["0001-01-01T00:00:00", "0001-01-01T03:00:00+14:00"])
def test_a_phone_clock_before_any_storable_time_is_refused_in_words(
    facilitator, trainee, alumnus, session, when
):
    response = signed_in_as(facilitator).post(
        f"/api/magang/reflection/sessions/{session.pk}/attendance",
        json.dumps({"person_ids": [alumnus.pk], "marked_at": when}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "waktu pencatatan" in response.json()["detail"]
    assert set(session.attendees.values_list("pk", flat=True)) == {trainee.pk}
    assert not SessionAttendanceMark.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "when", ["9999-12-31T23:59:59+14:00", "9999-12-31T23:59:59-12:00"]
)
def test_a_phone_clock_at_the_end_of_time_counts_as_now(
    facilitator, alumnus, session, when
):
    before = timezone.now()
    response = signed_in_as(facilitator).post(
        f"/api/magang/reflection/sessions/{session.pk}/attendance",
        json.dumps({"person_ids": [alumnus.pk], "marked_at": when}),
        content_type="application/json",
    )
    assert response.status_code == 200
    mark = SessionAttendanceMark.objects.get(person=alumnus)
    assert before <= mark.marked_at <= timezone.now()


@pytest.mark.django_db
def test_seeing_a_session_is_not_enough_to_hold_someone_present_with_a_refresher(
    organisation, facilitator, trainee, session, tree
):
    """A facilitator of the organising organisation who does not lead the
    session sees its page and may not untick anyone; assigning a refresher
    (which holds its person present) was allowed by the seeing rule."""
    refresher = module_with_lessons(lessons=1, title="Penyegaran", is_refresher=True)
    colleague = user_with_roles(
        Role.FASILITATOR, username="rekan-hostil", organisation=organisation
    )
    CohortFactory(programme=session.programme, facilitators=[colleague])
    client = signed_in_as(colleague)
    assert client.get(session_url(session)).status_code == 200
    response = client.post(
        session_url(session),
        {"aksi": "penyegaran", "people": [trainee.pk], "modules": [refresher.pk]},
    )
    assert response.status_code == 200
    assert "Kamu tidak dapat mengubah sesi refleksi ini." in response.content.decode()
    assert not RefresherAssignment.objects.exists()
    # So the session's own facilitator can still take the tick back.
    assert unmark_attendance(session=session, person_id=trainee.pk, by=facilitator)

    # The session's facilitator assigns it, and the tick is then held.
    session.attendees.add(trainee)
    response = signed_in_as(facilitator).post(
        session_url(session),
        {"aksi": "penyegaran", "people": [trainee.pk], "modules": [refresher.pk]},
    )
    assert response.status_code == 302
    assert RefresherAssignment.objects.filter(person=trainee).count() == 1


@pytest.mark.django_db
def test_the_paper_import_refuses_ugly_placements_and_sheets_in_words(
    facilitator, placement
):
    client = signed_in_as(facilitator)
    for ugly in NOT_IDS + ["-1", "0"]:
        response = client.get("/admin/magang/impor/", {"penempatan": ugly})
        assert response.status_code == 200, ugly
        page = response.content.decode()
        # "…di luar cakupan kamu", "Karakter null tidak diizinkan", "…harus diisi".
        assert 'class="error-message"' in page, ugly
    url = f"/admin/magang/impor/{placement.pk}/"
    for content in (b"", b"\x00" * 100, b"PK\x03\x04 not a workbook", "🙂".encode()):
        sheet = SimpleUploadedFile("catatan.xlsx", content)
        response = client.post(url, {"sheet": sheet})
        assert response.status_code == 200
        assert "Cara 1" not in response.content.decode()
    assert not HourEntry.objects.exists()
