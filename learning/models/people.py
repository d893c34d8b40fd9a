from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import Role


class User(AbstractUser):
    """A person who signs in with a username; what they may do comes from roles.

    Many trainees have no e-mail address, so it stays optional, and a
    facilitator can give them a one-time password instead of a reset link.
    """

    email = models.EmailField(_("alamat email"), blank=True)
    must_change_password = models.BooleanField(
        _("harus mengganti kata sandi"),
        default=False,
        help_text=_(
            "Diisi saat fasilitator memberi kata sandi sementara: orang ini harus "
            "membuat kata sandi sendiri sebelum memakai situs."
        ),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("akun")
        verbose_name_plural = _("akun")
        permissions = [
            (
                "set_one_time_password",
                _("Dapat memberi kata sandi sementara kepada peserta"),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def roles(self) -> list[Role]:
        """The person's roles, in the order Role declares them."""
        names = {group.name for group in self.groups.all()}
        return [role for role in Role if role.value in names]

    def has_role(self, role: Role) -> bool:
        return role in self.roles
