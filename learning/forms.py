from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.sites.shortcuts import get_current_site
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


class QueuedPasswordResetForm(auth_forms.PasswordResetForm):
    """ "Lupa kata sandi": the link is made and mailed by the worker
    (`learning.tasks.send_password_reset`), queued through the outbox, so the
    request never waits for the mail server and no link is stored."""

    def save(self, domain_override=None, use_https=False, request=None, **kwargs):
        from .outbox import enqueue
        from .tasks import send_password_reset

        site = get_current_site(request)
        for user in self.get_users(self.cleaned_data["email"]):
            enqueue(
                send_password_reset,
                user.pk,
                domain=domain_override or site.domain,
                site_name=domain_override or site.name,
                use_https=use_https,
            )
