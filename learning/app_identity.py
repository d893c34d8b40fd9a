"""The installed app's name and icon on one phone: "Pendamping" or "Belajar".

A companion who shares her phone with someone who must not know she trains
to support victims can choose the neutral name "Belajar" with a plain book
for an icon. The choice belongs to the phone (its home screen), so it lives
in a long-lived cookie that sign-out leaves in place; it is also kept on the
person (`User.app_name`) and set again on any phone where she signs in.
The more discreet name always wins: signing in never turns a phone's
"Belajar" back into "Pendamping", only the account page does.

Browsers fetch the web app manifest without cookies, so the page's
`<link rel="manifest">` carries the name in its address
(`/manifest.webmanifest?nama=belajar`) and the manifest reads it from there.
"""

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .choices import AppName

COOKIE_NAME = "app_nama"
# Chrome keeps no cookie longer than 400 days.
COOKIE_MAX_AGE = 400 * 24 * 60 * 60
MANIFEST_MAX_AGE = 60 * 60
# site.css: --brand for the bar above the page, --wash behind the splash screen.
THEME_COLOUR = "#7a2e5c"
BACKGROUND_COLOUR = "#f4f1ec"


@dataclass(frozen=True)
class Identity:
    """What a page and the manifest need to show one name."""

    app_name: AppName

    @property
    def name(self) -> str:
        return "Belajar" if self.app_name == AppName.BELAJAR else "Pendamping"

    @property
    def is_neutral(self) -> bool:
        return self.app_name == AppName.BELAJAR

    def icon(self, size: int, *, maskable: bool = False) -> str:
        suffix = "-maskable" if maskable else ""
        return static(f"learning/icons/{self.app_name.value}{suffix}-{size}.png")

    @property
    def manifest_url(self) -> str:
        url = reverse("web_manifest")
        return f"{url}?nama={self.app_name.value}" if self.is_neutral else url


def identity_named(value: str | None) -> Identity:
    """The identity a cookie or query value names; anything else is the default."""
    if value in AppName.values:
        return Identity(AppName(value))
    return Identity(AppName.PENDAMPING)


def identity_of(request: HttpRequest) -> Identity:
    """This phone's name: its cookie, or the signed-in person's own choice."""
    chosen = identity_named(request.COOKIES.get(COOKIE_NAME))
    if chosen.is_neutral:
        return chosen
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return identity_named(user.app_name)
    return chosen


def remember_on_this_phone(response: HttpResponse, app_name: str) -> None:
    """Set (or, for the default, remove) the phone's cookie on `response`."""
    if identity_named(app_name).is_neutral:
        response.set_cookie(
            COOKIE_NAME,
            AppName.BELAJAR.value,
            max_age=COOKIE_MAX_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    else:
        response.delete_cookie(COOKIE_NAME, samesite="Lax")


def reapply_at_sign_in(response: HttpResponse, user) -> None:
    """At sign-in on any phone: a person who chose "Belajar" gets it here too."""
    if identity_named(user.app_name).is_neutral:
        remember_on_this_phone(response, user.app_name)


def app_identity(request: HttpRequest) -> dict:
    """Context processor: the name for the title and brand, the manifest's address
    (and, for a signed-in person, where the page script reports the device)."""
    identity = identity_of(request)
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        # Where the page script reports this browser (learning/devices.py).
        "DEVICE_REPORT_URL": reverse("device_report") if signed_in else "",
        "APP_NAME": identity.name,
        "APP_IS_NEUTRAL": identity.is_neutral,
        "APP_MANIFEST_URL": identity.manifest_url,
        "APP_ICON": identity.icon(192),
        "APP_TOUCH_ICON": identity.icon(192, maskable=True),
        "APP_THEME_COLOUR": THEME_COLOUR,
    }


@require_safe
def web_manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest for the name in `?nama=` (the default otherwise).

    The same for everyone (no cookie is read, nothing of the person), so it
    may be cached for a while.
    """
    identity = identity_named(request.GET.get("nama"))
    icons = [
        {
            "src": identity.icon(size, maskable=maskable),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": "maskable" if maskable else "any",
        }
        for maskable in (False, True)
        for size in (192, 512)
    ]
    description = (
        _("Bahan belajar, juga tanpa sinyal.")
        if identity.is_neutral
        else _("Pelatihan pendamping korban dan paralegal desa di NTT.")
    )
    manifest = {
        "id": "/",
        "name": identity.name,
        "short_name": identity.name,
        "description": description,
        "lang": settings.LANGUAGE_CODE,
        "dir": "ltr",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": icons,
    }
    response = JsonResponse(
        manifest,
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )
    patch_cache_control(response, public=True, max_age=MANIFEST_MAX_AGE)
    response.same_for_everyone = True
    return response
