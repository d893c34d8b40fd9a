from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.sites.shortcuts import get_current_site
from django.utils.translation import gettext_lazy as _

from .choices import AppName
from .models import User


class SignInForm(auth_forms.AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Nama pengguna atau kata sandi salah. Perhatikan huruf besar dan kecil."
        ),
        "inactive": _("Akun ini tidak aktif. Hubungi fasilitator kamu."),
    }
    # On a shared phone the session ends when the browser closes unless this
    # is ticked (learning.sign_in_middleware.start_session).
    ingat_saya = forms.BooleanField(
        label=_("Ingat saya"),
        required=False,
        template_name="includes/choice_field.html",
        help_text=_(
            "Centang hanya di ponsel milikmu sendiri. Tanpa centang, kamu keluar "
            "saat browser ditutup."
        ),
    )

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
        help_text=_("Hanya akun peserta dan alumni yang berada dalam wewenang kamu."),
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


class AccountForm(forms.ModelForm):
    """What a person changes about herself: her name, phone and e-mail.

    The username (how facilitators know her), roles, organisation and village
    stay with the facilitator. A new e-mail address is where password-reset
    links go, so changing it asks for the password: someone who finds the
    account open on a shared phone cannot make it theirs.
    """

    phone = forms.CharField(
        label=_("Nomor HP"),
        required=False,
        max_length=30,
        help_text=_("Boleh kosong. Ditulis 0812… atau +62812…; disimpan sebagai +62…"),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    current_password = forms.CharField(
        label=_("Kata sandi kamu"),
        required=False,
        strip=False,
        max_length=128,
        help_text=_("Hanya perlu diisi bila kamu mengganti alamat email."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    class Meta:
        model = User
        fields = ["first_name", "last_name", "phone", "email"]
        labels = {
            "first_name": _("Nama depan"),
            "last_name": _("Nama belakang"),
            "email": _("Alamat email"),
        }
        help_texts = {
            "last_name": _("Boleh kosong."),
            "email": _(
                "Boleh kosong. Dipakai untuk pemberitahuan dan bila kamu lupa "
                "kata sandi."
            ),
        }
        error_messages = {
            "email": {"invalid": _("Alamat email tidak sah. Contoh: nama@contoh.id")}
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["first_name"].error_messages["required"] = _("Tulis nama kamu.")
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def clean_phone(self) -> str:
        from .phones import normalise_phone

        return normalise_phone(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get("email")
        if (
            email
            and email.lower() != (self.initial.get("email") or "").lower()
            and not self.instance.check_password(cleaned.get("current_password", ""))
        ):
            self.add_error(
                "current_password",
                _("Untuk mengganti alamat email, tulis kata sandi kamu dengan benar."),
            )
        return cleaned


class AppNameForm(forms.Form):
    """The name and icon of the installed app on this phone."""

    app_name = forms.ChoiceField(
        label=_("Nama aplikasi di ponsel ini"),
        choices=AppName.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Pilih salah satu nama."),
            "invalid_choice": _("Pilih salah satu nama."),
        },
    )
