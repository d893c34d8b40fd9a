"""Admin screens for people, organisations, programmes and cohorts.

All of them list and open only what `learning.scope` allows the signed-in
facilitator or coordinator to see.
"""

from django import forms
from django.contrib.auth.models import Group
from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.tables import (
    BulkActionsCheckboxColumn,
    Column,
    DateColumn,
    TitleColumn,
)
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views import users as wagtail_user_views
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

import django_filters

from . import account_audit, admin_erasure
from .accounts import grantable_roles
from .admin_scope import (
    ScopedIndexMixin,
    ScopedPermissionPolicy,
    keeping_what_is_in_use,
    scoped,
)
from .choices import RegionLevel, Role
from .erasure import inactive_people
from .models import Cohort, Device, Enrolment, Organisation, Programme, Region, User
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
        # The audit trail keeps roles and organisation changed (learning.account_audit).
        self._audit_actor = for_user
        self._audit_before = account_audit.standing_of(self.instance)
        self.fields["email"] = forms.EmailField(
            required=False, label=_("Email (boleh kosong)")
        )
        self.fields["first_name"].label = _("Nama")
        self.fields["last_name"] = forms.CharField(
            required=False, label=_("Nama belakang (boleh kosong)")
        )
        # Wagtail's own words, said here in the project's.
        self.fields["username"].label = _("Nama pengguna")
        self.fields["username"].help_text = _(
            "Wajib. Huruf, angka, dan @ . + - _ saja; dipakai untuk masuk."
        )
        if "password1" in self.fields:
            self.fields["password1"].label = _("Kata sandi")
            # Django's validator texts speak to the person signing up ("-mu").
            self.fields["password1"].help_text = (
                _(
                    "Paling sedikit 8 huruf atau angka, tidak hanya angka, bukan kata "
                    "sandi umum, dan tidak mirip nama atau nama penggunanya."
                )
                if self.fields["password1"].required
                else _("Kosongkan bila tidak diganti.")
            )
            self.fields["password2"].label = _("Ulangi kata sandi")
            self.fields["password2"].help_text = _(
                "Ketik kata sandi yang sama sekali lagi."
            )
        if "is_superuser" in self.fields:
            self.fields["is_superuser"].label = _("Administrator situs")
            self.fields["is_superuser"].help_text = _(
                "Administrator boleh mengubah apa saja di situs ini."
            )
        if "is_active" in self.fields:
            self.fields["is_active"].label = _("Aktif")
            self.fields["is_active"].help_text = _(
                "Akun yang tidak aktif tidak bisa dipakai masuk; datanya tetap ada."
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

    def save(self, commit=True):
        created = not self.instance.pk
        person = super().save(commit=commit)
        if commit and self._audit_actor is not None:
            account_audit.record_changes(
                actor=self._audit_actor,
                person=person,
                before=self._audit_before,
                created=created,
            )
        return person

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


class PersonColumn(TitleColumn):
    """The name, linked when one may change the account, the username under it."""

    cell_template_name = "wagtailusers/users/person_cell.html"


class ListColumn(Column):
    """Several short values in one cell (roles, cohorts), comma-separated."""

    def get_value(self, instance):
        return ", ".join(str(value) for value in super().get_value(instance))


def last_seen_of(queryset: QuerySet[User]) -> QuerySet[User]:
    """Each person's last sign-in or offline sync, whichever came later.

    A trainee who works offline on a phone may not sign in for weeks; her
    phone's reports (`Device.last_seen_at`) show she is still there.
    """
    device_seen = Subquery(
        Device.objects.filter(user=OuterRef("pk"))
        .order_by("-last_seen_at")
        .values("last_seen_at")[:1]
    )
    # Greatest() is NULL on SQLite when either side is: each side falls back
    # to the other.
    return queryset.annotate(
        last_seen=Greatest(
            Coalesce("last_login", device_seen), Coalesce(device_seen, "last_login")
        )
    )


class AccountIndexView(ScopedIndexMixin, wagtail_user_views.IndexView):
    """The *Orang* list: who someone is, where they work and learn, when last seen.

    Cohorts shown are the ones the viewer may see; one query per related
    table, whatever the number of rows.
    """

    page_title = _("Orang")
    add_item_label = _("Tambah orang")

    def order_queryset(self, queryset):
        # Many people here have one name: sort by the name they are called by.
        if self.ordering in ("name", "-name"):
            fields = [F(name) for name in ("first_name", "last_name", "username")]
            if self.ordering == "-name":
                fields = [field.desc() for field in fields]
            return queryset.order_by(*fields)
        if self.ordering in ("last_seen", "-last_seen"):
            # Never seen sorts last either way, on PostgreSQL as on SQLite.
            last_seen = F("last_seen")
            return queryset.order_by(
                last_seen.desc(nulls_last=True)
                if self.ordering == "-last_seen"
                else last_seen.asc(nulls_last=True),
                "pk",
            )
        return super().order_queryset(queryset)

    def get_base_queryset(self):
        visible_cohorts = cohorts_visible_to(self.request.user)
        return last_seen_of(
            super()
            .get_base_queryset()
            .select_related("organisation", "village")
            .prefetch_related(
                "groups",
                Prefetch(
                    "enrolments",
                    queryset=Enrolment.objects.filter(
                        cohort__in=visible_cohorts
                    ).select_related("cohort"),
                    to_attr="visible_enrolments",
                ),
                Prefetch(
                    "facilitated_cohorts",
                    queryset=Cohort.objects.filter(pk__in=visible_cohorts.values("pk")),
                    to_attr="visible_taught_cohorts",
                ),
            )
        )

    @cached_property
    def columns(self):
        return [
            BulkActionsCheckboxColumn("bulk_actions", obj_type="user"),
            PersonColumn(
                "name",
                accessor="display_name",
                label=_("Nama"),
                sort_key="name",
                get_url=self.get_edit_url,
                classname="name",
            ),
            ListColumn("roles", label=_("Peran"), accessor=_role_labels),
            Column("organisation", label=_("Lembaga"), accessor=_organisation),
            ListColumn("cohorts", label=_("Angkatan"), accessor=_cohort_names),
            Column("village", label=_("Desa"), accessor=_village),
            DateColumn(
                "last_seen",
                label=_("Terakhir aktif"),
                sort_key="last_seen",
            ),
        ]


def _role_labels(person: User) -> list[str]:
    return [role.label for role in person.roles]


def _organisation(person: User) -> str:
    return person.organisation.short_name if person.organisation else ""


def _village(person: User) -> str:
    return person.village.name if person.village else ""


def _cohort_names(person: User) -> list[str]:
    learning = [enrolment.cohort.name for enrolment in person.visible_enrolments]
    teaching = [cohort.name for cohort in person.visible_taught_cohorts]
    return list(dict.fromkeys(learning + teaching))


class AccountCreateView(_ForUserFormKwargs, wagtail_user_views.CreateView):
    page_title = _("Tambah orang")
    success_message = _("Akun %(object)s dibuat.")


class AccountEditView(_ForUserFormKwargs, wagtail_user_views.EditView):
    success_message = _("Akun %(object)s disimpan.")
    error_message = _("Akun belum disimpan: perbaiki isian yang ditandai.")

    @cached_property
    def header_more_buttons(self):
        # "Anonimkan" (learning.admin_erasure), for whoever may erase this person.
        buttons = list(super().header_more_buttons)
        erase = admin_erasure.header_button(self.request.user, self.object)
        return [*buttons, erase] if erase else buttons


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
    role = django_filters.ChoiceFilter(
        label=_("Peran"),
        choices=Role.choices,
        field_name="groups__name",
        distinct=True,
    )
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
        method="in_cohort",
    )
    kabupaten = KabupatenFilter(field_name="village")
    # Not seen for PENDAMPING_INACTIVE_YEARS years (learning.erasure); the
    # label, which names the years, is set in __init__.
    tidak_aktif = django_filters.BooleanFilter(method="filter_inactive")

    class Meta(wagtail_user_views.UserFilterSet.Meta):
        fields = [*wagtail_user_views.UserFilterSet.Meta.fields]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        # Wagtail's "Grup" lists every group, its own editors' included; the
        # role filter above says the same in the project's words.
        self.filters.pop("group", None)
        if request is None or not request.user.is_superuser:
            self.filters.pop("is_superuser", None)
        self.filters["tidak_aktif"].label = admin_erasure.inactive_label()

    def filter_inactive(self, queryset, name, value):
        if value is None:
            return queryset
        inactive = inactive_people(queryset).values("pk")
        return (
            queryset.filter(pk__in=inactive)
            if value
            else queryset.exclude(pk__in=inactive)
        )

    def in_cohort(self, queryset, name, value):
        """The cohort's trainees and its facilitators."""
        if not value:
            return queryset
        return queryset.filter(
            Q(pk__in=Enrolment.objects.filter(cohort=value).values("trainee"))
            | Q(
                pk__in=value.facilitators.through.objects.filter(cohort=value).values(
                    "user"
                )
            )
        )


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
    # By name (see AccountIndexView.order_queryset), not Wagtail's username.
    ordering = "name"
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
    # Short enough for the sidebar: "Program & peserta" was cut.
    menu_label = _("Program")
    # Its own name: the programme list inside it is called "program" too.
    menu_name = "program-angkatan"
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
