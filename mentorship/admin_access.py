"""Who works on magang in the admin: facilitators, coordinators, superusers."""

from learning.choices import ADMIN_ROLES


def is_magang_staff(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or ADMIN_ROLES & set(user.roles))
    )
