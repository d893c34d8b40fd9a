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


# --- the Orang list ---------------------------------------------------------------


def rows_of(page: str) -> dict[str, str]:
    """Each row of the people table by the username in it: its text, spaces folded."""
    import re

    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", page, re.S)[1:]:
        text = " ".join(re.sub(r"<[^>]+>", " ", row).split())
        username = re.search(r'class="w-help-text">\s*([^<\s]+)', row)
        if username:
            rows[username.group(1)] = text
    return rows


def test_the_people_list_is_titled_orang_and_shows_what_a_facilitator_needs(
    signed_in, facilitator, coordinator, trainee, organisation
):
    from django.utils import timezone

    from learning.models import Device
    from tests.factories import region

    trainee.village = region("53.02.04.2012")  # Oe'Ekam
    trainee.save()
    # Works offline: never signed in here lately, but her phone synced.
    Device.objects.create(
        user=trainee,
        uuid="6c1f5a4e-0f0e-4a51-9f0a-2f6f3c1f9b11",
        last_seen_at=timezone.now(),
    )
    cohort = coordinator.coordinated_programmes.get().cohorts.get()
    page = signed_in(facilitator).get("/admin/users/").content.decode()
    assert "<title>Orang" in page
    assert "Pengguna" not in page
    import re

    listing = page.split('<table class="listing')[1].split("</thead>")[0]
    headings = [
        " ".join(re.sub(r"<[^>]+>", " ", th).split())
        for th in re.findall(r"<th\b[^>]*>(.*?)</th>", listing, re.S)
    ]
    assert [h for h in headings if h] == [
        "Nama",
        "Peran",
        "Lembaga",
        "Angkatan",
        "Desa",
        "Terakhir aktif",
    ]
    row = rows_of(page)[trainee.username]
    assert trainee.display_name in row
    assert "Peserta" in row
    assert organisation.short_name in row
    assert cohort.name in row
    assert "Oe'Ekam" in row or "Oe&#x27;Ekam" in row
    assert "Baru saja" in row or "menit" in row or "detik" in row


def test_the_cohort_column_names_only_cohorts_the_viewer_may_see(
    signed_in, facilitator, coordinator, trainee
):
    from learning.models import Enrolment

    elsewhere = CohortFactory(name="Angkatan Lembaga Lain")
    Enrolment.objects.create(cohort=elsewhere, trainee=trainee)
    page = signed_in(facilitator).get("/admin/users/").content.decode()
    assert trainee.username in page
    assert "Angkatan Lembaga Lain" not in page


def test_people_are_filtered_by_role_organisation_and_cohort_within_scope(
    signed_in, facilitator, coordinator, trainee, organisation
):
    cohort = coordinator.coordinated_programmes.get().cohorts.get()
    client = signed_in(coordinator)
    staff = rows_of(client.get("/admin/users/?role=Fasilitator").content.decode())
    assert facilitator.username in staff
    assert trainee.username not in staff
    # A cohort's list holds its facilitators as well as its trainees.
    in_cohort = rows_of(
        client.get(f"/admin/users/?cohort={cohort.pk}").content.decode()
    )
    assert {facilitator.username, trainee.username} <= set(in_cohort)
    by_org = client.get(f"/admin/users/?organisation={organisation.pk}")
    assert trainee.username in rows_of(by_org.content.decode())
    other = OrganisationFactory(short_name="LAIN2")
    by_other = client.get(f"/admin/users/?organisation={other.pk}").content.decode()
    assert trainee.username not in rows_of(by_other)
    # Wagtail's own group filter (every group, its editors' too) is gone.
    assert 'name="group"' not in client.get("/admin/users/").content.decode()


def test_a_facilitator_of_another_organisation_sees_nobody_of_ours(
    signed_in, trainee, coordinator
):
    partner = user_with_roles(
        Role.FASILITATOR,
        username="fasilitator-mitra",
        organisation=OrganisationFactory(short_name="MITRA"),
    )
    client = signed_in(partner)
    page = client.get("/admin/users/").content.decode()
    assert trainee.username not in rows_of(page)
    cohort = coordinator.coordinated_programmes.get().cohorts.get()
    # Not even through a filter naming a cohort she cannot see.
    filtered = client.get(f"/admin/users/?cohort={cohort.pk}").content.decode()
    assert trainee.username not in rows_of(filtered)
    assert client.get(f"/admin/users/edit/{trainee.pk}/").status_code in (302, 403)


@pytest.mark.parametrize("size", [3, 25])
def test_the_people_list_costs_the_same_queries_for_few_or_many(
    signed_in,
    facilitator,
    coordinator,
    organisation,
    size,
    django_assert_max_num_queries,
):
    from learning.models import Device, Enrolment
    from tests.factories import region

    cohort = coordinator.coordinated_programmes.get().cohorts.get()
    second = CohortFactory(
        programme=cohort.programme, name="Angkatan Kedua", facilitators=[facilitator]
    )
    village = region("53.02.04.2012")
    for n in range(size):
        person = user_with_roles(
            Role.PESERTA,
            username=f"banyak-{n}",
            organisation=organisation,
            village=village,
        )
        Enrolment.objects.create(cohort=cohort, trainee=person)
        Enrolment.objects.create(cohort=second, trainee=person)
        Device.objects.create(user=person, uuid=f"00000000-0000-4000-8000-{n:012d}")
    client = signed_in(facilitator)
    client.get("/admin/users/")  # warm the per-session caches
    with django_assert_max_num_queries(19):
        page = client.get("/admin/users/").content.decode()
    # A page holds twenty people; the others in scope may sort before them.
    assert page.count("banyak-") >= min(size, 15)


# --- the admin's words --------------------------------------------------------------


def test_the_account_forms_speak_indonesian_not_wagtails_english(
    signed_in, facilitator, trainee
):
    import re

    client = signed_in(facilitator)
    for url in ("/admin/users/new/", f"/admin/users/edit/{trainee.pk}/"):
        page = client.get(url).content.decode()
        tabs = re.findall(r'id="tab-label-\w+"[^>]*>\s*([^<]+?)\s*<', page)
        assert tabs == ["Akun", "Peran"], url
        labels = {
            " ".join(re.sub(r"<[^>]+>", " ", label).split()).rstrip("* ")
            for label in re.findall(r"<label[^>]*>(.*?)</label>", page, re.S)
        }
        assert {"Nama pengguna", "Kata sandi", "Ulangi kata sandi"} <= labels, url
        for english in ("Role", "Password", "Username", "Kata sandimu"):
            assert english not in labels and f">{english}<" not in page, english


def test_the_sidebar_calls_the_programme_group_by_a_short_name(signed_in, facilitator):
    page = signed_in(facilitator).get("/admin/").content.decode()
    assert "Program &amp; peserta" not in page and "Program & peserta" not in page
    assert '"name": "program-angkatan", "label": "Program"' in page


def test_people_are_listed_by_the_name_they_are_called_by(
    signed_in, facilitator, organisation
):
    for username, name in [("aa-yohana", "Yohana"), ("zz-ani", "Ani")]:
        user_with_roles(
            Role.PESERTA, username=username, first_name=name, organisation=organisation
        )
    order = list(rows_of(signed_in(facilitator).get("/admin/users/").content.decode()))
    assert order.index("zz-ani") < order.index("aa-yohana")
