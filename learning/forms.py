from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from .models import User


class SignInForm(auth_forms.AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Nama pengguna atau kata sandi salah. Perhatikan huruf besar dan kecil."
        ),
        "inactive": _("Akun ini tidak aktif. Hubungi fasilitator Anda."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Nama pengguna")
        self.fields["username"].widget.attrs.update(
            {"autocapitalize": "none", "autocorrect": "off", "spellcheck": "false"}
        )
        self.fields["password"].label = _("Kata sandi")


class OwnPasswordChangeForm(auth_forms.PasswordChangeForm):
    """Changing one's password also ends a one-time password's hold."""

    def save(self, commit: bool = True) -> User:
        self.user.must_change_password = False
        return super().save(commit=commit)


class OneTimePasswordForm(forms.Form):
    """Pick the account to receive a one-time password (admin screen)."""

    account = forms.ModelChoiceField(
        label=_("Akun"),
        queryset=User.objects.none(),
        help_text=_("Hanya akun peserta dan alumni yang berada dalam wewenang Anda."),
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = queryset.order_by(
            "first_name", "last_name", "username"
        )
        self.fields["account"].label_from_instance = lambda user: (
            f"{user.display_name} ({user.username})"
        )
