"""The annual reflection: sessions, reflections, attendance, outcomes, the PDF."""

import datetime
import io
import uuid

from django.core.exceptions import ValidationError
from django.utils import timezone

import pytest
from openpyxl import Workbook
from pypdf import PdfReader

from learning.choices import Role
from mentorship.models import (
    FollowUpAction,
    Reflection,
    ReflectionSession,
    RefresherAssignment,
    WellbeingCheckIn,
)
from mentorship.reflection import (
    ReflectionExists,
    ReflectionInput,
    save_reflection,
    sessions_visible_to,
)
from mentorship.reflection_attendance import (
    AttendanceError,
    import_attendance,
    record_attendance,
)
from mentorship.reflection_outcomes import (
    add_follow_up,
    assign_refreshers,
    mark_follow_up_done,
    open_refreshers_for,
)
from modules.progress import mark_lesson_done
from tests.factories import (
    CohortFactory,
    OrganisationFactory,
    ProgrammeFactory,
    region,
    user_with_roles,
)
from tests.factories.modules import module_with_lessons

NIK = "5302041204900001"


def soon(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def programme(organisation):
    return ProgrammeFactory(organisations=[organisation])


@pytest.fixture
def cohort(programme, facilitator, trainee, alumnus):
    return CohortFactory(
        programme=programme, facilitators=[facilitator], trainees=[trainee, alumnus]
    )


@pytest.fixture
def session(cohort, facilitator, organisation):
    session = ReflectionSession.objects.create(
        programme=cohort.programme,
        organisation=organisation,
        year=timezone.localdate().year,
        start_date=soon(7),
        end_date=soon(8),
        place=region("53.02.01"),
        venue="Aula Kecamatan",
    )
    session.facilitators.add(facilitator)
    return session


def reflection_data(**fields) -> ReflectionInput:
    values = {
        "case_counts": [
            {"type": "fisik", "path": "litigasi", "count": 3},
            {"type": "seksual", "path": "non_litigasi", "count": 2},
        ],
        "partners": ["polsek", "puskesmas"],
        "obstacles": [{"category": "jarak", "text": "Jalan rusak saat hujan."}],
        "support_needed": "Biaya transport ke Polres.",
        "learning_needs": "Hukum acara pidana.",
    }
    values.update(fields)
    return ReflectionInput(**values)


# --- Filling a reflection -------------------------------------------------------


def test_a_companion_fills_their_reflection_before_the_session(
    session, trainee, signed_in
):
    client = signed_in(trainee)
    page = client.get(f"/refleksi/{session.pk}/")
    assert page.status_code == 200
    form = page.context["form"]
    key = form.initial["uuid"]
    post = {
        "uuid": key,
        "n_fisik_litigasi": "4",
        "n_psikis_non_litigasi": "1",
        "partners": ["polsek", "uptd_ppa"],
        "kendala_biaya": "Ongkos ojek mahal.",
        "support_needed": "",
        "learning_needs": "Konseling anak.",
    }
    response = client.post(f"/refleksi/{session.pk}/", post)
    assert response.status_code == 302
    again = client.post(f"/refleksi/{session.pk}/", post)  # a double tap
    assert again.status_code == 302
    reflection = Reflection.objects.get()
    assert reflection.person == trainee
    assert reflection.entered_by == trainee
    assert {"type": "fisik", "path": "litigasi", "count": 4} in reflection.case_counts
    assert reflection.obstacles == [{"category": "biaya", "text": "Ongkos ojek mahal."}]
    # Coming back shows what was saved, ready to change.
    page = client.get(f"/refleksi/{session.pk}/")
    assert page.context["form"].initial["uuid"] == reflection.uuid
    assert "Ongkos ojek mahal." in page.content.decode()


def test_the_facilitator_enters_one_for_an_attendee_during_the_session(
    session, facilitator, alumnus, signed_in
):
    record_attendance(session=session, people=[alumnus], by=facilitator)
    client = signed_in(facilitator)
    url = f"/admin/refleksi/{session.pk}/isi/?peserta={alumnus.pk}"
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(
        url,
        {
            "uuid": page.context["form"].initial["uuid"],
            "n_seksual_litigasi": "2",
            "partners": ["lbh"],
            "kendala_keamanan": "Diancam keluarga pelaku.",
        },
    )
    assert response.status_code == 302
    reflection = Reflection.objects.get(person=alumnus)
    assert reflection.entered_by == facilitator
    assert reflection.case_counts == [
        {"type": "seksual", "path": "litigasi", "count": 2}
    ]
    session_page = client.get(f"/admin/refleksi/{session.pk}/sesi/").content.decode()
    assert alumnus.display_name in session_page
    assert "Diancam keluarga pelaku." in session_page


def test_the_same_uuid_saves_once_and_another_uuid_is_refused_with_a_link(
    session, trainee
):
    key = uuid.uuid4()
    first, created = save_reflection(
        person=trainee,
        session=session,
        uuid=key,
        data=reflection_data(),
        entered_by=trainee,
    )
    again, created_again = save_reflection(
        person=trainee,
        session=session,
        uuid=key,
        data=reflection_data(),
        entered_by=trainee,
    )
    assert created and not created_again and first.pk == again.pk
    with pytest.raises(ReflectionExists) as refused:
        save_reflection(
            person=trainee,
            session=session,
            uuid=uuid.uuid4(),
            data=reflection_data(),
            entered_by=trainee,
        )
    assert refused.value.existing == first
    assert f"/refleksi/{session.pk}/" in refused.value.messages[0]
    assert Reflection.objects.count() == 1


def test_identifying_text_and_bad_counts_are_refused_and_nothing_saved(
    session, trainee
):
    with pytest.raises(ValidationError) as refused:
        save_reflection(
            person=trainee,
            session=session,
            uuid=uuid.uuid4(),
            data=reflection_data(
                case_counts=[{"type": "fisik", "path": "litigasi", "count": -1}],
                partners=["dukun"],
                obstacles=[{"category": "biaya", "text": f"NIK korban {NIK}"}],
                support_needed="Telepon saya 081234567890",
            ),
            entered_by=trainee,
        )
    errors = refused.value.message_dict
    assert set(errors) >= {"case_counts", "partners", "obstacles", "support_needed"}
    assert not Reflection.objects.exists()


def test_the_page_refuses_identifying_text_with_a_message(session, trainee, signed_in):
    client = signed_in(trainee)
    page = client.get(f"/refleksi/{session.pk}/")
    response = client.post(
        f"/refleksi/{session.pk}/",
        {"uuid": page.context["form"].initial["uuid"], "learning_needs": NIK},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["learning_needs"]
    assert not Reflection.objects.exists()


def test_only_invitees_fill_and_only_session_facilitators_enter(
    session, trainee, facilitator, organisation
):
    stranger = user_with_roles(Role.PESERTA, username="orang-lain")
    with pytest.raises(ValidationError):
        save_reflection(
            person=stranger,
            session=session,
            uuid=uuid.uuid4(),
            data=reflection_data(),
            entered_by=stranger,
        )
    colleague = user_with_roles(
        Role.FASILITATOR, username="rekan", organisation=organisation
    )
    record_attendance(session=session, people=[trainee], by=facilitator)
    with pytest.raises(ValidationError):
        save_reflection(
            person=trainee,
            session=session,
            uuid=uuid.uuid4(),
            data=reflection_data(),
            entered_by=colleague,
        )
    assert not Reflection.objects.exists()


# --- Attendance -------------------------------------------------------------------


def test_attendance_from_the_cohort_list_in_one_click(
    session, facilitator, trainee, alumnus, signed_in
):
    client = signed_in(facilitator)
    response = client.post(
        f"/admin/refleksi/{session.pk}/sesi/", {"aksi": "daftar_angkatan"}
    )
    assert response.status_code == 302
    assert set(session.attendees.all()) == {trainee, alumnus}
    # Twice is once.
    client.post(f"/admin/refleksi/{session.pk}/sesi/", {"aksi": "daftar_angkatan"})
    assert session.attendees.count() == 2


def test_someone_outside_the_cohorts_is_refused_and_nothing_saved(
    session, facilitator, trainee
):
    outsider = user_with_roles(Role.PESERTA, username="bukan-angkatan")
    with pytest.raises(AttendanceError):
        record_attendance(session=session, people=[trainee, outsider], by=facilitator)
    assert not session.attendees.exists()


def sheet(*usernames) -> bytes:
    workbook = Workbook()
    workbook.active.append(["Daftar hadir refleksi"])
    workbook.active.append(["username", "nama"])
    for name in usernames:
        workbook.active.append([name, ""])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_an_xlsx_sheet_with_errors_saves_nothing_and_names_the_rows(
    session, facilitator, trainee
):
    report = import_attendance(
        session=session,
        content=sheet(trainee.username, "tidak-ada", trainee.username),
        by=facilitator,
    )
    assert not report.ok
    assert any("Baris 4" in message for message in report.messages)
    assert any("Baris 5" in message for message in report.messages)
    assert not session.attendees.exists()
    assert not import_attendance(
        session=session, content=b"bukan xlsx", by=facilitator
    ).ok


def test_a_good_sheet_is_imported_through_the_admin(
    session, facilitator, trainee, alumnus, signed_in
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = signed_in(facilitator)
    upload = SimpleUploadedFile("hadir.xlsx", sheet(trainee.username, alumnus.username))
    response = client.post(
        f"/admin/refleksi/{session.pk}/kehadiran/impor/", {"sheet": upload}
    )
    assert response.status_code == 302
    assert session.attendees.count() == 2


# --- Outcomes -----------------------------------------------------------------------


def reflection_panel(client) -> str:
    home = client.get("/").content.decode()
    start = home.index('id="panel-refleksi"')
    return home[start : home.index("</section>", start)]


def test_assigned_refreshers_stay_on_the_home_page_until_studied(
    session, facilitator, trainee, tree, signed_in
):
    refresher = module_with_lessons(
        lessons=2, title="Penyegaran Litigasi", is_refresher=True
    )
    ordinary = module_with_lessons(lessons=1, title="Modul Biasa")
    record_attendance(session=session, people=[trainee], by=facilitator)
    with pytest.raises(ValidationError):
        assign_refreshers(
            session=session, people=[trainee], modules=[ordinary], by=facilitator
        )
    assert (
        assign_refreshers(
            session=session, people=[trainee], modules=[refresher], by=facilitator
        )
        == 1
    )
    client = signed_in(trainee)
    panel = reflection_panel(client)
    assert "Penyegaran Litigasi" in panel
    assert f"/refleksi/{session.pk}/" in panel  # the invitation to reflect
    for lesson in refresher.lessons():
        mark_lesson_done(user=trainee, lesson=lesson)
    assert open_refreshers_for(trainee) == []
    panel = reflection_panel(client)
    assert "Penyegaran Litigasi" not in panel
    assert f"/refleksi/{session.pk}/" in panel


def test_follow_ups_have_an_owner_a_due_date_and_are_done_once(session, facilitator):
    with pytest.raises(ValidationError) as refused:
        add_follow_up(
            session=session,
            description=f"Hubungi {NIK}",
            owner=facilitator,
            due_date=soon(30),
            by=facilitator,
        )
    assert "description" in refused.value.message_dict
    action = add_follow_up(
        session=session,
        description="Audiensi dengan Polres TTS",
        owner=facilitator,
        due_date=soon(30),
        by=facilitator,
    )
    done = mark_follow_up_done(action=action, by=facilitator)
    first = done.done_at
    assert mark_follow_up_done(action=action, by=facilitator).done_at == first
    assert FollowUpAction.objects.count() == 1


# --- The summary PDF ------------------------------------------------------------------


def pdf_text(content: bytes) -> str:
    return "\n".join(
        page.extract_text() for page in PdfReader(io.BytesIO(content)).pages
    )


def test_the_summary_pdf_has_totals_and_no_wellbeing(
    session, facilitator, trainee, alumnus, signed_in
):
    record_attendance(session=session, people=[trainee, alumnus], by=facilitator)
    for person in (trainee, alumnus):
        save_reflection(
            person=person,
            session=session,
            uuid=uuid.uuid4(),
            data=reflection_data(),
            entered_by=person,
        )
    WellbeingCheckIn.objects.create(
        person=trainee, feeling="berat", threatened=True, note="Rahasia kesehatanku"
    )
    session.findings = "Jarak ke Polres jauh."
    session.save()
    add_follow_up(
        session=session,
        description="Audiensi dengan Polres",
        owner=facilitator,
        due_date=soon(30),
        by=facilitator,
    )
    response = signed_in(facilitator).get(f"/admin/refleksi/{session.pk}/ringkasan.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Jumlah seluruhnya: 10" in text  # 2 × (3 + 2)
    assert "2 orang hadir" in text
    assert "Jalan rusak saat hujan." in text
    assert "Jarak ke Polres jauh." in text
    assert "Audiensi dengan Polres" in text
    assert "Rahasia kesehatanku" not in text
    assert "kesejahteraan" not in text.lower()


# --- Scope ----------------------------------------------------------------------------


def test_another_facilitator_cannot_open_the_session(session, signed_in):
    other = user_with_roles(
        Role.FASILITATOR,
        username="fasilitator-lain",
        organisation=OrganisationFactory(short_name="LAIN"),
    )
    assert not sessions_visible_to(other).exists()
    client = signed_in(other)
    for url in (
        f"/admin/refleksi/{session.pk}/sesi/",
        f"/admin/refleksi/{session.pk}/ringkasan.pdf",
        f"/admin/refleksi/{session.pk}/isi/",
    ):
        assert client.get(url).status_code == 404
    assert client.get(f"/admin/refleksi/edit/{session.pk}/").status_code != 200


def test_a_coordinator_sees_counts_only(session, programme, trainee, signed_in):
    coordinator = user_with_roles(Role.KOORDINATOR, username="koord-refleksi")
    programme.coordinators.add(coordinator)
    programme.save()
    save_reflection(
        person=trainee,
        session=session,
        uuid=uuid.uuid4(),
        data=reflection_data(),
        entered_by=trainee,
    )
    page = signed_in(coordinator).get(f"/admin/refleksi/{session.pk}/sesi/")
    assert page.status_code == 200
    text = page.content.decode()
    assert page.context["reflections"] is None
    assert page.context["totals"].cases == 5
    assert "Jalan rusak saat hujan." not in text
    assert (
        signed_in(coordinator).get(f"/admin/refleksi/{session.pk}/isi/").status_code
        == 404
    )


def test_the_session_page_takes_the_same_queries_for_few_or_many(
    session, facilitator, programme, signed_in, django_assert_max_num_queries
):
    client = signed_in(facilitator)
    url = f"/admin/refleksi/{session.pk}/sesi/"
    for size in (2, 12):
        people = [
            user_with_roles(Role.ALUMNI, username=f"alumni-{size}-{n}")
            for n in range(size)
        ]
        CohortFactory(programme=programme, trainees=people)
        record_attendance(session=session, people=people, by=facilitator)
        for person in people:
            save_reflection(
                person=person,
                session=session,
                uuid=uuid.uuid4(),
                data=reflection_data(),
                entered_by=person,
            )
            add_follow_up(
                session=session,
                description="Rapat desa",
                owner=facilitator,
                due_date=soon(20),
                by=facilitator,
            )
        with django_assert_max_num_queries(32):
            assert client.get(url).status_code == 200
    assert RefresherAssignment.objects.count() == 0


@pytest.mark.django_db
def test_a_refresher_leaves_the_home_page_once_studied_again(client):
    """An alumna who finished the module years ago says she studied it again."""
    from mentorship.models import RefresherAssignment
    from mentorship.reflection_outcomes import open_refreshers_for
    from tests.factories import (
        OrganisationFactory,
        ProgrammeFactory,
        region,
        user_with_roles,
    )
    from tests.factories.modules import module_with_lessons, training_tree

    training_tree()
    module = module_with_lessons(lessons=1, title="Penyegaran litigasi")
    alumna = user_with_roles(Role.ALUMNI)
    session = ReflectionSession.objects.create(
        programme=ProgrammeFactory(),
        organisation=OrganisationFactory(),
        year=2025,
        start_date=datetime.date(2025, 11, 10),
        end_date=datetime.date(2025, 11, 12),
        place=region("53.02.01"),
    )
    assignment = RefresherAssignment.objects.create(
        session=session, person=alumna, module=module, assigned_at=timezone.now()
    )
    assert open_refreshers_for(alumna) == [assignment]
    client.force_login(alumna)
    home = client.get("/").content.decode()
    assert "Modul penyegaran yang diminta untukmu" in home
    assert "Penyegaran litigasi" in home
    other = user_with_roles(Role.ALUMNI)
    client.force_login(other)
    assert (
        client.post(f"/refleksi/penyegaran/{assignment.pk}/selesai/").status_code == 404
    )
    client.force_login(alumna)
    response = client.post(f"/refleksi/penyegaran/{assignment.pk}/selesai/")
    assert response.status_code == 302
    assert open_refreshers_for(alumna) == []
    assert (
        "Modul penyegaran yang diminta untukmu" not in client.get("/").content.decode()
    )


@pytest.mark.django_db
def test_a_sessions_findings_refuse_identifying_details(client):
    """The session's words go into its printed summary: no phone numbers there."""
    from django.contrib.auth import get_user_model

    from tests.factories import OrganisationFactory, ProgrammeFactory

    admin = get_user_model().objects.create_superuser("admin-uji", password="x-123-y")
    client.force_login(admin)
    programme, organisation = ProgrammeFactory(), OrganisationFactory()
    response = client.post(
        "/admin/refleksi/new/",
        {
            "programme": programme.pk,
            "organisation": organisation.pk,
            "year": 2026,
            "start_date": "2026-11-10",
            "end_date": "2026-11-11",
            "place": "53.02.01",
            "findings": "Hubungi ibunya di 0813 3945 1122 bila perlu.",
        },
    )
    assert response.status_code == 200
    assert "0813 3945 1122" in response.content.decode()
    from mentorship.models import ReflectionSession

    assert not ReflectionSession.objects.exists()
