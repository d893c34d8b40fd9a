"""The account page (/akun/): one's own name, phone, e-mail, language, the
installed app's name on this phone, the devices used offline, and every
notification the person was sent, read or not."""

import json
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import second_factor
from .app_identity import Identity, identity_of, remember_on_this_phone
from .choices import AppName
from .devices import devices_of, report_device, revoke_device
from .forms import AccountForm, AppNameForm
from .models import Device, User
from .notifications import history_of
from .views_privacy import personal_data_context

DEVICES_SHOWN = 30
NOTIFICATIONS_PER_PAGE = 20
# A report is {"device": "<uuid>"}: a few dozen bytes.
REPORT_MAX_BYTES = 1024


def _own_account(request: HttpRequest) -> User:
    # A fresh copy: a refused form must not change the name the page's account
    # bar shows (a ModelForm writes its input onto the instance it checks).
    return User.objects.get(pk=request.user.pk)


def _account_page(
    request: HttpRequest,
    *,
    account_form: AccountForm | None = None,
    app_name_form: AppNameForm | None = None,
) -> HttpResponse:
    current = identity_of(request)
    choices = [
        {"value": name.value, "label": name.label, "icon": Identity(name).icon(192)}
        for name in AppName
    ]
    return render(
        request,
        "learning/account.html",
        {
            "account_form": account_form or AccountForm(instance=_own_account(request)),
            "app_name_form": app_name_form,
            "app_name_choices": choices,
            "app_name_current": current.app_name.value,
            "devices": list(devices_of(request.user)[:DEVICES_SHOWN]),
            "notifications": Paginator(
                history_of(request.user), NOTIFICATIONS_PER_PAGE
            ).get_page(request.GET.get("pemberitahuan")),
            **personal_data_context(request.user),
            # Staff reach their code app from here; trainees never see it.
            "second_factor_offered": second_factor.may_use(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    """Show the account; a POST changes name, phone and e-mail."""
    if request.method != "POST":
        return _account_page(request)
    form = AccountForm(request.POST, instance=_own_account(request))
    if not form.is_valid():
        return _account_page(request, account_form=form)
    form.save()
    messages.success(request, _("Data akun kamu tersimpan."))
    return redirect("account")


@login_required
@require_POST
def choose_app_name(request: HttpRequest) -> HttpResponse:
    """Name the installed app on this phone; kept on the person too."""
    form = AppNameForm(request.POST)
    if not form.is_valid():
        return _account_page(request, app_name_form=form)
    app_name = form.cleaned_data["app_name"]
    User.objects.filter(pk=request.user.pk).update(app_name=app_name)
    response = redirect("account")
    remember_on_this_phone(response, app_name)
    messages.success(
        request,
        _(
            "Di ponsel ini aplikasi sekarang bernama %(name)s. Bila sudah "
            "terpasang dengan nama lain, hapus ikonnya lalu pasang lagi."
        )
        % {"name": AppName(app_name).label},
    )
    return response


@login_required
@require_POST
def device_revoke(request: HttpRequest, device_uuid: uuid.UUID) -> HttpResponse:
    """ "Cabut": one of one's own devices no longer opens one's stored pages."""
    try:
        device = revoke_device(user=request.user, device_uuid=device_uuid)
    except Device.DoesNotExist:
        raise Http404 from None
    messages.success(
        request,
        _("Perangkat %(label)s dicabut.") % {"label": device.label or _("tak dikenal")},
    )
    return redirect("account")


def _refused(detail: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


@require_POST
def device_report(request: HttpRequest) -> JsonResponse:
    """The service worker says this browser (by its UUID) is in use offline.

    Answers whether the device has been revoked, so the browser drops what it
    stored for this person. Signed-in only; CSRF through X-CSRFToken.
    """
    if not request.user.is_authenticated:
        return _refused(_("Masuk dulu untuk melaporkan perangkat."), status=403)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = REPORT_MAX_BYTES + 1
    if length > REPORT_MAX_BYTES:
        return _refused(_("Laporan perangkat terlalu besar."))
    try:
        data = json.loads(request.body or b"null")
    except (ValueError, RecursionError):
        return _refused(_("Laporan perangkat bukan JSON yang sah."))
    value = data.get("device") if isinstance(data, dict) else None
    try:
        device_uuid = uuid.UUID(value) if isinstance(value, str) else None
    except ValueError:
        device_uuid = None
    if device_uuid is None:
        return _refused(_('Laporan perangkat perlu "device": UUID perangkat ini.'))
    device = report_device(
        user=request.user,
        device_uuid=device_uuid,
        user_agent=request.headers.get("User-Agent", ""),
    )
    return JsonResponse({"revoked": device.revoked_at is not None})
