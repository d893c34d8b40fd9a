"""The load benchmark's parts that run without a stack: its statistics, its
table and targets, what it refuses, and its client and scenarios against
pytest-django's live server for a second."""

import math
import socket

from django.core.management import CommandError, call_command

import pytest

from learning import loadbench
from learning.choices import Role
from learning.loadbench import (
    BenchError,
    Client,
    Measured,
    Options,
    Seat,
    drive,
    meets_target,
    people_before_waiting,
    percentile,
    report_table,
    sign_in,
    validate,
)
from tests.factories import user_with_roles
from tests.factories.modules import module_with_lessons
from tests.factories.people import PASSWORD


def measured(name: str, milliseconds: list[float], errors: int = 0) -> Measured:
    return Measured(name, 10.0, [ms / 1000 for ms in milliseconds], errors)


# --- statistics -------------------------------------------------------------


def test_percentiles_interpolate_between_neighbours():
    values = [5.0, 1.0, 4.0, 2.0, 3.0]  # unsorted on purpose
    assert percentile(values, 0.5) == 3.0
    assert percentile(values, 0.0) == 1.0
    assert percentile(values, 1.0) == 5.0
    assert percentile([0.0, 10.0], 0.25) == 2.5
    assert percentile([0.0, 10.0], 0.95) == pytest.approx(9.5)
    assert percentile([7.0], 0.99) == 7.0


def test_percentile_of_nothing_is_not_a_number():
    assert math.isnan(percentile([], 0.5))


def test_requests_per_second_count_the_scenario_time():
    row = measured("lesson", [10] * 50)
    assert row.requests == 50
    assert row.rps == 5.0
    assert row.ms(0.95) == pytest.approx(10.0)


# --- targets and the table ----------------------------------------------------


def test_lesson_target_is_twice_the_floor_p50():
    floor = measured("api_me", [10, 10, 10])
    assert meets_target(measured("lesson", [20, 20, 20]), floor) is True
    assert meets_target(measured("lesson", [21, 21, 21]), floor) is False


def test_facilitator_home_target_is_on_p95_not_p50():
    floor = measured("api_me", [10] * 20)
    # p50 8× the floor, but p95 within 8×: the target is met.
    assert meets_target(measured("facilitator_home", [80] * 20), floor) is True
    slow_tail = measured("facilitator_home", [10] * 18 + [500, 500])
    assert meets_target(slow_tail, floor) is False


def test_any_error_misses_the_target_even_when_fast():
    floor = measured("api_me", [10])
    assert meets_target(measured("lesson", [1], errors=1), floor) is False
    assert meets_target(measured("export_csv", [1], errors=1), floor) is False
    assert meets_target(measured("export_csv", [1000]), floor) is True


def test_floors_have_no_target():
    floor = measured("api_me", [10])
    assert meets_target(floor, floor) is None
    assert meets_target(measured("static", [1]), floor) is None


def test_report_table_gives_ratios_to_the_floor_and_says_which_targets_are_met():
    table = report_table(
        [
            measured("static", [2, 2]),
            measured("api_me", [10, 10]),
            measured("lesson", [25, 25]),
            measured("quiz_answer", [30, 30]),
        ]
    )
    lines = table.splitlines()
    assert lines[0].startswith("| skenario | permintaan | galat | per detik |")
    assert len(lines) == 2 + 4
    assert all(line.count("|") == lines[0].count("|") for line in lines)
    lesson = next(line for line in lines if "buka pelajaran" in line)
    assert "| 2.50 |" in lesson
    assert "p50 ≤ 2×" in lesson
    assert lesson.endswith("| tidak |")
    quiz = next(line for line in lines if "jawab soal kuis" in line)
    assert "| 3.00 |" in quiz
    assert quiz.endswith("| ya |")
    static = next(line for line in lines if "berkas statis" in line)
    assert static.endswith("| – |")


