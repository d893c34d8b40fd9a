"""The throwaway database and the stack over it: gunicorn and a Celery worker.

`BenchStack` makes a throwaway database (PostgreSQL `pendamping_bench`, or a
temporary SQLite file for the embedded set-up), fills it with the demo or the
synthetic province, starts gunicorn and a Celery worker on 127.0.0.1 and stops
them again, whatever happens.
"""

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from .client import LOOPBACK_HOSTS, BenchError, Client, loopback_only

BENCH_DATABASE = "pendamping_bench"
BASE_DIR = Path(__file__).resolve().parent.parent.parent  # where manage.py is
# Every client comes from 127.0.0.1, where a real training room has its own
# addresses: the API's per-address limit would answer 429 and measure nothing.
API_LIMIT_PER_ADDRESS = 10**9
# The office set-up, its file-system queue moved into the benchmark's folder.
EMBEDDED_SETTINGS = '''"""Made by learning.loadbench for one run."""
from learning.settings.office import *  # noqa: F403

CELERY_BROKER_TRANSPORT_OPTIONS = {{
    "data_folder_in": "{folder}/queue",
    "data_folder_out": "{folder}/queue",
    "processed_folder": "{folder}/processed",
    "control_folder": "{folder}/control",
    "store_processed": False,
}}
'''


@dataclass
class Options:
    stack: str = "production"  # or "embedded"
    scale: float = 0.01  # 0: the demo alone
    clients: int = 8
    seconds: float = 20.0
    requests: int | None = None
    database_url: str = ""  # a PostgreSQL server (production)
    redis_url: str = "redis://127.0.0.1:6379"
    redis_db: int = 13  # the broker's; the cache takes the next one
    seed: int = 2026
    keep: bool = False
    ramp: tuple[int, ...] = (1, 2, 4, 8, 16)
    think: float = 1.0


