"""The curriculum's panels on each role's home page (see learning.home)."""

from django.http import HttpRequest

from .content_cache import cached, token_read_by_this_request
from .models import TrainingHomePage
from .selectors import changed_since_completion, learner_overview


def _training_home():
    return TrainingHomePage.objects.live().first()


def training_home_url() -> str | None:
    """Where "Belajar" in the menu leads: the live training home, if any."""
    return cached("beranda-belajar", token_read_by_this_request(), _training_home_url)


def _training_home_url() -> str | None:
    page = TrainingHomePage.objects.live().only("url_path").first()
    return page.url if page else None


def learning_context(request: HttpRequest) -> dict:
    return {**learner_overview(request.user), "training_home": _training_home()}


CHANGED_ON_HOME = 3


def refresher_context(request: HttpRequest) -> dict:
    changed = changed_since_completion(request.user)
    return {
        "changed_count": len(changed),
        "changed": changed[:CHANGED_ON_HOME],
        "training_home": _training_home(),
    }


def curriculum_context(request: HttpRequest) -> dict:
    return {"training_home": _training_home()}
