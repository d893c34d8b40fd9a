"""What the clients do: a step per scenario, and `drive` to run them at once.

`drive` runs a scenario's step on a fixed number of clients for a fixed time
(and, if asked, at most so many requests); `step_ramp` is the embedded
set-up's ramp: people at work, and a newcomer signing in.
"""

import http.client
import json
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .client import BenchError, Client, Response, form_token, sign_in
from .stats import Measured

Record = Callable[[str, Response | None, float, bool], None]


@dataclass
class Seat:
    """One client in a scenario: its signed-in browser and the person it plays."""

    client: Client
    persona: dict
    slot: int = 0  # which of the clients sharing this person it is
    state: dict = field(default_factory=dict)


def timed(
    record: Record, name: str, seat: Seat, call, expected=(200,)
) -> Response | None:
    started = time.perf_counter()
    try:
        answer = call(seat.client)
    except (OSError, http.client.HTTPException):
        record(name, None, time.perf_counter() - started, False)
        return None
    record(name, answer, answer.seconds, answer.status in expected)
    return answer


def step_static(seat: Seat, record: Record, static_url: str) -> None:
    timed(record, "static", seat, lambda c: c.get(static_url))


def step_api_me(seat: Seat, record: Record, _static: str) -> None:
    timed(record, "api_me", seat, lambda c: c.get("/api/me"))


def step_lesson(seat: Seat, record: Record, _static: str) -> None:
    timed(record, "lesson", seat, lambda c: c.get(seat.persona["lesson"]))


def step_quiz_answer(seat: Seat, record: Record, _static: str) -> None:
    """POST an answer to the sitting's choice question through its form,
    changing it each time (a practice quiz allows that), so each is a write."""
    quiz = seat.persona["quiz"]
    page = f"/kuis/percobaan/{quiz['sitting']}/"
    if "token" not in seat.state:
        seat.state["token"] = form_token(
            seat.client.get(f"{page}?nomor={quiz['position']}")
        )
    seat.state["turn"] = seat.state.get("turn", seat.slot) + 1
    choice = quiz["options"][seat.state["turn"] % len(quiz["options"])]
    form = {
        "csrfmiddlewaretoken": seat.state["token"],
        "nomor": quiz["position"],
        "pilihan": choice,
    }
    timed(record, "quiz_answer", seat, lambda c: c.request("POST", page, form=form))


def step_hour_entry(seat: Seat, record: Record, _static: str) -> None:
    """POST the hour form (a fresh UUID, five minutes, submitted), on the
    placement's days in turn so no day passes its cap."""
    magang = seat.persona["magang"]
    if "token" not in seat.state:
        seat.state["token"] = form_token(seat.client.get("/magang/jam/baru/"))
    seat.state["turn"] = seat.state.get("turn", seat.slot * 7) + 1
    form = {
        "csrfmiddlewaretoken": seat.state["token"],
        "uuid": str(uuid.uuid4()),
        "placement": magang["placement"],
        "date": magang["dates"][seat.state["turn"] % len(magang["dates"])],
        "minutes": "5",
        "category": magang["category"],
        "activity": "Membantu pembimbing merapikan berkas pengaduan (uji beban).",
        "aksi": "ajukan",
    }
    timed(
        record,
        "hour_entry",
        seat,
        lambda c: c.request("POST", "/magang/jam/baru/", form=form),
        expected=(302,),
    )


def step_facilitator(seat: Seat, record: Record, _static: str) -> None:
    """Home, then the ten oldest waiting entries (clients sharing a person
    take different tens), verified in one request."""
    timed(record, "facilitator_home", seat, lambda c: c.get("/"))
    offset = 10 * seat.slot
    queue = timed(
        record,
        "queue",
        seat,
        lambda c: c.get(f"/api/magang/queue?limit=10&offset={offset}"),
    )
    if queue is None or queue.status != 200:
        return
    uuids = [item["uuid"] for item in json.loads(queue.body).get("items", [])]
    if not uuids:
        seat.state["empty"] = seat.state.get("empty", 0) + 1
        return
    timed(
        record,
        "verify_ten",
        seat,
        lambda c: c.request(
            "POST", "/api/magang/queue/verify", json_body={"uuids": uuids}
        ),
    )


def step_coordinator(seat: Seat, record: Record, _static: str) -> None:
    timed(record, "programme_view", seat, lambda c: c.get("/admin/angka-program/"))
    timed(
        record,
        "export_csv",
        seat,
        lambda c: c.get("/admin/angka-program/?unduh=csv&untuk=luar"),
    )


# (what the scenario is called, which people play it, its step)
SCENARIOS = [
    ("static", "anonymous", step_static),
    ("api_me", "trainees", step_api_me),
    ("lesson", "trainees", step_lesson),
    ("quiz_answer", "trainees", step_quiz_answer),
    ("hour_entry", "trainees", step_hour_entry),
    ("facilitator", "facilitators", step_facilitator),
    ("coordinator", "coordinators", step_coordinator),
]


class Recorder:
    """Collects the samples of a scenario's threads, and counts its budget."""

    def __init__(self, budget: int | None):
        self.budget = budget
        self.lock = threading.Lock()
        self.samples: dict[str, Measured] = {}
        self.failures: list[str] = []

    def __call__(self, name: str, answer: Response | None, seconds: float, ok: bool):
        with self.lock:
            row = self.samples.setdefault(name, Measured(name, 0.0))
            row.latencies.append(seconds)
            if not ok:
                row.errors += 1
                if len(self.failures) < 5:
                    status = answer.status if answer else _("koneksi gagal")
                    self.failures.append(f"{name}: {status}")
            if self.budget is not None:
                self.budget -= 1

    def spent(self) -> bool:
        return self.budget is not None and self.budget <= 0


def drive(
    seats: list[Seat],
    step,
    *,
    seconds: float,
    requests: int | None,
    static_url: str = "",
    think: float = 0.0,
) -> Recorder:
    """Run `step` on every seat at once until the time or the requests are up."""
    recorder = Recorder(requests)
    deadline = time.perf_counter() + seconds
    stop = threading.Event()

    def work(seat: Seat) -> None:
        while not stop.is_set() and time.perf_counter() < deadline:
            if recorder.spent():
                break
            try:
                step(seat, recorder, static_url)
            except (BenchError, OSError, http.client.HTTPException) as error:
                # A form that would not load, a sign-in refused, a dropped line.
                recorder("error", None, 0.0, False)
                if len(recorder.failures) < 10:
                    recorder.failures.append(str(error))
            if think:
                stop.wait(think)

    threads = [
        threading.Thread(target=work, args=(seat,), daemon=True) for seat in seats
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            thread.join()
    except KeyboardInterrupt:
        stop.set()
        raise
    elapsed = time.perf_counter() - started
    for row in recorder.samples.values():
        row.seconds = elapsed
    return recorder


def step_ramp(seat: Seat, record: Record, static_url: str) -> None:
    """A person at work (a lesson, a quiz answer, an hour entry in turn), or
    the probe: someone arriving who signs in, on a fresh browser each time."""
    if seat.state.get("probe"):
        client = Client(
            seat.client.host, seat.client.port, behind_proxy=seat.client.behind_proxy
        )
        persona = seat.persona
        seconds = sign_in(client, persona["username"], seat.state["password"])
        record("sign_in", None, seconds, True)
        return
    turn = seat.state.setdefault("work_turn", seat.slot)
    seat.state["work_turn"] = turn + 1
    (step_lesson, step_quiz_answer, step_hour_entry)[turn % 3](seat, record, static_url)
