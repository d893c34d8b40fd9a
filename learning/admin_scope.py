"""The scope rule, applied to Wagtail's admin screens.

A viewset's permission policy says whether someone may act on an object;
here it also asks `learning.scope`, so an edit or delete URL typed by hand
for someone outside one's scope is refused like any other missing permission.
Seeing and changing are two rules: `scope` says what a person may see,
`change_scope` (when given) what they may change or delete.
"""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import ProtectedError, QuerySet, RestrictedError
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from wagtail.permission_policies.base import ModelPermissionPolicy

from .choices import ADMIN_ROLES, Role
from .models import User
from .scope import is_active_staff

Scope = Callable[..., QuerySet]


READ_ACTIONS = frozenset({"view"})


class ScopedPermissionPolicy(ModelPermissionPolicy):
    def __init__(self, model, *, scope: Scope, change_scope: Scope | None = None):
        super().__init__(model)
        self.scope = scope
        self.change_scope = change_scope or scope

    def _scope_for(self, actions) -> Scope:
        return self.scope if set(actions) <= READ_ACTIONS else self.change_scope

    def user_has_permission_for_instance(self, user, action, instance):
        return (
            self.user_has_permission(user, action)
            and self._scope_for({action})(user).filter(pk=instance.pk).exists()
        )

    def instances_user_has_any_permission_for(self, user, actions):
        allowed = {
            action for action in actions if self.user_has_permission(user, action)
        }
        if not allowed:
            return self.model._default_manager.none()
        if "view" in allowed:
            return self.scope(user)
        return self.change_scope(user)


class CoordinatorsWritePolicy(ScopedPermissionPolicy):
    """Roles, not Django model permissions: every active staff member may look,
    coordinators and superusers may add, change and delete; which rows each may
    touch is the `scope` / `change_scope` pair."""

    def user_has_permission(self, user, action):
        if action == "view":
            return is_active_staff(user)
        if action in ("add", "change", "delete"):
            return may_write_as_coordinator(user)
        return False

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        roles = (
            [role.value for role in ADMIN_ROLES]
            if "view" in actions
            else [Role.KOORDINATOR.value]
        )
        active = User.objects.filter(is_active=True)
        return active.filter(
            pk__in=Group.objects.filter(name__in=roles).values("user")
        ) | active.filter(is_superuser=True)


def may_write_as_coordinator(user) -> bool:
    return is_active_staff(user) and (
        user.is_superuser or user.has_role(Role.KOORDINATOR)
    )


class ScopedIndexMixin:
    """An index view listing only what the viewset's scope allows.

    Rows the person may see but not change open read-only (the inspect view)
    and offer no edit or delete button.
    """

    def get_base_queryset(self):
        return self.permission_policy.instances_user_has_any_permission_for(
            self.request.user, ["add", "change", "delete", "view"]
        )

    @cached_property
    def _changeable_pks(self) -> frozenset | None:
        """Pks the person may change, or None where the policy has no scope."""
        policy = self.permission_policy
        if not isinstance(policy, ScopedPermissionPolicy):
            return None
        user = self.request.user
        if not policy.user_has_any_permission(user, ["change", "delete"]):
            return frozenset()
        return frozenset(policy.change_scope(user).values_list("pk", flat=True))

    def _may_change(self, instance) -> bool:
        return self._changeable_pks is None or instance.pk in self._changeable_pks

    def get_edit_url(self, instance):
        return super().get_edit_url(instance) if self._may_change(instance) else None

    def get_delete_url(self, instance):
        if self._may_change(instance):
            return super().get_delete_url(instance)
        return None


class ScopedObjectMixin:
    """Edit, delete and history views refuse an object outside one's scope.

    Wagtail's generic views check the model permission only; this adds the
    instance check the scope rule needs.
    """

    scoped_action = "change"

    def get_object(self, *args, **kwargs):
        # Wagtail's views differ: some take a queryset, history and usage none.
        obj = super().get_object(*args, **kwargs)
        if not self.permission_policy.user_has_permission_for_instance(
            self.request.user, self.scoped_action, obj
        ):
            raise PermissionDenied
        return obj


def scoped(view_class, action="change"):
    """`view_class` with the scope check on the object it opens.

    Delete views also keep what other records still need.
    """
    if action == "delete":
        view_class = keeping_what_is_in_use(view_class)
    return type(
        "Scoped" + view_class.__name__,
        (ScopedObjectMixin, view_class),
        {"scoped_action": action},
    )


class KeepWhatIsInUseMixin:
    """A delete view that keeps a record other records still need.

    The database refuses (`on_delete=PROTECT`); this says so in words and
    changes nothing, instead of a server error.
    """

    def form_valid(self, form):
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except (ProtectedError, RestrictedError) as error:
            kinds = sorted(
                {str(capfirst(row._meta.verbose_name)) for row in error.args[1]}
            )
            messages.error(
                self.request,
                _(
                    "%(record)s tidak dapat dihapus karena masih dipakai oleh "
                    "catatan lain: %(kinds)s."
                )
                % {"record": self.object, "kinds": ", ".join(kinds)},
            )
            return redirect(self.request.path)


def keeping_what_is_in_use(view_class):
    """`view_class` (a delete view) that refuses politely to delete what is in use."""
    return type("Keeping" + view_class.__name__, (KeepWhatIsInUseMixin, view_class), {})
