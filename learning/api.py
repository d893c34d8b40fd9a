"""The JSON API: session-authenticated (CSRF-protected), documented at /api/docs.

Its refusals and how the schema documents them: `learning.api_errors`.

Higher apps add their routers below by import string, so this module never
imports them: e.g. `api.add_router("/magang/", "mentorship.api.router")`.
"""

import datetime

from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from ninja import NinjaAPI, Router, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestShapeError

from .api_errors import ErrorOut, SessionAuth, document_refusals
from .bounds import TIME_WITH_ZONE, paginate
from .models import Region, User
from .scope import cohorts_visible_to, is_active_staff, people_visible_to


class PendampingAPI(NinjaAPI):
    """A NinjaAPI whose schema documents the refusals of authentication and
    of the request's shape on every operation that can meet them."""

    def get_openapi_schema(self, **kwargs):
        schema = super().get_openapi_schema(**kwargs)
        document_refusals(schema)
        return schema


api = PendampingAPI(
    title="Pendamping API",
    version="1",
    description=(
        "API untuk sinkronisasi luring dan aplikasi seluler. Masuk lewat situs; "
        "permintaan yang mengubah data mengirim header X-CSRFToken. Endpoint "
        "sinkron (catatan milik sendiri) juga menerima kunci sinkron perangkat "
        "dari POST /api/perangkat/token sebagai header Authorization: Bearer."
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
    organisation: str | None
    village: str | None
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
        "organisation": user.organisation.short_name if user.organisation else None,
        "village": user.village.label if user.village else None,
        "language": get_language(),
        "roles": [{"code": role.value, "label": str(role.label)} for role in roles],
        "uses_admin": is_active_staff(user),
        "must_change_password": user.must_change_password,
    }


class CohortOut(Schema):
    id: int
    name: str
    programme: str
    start_date: datetime.date
    end_date: datetime.date | None
    villages: list[str]


def _cohort_out(cohort) -> dict:
    return {
        "id": cohort.pk,
        "name": cohort.name,
        "programme": cohort.programme.short_name,
        "start_date": cohort.start_date,
        "end_date": cohort.end_date,
        "villages": [village.label for village in cohort.villages.all()],
    }


@api.get("/me/cohorts", response=list[CohortOut], summary="Angkatan saya")
def my_cohorts(request: HttpRequest):
    """The cohorts the signed-in person is enrolled in, teaches or coordinates."""
    cohorts = cohorts_visible_to(request.auth).prefetch_related(
        Prefetch("villages", queryset=Region.objects.order_by("code"))
    )
    return [_cohort_out(cohort) for cohort in cohorts]


class PersonOut(Schema):
    id: int
    username: str
    display_name: str
    roles: list[str]
    organisation: str | None
    village: str | None

    @staticmethod
    def resolve_roles(person: User) -> list[str]:
        return [role.value for role in person.roles]

    @staticmethod
    def resolve_organisation(person: User) -> str | None:
        return person.organisation.short_name if person.organisation else None

    @staticmethod
    def resolve_village(person: User) -> str | None:
        return person.village.label if person.village else None


@api.get(
    "/people",
    response={200: list[PersonOut], 403: ErrorOut},
    summary="Orang dalam wewenang saya (fasilitator dan koordinator)",
)
@paginate
def people(request: HttpRequest):
    """A page of the people in scope: the pagination slices the query."""
    if not is_active_staff(request.auth):
        raise HttpError(403, _("Hanya untuk fasilitator dan koordinator."))
    return (
        people_visible_to(request.auth)
        .select_related("organisation", "village")
        .prefetch_related("groups")
        .order_by("first_name", "last_name", "username", "pk")
    )


# What a client sent that does not fit the schema (a date written "kemarin", a
# missing field): the same shape as the apps' own rule errors, in Indonesian.
_SHAPE_MESSAGES = {
    "missing": gettext_lazy("Wajib diisi."),
    "date_parsing": gettext_lazy("Tanggal harus berformat TTTT-BB-HH."),
    "date_from_datetime_parsing": gettext_lazy("Tanggal harus berformat TTTT-BB-HH."),
    "time_parsing": gettext_lazy("Jam harus berformat JJ:MM."),
    "uuid_parsing": gettext_lazy("Kode harus berupa UUID."),
    "int_parsing": gettext_lazy("Harus bilangan bulat."),
    "bool_parsing": gettext_lazy("Harus true atau false."),
    "json_invalid": gettext_lazy("Isi permintaan bukan JSON yang sah."),
    # Numbers out of range (`learning.bounds`), with the bound they broke.
    "greater_than_equal": gettext_lazy("Paling kecil %(ge)s."),
    "greater_than": gettext_lazy("Harus lebih dari %(gt)s."),
    "less_than_equal": gettext_lazy("Paling besar %(le)s."),
    "less_than": gettext_lazy("Harus kurang dari %(lt)s."),
    "int_parsing_size": gettext_lazy("Bilangan ini terlalu panjang."),
    "int_from_float": gettext_lazy("Harus bilangan bulat."),
    "too_long": gettext_lazy("Paling banyak %(max_length)s butir."),
    TIME_WITH_ZONE: gettext_lazy(
        "Tulis jam tanpa zona waktu (%(time)s): jam setempat (WITA), misalnya 08:00."
    ),
}
_LOCATIONS = {"body", "query", "path", "form", "payload", "cookie", "header"}


@api.exception_handler(AuthenticationError)
def not_signed_in(request: HttpRequest, error: AuthenticationError):
    """No session and no sync key: ninja's own answer is English."""
    return api.create_response(
        request,
        {"detail": _("Kamu belum masuk atau sesi kamu sudah berakhir. Masuk lagi.")},
        status=401,
    )


@api.exception_handler(RequestShapeError)
def request_shape_error(request: HttpRequest, error: RequestShapeError):
    errors: dict[str, list[str]] = {}
    for item in error.errors:
        where = [str(part) for part in item.get("loc", ()) if part not in _LOCATIONS]
        message = _SHAPE_MESSAGES.get(
            item.get("type", ""), gettext_lazy("Isian ini tidak sesuai format.")
        )
        message = str(message) % item.get("ctx", {})
        errors.setdefault(".".join(where) or "__all__", []).append(message)
    return api.create_response(
        request,
        {"detail": _("Permintaan tidak sesuai format."), "errors": errors},
        status=422,
    )


@api.exception_handler(Http404)
def not_found(request: HttpRequest, error: Http404):
    """No such record, or one outside the caller's view (the same answer, so
    a 404 does not tell which): ninja's own answer is English."""
    return api.create_response(
        request,
        {"detail": _("Tidak ada, atau di luar wewenangmu.")},
        status=404,
    )


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, error: HttpError):
    """A route's own refusal as it is; a body ninja could not read at all
    (a NUL byte, half a JSON document) is the 422 of any other malformed
    request, not ninja's English 400 that no operation documents."""
    if error.status_code == 400 and error.__cause__ is not None:
        return api.create_response(
            request,
            {
                "detail": _("Permintaan tidak sesuai format."),
                "errors": {"__all__": [str(_SHAPE_MESSAGES["json_invalid"])]},
            },
            status=422,
        )
    return api.create_response(
        request, {"detail": error.message}, status=error.status_code
    )


api.add_router("/modules/", "modules.api.router")
api.add_router("/quizzes/", "assessments.api.quizzes.router")
api.add_router("/competence/", "assessments.api.competence.router")
api.add_router("/certificates/", "assessments.api.certificates.router")
api.add_router("/magang/", "mentorship.api.router")
api.add_router("/perangkat/", "learning.api_devices.router")

# Last: any other address under /api/ is a JSON 404. Without it, a POST to an
# API address written without its trailing slash reached Django's
# APPEND_SLASH, which cannot redirect a POST and raises (a 500) under DEBUG.
unknown = Router(tags=["api"])


@unknown.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"],
    "/{path:rest}",
    auth=None,
    include_in_schema=False,
)
def unknown_address(request: HttpRequest, rest: str):
    raise HttpError(404, _("Alamat API ini tidak ada."))


api.add_router("/", unknown)
