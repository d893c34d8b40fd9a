"""Wagtail's bulk actions on the Orang list follow the scope rule too."""

from django.contrib.auth.models import Group

import pytest

from learning.choices import Role
from learning.models import User
from tests.factories import OrganisationFactory, user_with_roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def outsider():
    return user_with_roles(
        Role.PESERTA,
        username="orang-lain",
        organisation=OrganisationFactory(short_name="LAIN"),
    )


def bulk(client, action, people, data=None):
    query = "&".join(f"id={person.pk}" for person in people)
    url = f"/admin/bulk/learning/user/{action}/?next=/admin/users/&{query}"
    if data is None:
        return client.get(url)
    return client.post(url, data)


def test_a_facilitator_cannot_give_herself_or_anyone_a_staff_role(
    signed_in, facilitator, trainee
):
    client = signed_in(facilitator)
    koordinator = Group.objects.get(name=Role.KOORDINATOR.value)
    bulk(client, "assign_role", [facilitator, trainee], {"role": koordinator.pk})
    bulk(client, "assign_role", [trainee], {"role": koordinator.pk})
    facilitator.refresh_from_db()
    assert Role.KOORDINATOR not in User.objects.get(pk=facilitator.pk).roles
    assert Role.KOORDINATOR not in User.objects.get(pk=trainee.pk).roles


def test_a_facilitator_cannot_deactivate_or_delete_someone_outside_her_scope(
    signed_in, facilitator, outsider
):
    client = signed_in(facilitator)
    bulk(client, "set_active_state", [outsider], {"mark_as_active": False})
    bulk(client, "delete", [outsider], {})
    outsider.refresh_from_db()
    assert outsider.is_active


def test_within_scope_the_bulk_actions_still_work(signed_in, facilitator, trainee):
    client = signed_in(facilitator)
    alumni = Group.objects.get(name=Role.ALUMNI.value)
    response = bulk(client, "assign_role", [trainee], {"role": alumni.pk})
    assert response.status_code == 302
    assert Role.ALUMNI in User.objects.get(pk=trainee.pk).roles
    bulk(client, "set_active_state", [trainee], {"mark_as_active": False})
    trainee.refresh_from_db()
    assert not trainee.is_active


def test_the_rule_behind_them_refuses_outsiders_and_roles_she_may_not_give(
    facilitator, trainee, outsider
):
    from learning.accounts import bulk_account_change_refusal

    assert bulk_account_change_refusal(actor=facilitator, people=[trainee]) is None
    assert (
        bulk_account_change_refusal(
            actor=facilitator, people=[trainee], role=Role.ALUMNI.value
        )
        is None
    )
    refusal = bulk_account_change_refusal(actor=facilitator, people=[trainee, outsider])
    assert "di luar wewenang kamu" in refusal
    assert outsider.display_name not in refusal
    refusal = bulk_account_change_refusal(
        actor=facilitator, people=[trainee], role=Role.KOORDINATOR.value
    )
    assert "tidak dapat memberi peran Koordinator" in refusal


def test_the_confirmation_names_nobody_outside_scope_even_for_all(
    signed_in, facilitator, trainee, outsider
):
    client = signed_in(facilitator)
    for url in (
        f"/admin/bulk/learning/user/delete/?next=/admin/users/&id={outsider.pk}",
        "/admin/bulk/learning/user/set_active_state/?next=/admin/users/&id=all",
    ):
        page = client.get(url).content.decode()
        assert outsider.display_name not in page
        assert outsider.username not in page
    page = client.get(
        "/admin/bulk/learning/user/set_active_state/?next=/admin/users/&id=all"
    ).content.decode()
    assert trainee.display_name in page
    # "All" deactivates the people she manages, and nobody else.
    client.post(
        "/admin/bulk/learning/user/set_active_state/?next=/admin/users/&id=all",
        {"mark_as_active": False},
    )
    outsider.refresh_from_db()
    trainee.refresh_from_db()
    assert outsider.is_active and not trainee.is_active


def test_only_the_roles_she_may_give_are_offered(signed_in, facilitator, trainee):
    page = (
        signed_in(facilitator)
        .get(
            f"/admin/bulk/learning/user/assign_role/?next=/admin/users/&id={trainee.pk}"
        )
        .content.decode()
    )
    assert ">Peserta<" in page and ">Alumni<" in page
    assert ">Koordinator<" not in page and ">Fasilitator<" not in page


def test_deleting_a_trainee_whose_records_must_stay_is_refused_in_words(
    signed_in, trainee
):
    from tests.factories import PlacementFactory, UserFactory

    PlacementFactory(trainee=trainee)
    # Facilitators may not delete accounts at all; an administrator may try.
    admin = UserFactory(username="admin-uji", is_superuser=True, is_staff=True)
    client = signed_in(admin)
    response = bulk(client, "delete", [trainee], {})
    assert response.status_code == 302
    assert User.objects.filter(pk=trainee.pk).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Tidak ada akun yang dihapus" in page
