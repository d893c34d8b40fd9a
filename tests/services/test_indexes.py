"""The pages' slowest filters use their index (issue 26, "Bounded queries").

On PostgreSQL, over the synthetic programme at the CI scale, with sequential
scans turned off so that the planner shows which index it would take: each
query is built the way its page builds it (the selector the page calls, the
facilitator's home's own function, the admin list requested through the
client) and its plan must name the index added for it. A migration that drops
or reshapes one of these indexes fails here, not on the province's server.

The programme view's hours of a year also read `hour_entry_date_idx` when the
scope is wide, but at this scale a programme has ten trainees and the planner
rightly reads their entries through the trainee's index: not asserted here.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass

from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import QuerySet
from django.test import Client
from django.test.utils import CaptureQueriesContext

import pytest

from assessments.statistics import essay_queue
from learning.choices import Role
from learning.models import User
from mentorship.attention import attention_items
from mentorship.choices import EntryStatus
from mentorship.models import HourEntry
from mentorship.province import USERNAME_PREFIX
from tests.factories.province import province_curriculum

pytestmark = [pytest.mark.services, pytest.mark.django_db]

# The tables these queries read, analysed once the programme is generated.
TABLES = (
    "mentorship_hourentry",
    "mentorship_placement",
    "assessments_sitting",
    "assessments_sittingquestion",
    "assessments_answer",
    "learning_user",
    "learning_enrolment",
)


@pytest.fixture(scope="module")
def province(django_db_setup, django_db_blocker):
    """The programme at the CI scale, analysed; rolled back after the module."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "Index use is a PostgreSQL plan: run with DATABASE_URL=postgres://… "
            f"(this run's database is {connection.vendor})."
        )
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            province_curriculum()
            call_command("generate_province", scale=0.001, stdout=io.StringIO())
            with connection.cursor() as cursor:
                # ANALYZE counts the rows this transaction wrote.
                cursor.execute(f"ANALYZE {', '.join(TABLES)}")
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def person(role: Role) -> User:
    return (
        User.objects.filter(
            username__startswith=USERNAME_PREFIX, groups__name=role.value
        )
        .order_by("pk")
        .first()
    )


def newest_year() -> int:
    return HourEntry.objects.latest("date").date.year


def admin_entry_list(**filters: str | Callable[[], str]) -> Callable[[], str]:
    """A page of the admin list of hour entries, everything in the coordinator's
    scope, newest first: requested through the admin, as a person opens it.
    A filter's value may be a function of the generated data."""

    def build() -> str:
        client = Client()
        client.force_login(person(Role.KOORDINATOR))
        query = {"tampilkan": "semua"} | {
            name: value() if callable(value) else value
            for name, value in filters.items()
        }
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/admin/magang/jam/", query)
        assert response.status_code == 200
        return only_query(queries, 'FROM "mentorship_hourentry"', " LIMIT ")

    return build


def facilitator_home_essays() -> str:
    """The facilitator's home counting the essays that wait for a mark."""
    with CaptureQueriesContext(connection) as queries:
        attention_items(person(Role.FASILITATOR))
    return only_query(queries, 'MIN("assessments_sitting"."finished_at")')


def only_query(queries: CaptureQueriesContext, *parts: str) -> str:
    found = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith("SELECT") and all(p in query["sql"] for p in parts)
    ]
    assert len(found) == 1, f"{len(found)} queries with {parts}"
    return found[0]


@dataclass(frozen=True)
class Case:
    description: str
    build: Callable[[], QuerySet | str]
    index: str

    def __str__(self) -> str:
        return self.description


CASES = [
    Case(
        "the admin list of hour entries, newest first a page at a time",
        admin_entry_list(),
        "hour_entry_date_idx",
    ),
    Case(
        "the admin list of hour entries filtered by status",
        admin_entry_list(status=EntryStatus.VERIFIED),
        "hour_entry_date_idx",
    ),
    Case(
        "the admin list of hour entries filtered by dates",
        admin_entry_list(
            date_after=lambda: f"{newest_year()}-01-01",
            date_before=lambda: f"{newest_year()}-12-31",
        ),
        "hour_entry_date_idx",
    ),
    Case(
        "the essay queue, longest waiting first",
        lambda: essay_queue(actor=person(Role.FASILITATOR)),
        "sitting_status_finished_idx",
    ),
    Case(
        "the facilitator's home counting the essays waiting",
        facilitator_home_essays,
        "sitting_status_finished_idx",
    ),
]


def plan_of(query: QuerySet | str) -> str:
    if isinstance(query, QuerySet):
        return query.explain()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {query}")
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.usefixtures("province")
@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_query_uses_its_index(case):
    with connection.cursor() as cursor:
        # Only for this test: its savepoint's rollback undoes the setting.
        cursor.execute("SET LOCAL enable_seqscan = off")
    query = case.build()

    plan = plan_of(query)

    assert case.index in plan, f"{case.description}:\n{plan}"
