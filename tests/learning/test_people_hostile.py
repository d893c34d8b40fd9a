"""The people screens, tried by every role with ugly input.

The Orang list and its filters, its bulk actions, the people import (its
cohort, its job page's temporary passwords and printed slips), the one-time
password screen, the first-run checklist's two actions, the staff sign-in and
/favicon.ico: the people allowed get the page, everyone else a refusal, and
nobody a server error or a change they may not make.
"""

from urllib.parse import urlencode

from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

import pytest

from assessments.models import SampleCurriculumLoad
from learning.choices import Role
from learning.first_run import is_dismissed
from learning.models import PeopleImport, User
from learning.people_sheet import COLUMNS
from tests.concurrency import all_at_once, signed_in_clients
from tests.factories import OrganisationFactory, UserFactory, user_with_roles
from tests.factories.people import client_for
from tests.hostile import UGLY
from tests.learning.test_password_slips import slips_in

pytestmark = pytest.mark.django_db

LIST_PARAMETERS = [
    "ordering",
    "role",
    "organisation",
    "programme",
    "cohort",
    "kabupaten",
    "q",
    "is_superuser",
    "last_login",
    "p",
]
BULK = "/admin/bulk/learning/user/{action}/"
ACTIONS = ["assign_role", "set_active_state", "delete"]
SIGN_IN = "/admin/login/"


@pytest.fixture
def people(coordinator, facilitator, trainee):
    """One of each: the partner facilitator works for another organisation
    and teaches no cohort."""
    return {
        "anonymous": None,
        "trainee": trainee,
        "facilitator": facilitator,
        "partner": user_with_roles(
            Role.FASILITATOR,
            username="fasilitator-mitra",
            organisation=OrganisationFactory(short_name="MITRA"),
        ),
        "coordinator": coordinator,
        "superuser": UserFactory(username="super", is_superuser=True, is_staff=True),
    }


def bulk_url(action: str, ids, **more) -> str:
    query = [("next", "/admin/users/"), *(("id", value) for value in ids)]
    return BULK.format(action=action) + "?" + urlencode([*query, *more.items()])


def state_of(person: User) -> tuple:
    person = User.objects.filter(pk=person.pk).first()
    if person is None:
        return ("deleted",)
    return (person.is_active, sorted(person.groups.values_list("name", flat=True)))


def import_people(client: Client, count: int, **data) -> PeopleImport:
    lines = [",".join(COLUMNS)] + [
        f"hostile-{n:02d},Orang {n:02d},,Peserta,,,,,,,,," for n in range(count)
    ]
    upload = SimpleUploadedFile("orang.csv", "\n".join(lines).encode())
    client.post("/admin/orang/impor/", {"sheet": upload, **data})
    return PeopleImport.objects.latest("pk")


def assert_nothing_changed_said(response) -> None:
    assert response.status_code == 302
    assert response["Location"] == "/admin/users/"
    said = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("Tidak ada yang diubah" in message for message in said), said


# --- who gets in --------------------------------------------------------------


@pytest.mark.parametrize(
    "who",
    ["anonymous", "trainee", "facilitator", "partner", "coordinator", "superuser"],
)
def test_each_role_gets_the_people_pages_or_a_refusal(people, who):
    client = client_for(people[who])
    staff = who in ("facilitator", "partner", "coordinator", "superuser")
    for url in [
        "/admin/users/",
        "/admin/users/results/",
        "/admin/orang/impor/",
        "/admin/orang/impor/templat.xlsx",
        "/admin/akun/kata-sandi-sementara/",
    ]:
        response = client.get(url)
        if staff:
            assert response.status_code == 200, url
        else:
            assert response.status_code == 302, url
            assert response["Location"].startswith(SIGN_IN)
    assert client.get("/favicon.ico").status_code == 301
    assert client.post("/favicon.ico").status_code == 405
    assert client.get(SIGN_IN).status_code == (302 if staff else 200)


@pytest.mark.parametrize("who", ["anonymous", "trainee", "partner"])
def test_the_bulk_actions_change_nobody_for_those_refused(people, who):
    """The trainee is the facilitator's and the coordinator's: not the partner's."""
    trainee = people["trainee"]
    before = state_of(trainee)
    client = client_for(people[who])
    koordinator = Group.objects.get(name=Role.KOORDINATOR.value)
    for action, data in [
        ("assign_role", {"role": koordinator.pk}),
        ("set_active_state", {"mark_as_active": "False"}),
        ("delete", {}),
    ]:
        url = bulk_url(action, [trainee.pk])
        for response in (client.get(url), client.post(url, data)):
            assert response.status_code in (302, 403, 404)
            assert trainee.display_name not in response.content.decode()
        # "All" of the list, as the list's select-all sends it.
        client.post(bulk_url(action, ["all"]), data)
    assert state_of(trainee) == before


