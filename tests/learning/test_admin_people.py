"""People and cohorts in the Wagtail admin, always through the scope rule."""

import pytest

from learning.choices import Role
from learning.models import User
from tests.factories import CohortFactory, OrganisationFactory, user_with_roles
from tests.factories.people import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def outsider():
    elsewhere = OrganisationFactory(short_name="LAIN")
    return user_with_roles(Role.PESERTA, username="orang-lain", organisation=elsewhere)


def new_account(**overrides):
    data = {
        "username": "paralegal-baru",
        "first_name": "Kristina",
        "last_name": "",
        "email": "",
        "password1": "lontar-sabu-2026",
        "password2": "lontar-sabu-2026",
        "groups": [],
        "organisation": "",
        "village": "",
        "sex": "P",
        "birth_year": "1990",
        "phone": "0812 3456 7890",
    }
    data.update(overrides)
    return data


def group_id(role):
    from django.contrib.auth.models import Group

    return Group.objects.get(name=role.value).pk


def test_facilitators_list_only_people_in_their_scope(
    signed_in, facilitator, trainee, outsider
):
    page = signed_in(facilitator).get("/admin/users/").content.decode()
    assert trainee.username in page
    assert outsider.username not in page


def test_a_hand_typed_url_for_someone_outside_scope_is_refused(
    signed_in, facilitator, outsider
):
    client = signed_in(facilitator)
    response = client.get(f"/admin/users/edit/{outsider.pk}/")
    assert response.status_code in (302, 403)
    response = client.post(
        f"/admin/users/edit/{outsider.pk}/", {"username": "dibajak", "first_name": "X"}
    )
    outsider.refresh_from_db()
    assert outsider.username == "orang-lain"


def test_facilitators_create_a_trainee_without_email_and_the_phone_becomes_plus62(
    signed_in, facilitator, organisation
):
    client = signed_in(facilitator)
    form = client.get("/admin/users/new/").content.decode()
    assert 'name="is_superuser"' not in form
    response = client.post(
        "/admin/users/new/",
        new_account(groups=[group_id(Role.PESERTA)], organisation=organisation.pk),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    created = User.objects.get(username="paralegal-baru")
    assert created.phone == "+6281234567890"
    assert created.roles == [Role.PESERTA]
    assert created.email == ""
    assert created.check_password("lontar-sabu-2026")


def test_a_bad_phone_number_is_explained_and_nothing_is_saved(
    signed_in, facilitator, organisation
):
    response = signed_in(facilitator).post(
        "/admin/users/new/",
        new_account(phone="12345", organisation=organisation.pk),
    )
    assert response.status_code == 200
    assert "Nomor HP tidak dikenali" in response.content.decode()
    assert not User.objects.filter(username="paralegal-baru").exists()


def test_facilitators_cannot_hand_out_staff_roles_or_admin_rights(
    signed_in, facilitator, organisation
):
    response = signed_in(facilitator).post(
        "/admin/users/new/",
        new_account(
            groups=[group_id(Role.KOORDINATOR)],
            is_superuser="on",
            organisation=organisation.pk,
        ),
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="paralegal-baru").exists()


def test_cohort_screens_list_only_the_cohorts_in_scope(
    signed_in, facilitator, coordinator
):
    own = coordinator.coordinated_programmes.get().cohorts.get()
    other = CohortFactory(name="Angkatan Lain")
    client = signed_in(facilitator)
    page = client.get("/admin/cohort/").content.decode()
    assert own.name in page
    assert other.name not in page
    assert client.get(f"/admin/cohort/edit/{other.pk}/").status_code in (
        302,
        403,
    )


def test_trainees_never_reach_people_screens(signed_in, trainee):
    client = signed_in(trainee)
    assert client.get("/admin/users/").status_code == 302
    assert PASSWORD  # the trainee signed in with the factory password


def test_the_cohort_form_offers_only_people_in_scope(
    signed_in, facilitator, coordinator, trainee, outsider
):
    cohort = coordinator.coordinated_programmes.get().cohorts.get()
    page = signed_in(facilitator).get(f"/admin/cohort/edit/{cohort.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert trainee.display_name in html
    assert outsider.display_name not in html


def test_people_can_be_filtered_by_cohort_within_scope(
    signed_in, facilitator, coordinator, trainee
):
    cohort = coordinator.coordinated_programmes.get().cohorts.get()
    hidden = CohortFactory(name="Angkatan Tersembunyi")
    client = signed_in(facilitator)
    page = client.get(f"/admin/users/?cohort={cohort.pk}").content.decode()
    assert trainee.username in page
    assert hidden.name not in page


def test_people_and_cohorts_can_be_filtered_by_kabupaten(
    signed_in, facilitator, coordinator, trainee
):
    from tests.factories import region

    trainee.village = region("53.02.04.2012")  # Oe'Ekam, TTS
    trainee.save()
    cohort = coordinator.coordinated_programmes.get().cohorts.get()
    cohort.villages.set([region("53.02.04.2012")])
    cohort.save()
    client = signed_in(facilitator)
    tts, ttu = region("53.02").pk, region("53.03").pk
    assert (
        trainee.username
        in client.get(f"/admin/users/?kabupaten={tts}").content.decode()
    )
    assert (
        trainee.username
        not in client.get(f"/admin/users/?kabupaten={ttu}").content.decode()
    )
    assert cohort.name in client.get(f"/admin/cohort/?kabupaten={tts}").content.decode()
    assert (
        cohort.name
        not in client.get(f"/admin/cohort/?kabupaten={ttu}").content.decode()
    )


def test_a_name_that_would_run_as_a_spreadsheet_formula_is_refused(
    signed_in, facilitator, organisation
):
    response = signed_in(facilitator).post(
        "/admin/users/new/",
        new_account(
            first_name='=HYPERLINK("http://x","a")',
            groups=[group_id(Role.PESERTA)],
            organisation=organisation.pk,
        ),
    )
    assert response.status_code == 200
    assert "lembar kerja bisa menjalankannya sebagai rumus" in response.content.decode()
    assert not User.objects.filter(username="paralegal-baru").exists()
