"""The load benchmark (`manage.py bench_load`): a stack on loopback, driven.

`BenchStack` makes a throwaway database (PostgreSQL `pendamping_bench`, or a
temporary SQLite file for the embedded set-up), fills it with the demo or the
synthetic province, starts gunicorn and a Celery worker on 127.0.0.1 and stops
them again, whatever happens. `Client` is a small HTTP client on the standard
library with a cookie jar: it signs in through the real forms and only ever
talks to loopback. `run_benchmark` drives each scenario with a fixed number of
clients for a fixed time (and, if asked, at most so many requests), and
`report_table` prints p50/p95/p99, requests per second and errors beside the
issue's targets, as ratios to the framework's floor measured in the same run.

What needs Django and the bench database (choosing the people the clients play,
their lesson, quiz sitting and placement) runs inside the stack's own
environment, as `python -m learning.loadbench personas`, so the configured
database is never opened.

One concern a module: `client` (loopback only, the cookie jar, sign-in),
`stats` (percentiles, targets, the tables), `scenarios` (the steps and
`drive`), `stack` (the database and the processes), `personas` (who the
clients play), `run` (one run, start to end).
"""

from .client import BenchError, Client, sign_in
from .personas import choose_personas
from .run import Outcome, run_benchmark
from .scenarios import Seat, drive, step_api_me, step_lesson
from .stack import BenchStack, Options, validate
from .stats import (
    Measured,
    machine_summary,
    meets_target,
    people_before_waiting,
    percentile,
    ramp_table,
    report_table,
)

__all__ = [
    "BenchError",
    "BenchStack",
    "Client",
    "Measured",
    "Options",
    "Outcome",
    "Seat",
    "choose_personas",
    "drive",
    "machine_summary",
    "meets_target",
    "people_before_waiting",
    "percentile",
    "ramp_table",
    "report_table",
    "run_benchmark",
    "sign_in",
    "step_api_me",
    "step_lesson",
    "validate",
]
