"""Rules about accounts that the views, the admin and the API share."""

import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from . import audit
from .choices import AuditAction, Role
from .models import User
from .scope import accounts_manageable_by

# Easy to read aloud and to type on a phone keyboard: no 0/O, 1/l/I.
_ONE_TIME_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def generate_one_time_password(*, length: int = 10) -> str:
    """A random password, grouped in fives so it can be read out or written down."""
    raw = "".join(secrets.choice(_ONE_TIME_ALPHABET) for _ in range(length))
    return "-".join(raw[i : i + 5] for i in range(0, length, 5))


@transaction.atomic
def issue_one_time_password(*, account: User, issued_by: User) -> str:
    """Give `account` a password it must replace at its next sign-in.

    For trainees without e-mail: a facilitator reads it to them or writes it
    down. Returns the password; it is stored only as a hash.
    """
    if not issued_by.has_perm("learning.set_one_time_password"):
        raise PermissionDenied(_("Kamu tidak berhak memberi kata sandi sementara."))
    if not accounts_manageable_by(issued_by).filter(pk=account.pk).exists():
        raise PermissionDenied(_("Akun ini berada di luar wewenang kamu."))
    password = generate_one_time_password()
    account.set_password(password)
    account.must_change_password = True
    with transaction.atomic():
        account.save(update_fields=["password", "must_change_password"])
        # Who gave whom a password, never the password.
        audit.record(
            AuditAction.TEMPORARY_PASSWORD,
            actor=issued_by,
            target=account,
            target_label=account.username,
            subject=account,
            programme=audit.programme_of(account),
        )
    return password


def grantable_roles(actor: User) -> list[str]:
    """Roles `actor` may give: nobody hands out more than they should."""
    if actor.is_superuser:
        return [role.value for role in Role]
    if Role.KOORDINATOR in actor.roles:
        return [Role.PESERTA.value, Role.ALUMNI.value, Role.FASILITATOR.value]
    return [Role.PESERTA.value, Role.ALUMNI.value]


def bulk_account_change_refusal(
    *, actor: User, people: list[User], role: str | None = None
) -> str | None:
    """Why `actor` may not change these accounts together, or None if she may.

    Wagtail's bulk actions on the people list (give a role, activate or
    deactivate, delete) ask only the model permission; this is the scope rule
    for them: every account must be one `actor` manages, and a role given
    must be one she may give. Superusers are Wagtail's own rule.
    """
    if actor.is_superuser:
        return None
    manageable = set(
        accounts_manageable_by(actor)
        .filter(pk__in=[person.pk for person in people])
        .values_list("pk", flat=True)
    )
    if any(person.pk not in manageable for person in people):
        # Named nowhere: these may be people she may not even see.
        return _(
            "Tidak ada yang diubah: sebagian orang yang dipilih berada di luar "
            "wewenang kamu."
        )
    if role is not None and role not in grantable_roles(actor):
        return _("Tidak ada yang diubah: kamu tidak dapat memberi peran %(role)s.") % {
            "role": role
        }
    return None
