"""The scope rule, applied to Wagtail's admin screens.

A viewset's permission policy says whether someone may act on an object;
here it also asks `learning.scope`, so an edit or delete URL typed by hand
for someone outside one's scope is refused like any other missing permission.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from wagtail.permission_policies.base import ModelPermissionPolicy

Scope = Callable[..., QuerySet]


class ScopedPermissionPolicy(ModelPermissionPolicy):
    def __init__(self, model, *, scope: Scope):
        super().__init__(model)
        self.scope = scope

    def user_has_permission_for_instance(self, user, action, instance):
        return (
            self.user_has_permission(user, action)
            and self.scope(user).filter(pk=instance.pk).exists()
        )

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model._default_manager.none()
        return self.scope(user)


class ScopedIndexMixin:
    """An index view listing only what the viewset's scope allows."""

    def get_base_queryset(self):
        return self.permission_policy.instances_user_has_any_permission_for(
            self.request.user, ["add", "change", "delete", "view"]
        )


class ScopedObjectMixin:
    """Edit, delete and history views refuse an object outside one's scope.

    Wagtail's generic views check the model permission only; this adds the
    instance check the scope rule needs.
    """

    scoped_action = "change"

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not self.permission_policy.user_has_permission_for_instance(
            self.request.user, self.scoped_action, obj
        ):
            raise PermissionDenied
        return obj


def scoped(view_class, action="change"):
    """`view_class` with the scope check on the object it opens."""
    return type(
        "Scoped" + view_class.__name__,
        (ScopedObjectMixin, view_class),
        {"scoped_action": action},
    )
