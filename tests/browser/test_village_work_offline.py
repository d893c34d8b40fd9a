"""The rest of the village's work with no signal, in Debian's Chromium behind
the test's proxy: a wellbeing check-in (help shown at once when it signals
risk), the annual reflection sent after signing in again, a facilitator's
workshop attendance merged with a colleague's, and a send the browser makes
by itself in the background."""

import datetime

from django.contrib.sessions.models import Session
from django.utils import timezone

import pytest

from assessments.events import save_day_attendance
from assessments.models import Attendance, TrainingEvent
from learning.choices import Role
from learning.models import Device, Notification
from mentorship.models import HourEntry, Reflection, ReflectionSession, WellbeingCheckIn
from tests.browser.conftest import sign_in, wait_until
from tests.browser.phone import (
    FORMS_KEPT,
    KEPT,
    count_settles,
    open_phone,
    ready_to_write_offline,
)
from tests.factories import (
    CohortFactory,
    OrganisationFactory,
    PlacementFactory,
    ProgrammeFactory,
    region,
    user_with_roles,
)
from tests.factories.people import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data", "ntt_regions"),
]

HELP = "Kamu tidak sendiri."


def send_now(page):
    page.goto("/magang/kirim/")
    page.get_by_role("button", name="Kirim sekarang").click()
    page.get_by_text("Selesai.").wait_for()


def check_in(page, feeling, threatened, wants_contact):
    page.goto("/kesejahteraan/")
    page.locator(f"input[name=feeling][value={feeling}]").check()
    page.locator(f"input[name=threatened][value={threatened}]").check()
    page.locator(f"input[name=wants_contact][value={wants_contact}]").check()
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.get_by_text(KEPT).wait_for()


def test_a_risky_check_in_kept_offline_shows_who_to_call_at_once(
    browser, signal, tmp_path, screenshot
):
    placement = PlacementFactory()
    facilitator = user_with_roles(
        Role.FASILITATOR, first_name="Yohana", last_name="Fasilitator"
    )
    facilitator.phone = "+6281234567890"
    facilitator.save()
    CohortFactory(facilitators=[facilitator], trainees=[placement.trainee])
    context, page = open_phone(browser, signal, tmp_path / "cek")
    ready_to_write_offline(page, placement.trainee, also=("/kesejahteraan/",))

    signal.cut()
    check_in(page, "baik", "tidak", "tidak")
    assert not page.get_by_text(HELP).is_visible()

    check_in(page, "berat", "tidak", "tidak")
    page.get_by_text(HELP).wait_for()
    assert page.get_by_role("link", name="Telepon SAPA 129").get_attribute("href") == (
        "tel:129"
    )
    call = page.get_by_role("link", name="Telepon Yohana Fasilitator (fasilitator)")
    assert call.get_attribute("href") == "tel:+6281234567890"
    assert page.get_by_text(
        "baru terkirim saat ponsel ini mendapat sinyal"
    ).is_visible()
    screenshot(page, "offline-cek-kesejahteraan-berisiko")
    # Nothing reached the server, so nobody was told yet.
    assert not WellbeingCheckIn.objects.exists()
    assert not Notification.objects.filter(recipient=facilitator).exists()

    signal.restore()
    send_now(page)
    assert count_settles(page.get_by_text("terkirim", exact=True), 2) == 2
    assert WellbeingCheckIn.objects.filter(person=placement.trainee).count() == 2
    # The risky one tells the facilitator, once it arrives.
    assert Notification.objects.filter(recipient=facilitator).count() == 1
    assert page.script_errors == []
    context.close()


