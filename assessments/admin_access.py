"""The assessments admin's one way of refusing a signed-in admin user."""

from django.template.response import TemplateResponse


class PermissionOr403Mixin:
    """Answer 403 to a signed-in admin user the `allowed` test refuses.

    Raising PermissionDenied inside the admin would send them to the
    dashboard with a message instead.
    """

    allowed = staticmethod(lambda user: False)

    def is_allowed(self, request) -> bool:
        return self.allowed(request.user)

    def dispatch(self, request, *args, **kwargs):
        if not self.is_allowed(request):
            return TemplateResponse(
                request,
                "assessments/admin/forbidden.html",
                {"page_title": self.page_title, "header_icon": "warning"},
                status=403,
            )
        return super().dispatch(request, *args, **kwargs)
