"""The trainee's practice-case pages: the list, recording a case, one case."""

import html
import uuid

from django.utils import timezone

import pytest

from assessments.models import Competency
from learning.choices import Role
from mentorship.choices import (
    CaseAction,
    CasePath,
    CaseStatus,
    PerpetratorAge,
    ViolenceType,
)
from mentorship.models import PracticeCase
from tests.factories import PlacementFactory, PracticeCaseFactory, user_with_roles

pytestmark = pytest.mark.django_db


def make_competencies(count: int) -> list[Competency]:
    return [
        Competency.objects.create(
            name=f"Kompetensi uji {number}",
            description="Mendampingi dengan hormat.",
            criteria="Mendengarkan tanpa menghakimi",
        )
        for number in range(count)
    ]


LIST = "/magang/kasus/"
NEW = "/magang/kasus/baru/"
SUBMIT = "/magang/kasus/ajukan/"


def detail(case) -> str:
    return f"/magang/kasus/{case.uuid}/"


@pytest.fixture
def placement():
    return PlacementFactory()


@pytest.fixture
def trainee(placement):
    return placement.trainee


@pytest.fixture
def as_trainee(client, trainee):
    client.force_login(trainee)
    return client


def form_data(placement, /, **fields) -> dict:
    today = timezone.localdate()
    data = {
        "uuid": str(uuid.uuid4()),
        "placement": placement.pk,
        "violence_types": ["psikis"],
        "victim_sex": "P",
        "victim_age_group": "25-44",
        "victim_disability": "",
        "perpetrator_relation": "suami_istri",
        "perpetrator_age": "dewasa",
        "incident_place": "rumah_tangga",
        "month": str(today.month),
        "year": str(today.year),
        "kecamatan": "53.02.01",
        "services": ["pengaduan", "uptd_ppa"],
        "path": "litigasi",
        "trainee_role": "Mendampingi staf SSP saat menerima pengaduan seorang ibu.",
        "actions": "Mendengarkan, menjelaskan pilihan layanan, mengantar ke UPTD PPA.",
        "went_well": "",
        "was_hard": "",
        "learned": "Korban yang memutuskan; tugas saya memberi informasi yang jelas.",
        "aksi": "draf",
    }
    data.update(fields)
    return data


def page_text(response) -> str:
    return html.unescape(response.content.decode())


TPKS = {
    "violence_types": ["seksual"],
    "perpetrator_age": "dewasa",
    "path": "non_litigasi",
}


# --- Signing in, the empty form -----------------------------------------------


