"""Writing with no signal, in Debian's Chromium behind a proxy the test cuts:
hour entries and a practice case kept on the phone, the browser closed and
opened again, then sent once each; a refused one corrected and sent."""

import datetime

from django.utils import timezone

import pytest

from learning.models import Device
from mentorship.models import HourEntry, PracticeCase
from tests.browser.conftest import sign_in
from tests.browser.phone import (
    KEPT,
    count_settles,
    open_phone,
    ready_to_write_offline,
)
from tests.factories import PlacementFactory
from tests.factories.people import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data", "ntt_regions"),
]


def log_hours(page, day, start, end, activity):
    page.goto("/magang/jam/baru/")
    page.get_by_label("Tanggal").fill(day.isoformat())
    page.get_by_label("Jam mulai").fill(start)
    page.get_by_label("Jam selesai").fill(end)
    page.get_by_label("Jenis kegiatan").select_option(index=1)
    page.get_by_label("Apa yang kamu lakukan dan pelajari").fill(activity)
    page.get_by_role("button", name="Simpan sebagai draf").click()
    page.get_by_text(
        "Tersimpan di ponsel ini. Akan dikirim saat ada sinyal."
    ).wait_for()


def write_case(page):
    page.goto("/magang/kasus/baru/")
    page.locator("[data-offline-form]").wait_for()
    # The form comes in sections, the first open: open the others as a thumb does.
    closed = page.locator("details.case-section:not([open]) > summary")
    while closed.count():
        closed.first.click()
    page.locator("input[name=violence_types]").first.check()
    for name in (
        "victim_sex",
        "victim_age_group",
        "perpetrator_relation",
        "perpetrator_age",
        "incident_place",
        "kecamatan",
        "path",
    ):
        page.locator(f"select[name={name}]").select_option(index=1)
    page.locator("input[name=services]").first.check()
    page.locator("textarea[name=trainee_role]").fill(
        "Mendampingi staf menerima pengaduan."
    )
    page.locator("textarea[name=actions]").fill("Mendengarkan seorang ibu dan merujuk.")
    page.locator("textarea[name=learned]").fill(
        "Rujukan perlu disepakati bersama korban."
    )
    page.get_by_role("button", name="Simpan sebagai draf").click()
    page.get_by_text(
        "Tersimpan di ponsel ini. Akan dikirim saat ada sinyal."
    ).wait_for()


def test_records_written_with_no_signal_arrive_once_after_the_browser_was_closed(
    browser, signal, tmp_path, screenshot
):
    placement = PlacementFactory()
    day = timezone.localdate() - datetime.timedelta(days=1)
    context, page = open_phone(browser, signal, tmp_path / "phone")
    ready_to_write_offline(page, placement.trainee, with_key=True)
    assert Device.objects.get(user=placement.trainee).token_hash

    signal.cut()
    log_hours(page, day, "08:00", "10:00", "Mendampingi staf di ruang pengaduan.")
    log_hours(page, day, "09:00", "11:00", "Menyusun catatan rujukan tanpa identitas.")
    write_case(page)
    assert count_settles(page.locator("[data-outbox-record]"), 3) == 3
    assert count_settles(page.get_by_text("menunggu sinyal", exact=True), 3) == 3
    screenshot(page, "offline-menunggu-sinyal")
    context.close()

    signal.restore()
    context, page = open_phone(browser, signal, tmp_path / "phone")
    page.goto("/magang/kirim/")
    # "Ingat saya" was not ticked: closing the browser ended the session (a
    # shared phone). She signs in again and finds her records still waiting.
    assert "/masuk/" in page.url
    sign_in(page, placement.trainee.username, PASSWORD)
    page.goto("/magang/kirim/")
    assert count_settles(page.locator("[data-outbox-record]"), 3) == 3, (
        page.script_errors
    )
    page.get_by_role("button", name="Kirim sekarang").click()
    page.get_by_text("Selesai.").wait_for()
    assert count_settles(page.get_by_text("terkirim", exact=True), 2) == 2
    refused = page.locator(".outbox__item--perlu_diperbaiki")
    assert count_settles(refused, 1) == 1
    assert refused.locator(".outbox__message").inner_text().strip()
    screenshot(page, "offline-terkirim")
    assert HourEntry.objects.count() == 1
    assert PracticeCase.objects.count() == 1
    # Sent with the phone's key, not only the session.
    assert Device.objects.get(user=placement.trainee).token_used_at is not None

    # Sending again creates nothing twice.
    page.get_by_role("button", name="Kirim sekarang").click()
    page.get_by_text("Selesai.").wait_for()
    assert HourEntry.objects.count() == 1

    refused.get_by_role("link", name="Perbaiki").click()
    page.locator("form[data-refilled]").wait_for(state="attached")
    page.get_by_label("Jam mulai").fill("10:00")
    page.get_by_label("Jam selesai").fill("11:00")
    page.get_by_role("button", name="Simpan sebagai draf").click()
    page.wait_for_url(lambda url: "ulang=" not in url)
    page.goto("/magang/kirim/")
    page.get_by_role("button", name="Kirim sekarang").click()
    page.get_by_text("Selesai.").wait_for()
    assert count_settles(page.get_by_text("terkirim", exact=True), 3) == 3
    assert HourEntry.objects.count() == 2
    assert PracticeCase.objects.count() == 1
    assert page.script_errors == []
    context.close()


