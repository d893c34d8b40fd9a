from django.db import models
from django.utils.translation import gettext_lazy as _


class ContentStamp(models.Model):
    """One row for each change to what lessons show: the newest row's token
    names the content as it stands (see `modules.content_cache`).

    Rows are only ever added, never updated, so two editors publishing at once
    do not wait on one another; the token is random, so a change that was
    rolled back never leaves its token for a later change to reuse.
    """

    token = models.BigIntegerField(_("token"))
    made_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("cap isi")
        verbose_name_plural = _("cap isi")

    def __str__(self) -> str:
        return f"{self.pk}: {self.token}"