def test_the_pages_ask_a_visitor_to_sign_in(client, placement):
    case = PracticeCaseFactory(placement=placement)
    for url in (LIST, NEW, detail(case)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/masuk/")


def test_a_person_without_a_placement_is_told_what_happens_next(client):
    client.force_login(user_with_roles(Role.PESERTA))
    for url in (LIST, NEW):
        response = client.get(url)
        assert response.status_code == 200
        assert "Kamu belum punya penempatan magang" in page_text(response)


def test_the_form_warns_first_and_offers_only_months_and_kecamatan(as_trainee):
    response = as_trainee.get(NEW)
    assert response.status_code == 200
    text = page_text(response)
    note = text.index("Jangan pernah menulis nama, alamat, NIK, nomor telepon")
    assert note < text.index('name="violence_types"')
    assert 'type="hidden" name="uuid"' in text
    # Month names, no day.
    assert ">Januari</option>" in text and ">Desember</option>" in text
    assert 'type="date"' not in text
    # Kecamatan of the host's kabupaten come first; never a desa.
    assert 'value="53.02.01"' in text
    assert text.index('label="Kab. Timor Tengah Selatan"') < text.index(
        'label="Kab. Kupang"'
    )
    assert 'value="53.02.01.1001"' not in text
    assert "tanpa nama, alamat, nomor, nama desa atau sekolah korban" in text.lower()
    for label in ("Fisik", "Trafficking", "Rumah aman", "LPSK", "Pemulangan"):
        assert label in text
    assert "Simpan sebagai draf" in text and "Simpan dan ajukan" in text


# --- Recording ----------------------------------------------------------------


def test_a_case_is_saved_as_a_draft_and_shown(as_trainee, trainee, placement):
    response = as_trainee.post(NEW, form_data(placement), follow=True)
    case = PracticeCase.objects.get()
    assert response.redirect_chain[-1][0] == detail(case)
    text = page_text(response)
    assert "Catatan kasus disimpan sebagai draf" in text
    assert case.trainee == trainee
    assert case.status == CaseStatus.DRAFT
    assert case.kecamatan.code == "53.02.01"
    assert case.services == ["pengaduan", "uptd_ppa"]
    assert case.victim_disability is None
    assert "Psikis" in text and "Kec. " in text
    assert "Ubah draf" in text


def test_save_and_submit_sends_it_to_the_supervisor(as_trainee, placement):
    as_trainee.post(NEW, form_data(placement, aksi="ajukan"))
    case = PracticeCase.objects.get()
    assert case.status == CaseStatus.SUBMITTED
    assert list(case.history.values_list("action", flat=True)) == [
        CaseAction.CREATED,
        CaseAction.SUBMITTED,
    ]


def test_sending_the_form_twice_records_one_case(as_trainee, placement):
    data = form_data(placement)
    first = as_trainee.post(NEW, data)
    again = as_trainee.post(NEW, data, follow=True)
    assert PracticeCase.objects.count() == 1
    assert first["Location"] == again.redirect_chain[-1][0]
    assert "tidak dicatat dua kali" in page_text(again)


def test_refused_input_lands_on_its_fields_and_saves_nothing(as_trainee, placement):
    response = as_trainee.post(
        NEW,
        form_data(
            placement,
            violence_types=[],
            victim_sex="",
            actions="Saya menelepon ibunya di 0812-3456-7890 untuk janji temu.",
        ),
    )
    assert response.status_code == 200
    assert not PracticeCase.objects.exists()
    form = response.context["form"]
    assert "jenis kekerasan" in form.errors["violence_types"][0]
    assert form.errors["victim_sex"]
    assert '"0812-3456-7890"' in form.errors["actions"][0]
    text = page_text(response)
    assert '"0812-3456-7890"' in text
    # What was typed stays, so nothing has to be typed again.
    assert "untuk janji temu" in text


def test_a_desa_code_is_not_a_kecamatan(as_trainee, placement):
    response = as_trainee.post(NEW, form_data(placement, kecamatan="53.02.01.1001"))
    assert response.status_code == 200
    assert response.context["form"].errors["kecamatan"]
    assert not PracticeCase.objects.exists()


# --- The TPKS warning ---------------------------------------------------------


def test_the_settlement_warning_is_shown_after_saving_and_in_the_list(
    as_trainee, placement
):
    response = as_trainee.post(NEW, form_data(placement, **TPKS), follow=True)
    assert "UU 12/2022 pasal 23" in page_text(response)
    assert 'class="card notice case-warning" role="alert"' in page_text(response)
    text = page_text(as_trainee.get(LIST))
    assert "Ditandai: UU 12/2022 pasal 23" in text
    assert "1 catatan ditandai" in text


def test_the_settlement_warning_is_shown_on_a_refused_form(as_trainee, placement):
    response = as_trainee.post(NEW, form_data(placement, learned="", **TPKS))
    assert response.status_code == 200
    assert not PracticeCase.objects.exists()
    assert "UU 12/2022 pasal 23" in page_text(response)


def test_no_warning_for_a_child_perpetrator(as_trainee, placement):
    response = as_trainee.post(
        NEW,
        form_data(placement, **{**TPKS, "perpetrator_age": "anak"}),
        follow=True,
    )
    assert PracticeCase.objects.count() == 1
    assert "case-warning" not in page_text(response)


# --- The list -----------------------------------------------------------------


def test_the_list_shows_my_cases_in_words(as_trainee, placement):
    draft = PracticeCaseFactory(placement=placement, month=3, year=2025)
    reviewed = PracticeCaseFactory(
        placement=placement,
        month=2,
        year=2025,
        status=CaseStatus.REVIEWED,
        violence_types=[ViolenceType.NEGLECT],
    )
    returned = PracticeCaseFactory(
        placement=placement,
        month=1,
        year=2025,
        status=CaseStatus.RETURNED,
        supervisor_feedback="Tulis langkah rujukannya.",
    )
    theirs = PracticeCaseFactory()
    text = page_text(as_trainee.get(LIST))
    assert text.index("Maret 2025") < text.index("Februari 2025")
    assert text.index("Februari 2025") < text.index("Januari 2025")
    for words in ("Draf", "Sudah ditinjau", "Dikembalikan", "Penelantaran", "Litigasi"):
        assert words in text
    assert "Tulis langkah rujukannya." in text
    assert f'value="{draft.uuid}"' in text
    assert f'value="{returned.uuid}"' in text
    assert f'value="{reviewed.uuid}"' not in text
    assert str(theirs.uuid) not in text
    assert "Catat kasus praktik" in text


def test_chosen_drafts_are_submitted_from_the_list(as_trainee, placement):
    draft = PracticeCaseFactory(placement=placement)
    returned = PracticeCaseFactory(placement=placement, status=CaseStatus.RETURNED)
    left = PracticeCaseFactory(placement=placement)
    theirs = PracticeCaseFactory()
    response = as_trainee.post(
        SUBMIT,
        {"kasus": [str(draft.uuid), str(returned.uuid), str(theirs.uuid)]},
        follow=True,
    )
    assert "2 catatan kasus diajukan ke pembimbing." in page_text(response)
    statuses = dict(PracticeCase.objects.values_list("pk", "status"))
    assert statuses[draft.pk] == statuses[returned.pk] == CaseStatus.SUBMITTED
    assert statuses[left.pk] == statuses[theirs.pk] == CaseStatus.DRAFT
    assert returned.history.get().action == CaseAction.RESUBMITTED


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_query_count_does_not_grow_with_cases(
    as_trainee, placement, count, django_assert_max_num_queries
):
    statuses = list(CaseStatus)
    for number in range(count):
        PracticeCaseFactory(
            placement=placement,
            month=number % 12 + 1,
            year=2024,
            status=statuses[number % len(statuses)],
            violence_types=[ViolenceType.SEXUAL] if number % 2 else ["fisik"],
            path=CasePath.NON_LITIGATION if number % 3 else CasePath.LITIGATION,
        )
    with django_assert_max_num_queries(8):
        response = as_trainee.get(LIST)
    assert response.status_code == 200
    assert page_text(response).count("/magang/kasus/") - 3 >= count


def test_the_log_and_the_home_panel_link_to_the_cases(as_trainee):
    assert 'href="/magang/kasus/"' in page_text(as_trainee.get("/magang/"))
    assert 'href="/magang/kasus/"' in page_text(as_trainee.get("/"))


# --- One case -----------------------------------------------------------------


def test_someone_elses_case_does_not_exist_for_me(as_trainee, placement):
    theirs = PracticeCaseFactory()
    assert as_trainee.get(detail(theirs)).status_code == 404
    response = as_trainee.post(detail(theirs), form_data(theirs.placement))
    assert response.status_code == 404
    assert PracticeCase.objects.get().actions == theirs.actions


def test_the_supervisor_reads_but_does_not_edit(client, placement):
    case = PracticeCaseFactory(placement=placement, status=CaseStatus.SUBMITTED)
    client.force_login(placement.supervisor)
    response = client.get(detail(case))
    assert response.status_code == 200
    text = page_text(response)
    assert case.trainee.display_name in text
    assert "Simpan dan ajukan" not in text
    assert client.post(detail(case), form_data(placement)).status_code == 403


def test_a_draft_is_corrected_on_its_page(as_trainee, placement):
    case = PracticeCaseFactory(placement=placement, status=CaseStatus.RETURNED)
    response = as_trainee.post(
        detail(case),
        form_data(placement, learned="Rujukan kesehatan lebih dulu.", aksi="ajukan"),
        follow=True,
    )
    assert "Perubahan disimpan dan diajukan ke pembimbing." in page_text(response)
    case.refresh_from_db()
    assert case.learned == "Rujukan kesehatan lebih dulu."
    assert case.status == CaseStatus.SUBMITTED
    assert list(case.history.values_list("action", flat=True)) == [
        CaseAction.EDITED,
        CaseAction.RESUBMITTED,
    ]


def test_a_refused_correction_changes_nothing(as_trainee, placement):
    case = PracticeCaseFactory(placement=placement)
    response = as_trainee.post(
        detail(case),
        form_data(placement, learned="NIK ibunya 5302041234560001.", **TPKS),
    )
    assert response.status_code == 200
    assert '"5302041234560001"' in response.context["form"].errors["learned"][0]
    assert "UU 12/2022 pasal 23" in page_text(response)
    case.refresh_from_db()
    assert case.violence_types == ["fisik"]
    assert not case.history.exists()


def test_a_reviewed_case_shows_feedback_and_has_no_edit_form(as_trainee, placement):
    case = PracticeCaseFactory(
        placement=placement,
        status=CaseStatus.REVIEWED,
        supervisor_feedback="Rujukan tepat; lain kali catat layanan kesehatan.",
        reviewed_by=placement.supervisor,
        reviewed_at=timezone.now(),
    )
    [competency] = make_competencies(1)
    case.competencies_shown.add(competency)
    response = as_trainee.get(detail(case))
    text = page_text(response)
    assert response.context["form"] is None
    assert 'name="aksi"' not in text
    assert "Rujukan tepat; lain kali catat layanan kesehatan." in text
    assert competency.name in text
    assert "Sudah ditinjau" in text
    # Posting anyway changes nothing.
    as_trainee.post(detail(case), form_data(placement, learned="Diubah diam-diam."))
    case.refresh_from_db()
    assert case.learned != "Diubah diam-diam."


def test_a_waiting_case_is_locked_too(as_trainee, placement):
    case = PracticeCaseFactory(placement=placement, status=CaseStatus.SUBMITTED)
    text = page_text(as_trainee.get(detail(case)))
    assert 'name="aksi"' not in text
    # It waits; the only way to change it is to take it back first.
    assert "Catatan ini menunggu pembimbing" in text
    assert "Tarik kembali" in text


def test_the_warning_shows_on_the_detail_page(as_trainee, placement):
    case = PracticeCaseFactory(
        placement=placement,
        violence_types=[ViolenceType.SEXUAL],
        perpetrator_age=PerpetratorAge.ADULT,
        path=CasePath.BOTH,
    )
    assert "UU 12/2022 pasal 23" in page_text(as_trainee.get(detail(case)))
