"""Admin screens for people, organisations, programmes and cohorts.

All of them list and open only what `learning.scope` allows the signed-in
facilitator or coordinator to see.
"""

from django import forms
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views import users as wagtail_user_views
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

import django_filters

from .accounts import grantable_roles
from .admin_scope import (
    ScopedIndexMixin,
    ScopedPermissionPolicy,
    keeping_what_is_in_use,
    scoped,
)
from .choices import RegionLevel
from .models import Cohort, Organisation, Programme, Region, User
from .phones import normalise_phone
from .region_field import RegionField
from .scope import (
    accounts_manageable_by,
    cohorts_managed_by,
    cohorts_visible_to,
    organisations_managed_by,
    organisations_visible_to,
    programmes_managed_by,
    programmes_visible_to,
)
from .spreadsheets import formula_name_problem

PROFILE_FIELDS = ["organisation", "village", "sex", "birth_year", "phone"]


class AccountFormMixin:
    """Wagtail's user form for people who may have no e-mail or surname."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"] = forms.EmailField(
            required=False, label=_("Email (boleh kosong)")
        )
        self.fields["first_name"].label = _("Nama")
        self.fields["last_name"] = forms.CharField(
            required=False, label=_("Nama belakang (boleh kosong)")
        )
        if for_user is not None:
            if not for_user.is_superuser:
                self.fields.pop("is_superuser", None)
            self.fields["groups"].queryset = Group.objects.filter(
                name__in=grantable_roles(for_user)
            ).order_by("name")
            self.fields["groups"].label = _("Peran")
            self.fields["organisation"].queryset = organisations_visible_to(for_user)
        self.fields["village"] = RegionField(
            levels=[RegionLevel.DESA], required=False, label=_("Desa/kelurahan")
        )
        if self.instance.pk:
            self.initial.setdefault("village", self.instance.village)

    def clean_phone(self):
        return normalise_phone(self.cleaned_data.get("phone", ""))

    def _safe_name(self, field: str) -> str:
        value = self.cleaned_data.get(field, "")
        unsafe = formula_name_problem(value)
        if unsafe:
            raise forms.ValidationError(unsafe)
        return value

    def clean_first_name(self):
        return self._safe_name("first_name")

    def clean_last_name(self):
        return self._safe_name("last_name")


class AccountCreationForm(AccountFormMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | set(PROFILE_FIELDS)


class AccountEditForm(AccountFormMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | set(PROFILE_FIELDS)


class _ForUserFormKwargs:
    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["for_user"] = self.request.user
        return kwargs


class AccountIndexView(ScopedIndexMixin, wagtail_user_views.IndexView):
    pass


class AccountCreateView(_ForUserFormKwargs, wagtail_user_views.CreateView):
    pass


class AccountEditView(_ForUserFormKwargs, wagtail_user_views.EditView):
    pass


class KabupatenFilter(django_filters.ModelChoiceFilter):
    """Rows whose village (`field_name`) lies in the chosen kabupaten/kota."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Kabupaten/kota"))
        kwargs.setdefault(
            "queryset", Region.objects.filter(level=RegionLevel.KABUPATEN)
        )
        super().__init__(**kwargs)

    def filter(self, queryset, value):
        if not value:
            return queryset
        rows = queryset.filter(
            **{f"{self.field_name}__code__startswith": value.code + "."}
        )
        return rows.distinct() if self.distinct else rows


class AccountFilterSet(wagtail_user_views.UserFilterSet):
    # Filter choices follow the scope too: no names of others' cohorts.
    organisation = django_filters.ModelChoiceFilter(
        label=_("Lembaga"),
        queryset=lambda request: organisations_visible_to(request.user),
    )
    programme = django_filters.ModelChoiceFilter(
        label=_("Program"),
        queryset=lambda request: programmes_visible_to(request.user),
        field_name="enrolments__cohort__programme",
        distinct=True,
    )
    cohort = django_filters.ModelChoiceFilter(
        label=_("Angkatan"),
        queryset=lambda request: cohorts_visible_to(request.user),
        field_name="enrolments__cohort",
        distinct=True,
    )
    kabupaten = KabupatenFilter(field_name="village")

    class Meta(wagtail_user_views.UserFilterSet.Meta):
        fields = [*wagtail_user_views.UserFilterSet.Meta.fields]


