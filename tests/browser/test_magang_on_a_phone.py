import datetime

from django.utils import timezone

import pytest

from mentorship.choices import EntryStatus
from mentorship.models import HourEntry
from mentorship.verification import create_countersign_link
from tests.browser.conftest import sign_in
from tests.factories import HourEntryFactory, PlacementFactory, outside_placement
from tests.factories.people import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]


@pytest.fixture(autouse=True)
def regions(migrated_data):
    """Placements need an organisation in a kabupaten; a transactional test
    before this one emptied the regions the session loaded."""
    from learning.models import Region
    from learning.regions import load_regions

    if not Region.objects.exists():
        load_regions()


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_trainee_logs_an_hour_on_a_phone(phone, screenshot):
    placement = PlacementFactory()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    sign_in(phone, placement.trainee.username, PASSWORD)

    phone.goto("/magang/")
    assert phone.get_by_text("Belum ada catatan jam.").is_visible()
    phone.get_by_role("link", name="Catat jam").click()
    phone.wait_for_load_state()
    assert phone.get_by_text(
        "Isi jam mulai dan selesai, atau lamanya saja."
    ).is_visible()
    assert fits_the_screen(phone)
    phone.get_by_label("Tanggal").fill(yesterday.isoformat())
    phone.get_by_label("Jam mulai").fill("08:00")
    phone.get_by_label("Jam selesai").fill("10:30")
    phone.get_by_label("Jenis kegiatan").select_option(label="Pendokumentasian kasus")
    phone.get_by_label("Apa yang kamu lakukan dan pelajari").fill(
        "Belajar mengisi formulir dokumentasi kasus tanpa identitas korban."
    )
    screenshot(phone, "magang-catat-jam")
    phone.get_by_role("button", name="Simpan sebagai draf").click()
    phone.wait_for_load_state()

    assert phone.get_by_text("Catatan disimpan sebagai draf").is_visible()
    assert phone.get_by_text("08:00–10:30 · 2 jam 30 menit").is_visible()
    assert phone.get_by_text("Pendokumentasian kasus").is_visible()
    entry = HourEntry.objects.get()
    assert (entry.date, entry.minutes, entry.status) == (
        yesterday,
        150,
        EntryStatus.DRAFT,
    )
    assert fits_the_screen(phone)
    screenshot(phone, "magang-catatan")

    phone.get_by_role("checkbox").check()
    phone.get_by_role("button", name="Ajukan ke pembimbing").click()
    phone.wait_for_load_state()
    assert phone.get_by_text("1 catatan diajukan ke pembimbing.").is_visible()
    assert phone.get_by_text("2,5 jam menunggu").first.is_visible()
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED
    assert fits_the_screen(phone)
    assert phone.watch.foreign_requests == []
    assert phone.watch.console_errors == []


def test_an_outside_supervisor_verifies_by_link_on_a_phone(phone, screenshot):
    placement = outside_placement()
    entry = HourEntryFactory(placement=placement, status=EntryStatus.SUBMITTED)
    _link, token = create_countersign_link(
        trainee=placement.trainee, placement=placement, entries=[entry]
    )
    phone.goto(f"/magang/tanda-tangan/{token}/")
    assert phone.get_by_text(placement.trainee.display_name).first.is_visible()
    assert fits_the_screen(phone)
    phone.get_by_label("Nama lengkap").fill("Maria Bria")
    phone.get_by_label("Jabatan dan instansi").fill("Bidan koordinator")
    screenshot(phone, "magang-tanda-tangan")
    phone.get_by_role("button", name="Verifikasi semua").click()
    phone.wait_for_load_state()
    # The form's POST passes the CSRF check although the page asks for no Referer.
    assert phone.get_by_role("heading", name="Terima kasih, Maria Bria").is_visible()
    entry.refresh_from_db()
    assert entry.status == EntryStatus.VERIFIED
    assert entry.verified_by_name == "Maria Bria (Bidan koordinator)"
    assert fits_the_screen(phone)
    assert phone.watch.foreign_requests == []
