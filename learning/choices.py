from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The roles a person can hold; each is a Django group of the same name."""

    PESERTA = "Peserta", _("Peserta")
    FASILITATOR = "Fasilitator", _("Fasilitator")
    ALUMNI = "Alumni", _("Alumni")
    KOORDINATOR = "Koordinator", _("Koordinator")


# Roles whose work happens in the Wagtail admin. Trainees and alumni never see it.
ADMIN_ROLES = frozenset({Role.FASILITATOR, Role.KOORDINATOR})
