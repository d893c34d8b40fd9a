"""How the JSON API refuses, and how its OpenAPI schema says so.

Every refusal has one body, `ErrorOut`: `detail` (a message to show) and
`errors` (messages by field, for bad input). The refusals that come from
authentication rather than from a route are documented here, once, for
every operation that has them (`document_refusals`):

- 401: no session, or a sync key that is malformed, unknown or ended;
- 403: a signed-in session that sent a change without its CSRF token;
- 404: an operation with a value in its path (an id, a UUID, a slug), which
  can name nothing the caller may see (`learning.api.not_found` answers it);
- 422: a request that does not fit the operation's parameters or body, or a
  body that is not JSON at all (`learning.api.request_shape_error` and
  `learning.api.unreadable_body` answer it).

What only a route knows (404 for an id in the body, 409 a locked record, 403 a
role refusal on a read) stays in that route's `response=`.
"""

from django.http import HttpRequest
from django.utils.translation import gettext as _

from ninja import Field, Schema
from ninja import security as ninja_security
from ninja.errors import HttpError
from ninja.openapi.schema import REF_TEMPLATE, OpenAPISchema
from ninja.schema import NinjaGenerateJsonSchema


class ErrorOut(Schema):
    detail: str = Field(description="Pesan untuk ditampilkan.")
    errors: dict[str, list[str]] = Field(
        {},
        description="Pesan per isian; kosong atau tidak ada bila penolakan "
        "tidak menyangkut isian tertentu.",
    )


class SessionAuth(ninja_security.SessionAuth):
    """Django's session, with the CSRF check on changes, as ninja's is, but:

    - no session answers 401 whether or not a CSRF token came (ninja checks
      the token first and answered a signed-out POST 403), so 401 always
      means "sign in" and 403 "this signed-in page lacks its token";
    - the CSRF refusal is in Indonesian through gettext.

    The same class name as ninja's, so the schema's security scheme keeps
    its name (`SessionAuth`).
    """

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        try:
            return super()._get_key(request)
        except HttpError as refusal:
            raise HttpError(
                403,
                _(
                    "Token keamanan halaman ini (CSRF) tidak ada atau sudah usang. "
                    "Muat ulang halaman, lalu coba lagi."
                ),
            ) from refusal


SESSION = "SessionAuth"
DEVICE_KEY = "DeviceTokenAuth"
CHANGES = {"post", "put", "patch", "delete"}


ERROR_BODY = {"$ref": REF_TEMPLATE.format(model="ErrorOut")}


def _described(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": ERROR_BODY}},
    }


def _auth_refusals(method: str, schemes: set[str]) -> dict[int, dict]:
    refusals = {}
    if schemes:
        if DEVICE_KEY in schemes:
            refusals[401] = _described(
                "Tanpa sesi masuk, atau kunci sinkron perangkat tidak berlaku lagi "
                "(dicabut, keluar, atau salah)."
            )
        else:
            refusals[401] = _described("Tanpa sesi masuk.")
    if SESSION in schemes and method in CHANGES:
        refusals[403] = _described(
            "Sesi masuk tanpa header X-CSRFToken yang cocok (dengan kunci sinkron "
            "tidak perlu)."
            if DEVICE_KEY in schemes
            else "Sesi masuk tanpa header X-CSRFToken yang cocok."
        )
    return refusals


def _takes_input(operation: dict) -> bool:
    """Whether a client can send this operation something that does not fit:
    a body, a query parameter or a path value. (A path value reaches the
    operation as text: "/api/modules/1.5/lessons" is a 422 by field, as
    schemathesis found, not the 404 of an address that does not exist.)"""
    return "requestBody" in operation or any(
        parameter.get("in") in ("query", "path")
        for parameter in operation.get("parameters", [])
    )


def document_refusals(schema: OpenAPISchema) -> None:
    """Add the refusals every operation can meet to its documented responses,
    as ErrorOut, leaving those a route documents itself as they are."""
    body = ErrorOut.model_json_schema(
        ref_template=REF_TEMPLATE,
        schema_generator=NinjaGenerateJsonSchema,
        mode="serialization",
    )
    schema.add_schema_definitions({"ErrorOut": body})
    for methods in schema["paths"].values():
        for method, operation in methods.items():
            schemes = {
                name for scheme in operation.get("security", []) for name in scheme
            }
            # Keyed by int, as ninja keys a route's own statuses.
            responses = operation["responses"]
            for status, response in _auth_refusals(method, schemes).items():
                responses.setdefault(status, response)
            if any(p.get("in") == "path" for p in operation.get("parameters", [])):
                # An id or a code in the path can name nothing the caller may see.
                responses.setdefault(
                    404,
                    _described("Tidak ada, atau di luar wewenang pengguna yang masuk."),
                )
            if _takes_input(operation):
                responses.setdefault(
                    422,
                    _described(
                        "Permintaan tidak sesuai format: pesan per isian di `errors`."
                    ),
                )
            operation["responses"] = dict(sorted(responses.items()))
