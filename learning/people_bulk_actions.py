"""Wagtail's bulk actions on the Orang list, held to the scope rule.

Wagtail's own (give a role, activate or deactivate, delete) ask only the
model permission and fetch any account whose id is in the URL, even "all".
Here they fetch only the accounts the person manages (others are not
listed, not named, not changed), offer only the roles she may give, and
`refuse_bulk_changes_outside_scope` checks the same again inside the
action's transaction, before anything is written.
"""

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import ProtectedError, Q, QuerySet, RestrictedError
from django.http import Http404
from django.shortcuts import get_list_or_404, redirect
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from wagtail.admin import messages
from wagtail.users.views.bulk_actions.assign_role import AssignRoleBulkAction
from wagtail.users.views.bulk_actions.delete import DeleteBulkAction
from wagtail.users.views.bulk_actions.set_active_state import (
    SetActiveStateBulkAction,
)

from . import audit
from .accounts import bulk_account_change_refusal, grantable_roles
from .bounds import parse_id
from .choices import AuditAction
from .models import User
from .scope import accounts_manageable_by
from .search import clean_search_text


def _manageable(actor: User):
    return User.objects.all() if actor.is_superuser else accounts_manageable_by(actor)


class ScopedUserBulkActionMixin:
    def get_queryset(self, model, object_ids):
        # Ids come from the URL: a word or a number no row can have names
        # nobody (Wagtail's own lookup answered those with a server error),
        # and naming nobody one manages is a 404, whoever they are.
        if not isinstance(object_ids, QuerySet):
            object_ids = [parse_id(value) for value in object_ids]
            if None in object_ids:
                raise Http404
        return get_list_or_404(_manageable(self.request.user), pk__in=object_ids)

    def post(self, request, *args, **kwargs):
        # Pressed twice, the second press finds the people gone (deleted) or
        # changed by the first: the same answer as the first, not a 404 page.
        try:
            return super().post(request, *args, **kwargs)
        except Http404:
            messages.info(
                request,
                _(
                    "Tidak ada yang diubah: orang yang dipilih sudah tidak ada atau "
                    "berada di luar wewenang kamu."
                ),
            )
            return redirect(self.next_url)

    def get_all_objects_in_listing_query(self, parent_id):
        # "All" means everyone the list showed: the people one manages that
        # match its search box. Wagtail passed the box to the database as
        # typed, and on PostgreSQL a NUL in it was a server error.
        manageable = _manageable(self.request.user)
        if words := clean_search_text(self.request.GET.get("q", "")):
            matches = Q()
            for field in ("username", "first_name", "last_name", "email"):
                matches |= Q(**{f"{field}__icontains": words})
            manageable = manageable.filter(matches)
        return manageable.values_list("pk", flat=True)

    def get_actionable_objects(self):
        objects, extra = super().get_actionable_objects()
        candidates = [*objects, *extra.get("items_with_no_access", [])]
        allowed = set(
            _manageable(self.request.user)
            .filter(pk__in=[person.pk for person in candidates])
            .values_list("pk", flat=True)
        )
        extra["items_with_no_access"] = [
            person
            for person in extra.get("items_with_no_access", [])
            if person.pk in allowed
        ]
        return [person for person in objects if person.pk in allowed], extra


class ScopedAssignRoleBulkAction(ScopedUserBulkActionMixin, AssignRoleBulkAction):
    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["role"].queryset = Group.objects.filter(
            name__in=grantable_roles(self.request.user)
        ).order_by("name")
        return form

    def get_execution_context(self):
        return {**super().get_execution_context(), "actor": self.request.user}

    @classmethod
    def execute_action(cls, objects, role=None, actor=None, **kwargs):
        result = super().execute_action(objects, role=role, **kwargs)
        if role is not None:
            # Inside the bulk action's transaction: one line per person.
            programmes = audit.programmes_of([person.pk for person in objects])
            audit.record_many(
                AuditAction.ROLES_CHANGED,
                actor=actor,
                lines=[
                    {
                        "target": person,
                        "target_label": person.username,
                        "subject": person,
                        "programme": programmes.get(person.pk),
                        "detail": {"added": [role.name], "bulk": True},
                    }
                    for person in objects
                ],
            )
        return result


class ScopedSetActiveStateBulkAction(
    ScopedUserBulkActionMixin, SetActiveStateBulkAction
):
    pass


class ScopedDeleteBulkAction(ScopedUserBulkActionMixin, DeleteBulkAction):
    def form_valid(self, form):
        # Records that must outlive their trainee (hours, cases, placements)
        # keep the account: said in words, nothing deleted, no server error.
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
                    "Tidak ada akun yang dihapus: sebagian masih dipakai oleh "
                    "catatan lain (%(kinds)s). Nonaktifkan saja akunnya."
                )
                % {"kinds": ", ".join(kinds)},
            )
            return redirect(self.next_url)


SCOPED_BULK_ACTIONS = [
    ScopedAssignRoleBulkAction,
    ScopedSetActiveStateBulkAction,
    ScopedDeleteBulkAction,
]


def refuse_bulk_changes_outside_scope(request, action_type, objects, action):
    """`before_bulk_action` hook: the last word, inside the action's transaction.

    A refusal changes nothing and says why, naming nobody.
    """
    if not objects or not isinstance(objects[0], User):
        return None
    role = None
    if action_type == "assign_role":
        role = action.cleaned_form.cleaned_data["role"].name
    refusal = bulk_account_change_refusal(
        actor=request.user, people=list(objects), role=role
    )
    if refusal is None:
        return None
    messages.error(request, refusal)
    return redirect(action.next_url)
