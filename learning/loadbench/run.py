"""One run of the benchmark: the stack, its people, each scenario, the ramp."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .personas import seats_for
from .scenarios import SCENARIOS, Seat, drive, step_ramp
from .stack import BenchStack, Options, validate
from .stats import Measured


@dataclass
class Outcome:
    rows: list[Measured]
    ramp: list[tuple[int, Measured, Measured]]  # (people working, sign-in, work)
    notes: list[str]
    database: str


def run_benchmark(options: Options, say: Callable[[str], None]) -> Outcome:
    validate(options)
    rows, ramp, notes = [], [], []
    with BenchStack(options, say) as stack:
        ramp_size = max(options.ramp) if options.stack == "embedded" else 0
        personas = stack.personas(max(options.clients, ramp_size))
        password = personas["password"]
        say(
            _("Masuk: %(t)s peserta, %(f)s fasilitator, %(c)s koordinator.")
            % {
                "t": len(personas["trainees"]),
                "f": len(personas["facilitators"]),
                "c": len(personas["coordinators"]),
            }
        )
        seats = {
            "anonymous": [Seat(stack.client(), {}) for _ in range(options.clients)],
            "trainees": seats_for(
                stack, personas["trainees"], max(options.clients, ramp_size), password
            ),
            "facilitators": seats_for(
                stack, personas["facilitators"], options.clients, password
            ),
            "coordinators": seats_for(
                stack, personas["coordinators"], options.clients, password
            ),
        }
        for name, role, step in SCENARIOS:
            chosen = seats[role][: options.clients]
            if not chosen:
                notes.append(
                    _("%(name)s: tidak ada orang untuk peran ini.") % {"name": name}
                )
                continue
            say(
                _("Skenario %(name)s: %(clients)s klien, %(seconds)s detik…")
                % {"name": name, "clients": len(chosen), "seconds": options.seconds}
            )
            recorder = drive(
                chosen,
                step,
                seconds=options.seconds,
                requests=options.requests,
                static_url=personas["static"],
            )
            rows.extend(recorder.samples.values())
            notes.extend(f"{name}: {failure}" for failure in recorder.failures)
            empty = sum(seat.state.get("empty", 0) for seat in chosen)
            if empty:
                notes.append(
                    _("%(count)s kali antrean verifikasi kosong.") % {"count": empty}
                )
        if options.stack == "embedded" and personas["trainees"]:
            ramp = ramp_sign_ins(options, seats["trainees"], password, say)
    return Outcome(rows, ramp, notes, personas["database"])


def ramp_sign_ins(options: Options, trainees: list[Seat], password: str, say) -> list:
    """For 0 and each `ramp` level of people at work (a request, then
    `think` seconds), how long a newcomer's sign-in takes."""
    results = []
    for level in (0, *options.ramp):
        probe = Seat(
            trainees[0].client,
            trainees[-1].persona,
            state={"probe": True, "password": password},
        )
        say(_("Bertahap: %(level)s orang bekerja…") % {"level": level})
        recorder = drive(
            [*trainees[:level], probe],
            step_ramp,
            seconds=options.seconds,
            requests=None,
            think=options.think,
        )
        empty = Measured("sign_in", options.seconds)
        work = Measured("work", options.seconds)
        for name, row in recorder.samples.items():
            if name == "sign_in":
                empty = row
            else:
                work.latencies += row.latencies
                work.errors += row.errors
                work.seconds = row.seconds
        results.append((level, empty, work))
    return results
