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
