import pytest

from learning.choices import Role
from tests.factories import user_with_roles

pytestmark = pytest.mark.django_db


def test_api_home_points_to_its_schema_and_docs(client):
    body = client.get("/api/").json()
    assert body["schema_url"] == "/api/openapi.json"
    assert body["docs_url"] == "/api/docs"


def test_openapi_schema_documents_the_profile_endpoint(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "Pendamping API"
    assert "/api/me" in schema["paths"]


def test_api_docs_load_their_assets_from_this_site(client):
    page = client.get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()


def test_profile_needs_a_signed_in_session(client):
    response = client.get("/api/me")
    assert response.status_code == 401


def test_profile_returns_the_signed_in_persons_roles(signed_in):
    person = user_with_roles(Role.FASILITATOR, Role.ALUMNI, first_name="Marta")
    body = signed_in(person).get("/api/me").json()
    assert body["username"] == person.username
    assert body["display_name"].startswith("Marta")
    assert [role["code"] for role in body["roles"]] == ["Fasilitator", "Alumni"]
    assert body["uses_admin"] is True
    assert body["language"] == "id"


def test_my_cohorts_lists_the_trainees_own_cohort(signed_in, coordinator, trainee):
    body = signed_in(trainee).get("/api/me/cohorts").json()
    assert len(body) == 1
    assert body[0]["programme"].startswith("PU")


def test_people_are_listed_through_the_scope_rule(
    signed_in, coordinator, trainee, facilitator
):
    outsider = user_with_roles(Role.PESERTA, username="orang-luar")
    body = signed_in(coordinator).get("/api/people").json()
    usernames = {person["username"] for person in body["items"]}
    assert usernames == {coordinator.username, trainee.username, facilitator.username}
    assert outsider.username not in usernames


def test_trainees_cannot_list_people(signed_in, trainee):
    response = signed_in(trainee).get("/api/people")
    assert response.status_code == 403
    assert "fasilitator" in response.json()["detail"]


def test_listing_people_takes_the_same_queries_for_few_or_many(
    signed_in, coordinator, django_assert_max_num_queries
):
    from tests.factories import CohortFactory

    client = signed_in(coordinator)
    cohort = coordinator.coordinated_programmes.get().cohorts.get()
    with django_assert_max_num_queries(12):
        client.get("/api/people")
    more = [user_with_roles(Role.PESERTA) for _ in range(15)]
    CohortFactory(programme=cohort.programme, trainees=more)
    with django_assert_max_num_queries(12):
        body = client.get("/api/people").json()
    assert body["count"] == 18


def test_a_page_of_people_reads_only_that_page_from_the_database(
    signed_in, coordinator
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import CohortFactory

    cohort = coordinator.coordinated_programmes.get().cohorts.get()
    CohortFactory(
        programme=cohort.programme,
        trainees=[user_with_roles(Role.PESERTA) for _ in range(30)],
    )
    client = signed_in(coordinator)
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/api/people?limit=5&offset=10").json()
    assert body["count"] == 33 and len(body["items"]) == 5
    people_rows = [
        query["sql"]
        for query in queries.captured_queries
        if 'FROM "learning_user"' in query["sql"] and "ORDER BY" in query["sql"]
    ]
    assert people_rows and all("LIMIT 5" in sql for sql in people_rows)
