import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel

# Letters and digits nobody reads wrongly off paper (no 0/O, 1/I/L, 8/B, 5/S).
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY234679"
CODE_LENGTH = 20  # 26**20 ≈ 2**94: not guessed, even a million tries a day


def new_certificate_code() -> str:
    """A long random verification code, e.g. ``KQ7M-4XTR-…`` without the dashes."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class CertificationRule(ClusterableModel):
    """What a trainee of one programme must have done to be certified.

    A programme without a row uses the defaults below (every condition on).
    """

    programme = models.OneToOneField(
        "learning.Programme",
        verbose_name=_("program"),
        on_delete=models.CASCADE,
        related_name="certification_rule",
    )
    require_core_modules = models.BooleanField(
        _("modul inti selesai dan kuis dinilai lulus"), default=True
    )
    require_competencies = models.BooleanField(
        _("kompetensi pada tingkat kompeten"), default=True
    )
    competencies = ParentalManyToManyField(
        "assessments.Competency",
        verbose_name=_("kompetensi yang disyaratkan"),
        blank=True,
        related_name="+",
        help_text=_("Kosongkan untuk mensyaratkan semua kompetensi kerangka."),
    )
    require_magang_hours = models.BooleanField(
        _("jam magang terverifikasi"), default=True
    )
    min_magang_hours = models.PositiveSmallIntegerField(
        _("jam magang paling sedikit"),
        default=40,
        validators=[MinValueValidator(1), MaxValueValidator(2000)],
    )
    require_practice_cases = models.BooleanField(
        _("kasus praktik yang sudah ditinjau"), default=True
    )
    min_practice_cases = models.PositiveSmallIntegerField(
        _("kasus praktik paling sedikit"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    require_workshop_attendance = models.BooleanField(
        _("kehadiran di lokakarya program"), default=True
    )
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("kehadiran paling sedikit (% hari)"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    validity_months = models.PositiveSmallIntegerField(
        _("masa berlaku (bulan)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text=_("Kosongkan bila sertifikat berlaku tanpa batas waktu."),
    )
    renewal_modules = ParentalManyToManyField(
        "modules.ModulePage",
        verbose_name=_("modul penyegaran yang memperpanjang"),
        blank=True,
        related_name="+",
        help_text=_(
            "Kosongkan agar semua modul penyegaran program ini memperpanjang "
            "masa berlaku."
        ),
    )
    signatories = models.TextField(
        _("penanda tangan"),
        blank=True,
        help_text=_("Satu per baris: nama, koma, jabatan dan lembaga."),
    )
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    panels = [
        FieldPanel("programme"),
        MultiFieldPanel(
            [
                FieldPanel("require_core_modules"),
                FieldRowPanel(
                    [
                        FieldPanel("require_competencies"),
                        FieldPanel("competencies"),
                    ]
                ),
                FieldRowPanel(
                    [
                        FieldPanel("require_magang_hours"),
                        FieldPanel("min_magang_hours"),
                    ]
                ),
                FieldRowPanel(
                    [
                        FieldPanel("require_practice_cases"),
                        FieldPanel("min_practice_cases"),
                    ]
                ),
                FieldRowPanel(
                    [
                        FieldPanel("require_workshop_attendance"),
                        FieldPanel("min_attendance_percent"),
                    ]
                ),
            ],
            heading=_("Syarat"),
        ),
        MultiFieldPanel(
            [FieldPanel("validity_months"), FieldPanel("renewal_modules")],
            heading=_("Masa berlaku dan penyegaran"),
        ),
        FieldPanel("signatories"),
    ]

    class Meta:
        verbose_name = _("aturan sertifikasi")
        verbose_name_plural = _("aturan sertifikasi")

    def __str__(self) -> str:
        return str(_("Aturan sertifikasi %(programme)s")) % {
            "programme": self.programme
        }

    @property
    def signatory_lines(self) -> list[tuple[str, str]]:
        """(name, position) for each non-empty line of `signatories`."""
        lines = []
        for line in self.signatories.splitlines():
            name, _comma, position = line.partition(",")
            if name.strip():
                lines.append((name.strip()[:120], position.strip()[:200]))
        return lines


class Certificate(models.Model):
    """A certificate that one person completed one programme's training.

    What it rests on (names, competencies, hours) is copied in when it is
    issued, so the certificate reads the same however the records change.
    """

    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pemegang"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    programme = models.ForeignKey(
        "learning.Programme",
        verbose_name=_("program"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    cohort = models.ForeignKey(
        "learning.Cohort",
        verbose_name=_("angkatan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    code = models.CharField(
        _("kode verifikasi"),
        max_length=32,
        unique=True,
        default=new_certificate_code,
        editable=False,
    )
    holder_name = models.CharField(_("nama pada sertifikat"), max_length=300)
    programme_name = models.CharField(_("nama program"), max_length=200)
    organisation_names = models.CharField(_("lembaga penerbit"), max_length=600)
    training_started_on = models.DateField(_("pelatihan mulai"), null=True)
    training_ended_on = models.DateField(_("pelatihan selesai"), null=True)
    # {"competencies": [names], "hours": minutes, "cases": n,
    #  "attendance_percent": n, "modules": [titles]}
    basis = models.JSONField(_("dasar penerbitan"), default=dict, blank=True)
    signatories = models.JSONField(_("penanda tangan"), default=list, blank=True)
    issued_on = models.DateField(_("tanggal terbit"), default=timezone.localdate)
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diterbitkan oleh"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("dicatat"), default=timezone.now)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicabut oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revocation_reason = models.TextField(_("alasan pencabutan"), blank=True)
    # Set when the holder's personal data is erased: the public page then
    # says only that the certificate can no longer be verified.
    unverifiable_since = models.DateTimeField(
        _("tidak dapat diverifikasi sejak"), null=True, blank=True
    )
    # The reminder for the validity that ends on this date was sent.
    reminded_for = models.DateField(_("pengingat terkirim untuk"), null=True)
    pdf = models.FileField(_("berkas PDF"), upload_to="sertifikat/", blank=True)
    pdf_built_at = models.DateTimeField(_("PDF dibuat"), null=True, blank=True)

    class Meta:
        verbose_name = _("sertifikat")
        verbose_name_plural = _("sertifikat")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            # Issuing twice makes one certificate; after a revocation a new
            # one may be issued.
            models.UniqueConstraint(
                fields=["holder", "programme"],
                condition=Q(revoked_at__isnull=True),
                name="one_standing_certificate_per_programme",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_until__gte=models.F("issued_on")),
                name="certificate_valid_after_issue",
            ),
        ]
        indexes = [models.Index(fields=["valid_until"], name="certificate_valid_idx")]

    def __str__(self) -> str:
        return f"{self.holder_name} · {self.programme_name} · {self.issued_on:%Y}"


class CertificateRenewal(models.Model):
    """One extension of a certificate's validity, earned by refresher modules."""

    certificate = models.ForeignKey(
        Certificate,
        verbose_name=_("sertifikat"),
        on_delete=models.CASCADE,
        related_name="renewals",
    )
    renewed_on = models.DateField(_("tanggal perpanjangan"), default=timezone.localdate)
    previous_valid_until = models.DateField(_("sebelumnya berlaku sampai"))
    valid_until = models.DateField(_("kini berlaku sampai"))
    # Titles of the refresher modules completed for this renewal.
    modules = models.JSONField(_("modul penyegaran"), default=list, blank=True)

    class Meta:
        verbose_name = _("perpanjangan sertifikat")
        verbose_name_plural = _("perpanjangan sertifikat")
        ordering = ["certificate", "renewed_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "previous_valid_until"],
                name="one_renewal_per_validity",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__gt=models.F("previous_valid_until")),
                name="renewal_extends",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.certificate} → {self.valid_until}"
