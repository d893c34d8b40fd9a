"""Page tree rules, and an editor's round trip through the Wagtail admin."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import (
    nested_form_data,
    rich_text,
    streamfield,
)

from modules.models import (
    InfoPage,
    LessonPage,
    ModuleIndexPage,
    ModulePage,
    ResourceIndexPage,
    ResourcePage,
    TrainingHomePage,
)
from tests.factories.modules import module_with_lessons, training_tree


class PageTreeRules(WagtailPageTestCase):
    def test_a_lesson_lives_only_under_a_module(self):
        self.assertAllowedParentPageTypes(LessonPage, {ModulePage})
        self.assertCanNotCreateAt(ModuleIndexPage, LessonPage)
        self.assertCanNotCreateAt(TrainingHomePage, LessonPage)
        self.assertCanNotCreateAt(Page, LessonPage)

    def test_modules_live_in_the_module_index(self):
        self.assertAllowedParentPageTypes(ModulePage, {ModuleIndexPage})
        self.assertAllowedSubpageTypes(ModulePage, {LessonPage})

    def test_the_training_home_holds_the_index_and_the_library(self):
        self.assertAllowedSubpageTypes(
            TrainingHomePage, {ModuleIndexPage, ResourceIndexPage}
        )
        self.assertAllowedParentPageTypes(ResourcePage, {ResourceIndexPage})
        self.assertAllowedSubpageTypes(LessonPage, set())

    def test_info_pages_sit_at_the_top_of_the_site(self):
        self.assertCanCreateAt(Page, InfoPage)
        self.assertCanNotCreateAt(ModulePage, InfoPage)


class EditorRoundTrip(WagtailPageTestCase):
    def setUp(self):
        self.editor = self.create_superuser(username="penyunting", password="x")
        self.client.force_login(self.editor)
        self.home, self.index, self.library = training_tree()

    def test_module_page(self):
        self.assertCanCreate(
            self.index,
            ModulePage,
            nested_form_data(
                {
                    "title": "Pendokumentasian Kasus",
                    "slug": "pendokumentasian-kasus",
                    "topic": "dokumentasi",
                    "summary": "Mencatat kasus tanpa membuka identitas korban.",
                    "learning_objectives": "Mengisi formulir\nMemakai kategori SIMFONI",
                    "study_minutes": 45,
                    "content_note": "",
                    "is_core": "on",
                }
            ),
        )
        module = ModulePage.objects.get(slug="pendokumentasian-kasus")
        assert module.objectives == ["Mengisi formulir", "Memakai kategori SIMFONI"]

    def test_lesson_page_with_blocks(self):
        module = module_with_lessons(lessons=0, title="Modul Editor")
        self.assertCanCreate(
            module,
            LessonPage,
            nested_form_data(
                {
                    "title": "Mengenali tanda kekerasan",
                    "slug": "mengenali-tanda",
                    "summary": "",
                    "study_minutes": 10,
                    "body": streamfield(
                        [
                            ("heading", "Tanda pada tubuh"),
                            ("text", rich_text("<p>Lebam yang tidak dijelaskan.</p>")),
                            (
                                "key_points",
                                {
                                    "title": "Poin penting",
                                    "points": {
                                        "count": 1,
                                        "0-value": "Percayai korban.",
                                        "0-deleted": "",
                                        "0-order": 0,
                                    },
                                },
                            ),
                            (
                                "reflection",
                                {"prompt": "Apa yang akan kamu lakukan?", "hint": ""},
                            ),
                            (
                                "glossary_term",
                                {"term": "Visum", "definition": "Keterangan dokter."},
                            ),
                        ]
                    ),
                }
            ),
        )
        lesson = LessonPage.objects.get(slug="mengenali-tanda")
        assert [block.block_type for block in lesson.body] == [
            "heading",
            "text",
            "key_points",
            "reflection",
            "glossary_term",
        ]
        assert list(lesson.body[2].value["points"]) == ["Percayai korban."]

    def test_resource_and_info_pages(self):
        self.assertCanCreate(
            self.library,
            ResourcePage,
            nested_form_data(
                {
                    "title": "UU 23/2004 tentang PKDRT",
                    "slug": "uu-pkdrt",
                    "kind": "peraturan",
                    "summary": "Ringkasan",
                    "body": rich_text("<p>Empat bentuk kekerasan.</p>"),
                }
            ),
        )
        self.assertCanCreate(
            self.home.get_parent(),
            InfoPage,
            nested_form_data(
                {
                    "title": "Tentang kami",
                    "slug": "tentang-kami",
                    "body": streamfield([("heading", "Siapa kami")]),
                }
            ),
        )
