from django.utils.translation import gettext_lazy as _

from learning.stamps import Stamp


class ContentStamp(Stamp):
    """One row for each change to what lessons show: the newest rows' tokens
    name the content as it stands (see `modules.content_cache`).

    Rows are only ever added, never updated, so two editors publishing at once
    do not wait on one another; the token is random, so a change that was
    rolled back never leaves its token for a later change to reuse.
    """

    class Meta:
        verbose_name = _("cap isi")
        verbose_name_plural = _("cap isi")