def test_two_people_on_one_phone_never_see_each_other_s_outbox(
    browser, signal, tmp_path
):
    first, second = PlacementFactory(), PlacementFactory()
    day = timezone.localdate() - datetime.timedelta(days=2)
    context, page = open_phone(browser, signal, tmp_path / "shared")
    ready_to_write_offline(page, first.trainee)
    signal.cut()
    log_hours(page, day, "13:00", "15:00", "Mengikuti rapat kasus di lembaga.")
    signal.restore()

    # Signing out with a record still waiting: a warning, and the way to send it.
    page.goto("/magang/")
    page.get_by_role("button", name="Keluar", exact=True).click()
    page.get_by_text("belum terkirim dari ponsel ini").wait_for()
    assert page.get_by_role("link", name="Kirim sekarang").is_visible()
    page.get_by_role("button", name="Tetap keluar").click()
    page.wait_for_url("**/masuk/**")

    sign_in(page, second.trainee.username, PASSWORD)
    page.goto("/magang/kirim/")
    page.get_by_text("Tidak ada yang menunggu.").wait_for()
    assert count_settles(page.locator("[data-outbox-record]"), 0) == 0
    page.get_by_role("button", name="Keluar", exact=True).click()
    page.wait_for_url("**/masuk/**")

    sign_in(page, first.trainee.username, PASSWORD)
    page.goto("/magang/kirim/")
    assert count_settles(page.locator("[data-outbox-record]"), 1) == 1
    page.get_by_role("button", name="Kirim sekarang").click()
    page.get_by_text("Selesai.").wait_for()
    assert HourEntry.objects.filter(placement=first).count() == 1
    assert not HourEntry.objects.filter(placement=second).exists()
    assert page.script_errors == []
    context.close()


def test_a_phone_number_in_a_record_is_caught_in_the_village(browser, signal, tmp_path):
    placement = PlacementFactory()
    day = timezone.localdate() - datetime.timedelta(days=3)
    context, page = open_phone(browser, signal, tmp_path / "village")
    ready_to_write_offline(page, placement.trainee)

    signal.cut()
    page.goto("/magang/jam/baru/")
    page.get_by_label("Tanggal").fill(day.isoformat())
    page.get_by_label("Atau lamanya saja (menit)").fill("60")
    page.get_by_label("Jenis kegiatan").select_option(index=1)
    field = page.get_by_label("Apa yang kamu lakukan dan pelajari")
    field.fill("Menelepon ibu korban di 0812 3456 7890 untuk janji temu.")
    page.get_by_role("button", name="Simpan sebagai draf").click()
    page.get_by_text("Perbaiki dulu sebelum disimpan:").wait_for()
    assert "0812 3456 7890" in page.locator("[data-narrative-errors]").inner_text()
    assert "/magang/jam/baru/" in page.url

    field.fill("Menelepon keluarga korban untuk janji temu.")
    page.get_by_role("button", name="Simpan sebagai draf").click()
    page.get_by_text(KEPT).wait_for()
    assert count_settles(page.locator("[data-outbox-record]"), 1) == 1
    assert page.script_errors == []
    context.close()


def test_a_send_whose_answer_was_lost_creates_nothing_twice(browser, signal, tmp_path):
    placement = PlacementFactory()
    day = timezone.localdate() - datetime.timedelta(days=4)
    context, page = open_phone(browser, signal, tmp_path / "lost")
    ready_to_write_offline(page, placement.trainee, with_key=True)
    signal.cut()
    log_hours(page, day, "07:00", "08:30", "Membantu menyiapkan ruang konseling.")
    signal.restore()

    signal.lose_answers()
    page.get_by_role("button", name="Kirim sekarang").click()
    page.get_by_text("Belum ada sinyal.").wait_for()
    assert HourEntry.objects.count() == 1  # it arrived; the phone did not hear
    assert count_settles(page.get_by_text("menunggu sinyal", exact=True), 1) == 1

    signal.restore()
    page.get_by_role("button", name="Kirim sekarang").click()
    page.get_by_text("Selesai.").wait_for()
    assert count_settles(page.get_by_text("terkirim", exact=True), 1) == 1
    assert HourEntry.objects.count() == 1
    context.close()
