"""The audit trail's lines for account acts: temporary passwords, people
imports, roles and organisation changed in the people screens.

Each act writes exactly one line (one per account for many at once) naming
who, whose account and, where the person is in one programme, the
programme; never a password. A refused or rolled-back act leaves none.
"""

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

import pytest

from learning import audit
from learning.accounts import issue_one_time_password
from learning.choices import AuditAction, Role
from learning.models import AuditEvent, PeopleImport, Programme, User
from learning.people_sheet import COLUMNS
from tests.factories import OrganisationFactory, user_with_roles
from tests.factories.people import client_for

pytestmark = pytest.mark.django_db

HEADER = ",".join(COLUMNS)
ROW = "paralegal-oelet,Rut,,Peserta,,,Oelet,TTS,P,,,,"


class Boom(Exception):
    pass


def only_line() -> AuditEvent:
    [line] = AuditEvent.objects.all()
    return line


@pytest.fixture
def programme(coordinator):
    return Programme.objects.get(coordinators=coordinator)


# --- temporary passwords -------------------------------------------------------


def test_a_temporary_password_writes_one_line_without_the_password(
    facilitator, trainee, programme
):
    password = issue_one_time_password(account=trainee, issued_by=facilitator)
    line = only_line()
    assert line.action == AuditAction.TEMPORARY_PASSWORD
    assert (line.actor, line.subject, line.programme) == (
        facilitator,
        trainee,
        programme,
    )
    everything = f"{line.target_label} {line.detail} {line.actor_label}"
    assert password not in everything


def test_the_password_page_keeps_the_address(facilitator, trainee, coordinator):
    client = client_for(facilitator)
    response = client.post(
        "/admin/akun/kata-sandi-sementara/",
        {"account": trainee.pk},
        REMOTE_ADDR="198.51.100.7",
    )
    assert response.status_code == 200
    line = only_line()
    assert line.subject == trainee and line.address == "198.51.100.7"


def test_a_refused_temporary_password_writes_no_line(facilitator):
    stranger = user_with_roles(
        Role.PESERTA, organisation=OrganisationFactory(short_name="JAUH")
    )
    with pytest.raises(PermissionDenied):
        issue_one_time_password(account=stranger, issued_by=facilitator)
    assert not AuditEvent.objects.exists()


def test_a_temporary_password_rolled_back_leaves_no_line_and_the_old_password(
    facilitator, trainee, monkeypatch, password
):
    real = audit.record

    def record(*args, **kwargs):
        real(*args, **kwargs)
        raise Boom

    monkeypatch.setattr(audit, "record", record)
    with pytest.raises(Boom):
        issue_one_time_password(account=trainee, issued_by=facilitator)
    assert not AuditEvent.objects.exists()
    trainee.refresh_from_db()
    assert trainee.check_password(password) and not trainee.must_change_password


# --- people import -----------------------------------------------------------------


def test_an_import_writes_one_line_and_its_slips_one_per_account(
    facilitator, coordinator, programme
):
    cohort = programme.cohorts.get()
    client = client_for(facilitator)
    upload = SimpleUploadedFile("orang.csv", f"{HEADER}\n{ROW}".encode())
    page = client.post(
        "/admin/orang/impor/", {"sheet": upload, "cohort": cohort.pk}, follow=True
    ).content.decode()
    assert "1 akun dibuat" in page
    line = only_line()
    assert line.action == AuditAction.PEOPLE_IMPORTED
    assert line.actor == facilitator and line.programme == programme
    assert line.detail["created"] == 1
    oelet = User.objects.get(username="paralegal-oelet")
    job = PeopleImport.objects.get()
    issued = client.post(f"/admin/orang/impor/{job.pk}/", {"akun": oelet.pk})
    assert "Hanya tampil sekali ini" in issued.content.decode()
    slip = AuditEvent.objects.get(action=AuditAction.TEMPORARY_PASSWORD)
    assert (slip.actor, slip.subject, slip.programme) == (
        facilitator,
        oelet,
        programme,
    )


def test_a_refused_import_writes_no_line(facilitator):
    client = client_for(facilitator)
    bad = SimpleUploadedFile("orang.csv", f"{HEADER}\n,,,Peserta,,,,,,,,,".encode())
    client.post("/admin/orang/impor/", {"sheet": bad}, follow=True)
    assert not AuditEvent.objects.exists()


