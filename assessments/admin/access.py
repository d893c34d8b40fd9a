"""Who may open the assessments admin screens, and the one way of refusing.

Results, marking and the competence matrix are for facilitators and
coordinators (and superusers); each screen asks before any query about people.
"""

from django.template.response import TemplateResponse

from wagtail.admin.menu import MenuItem

from learning.scope import is_active_staff


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


def facilitators_allowed(request) -> bool:
    """`is_active_staff` for the request's user, asked once per request."""
    # Asked by every menu item on every admin page: once per request is enough.
    if not hasattr(request, "_quiz_results_allowed"):
        request._quiz_results_allowed = is_active_staff(request.user)
    return request._quiz_results_allowed


class FacilitatorsOnly(PermissionOr403Mixin):
    """Facilitators and coordinators only, asked before any query about people.

    Trainees never get this far: Wagtail sends anyone without admin access to
    its login.
    """

    def is_allowed(self, request) -> bool:
        return facilitators_allowed(request)


class FacilitatorMenuItem(MenuItem):
    """A menu item shown to facilitators and coordinators only."""

    def is_shown(self, request):
        return facilitators_allowed(request)