def test_the_facilitator_still_changes_her_own_trainee(people):
    trainee = people["trainee"]
    client = client_for(people["facilitator"])
    response = client.post(
        bulk_url("set_active_state", [trainee.pk]), {"mark_as_active": "False"}
    )
    assert response.status_code == 302
    assert state_of(trainee)[0] is False


# --- ugly input ---------------------------------------------------------------------


@pytest.mark.parametrize("who", ["facilitator", "superuser"])
def test_the_people_list_answers_every_ugly_filter_and_ordering(people, who):
    client = client_for(people[who])
    for name in LIST_PARAMETERS:
        for value in UGLY:
            response = client.get("/admin/users/", {name: value})
            assert response.status_code == 200, (name, value[:20])
    repeated = client.get(
        "/admin/users/?ordering=name&ordering=-last_seen&role=a&role="
    )
    assert repeated.status_code == 200


@pytest.mark.parametrize("who", ["facilitator", "superuser"])
def test_bulk_action_ids_that_are_no_ids_are_refused_and_change_nothing(people, who):
    """Wagtail looked every id up as it came: a word or a number past a
    64-bit column was a server error."""
    trainee = people["trainee"]
    before = state_of(trainee)
    client = client_for(people[who])
    for action in ACTIONS:
        for value in UGLY:
            url = bulk_url(action, [value])
            data = {"mark_as_active": "False"}
            assert client.get(url).status_code == 404, (action, value[:20])
            assert_nothing_changed_said(client.post(url, data))
            # A bad id beside a good one names nobody either.
            mixed = bulk_url(action, [trainee.pk, value])
            assert_nothing_changed_said(client.post(mixed, data))
    assert state_of(trainee) == before


def test_bulk_action_forms_and_searches_with_ugly_values_change_nothing(people):
    trainee = people["trainee"]
    before = state_of(trainee)
    client = client_for(people["facilitator"])
    for action in ACTIONS:
        for value in UGLY:
            if action != "delete":
                url = bulk_url(action, [trainee.pk])
                response = client.post(url, {"role": value, "mark_as_active": value})
                # The form again, with its error.
                assert response.status_code == 200, (action, value[:20])
            # Select-all on a list searched for anything.
            response = client.get(bulk_url(action, ["all"], q=value))
            assert response.status_code in (200, 404), (action, value[:20])
    # A next address off the site is not followed.
    response = client.post(
        BULK.format(action="set_active_state")
        + f"?next=https://contoh.invalid/&id={trainee.pk}",
        {"mark_as_active": "True"},
    )
    assert response.status_code == 302
    assert "contoh.invalid" not in response["Location"]
    assert state_of(trainee) == before


def test_ugly_account_choices_for_a_temporary_password_or_slip_change_nothing(
    people,
):
    client = client_for(people["facilitator"])
    job = import_people(client, 2)
    url = f"/admin/orang/impor/{job.pk}/"
    before = dict(
        User.objects.filter(pk__in=job.created_accounts).values_list("pk", "password")
    )
    first = str(job.created_accounts[0])
    for value in UGLY:
        for data in [
            {"akun": value},
            {"slip": "1", "akun": value},
            {"slip": value, "akun": [first, value]},
        ]:
            response = client.post(url, data)
            assert response.status_code == 200, (data, value[:20])
            assert response["Content-Type"].startswith("text/html")
            page = response.content.decode()
            assert (
                "Pilih akun dari daftar" in page
                or "tidak dibuat oleh impor ini" in page
                or "Pilih minimal satu akun" in page
            ), value[:20]
    after = dict(
        User.objects.filter(pk__in=job.created_accounts).values_list("pk", "password")
    )
    assert after == before


@pytest.mark.parametrize("who", ["facilitator", "coordinator", "partner"])
def test_ugly_cohorts_for_an_import_are_refused_and_import_nobody(people, who):
    client = client_for(people[who])
    accounts = User.objects.count()
    # An empty cohort is "none", which a facilitator may choose.
    sheet = f"{','.join(COLUMNS)}\nkohort-jelek,Orang,,Peserta,,,,,,,,,\n".encode()
    values = [value for value in UGLY if value]
    if who == "partner":
        # Another organisation's cohort, which she may see but not enrol into.
        values.append(str(people["trainee"].enrolments.get().cohort_id))
    for value in values:
        response = client.post(
            "/admin/orang/impor/",
            {"sheet": SimpleUploadedFile("o.csv", sheet), "cohort": value},
        )
        assert response.status_code == 200, value[:20]
        page = response.content.decode()
        assert (
            "Masukkan pilihan yang valid" in page
            or "Karakter null tidak diizinkan" in page
        ), value[:20]
    assert User.objects.count() == accounts
    assert not PeopleImport.objects.exists()


