"""The second factor's pages: giving a code at sign-in, adding a code app.

The rules are in `learning.second_factor`; these pages collect a code and
call them. `SecondFactorMiddleware` sends people here; a trainee who finds
the address gets "not found", as for any page that is not theirs.
"""

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

import django_otp

from . import second_factor
from .throttle import allow

# Codes a person may try: per person and address, and per person from any
# address (a guesser who changes network is still counted).
ATTEMPTS_PER_ADDRESS = 5
ATTEMPTS_PER_PERSON = 15
ATTEMPT_WINDOW_SECONDS = 5 * 60


class CodeForm(forms.Form):
    kode = forms.CharField(
        label=gettext_lazy("Kode"),
        max_length=32,
        strip=True,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "autocorrect": "off",
                "spellcheck": "false",
                "inputmode": "text",
            }
        ),
    )


def _attempt_allowed(request: HttpRequest) -> bool:
    person = str(request.user.pk)
    return allow(
        request,
        bucket=f"faktor-kedua:{person}",
        limit=ATTEMPTS_PER_ADDRESS,
        per_seconds=ATTEMPT_WINDOW_SECONDS,
    ) and allow(
        request,
        bucket="faktor-kedua-orang",
        key=person,
        limit=ATTEMPTS_PER_PERSON,
        per_seconds=ATTEMPT_WINDOW_SECONDS,
    )


def _too_many() -> str:
    minutes = ATTEMPT_WINDOW_SECONDS // 60
    return _(
        "Terlalu banyak kode dicoba. Tunggu %(minutes)s menit, lalu coba lagi."
    ) % {"minutes": minutes}


def _safe_next_value(request: HttpRequest) -> str:
    """The `next` address asked for, when it is a page of this site; else ""."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if "\x00" not in candidate and url_has_allowed_host_and_scheme(
        candidate,
        allowed_hosts={request.get_host()},
        require_https=request.is_secure(),
    ):
        return candidate
    return ""


def _next_url(request: HttpRequest) -> str:
    return _safe_next_value(request) or resolve_url(settings.LOGIN_REDIRECT_URL)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of sign-in: a code from the app, or a recovery code."""
    user = request.user
    if not second_factor.may_use(user):
        raise Http404
    if user.is_verified():
        return redirect(_next_url(request))
    if not second_factor.has_confirmed_device(user):
        # Reset by a superuser since this session began: nothing to ask for.
        request.session[second_factor.SESSION_HAS_DEVICE] = False
        if second_factor.is_required_for(user):
            return redirect("second_factor_enrol")
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not _attempt_allowed(request):
            form.is_valid()
            form.add_error(None, _too_many())
            status = 429
        elif form.is_valid():
            device = second_factor.verify_code(
                user=user, code=form.cleaned_data["kode"]
            )
            if device is not None:
                # A new session key for the stronger sign-in, as at a password.
                request.session.cycle_key()
                django_otp.login(request, device)
                return redirect(_next_url(request))
            form.add_error(
                "kode",
                _(
                    "Kode tidak cocok. Ketik 6 angka yang sedang tampil di aplikasi "
                    "kode, atau satu kode cadangan."
                ),
            )
    return render(
        request,
        "learning/second_factor/verify.html",
        {"form": form, "next": _safe_next_value(request)},
        status=status,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """Add a code app: scan the QR code (or type the secret), give the first
    code; the recovery codes are shown once, on the answer to that."""
    user = request.user
    if not second_factor.may_use(user):
        raise Http404
    if second_factor.has_confirmed_device(user):
        if not user.is_verified():
            return redirect("second_factor_verify")
        return render(
            request,
            "learning/second_factor/status.html",
            {
                "codes_left": second_factor.recovery_codes_left(user),
                "required": second_factor.is_required_for(user),
            },
        )
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not _attempt_allowed(request):
            form.is_valid()
            form.add_error(None, _too_many())
            status = 429
        elif form.is_valid():
            try:
                device, codes = second_factor.confirm_enrolment(
                    user=user, code=form.cleaned_data["kode"], request=request
                )
            except second_factor.SecondFactorError as refusal:
                form.add_error("kode", str(refusal))
            else:
                request.session.cycle_key()
                django_otp.login(request, device)
                request.session[second_factor.SESSION_HAS_DEVICE] = True
                return render(
                    request,
                    "learning/second_factor/recovery_codes.html",
                    {"codes": codes, "next": _next_url(request)},
                )
    try:
        device = second_factor.pending_device(user=user)
    except second_factor.SecondFactorError:
        # Confirmed meanwhile (another tab, a second press): the status page.
        return redirect("second_factor_enrol")
    return render(
        request,
        "learning/second_factor/enrol.html",
        {
            "form": form,
            "qr_svg": second_factor.qr_svg(device),
            "secret": second_factor.secret_text(device),
            "required": second_factor.is_required_for(user),
            "next": _safe_next_value(request),
        },
        status=status,
    )
