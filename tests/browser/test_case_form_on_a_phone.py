"""The practice-case form on a 360 px phone: short sections a thumb opens one
at a time, the pasal 23 warning live beside the path choice as the choices
are made, and withdrawing a submitted record ("Tarik kembali")."""

import uuid

import pytest

from mentorship.cases import record_case
from mentorship.models import PracticeCase
from tests.browser.conftest import sign_in
from tests.factories import PlacementFactory
from tests.factories.people import PASSWORD
from tests.mentorship.test_case_rules import case_input

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data", "ntt_regions"),
]

QUESTION = "Sudahkah dipastikan perkara kekerasan seksual ini"
STATEMENT = "Perhatian: menurut UU 12/2022 pasal 23"


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def open_section(page, name: str):
    section = page.locator(f"#bagian-{name}")
    if section.get_attribute("open") is None:
        section.locator("summary").click()
    return section


def test_the_case_form_in_sections_warns_live_beside_the_path(phone, screenshot):
    placement = PlacementFactory()
    sign_in(phone, placement.trainee.username, PASSWORD)
    phone.goto("/magang/kasus/baru/")
    sections = phone.locator("details.case-section")
    assert sections.count() == 4
    assert [sections.nth(n).get_attribute("open") is not None for n in range(4)] == [
        True,
        False,
        False,
        False,
    ]
    form_height = phone.evaluate(
        "document.querySelector('form[data-offline-form]').offsetHeight"
    )
    assert form_height < 2000, form_height  # was 4,753 px for the whole page
    assert fits_the_screen(phone)
    screenshot(phone, "kasus-bagian")

    phone.get_by_label("Seksual").check()
    for summary in phone.locator("details.case-section > summary").all():
        assert summary.bounding_box()["height"] >= 44
    open_section(phone, "orang")
    phone.get_by_label("Umur pelaku").select_option("dewasa")
    path_section = open_section(phone, "jalur")
    warning = path_section.locator("[data-settlement-warning]")
    phone.get_by_label("Jalur penyelesaian").select_option("belum")
    warning.get_by_text(QUESTION).wait_for()
    assert warning.get_by_text(QUESTION).is_visible()
    screenshot(phone, "kasus-peringatan-pertanyaan")

    phone.get_by_label("Jalur penyelesaian").select_option("non_litigasi")
    warning.get_by_text(STATEMENT).wait_for()
    phone.get_by_label("Jalur penyelesaian").select_option("litigasi")
    assert warning.inner_text().strip() == ""

    # The story speaks of settling: asked again, while the path is litigation.
    open_section(phone, "cerita")
    phone.get_by_label("Langkah yang kamu ambil").fill(
        "Keluarga ingin menyelesaikan secara kekeluargaan."
    )
    warning.get_by_text(QUESTION).wait_for()
    # An adult no longer: a child perpetrator, nothing to warn.
    phone.get_by_label("Umur pelaku").select_option("anak")
    assert warning.inner_text().strip() == ""
    phone.get_by_label("Umur pelaku").select_option("tidak_diketahui")
    warning.get_by_text(QUESTION).wait_for()
    assert fits_the_screen(phone)

    # A refused save: the story's section holds the errors and is open; the
    # server draws the same question beside the path.
    phone.get_by_role("button", name="Simpan sebagai draf").click()
    phone.wait_for_load_state()
    assert not PracticeCase.objects.exists()
    assert phone.locator("#bagian-cerita").get_attribute("open") is not None
    assert phone.locator("#bagian-jalur").get_attribute("open") is not None
    assert phone.locator("[data-settlement-warning]").get_by_text(QUESTION).is_visible()
    # The server's Indonesian words, not the browser's own bubbles.
    assert phone.get_by_text("Bagian ini wajib diisi.").first.is_visible()
    screenshot(phone, "kasus-ditolak")
    assert phone.watch.foreign_requests == []
    assert phone.watch.console_errors == []


def test_a_trainee_withdraws_a_submitted_case_on_a_phone(phone, screenshot):
    placement = PlacementFactory()
    case, _created = record_case(
        trainee=placement.trainee,
        uuid=uuid.uuid4(),
        data=case_input(placement),
        submit=True,
    )
    sign_in(phone, placement.trainee.username, PASSWORD)
    phone.goto(f"/magang/kasus/{case.uuid}/")
    button = phone.get_by_role("button", name="Tarik kembali")
    assert button.bounding_box()["height"] >= 44
    assert fits_the_screen(phone)
    screenshot(phone, "kasus-tarik-kembali")
    button.click()
    phone.wait_for_load_state()
    assert phone.get_by_text("ditarik kembali dan menjadi draf lagi").is_visible()
    assert phone.get_by_role("button", name="Simpan dan ajukan").is_visible()
    case.refresh_from_db()
    assert case.status == "draf"
    screenshot(phone, "kasus-sudah-ditarik")
