"""Wagtail's user screens, fitted to people who may have no e-mail or surname."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet


class _AccountFields(forms.Form):
    # Many trainees have no e-mail, and many people in NTT go by one name.
    email = forms.EmailField(required=False, label=_("Email (boleh kosong)"))
    first_name = forms.CharField(required=True, label=_("Nama"))
    last_name = forms.CharField(required=False, label=_("Nama belakang (boleh kosong)"))


class AccountCreationForm(UserCreationForm):
    email = _AccountFields.base_fields["email"]
    first_name = _AccountFields.base_fields["first_name"]
    last_name = _AccountFields.base_fields["last_name"]


class AccountEditForm(UserEditForm):
    email = _AccountFields.base_fields["email"]
    first_name = _AccountFields.base_fields["first_name"]
    last_name = _AccountFields.base_fields["last_name"]


class UserViewSet(WagtailUserViewSet):
    def get_form_class(self, for_update=False):
        return AccountEditForm if for_update else AccountCreationForm
