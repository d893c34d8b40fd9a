"""What sign-in asks of a session after the password: idle time, second factor.

Both run right after django-otp's OTPMiddleware (which follows Django's
AuthenticationMiddleware), before anything else reads `request.user`.

`IdleSessionMiddleware`: on a shared phone, a trainee's or an alumna's
session ends after `PENDAMPING_IDLE_MINUTES` without a request. The time of
the last request is kept in the session, but written at most once every
`SEEN_WRITE_SECONDS`, so a person reading lesson after lesson costs one
session write a minute, not one per request (SESSION_SAVE_EVERY_REQUEST
would write on every page and every offline-sync call). Each write also
renews the cookie's and the stored session's expiry where the person ticked
"Ingat saya" (`set_expiry` to the idle time at sign-in); unticked, the cookie
ends with the browser (`set_expiry(0)`). The check here is the one that
counts: a cookie kept past its time still finds the session ended. Staff
sessions keep Django's own lifetime; they sign in with a second factor.

`SecondFactorMiddleware`: a facilitator, coordinator or superuser signed in
with a password whose account has a confirmed code app is sent to give a
code before any page; a coordinator or superuser without one, while
`PENDAMPING_2FA_REQUIRED` is on, is sent to add one. Only sign-out, quick
exit, the language switch and the pages of the second factor itself stay
open (and the password form while a one-time password must be replaced).
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import second_factor
from .scope import is_active_staff

# Session keys. KIND is "diam" for a session the idle rule ends, "staf" for
# one it leaves alone; decided once per session (at sign-in, or on the first
# request of a session made elsewhere, e.g. the Wagtail admin's sign-in).
SESSION_KIND = "pendamping_jenis_sesi"
SESSION_SEEN = "pendamping_terakhir_aktif"
SESSION_ENDED_IDLE = "pendamping_sesi_habis"
IDLE_KIND = "diam"
STAFF_KIND = "staf"
SEEN_WRITE_SECONDS = 60


def idle_seconds() -> int:
    return max(1, settings.PENDAMPING_IDLE_MINUTES) * 60


def start_session(request, *, user, remember: bool) -> None:
    """At sign-in: mark the session as idle-ruled or not, and set how long
    its cookie lives (until the browser closes unless `remember`)."""
    if is_active_staff(user):
        request.session[SESSION_KIND] = STAFF_KIND
        return
    request.session[SESSION_KIND] = IDLE_KIND
    request.session[SESSION_SEEN] = int(time.time())
    request.session.set_expiry(idle_seconds() if remember else 0)


class IdleSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self._check(request, user)
        return self.get_response(request)

    def _check(self, request, user) -> None:
        session = request.session
        kind = session.get(SESSION_KIND)
        if kind not in (IDLE_KIND, STAFF_KIND):
            # A session made elsewhere (the admin's sign-in): decided from
            # the roles, which the page reads anyway; stored with the next
            # write below rather than by a write of its own.
            kind = STAFF_KIND if is_active_staff(user) else IDLE_KIND
        if kind != IDLE_KIND:
            return
        now = int(time.time())
        seen = session.get(SESSION_SEEN)
        if not isinstance(seen, int):
            # Not written yet: counted from the sign-in that made it.
            if user.last_login is None:
                session[SESSION_SEEN] = now
                session[SESSION_KIND] = kind
                return
            seen = int(user.last_login.timestamp())
        if now - seen > idle_seconds():
            logout(request)
            # The sign-in page says why (a fresh, anonymous session).
            request.session[SESSION_ENDED_IDLE] = True
            return
        if now - seen >= SEEN_WRITE_SECONDS:
            session[SESSION_SEEN] = now
            session[SESSION_KIND] = kind


class SecondFactorMiddleware:
    open_url_names = (
        "second_factor_verify",
        "second_factor_enrol",
        "logout",
        "quick_exit",
        "set_language",
        "service_worker",
        "web_manifest",
        "favicon",
    )

    def __init__(self, get_response):
        self.get_response = get_response
        self._open_paths = None

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and second_factor.may_use(user)
        ):
            if second_factor.session_has_device(request, user):
                target = "second_factor_verify"
            elif second_factor.is_required_for(user):
                target = "second_factor_enrol"
            else:
                target = None
            if target is not None and not self._is_open(request, user):
                return self._send_to(request, target)
        return self.get_response(request)

    def _is_open(self, request, user) -> bool:
        if self._open_paths is None:
            self._open_paths = {reverse(name) for name in self.open_url_names}
        path = request.path_info
        if path in self._open_paths or path.startswith(settings.STATIC_URL):
            return True
        return user.must_change_password and path == reverse("password_change")

    def _send_to(self, request, target: str):
        if request.path_info.startswith("/api/"):
            message = (
                _("Masukkan dulu kode dari aplikasi kode di halaman masuk.")
                if target == "second_factor_verify"
                else _("Pasang dulu faktor kedua di halaman akun.")
            )
            return JsonResponse({"detail": message}, status=403)
        url = reverse(target)
        if request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})
        return redirect(url)
