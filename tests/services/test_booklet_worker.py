"""A module booklet built by the real Celery worker that CI starts."""

import io

import pytest
from pypdf import PdfReader

from modules.booklets import request_booklet
from modules.choices import BookletStatus
from modules.models import Booklet
from tests.factories.modules import module_with_lessons
from tests.services.waiting import wait_for

pytestmark = pytest.mark.services


@pytest.mark.django_db(transaction=True)
def test_the_worker_builds_a_booklet_holding_every_lesson_title(migrated_data):
    module = module_with_lessons(lessons=3, title="Buklet Lewat Pekerja")

    # Outside a transaction the build is queued at once, as after a commit.
    booklet = request_booklet(module=module)

    def finished():
        booklet.refresh_from_db()
        return booklet.status in (BookletStatus.READY, BookletStatus.FAILED)

    assert wait_for(finished), f"the worker never finished it ({booklet.status})"
    assert booklet.status == BookletStatus.READY, booklet.error
    assert Booklet.objects.count() == 1
    with booklet.file.open("rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    titles = list(module.lessons().values_list("title", flat=True))
    assert len(titles) == 3
    for title in titles:
        assert title in text
    assert (booklet.lessons_done, booklet.lessons_total) == (3, 3)