# --- roles and organisation --------------------------------------------------------


def account_data(person, **overrides):
    data = {
        "username": person.username,
        "first_name": person.first_name or "Nama",
        "last_name": "",
        "email": "",
        "password1": "",
        "password2": "",
        "groups": [group.pk for group in person.groups.all()] if person.pk else [],
        "organisation": person.organisation_id or "",
        "village": "",
        "sex": "P",
        "birth_year": "1990",
        "phone": "",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def group_id(role) -> int:
    return Group.objects.get(name=role.value).pk


def test_a_role_change_in_the_people_screen_writes_one_line_with_the_roles(
    facilitator, trainee, coordinator
):
    client = client_for(coordinator)
    response = client.post(
        f"/admin/users/edit/{trainee.pk}/",
        account_data(trainee, groups=[group_id(Role.ALUMNI)]),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    line = only_line()
    assert line.action == AuditAction.ROLES_CHANGED
    assert line.actor == coordinator and line.subject == trainee
    assert line.detail["added"] == [Role.ALUMNI.value]
    assert line.detail["removed"] == [Role.PESERTA.value]
    assert "password" not in str(line.detail).lower()


def test_an_organisation_change_writes_one_scope_line(trainee, coordinator):
    elsewhere = OrganisationFactory(short_name="BARU")
    client = client_for(user_with_roles(username="akar", is_superuser=True))
    response = client.post(
        f"/admin/users/edit/{trainee.pk}/",
        account_data(trainee, organisation=elsewhere.pk),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    line = only_line()
    assert line.action == AuditAction.SCOPE_CHANGED
    assert line.detail == {
        "organisation_before": trainee.organisation_id,
        "organisation_after": elsewhere.pk,
    }


def test_saving_an_account_unchanged_writes_nothing(trainee, coordinator):
    client = client_for(coordinator)
    response = client.post(f"/admin/users/edit/{trainee.pk}/", account_data(trainee))
    assert response.status_code == 302
    assert not AuditEvent.objects.exists()


def test_a_refused_role_change_writes_nothing(facilitator, trainee, coordinator):
    client = client_for(facilitator)
    client.post(
        f"/admin/users/edit/{trainee.pk}/",
        account_data(trainee, groups=[group_id(Role.KOORDINATOR)]),
    )
    trainee.refresh_from_db()
    assert trainee.roles == [Role.PESERTA]
    assert not AuditEvent.objects.exists()


def test_a_new_account_writes_its_roles(facilitator, organisation):
    client = client_for(facilitator)
    response = client.post(
        "/admin/users/new/",
        {
            **account_data(
                User(username="paralegal-baru", first_name="Kristina"),
                groups=[group_id(Role.PESERTA)],
                organisation=organisation.pk,
            ),
            "password1": "lontar-sabu-2026",
            "password2": "lontar-sabu-2026",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person = User.objects.get(username="paralegal-baru")
    lines = {line.action: line for line in AuditEvent.objects.all()}
    assert lines[AuditAction.ROLES_CHANGED].detail["added"] == [Role.PESERTA.value]
    assert lines[AuditAction.ROLES_CHANGED].detail["created"] is True
    assert lines[AuditAction.SCOPE_CHANGED].subject == person
    assert "lontar" not in str([line.detail for line in lines.values()])


def test_taking_a_trainee_out_of_a_cohort_writes_one_scope_line(signed_in):
    from tests.learning.test_cohort_changes import cohort_form, consortium

    world = consortium.__wrapped__()
    cohort, teacher = world["cohort"], world["teacher"]
    before = set(cohort.enrolments.values_list("trainee", flat=True))
    first = cohort.enrolments.order_by("pk")[:1]
    response = signed_in(teacher).post(
        f"/admin/cohort/edit/{cohort.pk}/",
        cohort_form(cohort, facilitators=[teacher], enrolments=list(first)),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    [gone] = before - set(cohort.enrolments.values_list("trainee", flat=True))
    line = only_line()
    assert line.action == AuditAction.SCOPE_CHANGED
    assert line.subject.pk == gone and line.actor == teacher
    assert line.programme == cohort.programme
    assert line.detail == {"cohort": cohort.pk, "change": "unenrolled"}
