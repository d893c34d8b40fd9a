from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The statuses in which the trainee may still change a record
# (`mentorship.workflow.EDITABLE`, kept here so models import no rule).
EDITABLE = ("draf", "dikembalikan")


class FlowRecord(models.Model):
    """What every record of the shared flow (`mentorship.workflow`) answers."""

    class Meta:
        abstract = True

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE


class FlowEvent(models.Model):
    """One step in a record's history: who did what, when, with what comment.

    Each kind adds the key to its record and its own `action` choices.
    """

    action = models.CharField(_("tindakan"), max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comment = models.TextField(_("komentar"), blank=True)
    at = models.DateTimeField(_("waktu"), default=timezone.now)
    # On a return: what the trainee had written, field by field as shown to
    # the supervisor, so a resubmission can say what changed since.
    version = models.JSONField(_("isi saat dikembalikan"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.at:%d-%m-%Y %H:%M}"

    @property
    def actor_label(self) -> str:
        return self.actor.display_name if self.actor_id else ""