def test_the_staff_sign_in_answers_ugly_names_and_addresses(people):
    for value in UGLY:
        client = Client()
        response = client.post(SIGN_IN, {"username": value, "password": value})
        assert response.status_code in (200, 403), value[:20]
        assert client.get(SIGN_IN, {"next": value}).status_code == 200
    client = Client()
    response = client.post(
        SIGN_IN + "?next=https://contoh.invalid/",
        {"username": "uji-fasilitator", "password": "kata-sandi-uji-123"},
    )
    assert response.status_code == 302
    assert "contoh.invalid" not in response["Location"]


# --- the first-run checklist's actions ---------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "trainee", "facilitator", "partner"])
def test_those_without_the_checklist_neither_hide_it_nor_load_anything(people, who):
    client = client_for(people[who])
    for url in ["/admin/langkah-pertama/sembunyikan/", "/admin/materi-contoh/muat/"]:
        assert client.get(url).status_code in (302, 405)
        assert client.post(url).status_code == 302
    person = people[who]
    if person is not None:
        assert not is_dismissed(User.objects.get(pk=person.pk))
    assert not SampleCurriculumLoad.objects.exists()


# --- twenty at once -----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrated_data")
def test_twenty_slip_presses_at_once_leave_one_working_password_each():
    facilitator = user_with_roles(
        Role.FASILITATOR,
        username="fasilitator-cetak",
        organisation=OrganisationFactory(short_name="CETAK"),
    )
    job = import_people(client_for(facilitator), 3)
    data = {"slip": "1", "akun": [str(pk) for pk in job.created_accounts]}
    url = f"/admin/orang/impor/{job.pk}/"

    answers = all_at_once(
        [
            lambda client=client: client.post(url, data)
            for client in signed_in_clients(facilitator, 20)
        ]
    )

    assert [getattr(answer, "status_code", answer) for answer in answers] == [200] * 20
    printed = [slips_in(answer) for answer in answers]
    for position, pk in enumerate(job.created_accounts):
        account = User.objects.get(pk=pk)
        working = [
            slips[position]["password"]
            for slips in printed
            if account.check_password(slips[position]["password"])
        ]
        # One press won: its slips work, and every PDF was whole.
        assert len(working) == 1
        assert account.must_change_password


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrated_data")
def test_twenty_dismissals_at_once_hide_the_checklist_once():
    coordinator = user_with_roles(Role.KOORDINATOR, username="koordinator-sembunyi")
    answers = all_at_once(
        [
            lambda client=client: (
                client.post("/admin/langkah-pertama/sembunyikan/").status_code
            )
            for client in signed_in_clients(coordinator, 20)
        ]
    )
    assert answers == [302] * 20
    assert is_dismissed(User.objects.get(pk=coordinator.pk))


# --- the hand-over follows the account, not only the import ---------------------------


@pytest.mark.parametrize("promotion", ["superuser", "koordinator"])
def test_an_account_promoted_after_the_import_is_no_longer_the_importers_to_hand_over(
    people, promotion
):
    """Made as a trainee, then (before its first sign-in) made a superuser or a
    coordinator by someone else: a temporary password from the importer would
    hand her an account above her own."""
    client = client_for(people["facilitator"])
    job = import_people(client, 1)
    [pk] = job.created_accounts
    account = User.objects.get(pk=pk)
    if promotion == "superuser":
        User.objects.filter(pk=pk).update(is_superuser=True)
    else:
        account.groups.add(Group.objects.get(name=Role.KOORDINATOR.value))
    before = User.objects.get(pk=pk).password
    url = f"/admin/orang/impor/{job.pk}/"
    for data in [{"akun": str(pk)}, {"slip": "1", "akun": str(pk)}]:
        response = client.post(url, data)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        assert "tidak dapat kamu serahkan" in response.content.decode()
    assert User.objects.get(pk=pk).password == before


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrated_data")
def test_twenty_deletions_of_one_trainee_at_once_all_land_on_the_list():
    """A double click on "delete" sent the second press to a 404 page.

    Only superusers may delete accounts."""
    superuser = UserFactory(username="super-hapus", is_superuser=True, is_staff=True)
    trainee = user_with_roles(Role.PESERTA, username="peserta-hapus")
    url = bulk_url("delete", [trainee.pk])

    answers = all_at_once(
        [
            lambda client=client: client.post(url)
            for client in signed_in_clients(superuser, 20)
        ]
    )

    assert [(answer.status_code, answer["Location"]) for answer in answers] == [
        (302, "/admin/users/")
    ] * 20
    assert not User.objects.filter(pk=trainee.pk).exists()
    # And once more, after the fact: the same answer.
    assert_nothing_changed_said(client_for(superuser).post(url))
