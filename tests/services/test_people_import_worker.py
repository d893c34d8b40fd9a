"""A big people sheet imported by the real Celery worker that CI starts."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

import pytest

from learning.choices import ImportStatus
from learning.models import PeopleImport, User
from learning.people_sheet import COLUMNS
from tests.factories import OrganisationFactory, UserFactory
from tests.services.waiting import wait_for

pytestmark = pytest.mark.services


@pytest.mark.django_db(transaction=True)
def test_the_worker_imports_a_sheet_too_big_to_wait_for(migrated_data):
    OrganisationFactory(short_name="YUP")
    # A superuser: a transactional test run earlier may have emptied the
    # role groups' permissions (migrated_data puts back the groups only).
    importer = UserFactory(username="uji-pengimpor", is_superuser=True)
    lines = [",".join(COLUMNS)] + [
        f"pekerja-{n:04d},Nama {n},,Peserta,YUP,,,,P,,,," for n in range(300)
    ]
    client = Client()
    client.force_login(importer)

    response = client.post(
        "/admin/orang/impor/",
        {"sheet": SimpleUploadedFile("orang.csv", "\n".join(lines).encode())},
    )

    assert response.status_code == 302, response.content[:300]
    assert "/admin/orang/impor/" in response["Location"], response["Location"]
    job = PeopleImport.objects.get()

    def finished():
        job.refresh_from_db()
        return job.is_finished

    assert wait_for(finished), f"the worker never finished it ({job.status})"
    assert job.status == ImportStatus.DONE, (job.problems, job.error)
    assert User.objects.filter(username__startswith="pekerja-").count() == 300
    page = client.get(response["Location"]).content.decode()
    assert "300 akun dibuat" in page
