import getpass
import os
import sys

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from learning.celery import make_broker_folders
from learning.choices import Role
from learning.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo_data
from learning.models import User
from learning.site_setup import name_the_site, run_site_setup


class Command(BaseCommand):
    help = (
        "Siapkan situs setelah migrate: muat akun demo (--demo), atau minta akun "
        "koordinator pertama (--no-demo) bila belum ada."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo",
            action="store_true",
            default=False,
            help="Muat akun demo (aman dijalankan berulang).",
        )
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help=(
                "Jangan bertanya; tanpa --demo ambil akun koordinator pertama "
                "dari COORDINATOR_USERNAME dan COORDINATOR_PASSWORD. Tanpa "
                "terminal, atau bila kedua variabel itu terisi, perintah ini "
                "juga tidak bertanya."
            ),
        )

    def handle(self, *args, demo: bool, interactive: bool, **options):
        # The web process hands tasks to the file-system broker too.
        make_broker_folders()
        name_the_site()
        call_command("load_regions", stdout=self.stdout)
        if demo:
            load_demo_data()
            run_site_setup(demo=True)
            self.stdout.write(self.style.SUCCESS(_("Akun demo siap:")))
            for account in DEMO_ACCOUNTS:
                self.stdout.write(
                    f"  {account.username:<12} {DEMO_PASSWORD}   ({account.role.label})"
                )
            return
        run_site_setup(demo=False)
        if User.objects.filter(groups__name=Role.KOORDINATOR.value).exists():
            self.stdout.write(_("Akun koordinator sudah ada; tidak ada yang diubah."))
            return
        username, name, password = self._ask(interactive)
        with transaction.atomic():
            user = User(username=username, first_name=name, is_superuser=True)
            user.set_password(password)
            user.save()
            user.groups.add(Group.objects.get(name=Role.KOORDINATOR.value))
        self.stdout.write(
            self.style.SUCCESS(
                _("Koordinator pertama dibuat: %(username)s. Masuk di /admin/.")
                % {"username": username}
            )
        )

    def _ask(self, interactive: bool) -> tuple[str, str, str]:
        username = os.environ.get("COORDINATOR_USERNAME", "").strip()
        password = os.environ.get("COORDINATOR_PASSWORD", "")
        # A service or a script has no terminal to answer on: input() would
        # die with EOFError, so the account must come from the environment.
        if (username and password) or not interactive or not _has_terminal():
            if not username or not password:
                raise CommandError(self._no_terminal_message(username, password))
            self._check(username, password)
            name = os.environ.get("COORDINATOR_NAME", "").strip() or username
            return username, name, password
        self.stdout.write(_("Belum ada koordinator. Buat akun koordinator pertama."))
        try:
            return self._ask_on_terminal()
        except (EOFError, KeyboardInterrupt) as stopped:
            raise CommandError(
                _("Dibatalkan; belum ada akun koordinator yang dibuat.")
            ) from stopped

    def _ask_on_terminal(self) -> tuple[str, str, str]:
        while True:
            username = input(_("Nama pengguna: ")).strip()
            name = input(_("Nama lengkap: ")).strip() or username
            password = getpass.getpass(_("Kata sandi: "))
            if password != getpass.getpass(_("Ulangi kata sandi: ")):
                self.stderr.write(_("Kedua kata sandi tidak sama. Coba lagi."))
                continue
            try:
                self._check(username, password)
            except CommandError as error:
                self.stderr.write(str(error))
                continue
            return username, name, password

    @staticmethod
    def _no_terminal_message(username: str, password: str) -> str:
        if username and not password:
            missing = _("COORDINATOR_PASSWORD belum diisi.")
        elif password and not username:
            missing = _("COORDINATOR_USERNAME belum diisi.")
        else:
            missing = _("Tidak ada terminal untuk menanyakan akunnya.")
        return " ".join(
            [
                _("Belum ada akun koordinator."),
                missing,
                _(
                    "Isi COORDINATOR_USERNAME dan COORDINATOR_PASSWORD (dan bila "
                    "mau COORDINATOR_NAME), misalnya: COORDINATOR_USERNAME=kantor "
                    "COORDINATOR_PASSWORD='kata sandi panjang' DEMO=0 make run"
                ),
            ]
        )

    def _check(self, username: str, password: str) -> None:
        if not username:
            raise CommandError(_("Nama pengguna tidak boleh kosong."))
        if User.objects.filter(username=username).exists():
            raise CommandError(
                _("Nama pengguna %(username)s sudah dipakai.") % {"username": username}
            )
        try:
            validate_password(password, User(username=username))
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error


def _has_terminal() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()
