from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .accounts import issue_one_time_password
from .forms import OneTimePasswordForm
from .scope import accounts_manageable_by


class OneTimePasswordView(PermissionRequiredMixin, WagtailAdminTemplateMixin, FormView):
    """A facilitator gives a trainee without e-mail a password to replace."""

    permission_required = "learning.set_one_time_password"
    template_name = "learning/admin/one_time_password.html"
    form_class = OneTimePasswordForm
    page_title = _("Kata sandi sementara")
    header_icon = "key"
    breadcrumbs_items = [
        {"url": reverse_lazy("wagtailadmin_home"), "label": _("Beranda")},
        {"url": "", "label": _("Kata sandi sementara")},
    ]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["queryset"] = accounts_manageable_by(self.request.user)
        return kwargs

    def form_valid(self, form):
        account = form.cleaned_data["account"]
        try:
            password = issue_one_time_password(
                account=account, issued_by=self.request.user
            )
        except PermissionDenied as error:
            form.add_error("account", str(error))
            return self.form_invalid(form)
        # Shown once, on this response only; never stored in clear.
        return self.render_to_response(
            self.get_context_data(
                form=self.get_form_class()(
                    queryset=accounts_manageable_by(self.request.user)
                ),
                issued_for=account,
                password=password,
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action_url"] = reverse("learning_one_time_password")
        context["submit_button_label"] = _("Buat kata sandi sementara")
        return context
