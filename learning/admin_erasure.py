"""The coordinator's side of erasure (`learning.erasure`): the confirmation
page behind "Anonimkan" on a person's admin page, the button itself, and
the home panel counting the accounts not seen for `PENDAMPING_INACTIVE_YEARS`
years (linked to the people list filtered to them).
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.components import Component
from wagtail.admin.widgets import Button

from .admin_scope import may_write_as_coordinator
from .erasure import (
    anonymise_person,
    inactive_people,
    is_anonymised,
    may_erase,
    people_erasable_by,
)
from .models import User
from .scope import can_see_person, is_active_staff

USERNAME_MAX = 150
INACTIVE_FILTER = "tidak_aktif"


class ConfirmErasureForm(forms.Form):
    """The person's username, typed: the one step that cannot be undone is
    taken on purpose. CharField refuses NUL bytes itself."""

    username = forms.CharField(
        label=_("Ketik nama pengguna orang ini untuk memastikan"),
        max_length=USERNAME_MAX,
        error_messages={
            "required": _("Ketik nama pengguna orang ini untuk memastikan."),
            "max_length": _("Nama pengguna itu terlalu panjang."),
        },
    )

    def __init__(self, *args, person: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_username(self):
        typed = self.cleaned_data["username"].strip()
        if typed != self.person.username:
            raise forms.ValidationError(
                _(
                    "Nama pengguna yang diketik tidak sama dengan nama pengguna "
                    "orang ini. Tidak ada yang diubah."
                )
            )
        return typed


def _person_or_refuse(request, pk: int) -> User:
    """The person, if the signed-in coordinator may anonymise them.

    Someone one cannot see is "not found", as everywhere; someone one sees but
    may not erase is refused.
    """
    if not is_active_staff(request.user):
        raise PermissionDenied
    person = User.objects.filter(pk=pk).first()
    if person is None:
        raise Http404
    if may_erase(request.user, person):
        return person
    if can_see_person(request.user, person):
        raise PermissionDenied
    raise Http404


def _done_message(pseudonym: str) -> str:
    return gettext(
        "Data pribadi orang ini sudah dihapus. Akunnya sekarang bernama %(name)s "
        "dan tidak bisa dipakai masuk; catatan dan angka programnya tetap."
    ) % {"name": pseudonym}


def erase_person_view(request, pk: int):
    person = _person_or_refuse(request, pk)
    people_url = reverse("wagtailusers_users:index")
    if is_anonymised(person):
        # A repeat (a double click, a page left open) answers like the first.
        if request.method == "POST":
            messages.success(request, _done_message(person.username))
            return redirect(people_url)
        return _page(request, person, form=None, done=True)
    form = ConfirmErasureForm(
        request.POST if request.method == "POST" else None, person=person
    )
    if request.method == "POST" and form.is_valid():
        try:
            erasure = anonymise_person(person, actor=request.user, request=request)
        except PermissionDenied:
            form.add_error(
                None, gettext("Kamu tidak lagi boleh menganonimkan orang ini.")
            )
        else:
            messages.success(request, _done_message(erasure.pseudonym))
            return redirect(people_url)
    return _page(request, person, form=form, done=False)


def _page(request, person: User, *, form, done: bool):
    return TemplateResponse(
        request,
        "learning/admin/erase_person.html",
        {
            "page_title": gettext("Anonimkan orang"),
            "header_icon": "warning",
            "person": person,
            "form": form,
            "done": done,
            "people_url": reverse("wagtailusers_users:index"),
        },
    )


def erase_admin_urls():
    return [
        path(
            "orang/<id:pk>/anonimkan/",
            erase_person_view,
            name="learning_erase_person",
        ),
    ]


# --- the button ---------------------------------------------------------------------


def erase_url_for(request_user: User, person: User) -> str | None:
    """The confirmation page's address, when `request_user` may use it."""
    if is_anonymised(person) or not may_erase(request_user, person):
        return None
    return reverse("learning_erase_person", args=[person.pk])


def header_button(request_user: User, person: User) -> Button | None:
    """ "Anonimkan" among the person's page's other actions (Wagtail's "…")."""
    url = erase_url_for(request_user, person)
    if url is None:
        return None
    return Button(_("Anonimkan (hapus data pribadi)"), url=url, icon_name="warning")


# --- retention --------------------------------------------------------------------


def inactive_label() -> str:
    years = settings.PENDAMPING_INACTIVE_YEARS
    return ngettext(
        "Tidak aktif %(years)s tahun atau lebih",
        "Tidak aktif %(years)s tahun atau lebih",
        years,
    ) % {"years": years}


class InactivePanel(Component):
    """On the admin home: how many of one's people have not been seen for
    `PENDAMPING_INACTIVE_YEARS` years, linked to the list of them."""

    name = "inactive_people"
    template_name = "learning/admin/panels/inactive_people.html"
    order = 160

    def __init__(self, count: int, url: str):
        self.count = count
        self.url = url

    def get_context_data(self, parent_context=None):
        return {
            "count": self.count,
            "url": self.url,
            "years": settings.PENDAMPING_INACTIVE_YEARS,
        }


def add_inactive_panel(request, panels) -> None:
    if not may_write_as_coordinator(request.user):
        return
    count = inactive_people(people_erasable_by(request.user)).count()
    if count:
        url = reverse("wagtailusers_users:index") + f"?{INACTIVE_FILTER}=true"
        panels.append(InactivePanel(count, url))
