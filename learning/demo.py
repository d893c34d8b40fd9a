"""Demo data for `make run`: fictional people, safe to load again and again."""

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction

from .choices import Role
from .models import User

DEMO_PASSWORD = "pendamping-demo"  # noqa: S105 - published in README on purpose


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    role: Role


DEMO_ACCOUNTS = [
    DemoAccount("peserta", "Yuliana", "Nenobais", Role.PESERTA),
    DemoAccount("fasilitator", "Marta", "Seran", Role.FASILITATOR),
    DemoAccount("alumni", "Agustina", "Banunaek", Role.ALUMNI),
    DemoAccount("koordinator", "Debora", "Lakapu", Role.KOORDINATOR),
]


@transaction.atomic
def load_demo_accounts() -> list[User]:
    """Create or refresh the demo accounts; running it twice changes nothing more."""
    accounts = []
    for demo in DEMO_ACCOUNTS:
        user, _ = User.objects.update_or_create(
            username=demo.username,
            defaults={
                "first_name": demo.first_name,
                "last_name": demo.last_name,
                "is_active": True,
                "must_change_password": False,
            },
        )
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=demo.role.value))
        accounts.append(user)
    return accounts
