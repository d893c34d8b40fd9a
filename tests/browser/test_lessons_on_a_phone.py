import pytest

from learning.choices import Role
from modules.models import LessonProgress, ReflectionAnswer
from tests.browser.conftest import sign_in
from tests.factories import user_with_roles
from tests.factories.modules import module_with_lessons
from tests.factories.people import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]

LESSON_BUDGET_BYTES = 50 * 1024


def test_a_trainee_studies_a_lesson_on_a_phone(phone, screenshot):
    module = module_with_lessons(lessons=2, title="Konseling Awal")
    first, second = module.lessons()
    trainee = user_with_roles(Role.PESERTA, username="maria", first_name="Maria")
    sign_in(phone, trainee.username, PASSWORD)

    phone.get_by_role("link", name="Mulai belajar: Konseling Awal: pelajaran 1").click()
    phone.wait_for_load_state()
    assert phone.get_by_role("heading", name=first.title, exact=True).is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "pelajaran-peserta")

    phone.get_by_label("Jawabanmu (hanya kamu yang dapat membacanya)").fill(
        "Saya ajak duduk dan mendengarkan."
    )
    phone.get_by_role("button", name="Simpan jawaban").click()
    phone.wait_for_load_state()
    assert phone.get_by_text("Jawaban tersimpan").is_visible()
    assert ReflectionAnswer.objects.get(user=trainee).text.startswith("Saya ajak")

    phone.get_by_role("button", name="Tandai selesai").click()
    phone.wait_for_url(f"**{second.url}")
    assert LessonProgress.objects.filter(user=trainee, lesson=first).exists()

    phone.goto("/")
    assert phone.get_by_text("50% · 1 dari 2 pelajaran").first.is_visible()
    assert phone.get_by_role(
        "link", name="Lanjutkan belajar: " + second.title
    ).is_visible()
    assert phone.watch.foreign_requests == []
    assert phone.watch.console_errors == []


def test_a_lesson_page_stays_under_its_weight_budget(phone):
    module = module_with_lessons(lessons=3, title="Rujukan")
    lesson = module.lessons().first()
    sign_in(phone, user_with_roles(Role.PESERTA).username, PASSWORD)
    moved = []

    def count(response):
        if response.request.resource_type != "image":
            moved.append(len(response.body()))

    phone.on("response", count)
    phone.goto(lesson.url)
    phone.wait_for_load_state("networkidle")
    total = sum(moved)
    print(f"lesson page moved {total} bytes in {len(moved)} responses")
    assert total < LESSON_BUDGET_BYTES
