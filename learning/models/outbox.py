from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """A Celery task asked for in a committed transaction, kept until the broker has it.

    Written in the same transaction as the record the task serves (so a
    rollback takes it back, and a broker outage loses nothing); `sent_at` is
    set once the broker took it. See `learning.outbox`.
    """

    task_name = models.CharField(_("tugas"), max_length=200)
    args = models.JSONField(_("argumen"), default=list, blank=True)
    kwargs = models.JSONField(_("argumen bernama"), default=dict, blank=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    sent_at = models.DateTimeField(_("diserahkan"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("percobaan"), default=0)
    last_error = models.CharField(_("galat terakhir"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("pesan tugas tertunda")
        verbose_name_plural = _("pesan tugas tertunda")
        ordering = ["created_at", "pk"]
        indexes = [
            # The relay reads only what is still waiting, oldest first.
            models.Index(
                fields=["created_at", "id"],
                condition=models.Q(sent_at__isnull=True),
                name="outbox_unsent_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_name} #{self.pk}"
