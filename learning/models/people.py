from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import AppName, RegionLevel, Role, Sex


def validate_birth_year(value: int) -> None:
    latest = timezone.localdate().year - 12
    if not 1930 <= value <= latest:
        raise ValidationError(
            _("Tahun lahir harus antara 1930 dan %(latest)s."),
            params={"latest": latest},
        )


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

    organisation = models.ForeignKey(
        "learning.Organisation",
        verbose_name=_("lembaga"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    village = models.ForeignKey(
        "learning.Region",
        verbose_name=_("desa/kelurahan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to={"level": RegionLevel.DESA},
        related_name="+",
    )
    sex = models.CharField(
        _("jenis kelamin"), max_length=1, choices=Sex.choices, blank=True
    )
    birth_year = models.PositiveSmallIntegerField(
        _("tahun lahir"),
        null=True,
        blank=True,
        validators=[validate_birth_year],
    )
    phone = models.CharField(
        _("nomor HP"),
        max_length=16,
        blank=True,
        validators=[
            RegexValidator(
                r"^\+62[0-9]{8,13}$", _("Nomor HP disimpan dalam bentuk +62…")
            )
        ],
        help_text=_("Boleh kosong. Ditulis 0812… atau +62812…; disimpan sebagai +62…"),
    )
    app_name = models.CharField(
        _("nama aplikasi di ponsel"),
        max_length=12,
        choices=AppName.choices,
        default=AppName.PENDAMPING,
        help_text=_(
            "Dipilih orang ini sendiri di halaman akun; dipasang lagi di ponsel "
            "tempat ia masuk."
        ),
    )
    # The version of the privacy notice this person last accepted (its
    # history: PrivacyConsent). Kept here too so that the check before every
    # page reads the user already loaded and costs no query.
    privacy_notice_version = models.CharField(
        _("versi pemberitahuan privasi yang disetujui"), max_length=20, blank=True
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
        """The person's roles, in the order Role declares them.

        The groups are fetched once per instance (a request's user is one
        instance) and kept in Django's prefetch cache, which adding or removing
        a group through `user.groups` clears.
        """
        if "groups" not in getattr(self, "_prefetched_objects_cache", {}):
            if self.pk is None:
                return []
            prefetch_related_objects([self], "groups")
        groups = self._prefetched_objects_cache["groups"]
        memo = getattr(self, "_roles_memo", None)
        if memo is not None and memo[0] is groups:
            return list(memo[1])
        names = {group.name for group in groups}
        roles = [role for role in Role if role.value in names]
        # Asked several times a request; the same fetched groups, the same roles.
        self._roles_memo = (groups, tuple(roles))
        return roles

    def has_role(self, role: Role) -> bool:
        return role in self.roles
