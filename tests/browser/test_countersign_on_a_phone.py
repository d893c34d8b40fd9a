"""An outside supervisor decides each entry of a countersign link on a phone."""

import datetime

from django.utils import timezone

import pytest

from mentorship.choices import EntryStatus
from mentorship.models import CountersignLink
from mentorship.verification import create_countersign_link
from tests.browser.test_magang_on_a_phone import fits_the_screen, regions  # noqa: F401
from tests.factories import HourEntryFactory, outside_placement

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]


def test_each_entry_is_verified_returned_or_left_on_a_phone(phone, screenshot):
    placement = outside_placement()
    first, second, third = (
        HourEntryFactory(
            placement=placement,
            status=EntryStatus.SUBMITTED,
            date=timezone.localdate() - datetime.timedelta(days=days),
        )
        for days in (2, 4, 6)
    )
    _link, token = create_countersign_link(
        trainee=placement.trainee, placement=placement, entries=[first, second, third]
    )
    phone.goto(f"/magang/tanda-tangan/{token}/")
    assert fits_the_screen(phone)
    # Sending with a return but no reason and no name: the summary comes first.
    phone.locator(f"#catatan-{second.uuid} input[value=kembalikan]").check()
    phone.get_by_role("button", name="Simpan keputusan").click()
    phone.wait_for_load_state()
    summary = phone.locator("[data-error-summary]")
    assert summary.is_visible()
    assert "Tulis apa yang perlu diperbaiki peserta." in summary.inner_text()
    assert fits_the_screen(phone)
    # The choice made is kept; the rest is filled in and sent.
    assert phone.locator(f"#catatan-{second.uuid} input[value=kembalikan]").is_checked()
    phone.get_by_label("Nama lengkap").fill("Maria Bria")
    phone.get_by_label("Jabatan dan instansi").fill("Bidan koordinator")
    phone.locator(f"#catatan-{first.uuid} input[value=verifikasi]").check()
    phone.locator(f"#catatan-{second.uuid} textarea").fill("Jam selesai 11.30.")
    screenshot(phone, "magang-tanda-tangan-per-catatan")
    phone.get_by_role("button", name="Simpan keputusan").click()
    phone.wait_for_load_state()
    assert phone.get_by_role("heading", name="Terima kasih, Maria Bria").is_visible()
    assert phone.get_by_text("1 catatan masih menunggu keputusanmu").is_visible()
    assert fits_the_screen(phone)
    for entry in (first, second, third):
        entry.refresh_from_db()
    assert [first.status, second.status, third.status] == [
        EntryStatus.VERIFIED,
        EntryStatus.RETURNED,
        EntryStatus.SUBMITTED,
    ]
    # Back to the rest: only the entry left for later is offered.
    phone.get_by_role("link", name="Putuskan catatan yang tersisa").click()
    phone.wait_for_load_state()
    assert phone.locator("input[type=radio][value=verifikasi]").count() == 1
    phone.get_by_label("Nama lengkap").fill("Maria Bria")
    phone.get_by_label("Jabatan dan instansi").fill("Bidan koordinator")
    phone.get_by_role("button", name="Verifikasi semua yang belum dipilih").click()
    phone.wait_for_load_state()
    assert phone.get_by_text(
        "Semua catatan di tautan ini sudah diputuskan"
    ).is_visible()
    assert CountersignLink.objects.get().used_at is not None
    assert phone.watch.foreign_requests == []