def test_people_before_waiting_stops_where_sign_in_p95_doubles():
    def level(people, sign_in_ms):
        return (people, measured("sign_in", sign_in_ms), measured("work", [10]))

    ramp = [
        level(0, [100, 100]),
        level(1, [120, 150]),
        level(2, [150, 200]),
        level(4, [300, 450]),
        level(8, [150, 150]),  # after a miss, a later fit does not count
    ]
    assert people_before_waiting(ramp) == 2
    assert people_before_waiting(ramp[:1]) == 0


# --- what it refuses ----------------------------------------------------------


@pytest.mark.parametrize(
    "host", ["example.org", "10.0.0.5", "192.168.1.1", "127.0.0.2", "::1", ""]
)
def test_anything_but_loopback_is_refused(host):
    with pytest.raises(BenchError, match="hanya boleh ke 127.0.0.1 atau localhost"):
        Client(host, 8000, behind_proxy=False)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_loopback_is_accepted(host):
    assert Client(host, 8000, behind_proxy=False).host == host


PG = "postgres://postgres@127.0.0.1:5432/postgres"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"stack": "cloud"}, "--stack"),
        ({"scale": 2.0}, "Skala"),
        ({"scale": -0.1}, "Skala"),
        ({"clients": 0}, "klien"),
        ({"clients": 1000}, "klien"),
        ({"seconds": 0}, "detik"),
        ({"seconds": 3600}, "detik"),
        ({"requests": 0}, "permintaan"),
        ({"ramp": (1, 0)}, "--ramp"),
        ({"think": -1.0}, "Jeda"),
        ({"database_url": "sqlite:///x.sqlite3"}, "PostgreSQL"),
        ({"database_url": "postgres://postgres@db.example.org/postgres"}, "127.0.0.1"),
        ({"redis_url": "redis://cache.example.org:6379"}, "127.0.0.1"),
        ({"redis_db": 15}, "--redis-db"),
    ],
)
def test_options_that_cannot_be_a_bounded_local_run_are_refused(changes, message):
    with pytest.raises(BenchError, match=message):
        validate(Options(**{"database_url": PG, **changes}))


def test_embedded_stack_needs_no_postgresql():
    validate(Options(stack="embedded", scale=0, database_url=""))
    validate(Options(database_url=PG))


def test_command_refuses_bad_arguments_before_starting_anything(monkeypatch):
    started = []
    monkeypatch.setattr(loadbench.BenchStack, "__enter__", started.append)
    with pytest.raises(CommandError, match="klien"):
        call_command("bench_load", "--stack", "embedded", "--clients", "0")
    with pytest.raises(CommandError, match="--ramp"):
        call_command("bench_load", "--stack", "embedded", "--ramp", "1,dua")
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command(
            "bench_load", "--stack", "production", "--database-url", "sqlite://"
        )
    assert started == []


# --- the client and scenarios, for a second, against the live server -----------


@pytest.fixture
def trainee_seat(live_server):
    module = module_with_lessons(lessons=2, title="Modul Uji Beban")
    lesson = module.get_children().live().first()
    trainee = user_with_roles(Role.PESERTA)
    host, port = live_server.thread.host, live_server.thread.port
    client = Client(host, port, behind_proxy=False)
    sign_in(client, trainee.username, PASSWORD)
    return Seat(client, {"username": trainee.username, "lesson": lesson.url})


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrated_data")
def test_scenarios_run_signed_in_through_the_full_stack(trainee_seat):
    lesson = drive([trainee_seat], loadbench.step_lesson, seconds=5, requests=5)
    row = lesson.samples["lesson"]
    assert (row.requests, row.errors) == (5, 0), lesson.failures
    floor = drive([trainee_seat], loadbench.step_api_me, seconds=5, requests=5)
    assert floor.samples["api_me"].errors == 0, floor.failures
    # Signed out, the same lesson is a redirect to the sign-in page: an error.
    trainee_seat.client.cookies.clear()
    signed_out = drive([trainee_seat], loadbench.step_lesson, seconds=5, requests=2)
    assert signed_out.samples["lesson"].errors == 2


def test_a_refused_connection_is_counted_as_an_error():
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    seat = Seat(Client("127.0.0.1", port, behind_proxy=False), {})
    recorder = drive([seat], loadbench.step_api_me, seconds=5, requests=3)
    assert recorder.samples["api_me"].errors == 3