class UserViewSet(WagtailUserViewSet):
    """People, as Wagtail's user screens, limited to one's scope."""

    index_view_class = AccountIndexView
    add_view_class = AccountCreateView
    edit_view_class = scoped(AccountEditView)
    delete_view_class = scoped(wagtail_user_views.DeleteView, "delete")
    history_view_class = scoped(wagtail_user_views.HistoryView, "view")
    usage_view_class = scoped(generic.UsageView, "view")
    # A copy of someone's account would carry their details to a new one.
    copy_view_enabled = False
    filterset_class = AccountFilterSet
    menu_label = _("Orang")
    add_to_settings_menu = False
    add_to_admin_menu = True
    menu_order = 210

    def get_form_class(self, for_update=False):
        return AccountEditForm if for_update else AccountCreationForm


def accounts_manageable_by_or_all(user):
    return User.objects.all() if user.is_superuser else accounts_manageable_by(user)


class _ScopedIndexView(ScopedIndexMixin, generic.IndexView):
    pass


class ScopedModelViewSet(ModelViewSet):
    """A model's admin screens, showing and opening only what is in scope.

    What one may see but not change opens read-only (inspect); its history
    too. Editing, deleting and the usage page ask the change rule.
    """

    add_to_admin_menu = False
    index_view_class = _ScopedIndexView
    inspect_view_enabled = True
    inspect_view_class = scoped(generic.InspectView, "view")
    edit_view_class = scoped(generic.EditView)
    delete_view_class = scoped(generic.DeleteView, "delete")
    history_view_class = scoped(generic.HistoryView, "view")
    usage_view_class = scoped(generic.UsageView)
    copy_view_class = scoped(generic.CopyView, "view")


class KeepingSnippetViewSet(SnippetViewSet):
    """A snippet's screens; deleting what other records need is refused in words."""

    delete_view_class = keeping_what_is_in_use(snippet_views.DeleteView)


class OrganisationViewSet(ScopedModelViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Lembaga")
    list_display = ["short_name", "name", "kind", "kabupaten"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    form_fields = ["name", "short_name", "kind", "kabupaten"]


class ProgrammeViewSet(ScopedModelViewSet):
    model = Programme
    icon = "folder-open-inverse"
    menu_label = _("Program")
    list_display = ["short_name", "name", "start_date", "end_date"]
    search_fields = ["name", "short_name"]
    panels = [
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("description"),
        FieldPanel("organisations", widget=forms.CheckboxSelectMultiple),
        FieldPanel("coordinators"),
        FieldPanel("kabupaten", widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel(
            [FieldPanel("start_date"), FieldPanel("end_date")], heading=_("Waktu")
        ),
    ]


class CohortFilterSet(django_filters.FilterSet):
    programme = django_filters.ModelChoiceFilter(
        label=_("Program"),
        queryset=lambda request: programmes_visible_to(request.user),
    )
    kabupaten = KabupatenFilter(field_name="villages", distinct=True)

    class Meta:
        model = Cohort
        fields = ["programme"]


class CohortViewSet(ScopedModelViewSet):
    model = Cohort
    icon = "group"
    menu_label = _("Angkatan")
    list_display = ["name", "programme", "start_date", "end_date"]
    filterset_class = CohortFilterSet
    search_fields = ["name"]
    inspect_view_fields = [
        "programme",
        "name",
        "start_date",
        "end_date",
        "facilitators",
        "villages",
    ]
    panels = [
        FieldPanel("programme"),
        FieldPanel("name"),
        MultiFieldPanel(
            [FieldPanel("start_date"), FieldPanel("end_date")], heading=_("Waktu")
        ),
        FieldPanel("facilitators"),
        FieldPanel("villages"),
        InlinePanel("enrolments", heading=_("Peserta"), label=_("Peserta")),
    ]


class ProgrammeGroup(ViewSetGroup):
    menu_label = _("Program & peserta")
    menu_icon = "group"
    menu_order = 200
    items = (CohortViewSet, ProgrammeViewSet, OrganisationViewSet)


def register_scoped_policies() -> None:
    """Every admin screen and chooser of these models asks the scope rule."""
    from wagtail.permissions import register_permission_policy

    for model, scope, change_scope in [
        (User, accounts_manageable_by_or_all, None),
        (Organisation, organisations_visible_to, organisations_managed_by),
        (Programme, programmes_visible_to, programmes_managed_by),
        (Cohort, cohorts_visible_to, cohorts_managed_by),
    ]:
        register_permission_policy(
            model,
            ScopedPermissionPolicy(model, scope=scope, change_scope=change_scope),
        )