def test_a_reflection_written_offline_is_sent_after_signing_in_again(
    browser, signal, tmp_path
):
    placement = PlacementFactory()
    trainee = placement.trainee
    programme = ProgrammeFactory()
    CohortFactory(programme=programme, trainees=[trainee])
    today = timezone.localdate()
    session = ReflectionSession.objects.create(
        programme=programme,
        organisation=placement.host,
        year=today.year,
        start_date=today,
        end_date=today + datetime.timedelta(days=1),
        place=region("53.02.01"),
    )
    form = f"/refleksi/{session.pk}/"
    context, page = open_phone(browser, signal, tmp_path / "refleksi")
    ready_to_write_offline(page, trainee, also=(form,))

    signal.cut()
    page.goto(form)
    page.locator("input[name=n_fisik_litigasi]").fill("2")
    page.locator("input[name=partners][value=polsek]").check()
    page.locator("textarea[name=learning_needs]").fill("Hukum acara pidana anak.")
    page.get_by_role("button", name="Simpan refleksi").click()
    page.get_by_text(KEPT).wait_for()
    assert count_settles(page.locator("[data-outbox-record]"), 1) == 1

    # While the phone was away, the session ended and the phone's key too.
    Session.objects.all().delete()
    Device.objects.all().delete()
    signal.restore()
    page.get_by_role("button", name="Kirim sekarang").click()
    page.get_by_text("Sesi kamu sudah berakhir.").wait_for()
    assert not Reflection.objects.exists()
    page.get_by_role("link", name="Masuk lagi lalu kirim").click()
    page.get_by_label("Nama pengguna").fill(trainee.username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    # Back on the outbox, which sends what waited for this same person.
    page.get_by_text("Selesai.").wait_for()
    assert count_settles(page.get_by_text("terkirim", exact=True), 1) == 1
    reflection = Reflection.objects.get(person=trainee, session=session)
    assert reflection.case_counts == [{"type": "fisik", "path": "litigasi", "count": 2}]
    assert reflection.partners == ["polsek"]
    assert page.script_errors == []
    context.close()


def test_a_facilitator_s_workshop_attendance_merges_with_a_colleague_s(
    browser, signal, tmp_path, screenshot
):
    organisation = OrganisationFactory()
    lead = user_with_roles(Role.FASILITATOR, organisation=organisation)
    colleague = user_with_roles(Role.FASILITATOR, organisation=organisation)
    people = [
        user_with_roles(Role.PESERTA, first_name=f"Peserta{n}", last_name="Desa")
        for n in range(4)
    ]
    programme = ProgrammeFactory(organisations=[organisation])
    CohortFactory(programme=programme, facilitators=[lead, colleague], trainees=people)
    today = timezone.localdate()
    event = TrainingEvent.objects.create(
        title="Pelatihan Dokumentasi Kasus",
        programme=programme,
        start_date=today,
        end_date=today,
        place=region("53.02"),
    )
    event.organisers.set([organisation])
    event.facilitators.set([lead, colleague])
    # Peserta3 was marked present before the lead's phone kept the page.
    save_day_attendance(
        recorder=colleague,
        event=event,
        day=today,
        present_ids={people[3].pk},
        absent_ids=set(),
    )
    day_page = f"/kehadiran/pelatihan/{event.pk}/{today.isoformat()}/"
    context, page = open_phone(browser, signal, tmp_path / "hadir")
    sign_in(page, lead.username, PASSWORD)
    page.goto("/kehadiran/")
    wait_until(
        page,
        "navigator.serviceWorker.getRegistration().then((r) => Boolean(r && r.active))",
        "the service worker did not start",
    )
    page.goto("/kehadiran/")
    wait_until(page, FORMS_KEPT, "not kept", [day_page, "/magang/kirim/"])

    # Meanwhile the colleague marks Peserta2 present on their own phone.
    save_day_attendance(
        recorder=colleague,
        event=event,
        day=today,
        present_ids={people[2].pk},
        absent_ids=set(),
    )
    signal.cut()
    page.goto(day_page)
    page.get_by_label("Peserta0 Desa").check()
    page.get_by_label("Peserta1 Desa").check()
    page.get_by_label("Peserta3 Desa").uncheck()  # a mistake, corrected
    screenshot(page, "offline-kehadiran-pelatihan")
    page.get_by_role("button", name="Simpan kehadiran").click()
    page.get_by_text(KEPT).wait_for()
    assert not Attendance.objects.filter(trainee__in=people[:2]).exists()

    signal.restore()
    send_now(page)
    assert count_settles(page.get_by_text("terkirim", exact=True), 1) == 1
    present = set(
        Attendance.objects.filter(event=event, day=today).values_list(
            "trainee_id", flat=True
        )
    )
    # Ticked offline, and the colleague's tick kept; the unticked one removed.
    assert present == {people[0].pk, people[1].pk, people[2].pk}
    assert page.script_errors == []
    context.close()


def test_the_browser_sends_in_the_background_when_the_signal_returns(
    browser, signal, tmp_path
):
    placement = PlacementFactory()
    context, page = open_phone(browser, signal, tmp_path / "latar")
    ready_to_write_offline(page, placement.trainee, with_key=True)
    signal.cut()
    page.goto("/magang/jam/baru/")
    page.get_by_label("Tanggal").fill(
        (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    )
    page.get_by_label("Atau lamanya saja (menit)").fill("45")
    page.get_by_label("Jenis kegiatan").select_option(index=1)
    page.get_by_label("Apa yang kamu lakukan dan pelajari").fill(
        "Membaca modul rujukan bersama staf."
    )
    page.get_by_role("button", name="Simpan sebagai draf").click()
    page.get_by_text(KEPT).wait_for()

    # Keeping it asked the browser for a background sync.
    worker = context.service_workers[0]
    assert "pendamping-kirim" in worker.evaluate("self.registration.sync.getTags()")

    signal.restore()
    # What the sync runs when the browser fires it (never waited on here: the
    # browser's own schedule backs off for minutes after a failed try).
    worker.evaluate("sendInBackground()")
    assert HourEntry.objects.filter(placement=placement).count() == 1
    # The page open on the outbox hears of it and shows it sent.
    assert count_settles(page.get_by_text("terkirim", exact=True), 1) == 1
    assert page.script_errors == []
    context.close()
