"""Ids a browser sends to the site's pages: an overflowing or non-numeric one
is a 404 or is ignored, never a 500 (issue 15, item 7)."""

import pytest

from learning.choices import Role
from learning.models import Notification
from tests.factories import PlacementFactory, outside_placement, user_with_roles

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"  # more than any database integer holds


@pytest.mark.parametrize("value", [HUGE, "abc", "0", "-1", "٣"])
def test_a_countersign_link_for_a_placement_that_cannot_exist_is_404(client, value):
    placement = outside_placement()
    client.force_login(placement.trainee)
    response = client.post("/magang/tautan/", {"penempatan": value})
    assert response.status_code == 404


@pytest.mark.parametrize("export", ["catatan-magang.csv", "catatan-magang.pdf"])
@pytest.mark.parametrize("role", [Role.PESERTA, Role.FASILITATOR])
def test_an_export_for_a_trainee_id_that_cannot_exist_is_404(client, export, role):
    PlacementFactory()
    client.force_login(user_with_roles(role))
    response = client.get(f"/magang/unduh/{export}", {"peserta": HUGE})
    assert response.status_code == 404


def test_overflowing_notification_ids_are_ignored(client, trainee):
    mine = Notification.objects.create(recipient=trainee, message="Jam diverifikasi.")
    client.force_login(trainee)
    response = client.post(
        "/pemberitahuan/dibaca/", {"notification": [HUGE, str(mine.pk)]}
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.read_at is not None
