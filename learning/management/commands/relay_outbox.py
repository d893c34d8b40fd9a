from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from learning.outbox import relay_pending


class Command(BaseCommand):
    help = _(
        "Serahkan ke broker tugas yang tertunda di outbox (yang terlama dulu). "
        "Beat menjalankannya tiap menit; perintah ini untuk saat tanpa beat."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit",
            type=int,
            default=1000,
            help=_("Paling banyak sekian tugas sekali jalan (bawaan 1000)."),
        )

    def handle(self, *args, limit: int, **options):
        report = relay_pending(limit=limit)
        self.stdout.write(
            _("%(sent)s tugas diserahkan, %(waiting)s masih menunggu.")
            % {"sent": report.sent, "waiting": report.waiting}
        )
