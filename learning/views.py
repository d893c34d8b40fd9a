import uuid

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse, reverse_lazy
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from .app_identity import reapply_at_sign_in
from .bounds import parse_id
from .devices import sign_out_device
from .forms import OwnPasswordChangeForm, SignInForm
from .home import panels_for
from .notifications import mark_read, unread_for
from .sign_in_middleware import SESSION_ENDED_IDLE, start_session

NOTIFICATIONS_ON_HOME = 10


def home(request: HttpRequest) -> HttpResponse:
    """The landing page for visitors; each signed-in role's own home otherwise."""
    if not request.user.is_authenticated:
        return render(request, "learning/landing.html")
    roles = request.user.roles
    return render(
        request,
        "learning/home.html",
        {"roles": roles, "panels": panels_for(request, roles)},
    )


def notifications_panel(request: HttpRequest) -> dict:
    """The home panel's context: the newest unread notifications, two queries."""
    unread = list(
        unread_for(request.user).order_by("-created_at", "-pk")[
            : NOTIFICATIONS_ON_HOME + 1
        ]
    )
    more = len(unread) > NOTIFICATIONS_ON_HOME
    shown = unread[:NOTIFICATIONS_ON_HOME]
    return {
        "notifications": shown,
        "unread_count": unread_for(request.user).count() if more else len(shown),
    }


@login_required
@require_POST
def mark_notifications_read(request: HttpRequest) -> HttpResponse:
    """Mark the notifications a page showed (or, with `semua`, all) as read.

    Only one's own; back to the account page when it asked (`kembali=akun`).
    """
    ids = [
        number
        for value in request.POST.getlist("notification")
        if (number := parse_id(value)) is not None
    ]
    everything = request.POST.get("semua") == "1"
    mark_read(user=request.user, notification_ids=None if everything else ids)
    if request.POST.get("kembali") == "akun":
        return redirect(reverse("account") + "#pemberitahuan")
    return redirect("home")


# Sign-out must not be blocked by a stale CSRF token or a missing cookie: the
# worst a forged request can do here is sign someone out, and a person in
# danger must get off the page every time.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def quick_exit(request: HttpRequest) -> HttpResponse:
    """End the session and leave for a neutral page at once ("Keluar cepat").

    The page script names this phone (`perangkat`), whose sync key ends too.
    """
    end_device_key(
        request, request.POST.get("perangkat") or request.GET.get("perangkat", "")
    )
    logout(request)
    response = redirect(settings.QUICK_EXIT_URL)
    add_never_cache_headers(response)
    # Ask the browser to drop what it cached of this site, so Back shows nothing.
    response["Clear-Site-Data"] = '"cache"'
    return response


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico where a page names no icon (a PDF, a file)."""
    return HttpResponsePermanentRedirect(static("learning/favicon.svg"))


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and operators: which part answers (database, cache,
    broker, worker)? 503 when the database does not (`learning.outage`)."""
    from .outage import health_response

    return health_response()


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "learning/csrf_failure.html", status=403)


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        # A trainee's session ends when idle, and with the browser unless
        # they ticked "Ingat saya"; staff sessions are left as they were.
        start_session(
            self.request,
            user=form.get_user(),
            remember=form.cleaned_data.get("ingat_saya", False),
        )
        # A person who chose the neutral app name gets it on this phone too.
        reapply_at_sign_in(response, form.get_user())
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["ended_idle"] = self.request.session.pop(SESSION_ENDED_IDLE, False)
        return context


class SignOutView(auth_views.LogoutView):
    """Sign out; the device named in `perangkat` (its UUID, filled in by the
    offline script) loses its sync key first, so records left on a shared
    phone cannot be sent as this person any more. A missing or malformed
    value changes nothing: signing out always works."""

    def post(self, request, *args, **kwargs):
        end_device_key(request, request.POST.get("perangkat", ""))
        return super().post(request, *args, **kwargs)


def end_device_key(request: HttpRequest, value: str) -> None:
    """The signed-in person's device named by `value` (a UUID) loses its sync
    key; anything else changes nothing."""
    try:
        device_uuid = uuid.UUID(value[:64])
    except ValueError:
        return
    if request.user.is_authenticated:
        sign_out_device(user=request.user, device_uuid=device_uuid)


class OwnPasswordChangeView(auth_views.PasswordChangeView):
    form_class = OwnPasswordChangeForm
    success_url = reverse_lazy("password_change_done")
