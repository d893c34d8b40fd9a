"""Twenty at once: one enrolment code confirms one device, one recovery code
or one app code signs in once.

Runs on SQLite in `make test` and on PostgreSQL in CI (DATABASE_URL), each
request in its own thread and database connection, released together.
"""

import pytest
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from learning import second_factor, views_second_factor
from learning.choices import AuditAction, Role
from learning.models import AuditEvent
from tests.concurrency import all_at_once, signed_in_clients
from tests.factories import user_with_roles
from tests.learning.test_second_factor import ENROL, VERIFY, code_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]

COPIES = 20


@pytest.fixture(autouse=True)
def _no_attempt_limit(monkeypatch):
    """Every copy reaches the rule; the throttle is tested on its own."""
    monkeypatch.setattr(views_second_factor, "ATTEMPTS_PER_ADDRESS", 1000)
    monkeypatch.setattr(views_second_factor, "ATTEMPTS_PER_PERSON", 1000)


@pytest.fixture
def staff():
    return user_with_roles(Role.FASILITATOR, username="balapan-fasilitator")


def test_twenty_confirmations_at_once_make_one_device(staff):
    device = second_factor.pending_device(user=staff)
    code = code_for(device)
    clients = signed_in_clients(staff, COPIES)
    answers = all_at_once(
        [
            lambda client=client: client.post(ENROL, {"kode": code}).content.decode()
            for client in clients
        ]
    )
    shown = [page for page in answers if "hanya tampil sekali ini" in page]
    assert len(shown) == 1, answers[:2]
    assert TOTPDevice.objects.filter(user=staff, confirmed=True).count() == 1
    assert TOTPDevice.objects.filter(user=staff).count() == 1
    assert StaticDevice.objects.filter(user=staff).count() == 1
    assert StaticToken.objects.filter(device__user=staff).count() == 10
    assert (
        AuditEvent.objects.filter(action=AuditAction.SECOND_FACTOR_ADDED).count() == 1
    )


def test_twenty_uses_of_one_recovery_code_sign_in_once(staff):
    _device, codes = second_factor.confirm_enrolment(
        user=staff, code=code_for(second_factor.pending_device(user=staff))
    )
    clients = signed_in_clients(staff, COPIES)
    answers = all_at_once(
        [
            lambda client=client: client.post(VERIFY, {"kode": codes[0]}).status_code
            for client in clients
        ]
    )
    assert sorted(answers) == [200] * (COPIES - 1) + [302]
    assert second_factor.recovery_codes_left(staff) == 9
    verified = [
        client for client in clients if client.get("/admin/").status_code == 200
    ]
    assert len(verified) == 1


def test_twenty_uses_of_one_app_code_sign_in_once(staff):
    device, _codes = second_factor.confirm_enrolment(
        user=staff, code=code_for(second_factor.pending_device(user=staff))
    )
    code = code_for(device, 1)
    clients = signed_in_clients(staff, COPIES)
    answers = all_at_once(
        [
            lambda client=client: client.post(VERIFY, {"kode": code}).status_code
            for client in clients
        ]
    )
    assert sorted(answers) == [200] * (COPIES - 1) + [302]
