"""A superuser resets another person's second factor (a lost phone).

One small admin page (confirm, then reset), reached by a button on the
person's edit page (tab "Peran"). Anyone but a superuser is
refused; the rule itself (`second_factor.reset`) refuses them too, and
records the reset in the audit trail.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import second_factor
from .models import User


@require_http_methods(["GET", "POST"])
def reset_view(request, pk: int):
    if not (request.user.is_active and request.user.is_superuser):
        raise PermissionDenied
    person = get_object_or_404(User, pk=pk)
    if person.pk == request.user.pk:
        raise PermissionDenied
    if request.method == "POST":
        removed = second_factor.reset(
            actor=request.user, person=person, request=request
        )
        if removed:
            messages.success(
                request,
                _(
                    "Faktor kedua %(name)s sudah direset. Saat masuk berikutnya ia "
                    "memasangnya lagi."
                )
                % {"name": person.display_name},
            )
        else:
            messages.info(
                request,
                _("%(name)s belum memasang faktor kedua; tidak ada yang direset.")
                % {"name": person.display_name},
            )
        return redirect("wagtailusers_users:edit", person.pk)
    return TemplateResponse(
        request,
        "learning/admin/second_factor_reset.html",
        {
            "person": person,
            "has_device": second_factor.has_confirmed_device(person),
            "page_title": _("Reset faktor kedua"),
        },
    )


def admin_urls() -> list:
    return [
        path(
            "akun/<id:pk>/faktor-kedua/reset/",
            reset_view,
            name="learning_second_factor_reset",
        )
    ]
