"""Admin: how big each module's offline package is ("Paket offline").

Facilitators see what a trainee will download over 2G before recommending
"Simpan untuk dibaca offline"; a package not built yet for the module as it
is published now is built here.
"""

from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from learning.scope import is_active_staff

from .models import ModulePage
from .offline import package_for

# The curriculum has a few dozen modules; a longer list is shown in part.
MAX_MODULES = 100


class OfflinePackagesView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "modules/admin/offline_packages.html"
    page_title = _("Paket offline")
    header_icon = "download"

    def dispatch(self, request, *args, **kwargs):
        if not is_active_staff(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        modules = list(ModulePage.objects.live().order_by("path")[:MAX_MODULES])
        rows = []
        for module in modules:
            package = package_for(request=self.request, module=module)
            kinds = {entry["kind"] for entry in package.entries}
            rows.append({"module": module, "package": package, "pdf": "pdf" in kinds})
        context["rows"] = rows
        return context


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return is_active_staff(request.user)


def admin_urls():
    return [
        path(
            "paket-offline/",
            OfflinePackagesView.as_view(),
            name="modules_offline_packages",
        )
    ]


def menu_item():
    return StaffMenuItem(
        _("Paket offline"),
        reverse("modules_offline_packages"),
        icon_name="download",
        order=900,
    )
