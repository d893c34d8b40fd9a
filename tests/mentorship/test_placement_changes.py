"""A host organisation's supervisor sees a placement; its trainee's staff change it."""

import pytest

from learning.choices import Role
from mentorship.selectors import placements_managed_by, placements_visible_to
from tests.factories import OrganisationFactory, PlacementFactory, user_with_roles
from tests.factories.people import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def placement(organisation, facilitator, trainee):
    """The trainee (of the facilitator's organisation) at LBH, supervised there."""
    host = OrganisationFactory(short_name="LBH-UJI")
    supervisor = user_with_roles(
        Role.FASILITATOR, username="pembimbing-lbh", organisation=host
    )
    return PlacementFactory(trainee=trainee, host=host, supervisor=supervisor)


def test_the_supervisor_sees_the_placement_but_cannot_move_it(placement):
    supervisor = placement.supervisor
    assert placements_visible_to(supervisor).filter(pk=placement.pk).exists()
    assert not placements_managed_by(supervisor).filter(pk=placement.pk).exists()
    client = client_for(supervisor)
    listing = client.get("/admin/magang/penempatan/").content.decode()
    assert f"/admin/magang/penempatan/edit/{placement.pk}/" not in listing
    for page in ("edit", "delete", "usage"):
        path = f"/admin/magang/penempatan/{page}/{placement.pk}/"
        assert client.get(path).status_code == 404
    response = client.get(f"/admin/magang/penempatan/history/{placement.pk}/")
    assert response.status_code == 200


def test_the_trainees_facilitator_changes_it(placement, facilitator):
    client = client_for(facilitator)
    path = f"/admin/magang/penempatan/edit/{placement.pk}/"
    assert client.get(path).status_code == 200
    assert path in client.get("/admin/magang/penempatan/").content.decode()


def test_the_supervisor_cannot_change_the_trainees_account(placement, trainee):
    from learning.scope import accounts_manageable_by

    supervisor = placement.supervisor
    assert not accounts_manageable_by(supervisor).filter(pk=trainee.pk).exists()
    client = client_for(supervisor)
    assert client.get(f"/admin/users/edit/{trainee.pk}/").status_code != 200
    client.post(f"/admin/users/edit/{trainee.pk}/", {"username": "diambil-alih"})
    trainee.refresh_from_db()
    assert trainee.username == "uji-peserta"
