from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers

from csp.middleware import CSPMiddleware, PolicyParts


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        response.setdefault("X-Permitted-Cross-Domain-Policies", "none")
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """The strict policy everywhere; the Wagtail admin gets its own (settings)."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(
            tuple(settings.CONTENT_SECURITY_POLICY_ADMIN_PREFIXES)
        ):
            parts.config = settings.CONTENT_SECURITY_POLICY_ADMIN
        return parts


class OneTimePasswordMiddleware:
    """Sends a person who signed in with a one-time password to choose their own.

    Until they do, every page but the password form, sign-out and quick exit
    redirects there, so a password a facilitator has seen is never kept.
    """

    allowed_url_names = ("password_change", "logout", "quick_exit", "set_language")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = {reverse(name) for name in self.allowed_url_names}
            if request.path_info not in allowed and not request.path_info.startswith(
                settings.STATIC_URL
            ):
                return redirect("password_change")
        return self.get_response(request)


class PrivateCacheMiddleware:
    """Pages shown to a signed-in person are never stored by the browser.

    On a shared phone, pressing Back after sign-out or quick exit must not
    bring a private page back from the cache.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        # A few answers are the same for everyone and hold nothing of the
        # person (the service worker's script, the manifest): those may be
        # revalidated instead of downloaded again on every page.
        if getattr(response, "same_for_everyone", False):
            return response
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            patch_vary_headers(response, ["Cookie"])
        return response


class LanguageMiddleware:
    """Indonesian unless the person chose otherwise with the language switcher.

    Django's LocaleMiddleware follows the browser's Accept-Language, and many
    phones in NTT are set to English although their owners read Indonesian;
    here only the switcher's cookie changes the language.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Cookie"])
        return response