def validate(options: Options) -> None:
    """Refuse what cannot be a bounded run on this machine."""
    if options.stack not in ("production", "embedded"):
        raise BenchError(_("Pilih --stack production atau embedded."))
    if not 0 <= options.scale <= 1:
        raise BenchError(_("Skala harus antara 0 (hanya demo) dan 1."))
    if not 1 <= options.clients <= 64:
        raise BenchError(_("Jumlah klien harus antara 1 dan 64."))
    if not 0 < options.seconds <= 600:
        raise BenchError(
            _("Lama tiap skenario harus lebih dari 0 dan paling lama 600 detik.")
        )
    if options.requests is not None and options.requests < 1:
        raise BenchError(_("Batas permintaan harus paling sedikit 1."))
    if not options.ramp or any(not 1 <= level <= 64 for level in options.ramp):
        raise BenchError(_("Tingkat --ramp harus antara 1 dan 64 orang."))
    if options.think < 0:
        raise BenchError(_("Jeda berpikir tidak boleh negatif."))
    loopback_only(urlsplit(options.redis_url).hostname or "")
    if not 0 <= options.redis_db <= 14:
        raise BenchError(_("--redis-db harus antara 0 dan 14 (tembolok memakai +1)."))
    if options.stack == "production":
        server = urlsplit(options.database_url)
        if server.scheme not in ("postgres", "postgresql", "pgsql"):
            raise BenchError(
                _(
                    "Tumpukan production butuh server PostgreSQL: beri --database-url "
                    "postgres://… (atau DATABASE_URL)."
                )
            )
        loopback_only(server.hostname or "")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class BenchStack:
    """A throwaway database and the stack over it, for the `with` block only.

    Whatever ends the block (the end, an error, Ctrl+C) stops gunicorn and the
    worker, and drops the database and its folder unless `keep`.
    """

    def __init__(self, options: Options, say: Callable[[str], None]):
        self.options = options
        self.say = say
        self.processes: list[subprocess.Popen] = []
        self.password = secrets.token_urlsafe(18)
        self.database_made = False

    # The environment every process of the stack gets, and nothing else of ours.
    def _environment(self) -> dict[str, str]:
        options = self.options
        environment = {
            key: value
            for key, value in os.environ.items()
            if key not in ("CACHE_URL", "PENDAMPING_TEST_DB", "PYTHONPATH")
        }
        environment.update(
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS=",".join(LOOPBACK_HOSTS),
            STATIC_ROOT=str(self.folder / "static"),
            MEDIA_ROOT=str(self.folder / "media"),
            BACKUP_DIR=str(self.folder / "backups"),
            EMAIL_URL="consolemail://",
            LOG_LEVEL="WARNING",
            PENDAMPING_API_LIMIT_PER_ADDRESS=str(API_LIMIT_PER_ADDRESS),
            PENDAMPING_BENCH_PASSWORD=self.password if options.scale else "",
            COORDINATOR_USERNAME="uji-beban-koordinator",
            COORDINATOR_PASSWORD=self.password,
            HOST="127.0.0.1",
            PORT=str(self.port),
            WAGTAILADMIN_BASE_URL=f"http://127.0.0.1:{self.port}",
            PYTHONPATH=str(BASE_DIR),
        )
        if options.stack == "production":
            server = urlsplit(options.database_url)
            redis = options.redis_url.rstrip("/")
            environment.update(
                DJANGO_SETTINGS_MODULE="learning.settings.production",
                DATABASE_URL=server._replace(path="/" + BENCH_DATABASE).geturl(),
                CELERY_BROKER_URL=f"{redis}/{options.redis_db}",
                CACHE_URL=f"{redis}/{options.redis_db + 1}",
            )
        else:
            # The office set-up, its file-system queue moved into our folder.
            (self.folder / "pendamping_bench_settings.py").write_text(
                EMBEDDED_SETTINGS.format(folder=self.folder / "celery")
            )
            environment.update(
                DJANGO_SETTINGS_MODULE="pendamping_bench_settings",
                DATABASE_URL=f"sqlite:///{self.folder / 'bench.sqlite3'}",
                CELERY_BROKER_URL="filesystem://",
                PYTHONPATH=f"{self.folder}{os.pathsep}{BASE_DIR}",
            )
        return environment

    def __enter__(self) -> "BenchStack":
        self.folder = Path(tempfile.mkdtemp(prefix="pendamping-bench-"))
        self.port = free_port()
        self.environment = self._environment()
        try:
            self._make_database()
            self._fill()
            self._start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    # --- the database

    def _maintenance(self):
        import psycopg

        server = urlsplit(self.options.database_url)
        return psycopg.connect(
            host=server.hostname,
            port=server.port or 5432,
            user=server.username or "postgres",
            password=server.password or None,
            dbname="postgres",
            autocommit=True,
        )

    def _make_database(self) -> None:
        if self.options.stack != "production":
            return
        import redis

        # The broker's and the cache's numbers are the benchmark's own: what an
        # earlier run left (tasks, cached pages of another database) goes.
        for number in (self.options.redis_db, self.options.redis_db + 1):
            url = f"{self.options.redis_url.rstrip('/')}/{number}"
            redis.Redis.from_url(url).flushdb()
        with self._maintenance() as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
            connection.execute(f"CREATE DATABASE {BENCH_DATABASE}")
        self.database_made = True

    def _drop_database(self) -> None:
        if self.database_made and not self.options.keep:
            with self._maintenance() as connection:
                connection.execute(
                    f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)"
                )

    def manage(self, *arguments: str) -> str:
        """Run a management command in the stack's environment; its output."""
        started = time.perf_counter()
        done = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
            [sys.executable, str(BASE_DIR / "manage.py"), *arguments],
            cwd=BASE_DIR,
            env=self.environment,
            capture_output=True,
            text=True,
            check=False,
        )
        with open(self.folder / "setup.log", "a") as log:
            log.write(done.stdout + done.stderr)
        if done.returncode:
            raise BenchError(
                _("%(command)s gagal:\n%(output)s")
                % {
                    "command": arguments[0],
                    "output": (done.stdout + done.stderr)[-3000:],
                }
            )
        self.say(f"  {' '.join(arguments[:2])}: {time.perf_counter() - started:.0f} s")
        return done.stdout

    def _fill(self) -> None:
        options = self.options
        self.say(
            _("Menyiapkan basis data uji (%(stack)s, skala %(scale)s)…")
            % {"stack": options.stack, "scale": options.scale}
        )
        self.manage("migrate", "--noinput", "--verbosity", "0")
        # Before the content: rendering it (offline copies) names static files.
        self.manage("collectstatic", "--noinput", "--verbosity", "0")
        if options.scale:
            self.manage("prepare_site", "--no-input")
            self.manage("load_sample_curriculum")
            self.manage(
                "generate_province",
                "--scale",
                str(options.scale),
                "--seed",
                str(options.seed),
                "--password",
                self.password,
            )
        else:
            self.manage("prepare_site", "--demo")

    # --- the processes

    def _spawn(self, name: str, command: list[str]) -> None:
        log = open(self.folder / f"{name}.log", "w")  # noqa: SIM115 - kept open
        self.processes.append(
            subprocess.Popen(  # noqa: S603 - programs of our own virtualenv
                command,
                cwd=BASE_DIR,
                env=self.environment,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )

    def _start(self) -> None:
        bin_dir = Path(sys.executable).parent
        embedded = self.options.stack == "embedded"
        workers = 1 if embedded else (os.cpu_count() or 1)
        worker = [str(bin_dir / "celery"), "-A", "learning", "worker"]
        worker += ["--loglevel", "WARNING"]
        if embedded:
            worker += [
                "--beat",
                "--pool",
                "solo",
                "--scheduler",
                "django_celery_beat.schedulers:DatabaseScheduler",
                "--schedule",
                str(self.folder / "celerybeat-schedule"),
            ]
        self._spawn("worker", worker)
        self._spawn(
            "web",
            [
                str(bin_dir / "gunicorn"),
                "learning.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
        )
        self.say(
            _("gunicorn: %(workers)s proses di 127.0.0.1:%(port)s; pekerja Celery.")
            % {"workers": workers, "port": self.port}
        )
        client = self.client()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if any(process.poll() is not None for process in self.processes):
                break
            try:
                if client.get("/sehat/").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        log = (self.folder / "web.log").read_text()[-3000:]
        raise BenchError(_("Tumpukan tidak siap:\n%(log)s") % {"log": log})

    def client(self) -> Client:
        return Client(
            "127.0.0.1", self.port, behind_proxy=self.options.stack == "production"
        )

    def personas(self, count: int) -> dict:
        """Who the clients play, chosen inside the stack's environment."""
        done = subprocess.run(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "learning.loadbench", "personas", str(count)],
            cwd=BASE_DIR,
            env=self.environment,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            raise BenchError(done.stderr[-3000:])
        return json.loads(done.stdout.strip().splitlines()[-1])

    def close(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes = []
        try:
            self._drop_database()
        finally:
            if self.options.keep:
                self.say(_("Disimpan: %(folder)s") % {"folder": self.folder})
            else:
                shutil.rmtree(self.folder, ignore_errors=True)
