"""The JSON API: session-authenticated (CSRF-protected), documented at /api/docs.

Higher apps add their routers below by import string, so this module never
imports them: e.g. `api.add_router("/magang/", "mentorship.api.router")`.
"""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import get_language

from ninja import NinjaAPI, Schema
from ninja.security import SessionAuth

from .choices import ADMIN_ROLES

api = NinjaAPI(
    title="Pendamping API",
    version="1",
    description=(
        "API untuk sinkronisasi luring dan aplikasi seluler. Masuk lewat situs; "
        "permintaan yang mengubah data mengirim header X-CSRFToken."
    ),
    auth=SessionAuth(csrf=True),
    urls_namespace="api",
)


class ApiIndex(Schema):
    name: str
    version: str
    schema_url: str
    docs_url: str


class RoleOut(Schema):
    code: str
    label: str


class ProfileOut(Schema):
    username: str
    display_name: str
    email: str
    language: str
    roles: list[RoleOut]
    uses_admin: bool
    must_change_password: bool


@api.get("/", auth=None, response=ApiIndex, summary="Halaman depan API")
def index(request: HttpRequest):
    return {
        "name": api.title,
        "version": api.version,
        "schema_url": reverse("api:openapi-json"),
        "docs_url": reverse("api:openapi-view"),
    }


@api.get("/me", response=ProfileOut, summary="Profil dan peran pengguna yang masuk")
def me(request: HttpRequest):
    user = request.auth
    roles = user.roles
    return {
        "username": user.username,
        "display_name": user.display_name,
        "email": user.email,
        "language": get_language(),
        "roles": [{"code": role.value, "label": str(role.label)} for role in roles],
        "uses_admin": any(role in ADMIN_ROLES for role in roles),
        "must_change_password": user.must_change_password,
    }
