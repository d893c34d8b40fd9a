"""The staff sign-in form: Wagtail's, with its field words in Indonesian.

Wagtail's form leaves the password field without a label, so Django names it
after the field ("Password"), untranslated. Its placeholders repeat the labels
and are cut on a phone, so they go.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms.auth import LoginForm


class StaffLoginForm(LoginForm):
    password = forms.CharField(
        label=_("Kata sandi"), strip=False, widget=forms.PasswordInput()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.pop("placeholder", None)
