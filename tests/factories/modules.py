"""Pages of the curriculum, built through Wagtail's tree API like an editor would."""

from wagtail.models import Site

import factory
import wagtail_factories

from modules.choices import Topic
from modules.models import (
    LessonPage,
    ModuleIndexPage,
    ModulePage,
    ResourceIndexPage,
    TrainingHomePage,
)


def lesson_body(title: str) -> list[dict]:
    """A short lesson using the blocks a trainee meets most often."""
    return [
        {"type": "heading", "value": f"Bagian pertama {title}"},
        {"type": "text", "value": f"<p>Isi pelajaran {title}.</p>"},
        {
            "type": "key_points",
            "value": {"title": "Poin penting", "points": ["Dengarkan.", "Rujuk."]},
        },
        {
            "type": "reflection",
            "value": {"prompt": "Apa yang akan kamu lakukan?", "hint": ""},
        },
    ]


class TrainingHomePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = TrainingHomePage

    title = "Belajar"
    slug = "belajar"


class ModuleIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ModuleIndexPage

    title = "Modul"
    slug = "modul"


class ResourceIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ResourceIndexPage

    title = "Pustaka bahan"
    slug = "pustaka"


class ModulePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ModulePage
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Modul Uji {n}")
    topic = Topic.COUNSELLING
    summary = "Modul uji untuk pendamping."
    learning_objectives = "Mengenali tanda kekerasan\nMerujuk korban"

    @factory.post_generation
    def programmes(self, create, extracted, **kwargs):
        if create and extracted:
            self.programmes.set(extracted)
            self.save_revision().publish()


class LessonPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = LessonPage

    title = factory.Sequence(lambda n: f"Pelajaran Uji {n}")
    body = factory.LazyAttribute(lambda page: lesson_body(page.title))


def training_tree():
    """The training home, module index and resource library under the site root."""
    root = Site.objects.get(is_default_site=True).root_page
    home = TrainingHomePage.objects.first() or TrainingHomePageFactory(parent=root)
    index = ModuleIndexPage.objects.first() or ModuleIndexPageFactory(parent=home)
    library = ResourceIndexPage.objects.first() or ResourceIndexPageFactory(parent=home)
    return home, index, library


def module_with_lessons(*, lessons: int = 3, **kwargs) -> ModulePage:
    """A live module with `lessons` live lessons, in the standard tree."""
    _, index, _ = training_tree()
    module = ModulePageFactory(parent=index, **kwargs)
    for number in range(1, lessons + 1):
        LessonPageFactory(parent=module, title=f"{module.title}: pelajaran {number}")
    return module
