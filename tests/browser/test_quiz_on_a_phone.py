import pytest

from assessments.models import Sitting
from learning.choices import Role
from tests.browser.conftest import sign_in
from tests.factories import user_with_roles
from tests.factories.assessments import choice_question, essay_question, quiz_with
from tests.factories.people import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]


def test_a_trainee_takes_a_quiz_on_a_phone(phone, screenshot):
    quiz_with(
        [choice_question(), essay_question()], slug="kuis-hp", title="Kuis di ponsel"
    )
    trainee = user_with_roles(Role.PESERTA, username="dina")
    sign_in(phone, trainee.username, PASSWORD)
    phone.goto("/kuis/kuis-hp/")
    phone.get_by_role("button", name="Mulai kuis").click()
    phone.wait_for_load_state()
    assert phone.get_by_role("heading", name="Soal 1 dari 2").is_visible()
    screenshot(phone, "kuis-soal")
    phone.get_by_label("Pendamping terlatih").check()
    phone.get_by_role("button", name="Simpan jawaban").click()
    phone.wait_for_load_state()
    phone.get_by_label("Jawabanmu").fill("Saya dengarkan dulu.")
    phone.get_by_role("button", name="Simpan jawaban").click()
    phone.wait_for_load_state()
    phone.get_by_role("button", name="Selesai dan kirim").click()
    phone.wait_for_load_state()
    assert phone.get_by_text("sedang dinilai fasilitator").is_visible()
    assert phone.get_by_text("Sementara: 1 dari 1 soal bernilai otomatis").is_visible()
    screenshot(phone, "kuis-hasil")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert Sitting.objects.get(user=trainee).status == "menunggu"
    assert phone.watch.foreign_requests == []
    assert phone.watch.console_errors == []


def test_finishing_early_on_a_phone_asks_first(phone, screenshot):
    quiz_with(
        [choice_question(f"Soal ponsel {number}") for number in range(1, 11)],
        slug="kuis-awal",
        title="Kuis sepuluh soal",
        attempt_limit=2,
    )
    trainee = user_with_roles(Role.PESERTA, username="eta")
    sign_in(phone, trainee.username, PASSWORD)
    phone.goto("/kuis/kuis-awal/")
    phone.get_by_role("button", name="Mulai kuis").click()
    phone.wait_for_load_state()
    phone.get_by_label("Pendamping terlatih").check()
    phone.get_by_role("button", name="Simpan jawaban").click()
    phone.wait_for_load_state()
    phone.get_by_role("button", name="Selesai dan kirim").click()
    phone.wait_for_load_state()
    assert phone.get_by_text(
        "Masih ada 9 soal yang belum dijawab. Kirim sekarang?"
    ).is_visible()
    screenshot(phone, "kuis-konfirmasi-kirim")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.get_by_role("link", name="Kembali menjawab").click()
    phone.wait_for_load_state()
    assert phone.get_by_role("heading", name="Soal 2 dari 10").is_visible()
    assert Sitting.objects.get(user=trainee).is_open
    phone.get_by_role("button", name="Selesai dan kirim").click()
    phone.wait_for_load_state()
    phone.get_by_role("button", name="Ya, kirim").click()
    phone.wait_for_load_state()
    assert Sitting.objects.get(user=trainee).percent == 10
    # The review: the one right answer folds to a line, the nine others stay open.
    folded = phone.locator("details.review__fold")
    assert folded.count() == 1
    assert (
        not folded.get_attribute("open")
        and not folded.get_by_text("Pelaku").is_visible()
    )
    assert phone.locator(".review").count() == 10
    screenshot(phone, "kuis-pembahasan-ringkas")
    folded.locator("summary").click()
    assert folded.get_by_text("Pelaku").is_visible()
    assert phone.watch.foreign_requests == []
    assert phone.watch.console_errors == []
