from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.search import index

from learning.choices import RegionLevel

from ..choices import ServiceKind


class ReferralService(index.Indexed, models.Model):
    """A public service a companion refers victims to (direktori layanan rujukan).

    A shelter (rumah aman) is never listed with an address or phone of its
    own: companions' homes serve as shelters, so it is reached only through
    the organisation named here.
    """

    name = models.CharField(_("nama layanan"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=20, choices=ServiceKind.choices)
    kabupaten = models.ForeignKey(
        "learning.Region",
        verbose_name=_("kabupaten/kota"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": RegionLevel.KABUPATEN},
        help_text=_("Kosongkan untuk layanan nasional (misalnya SAPA 129, LPSK)."),
    )
    kecamatan_served = models.ManyToManyField(
        "learning.Region",
        verbose_name=_("kecamatan yang dilayani"),
        blank=True,
        related_name="+",
        limit_choices_to={"level": RegionLevel.KECAMATAN},
        help_text=_("Kosongkan bila melayani seluruh kabupaten."),
    )
    address = models.TextField(_("alamat kantor"), blank=True)
    phone = models.CharField(_("telepon"), max_length=40, blank=True)
    opening_hours = models.CharField(_("jam layanan"), max_length=200, blank=True)
    notes = models.TextField(_("catatan"), blank=True)
    reach_through = models.ForeignKey(
        "learning.Organisation",
        verbose_name=_("dihubungi melalui lembaga"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Untuk rumah aman: lembaga yang menghubungkan korban ke sana."),
    )
    last_verified = models.DateField(_("terakhir diperiksa"), null=True, blank=True)
    is_sample = models.BooleanField(
        _("contoh"),
        default=False,
        help_text=_("Data contoh untuk demo: bukan layanan yang sudah diperiksa."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("kind"),
        MultiFieldPanel(
            [FieldPanel("kabupaten"), FieldPanel("kecamatan_served")],
            heading=_("Wilayah layanan"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldPanel("phone"),
                FieldPanel("opening_hours"),
                FieldPanel("reach_through"),
            ],
            heading=_("Cara menghubungi"),
            help_text=_(
                "Rumah aman: kosongkan alamat dan telepon, isi lembaga yang "
                "menghubungkan korban ke sana."
            ),
        ),
        FieldPanel(
            "notes",
            help_text=_(
                "Tampil untuk semua pengguna. Untuk rumah aman jangan tulis alamat, "
                "arah jalan, nama pemilik rumah atau nomor telepon."
            ),
        ),
        FieldPanel("last_verified"),
        FieldPanel("is_sample"),
    ]

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("notes"),
        index.SearchField("opening_hours"),
        index.FilterField("kind"),
        index.FilterField("kabupaten_id"),
    ]

    class Meta:
        verbose_name = _("layanan rujukan")
        verbose_name_plural = _("direktori layanan rujukan")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind=ServiceKind.SHELTER)
                | (models.Q(address="") & models.Q(phone="")),
                name="shelter_has_no_address_or_phone",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_shelter(self) -> bool:
        return self.kind == ServiceKind.SHELTER

    def clean(self):
        super().clean()
        if self.is_shelter:
            errors = {}
            if self.address.strip():
                errors["address"] = _(
                    "Rumah aman tidak boleh dicantumkan alamatnya. Tuliskan lembaga "
                    "yang menghubungkan korban ke sana."
                )
            if self.phone.strip():
                errors["phone"] = _(
                    "Rumah aman tidak boleh dicantumkan teleponnya; hubungi lewat "
                    "lembaga."
                )
            if errors:
                raise ValidationError(errors)
