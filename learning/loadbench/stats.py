"""Percentiles, the issue's targets and the benchmark's markdown tables.

`report_table` prints p50/p95/p99, requests per second and errors beside the
issue's targets, as ratios to the framework's floor measured in the same run;
`ramp_table` and `people_before_waiting` report the embedded set-up's ramp.
"""

import math
import os
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def percentile(values: list[float], fraction: float) -> float:
    """The `fraction` quantile of `values`, interpolated between neighbours."""
    if not values:
        return math.nan
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


@dataclass
class Measured:
    """The requests of one kind in one scenario: their seconds and failures."""

    name: str
    seconds: float  # how long the scenario ran
    latencies: list[float] = field(default_factory=list)
    errors: int = 0

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def ms(self, fraction: float) -> float:
        return 1000 * percentile(self.latencies, fraction)


@dataclass(frozen=True)
class Target:
    """The issue's target: this percentile within `ratio` × the floor's."""

    fraction: float
    ratio: float

    @property
    def label(self) -> str:
        return f"p{round(self.fraction * 100)} ≤ {self.ratio:g}×"


FLOOR = "api_me"
NAMES = {
    "static": gettext_lazy("berkas statis (lantai)"),
    "api_me": gettext_lazy("/api/me masuk (lantai kerangka)"),
    "lesson": gettext_lazy("buka pelajaran"),
    "quiz_answer": gettext_lazy("jawab soal kuis"),
    "hour_entry": gettext_lazy("catat jam magang"),
    "facilitator_home": gettext_lazy("beranda fasilitator"),
    "queue": gettext_lazy("antrean verifikasi (API)"),
    "verify_ten": gettext_lazy("verifikasi 10 catatan"),
    "programme_view": gettext_lazy("angka program"),
    "export_csv": gettext_lazy("ekspor CSV angka program"),
    "sign_in": gettext_lazy("masuk (kata sandi)"),
}
TARGETS = {
    "lesson": Target(0.5, 2),
    "quiz_answer": Target(0.5, 4),
    "hour_entry": Target(0.5, 4),
    "facilitator_home": Target(0.95, 8),
    "programme_view": Target(0.95, 8),
}


def meets_target(row: Measured, floor: Measured | None) -> bool | None:
    """No errors, and the ratio target where the issue sets one; None: a floor."""
    if row.name in ("static", FLOOR):
        return None
    target = TARGETS.get(row.name)
    if row.errors or not row.requests:
        return False
    if target is None:
        return True
    if floor is None or not floor.latencies:
        return False
    return percentile(row.latencies, target.fraction) <= target.ratio * percentile(
        floor.latencies, target.fraction
    )


def _number(value: float, digits: int = 1) -> str:
    return "–" if math.isnan(value) else f"{value:.{digits}f}"


def report_table(rows: list[Measured]) -> str:
    """A markdown table of `rows`, with ratios to the `/api/me` floor among them."""
    floor = next((row for row in rows if row.name == FLOOR), None)
    floor_p50 = floor.ms(0.5) if floor and floor.latencies else math.nan
    header = [
        _("skenario"),
        _("permintaan"),
        _("galat"),
        _("per detik"),
        "p50 ms",
        "p95 ms",
        "p99 ms",
        _("p50 ÷ lantai"),
        _("target"),
        _("memenuhi target"),
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    for row in rows:
        met = meets_target(row, floor)
        target = TARGETS.get(row.name)
        cells = [
            str(NAMES.get(row.name, row.name)),
            str(row.requests),
            str(row.errors),
            _number(row.rps),
            _number(row.ms(0.5)),
            _number(row.ms(0.95)),
            _number(row.ms(0.99)),
            _number(row.ms(0.5) / floor_p50, 2) if row.name != FLOOR else "1",
            target.label if target else ("–" if met is None else _("tanpa galat")),
            "–" if met is None else (_("ya") if met else _("tidak")),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def people_before_waiting(ramp: list[tuple[int, Measured, Measured]]) -> int:
    """The most people at work whose newcomer's sign-in p95 stays within twice
    the p95 with nobody else at work (0 if even one person doubles it)."""
    if not ramp or not ramp[0][1].latencies:
        return 0
    alone = percentile(ramp[0][1].latencies, 0.95)
    fits = 0
    for level, sign_ins, _work in ramp[1:]:
        if sign_ins.errors or not sign_ins.latencies:
            break
        if percentile(sign_ins.latencies, 0.95) > 2 * alone:
            break
        fits = level
    return fits


def ramp_table(ramp: list[tuple[int, Measured, Measured]]) -> str:
    header = [
        _("orang bekerja bersamaan"),
        _("masuk p50 ms"),
        _("masuk p95 ms"),
        _("kerja per detik"),
        _("kerja p95 ms"),
        _("galat"),
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    for level, sign_ins, work in ramp:
        lines.append(
            "| "
            + " | ".join(
                [
                    str(level),
                    _number(sign_ins.ms(0.5)),
                    _number(sign_ins.ms(0.95)),
                    _number(work.rps),
                    _number(work.ms(0.95)),
                    str(sign_ins.errors + work.errors),
                ]
            )
            + " |"
        )
    return "\n".join(lines)


def machine_summary() -> str:
    """Cores, CPU model and memory of this machine, for the report."""
    model, memory = "?", "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    return _("%(cores)s inti (%(model)s), RAM %(memory)s") % {
        "cores": os.cpu_count(),
        "model": model,
        "memory": memory,
    }
