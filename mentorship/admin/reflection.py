"""Admin screens for the annual reflection ("Refleksi tahunan").

The session itself is Wagtail's model viewset (list, add, edit, delete),
scoped by `sessions_visible_to` and open to facilitators and coordinators
without a model permission to grant. One page per session gathers the rest:
attendance (the cohort list in one click, or a filled XLSX sheet), the
totals, the reflections entered (for the session's own facilitators; others
see totals only), a form to enter a reflection for an attendee, follow-up
actions, refresher assignments and the summary PDF. Every write calls
`mentorship.reflection`.

Registered in `mentorship.wagtail_hooks`.
"""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton, ListingButton
from wagtail.permissions import register_permission_policy

from learning.admin_scope import ScopedPermissionPolicy, scoped
from learning.choices import RegionLevel, Role
from learning.models import User
from learning.region_field import RegionField
from learning.scope import (
    is_active_staff,
    organisations_visible_to,
    people_visible_to,
    programmes_visible_to,
)

from ..models import ReflectionSession
from ..narrative import narrative_problems
from ..reflection import (
    sessions_visible_to,
)

PLACE_LEVELS = [RegionLevel.KECAMATAN, RegionLevel.DESA]


class SessionPolicy(ScopedPermissionPolicy):
    """Facilitators and coordinators, for the sessions in their scope.

    No model permission is needed (none to grant in a migration): the scope
    rule is the whole of it.
    """

    def user_has_permission(self, user, action):
        return is_active_staff(user)

    def user_has_any_permission(self, user, actions):
        return is_active_staff(user)


register_permission_policy(
    ReflectionSession, SessionPolicy(ReflectionSession, scope=sessions_visible_to)
)


# --- The session form and viewset ---------------------------------------------


class ReflectionSessionForm(WagtailAdminModelForm):
    # Found by name or code, as every place in the admin is.
    place = RegionField(levels=PLACE_LEVELS, label=gettext_lazy("Tempat"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is None or user.is_superuser:
            return
        self.fields["programme"].queryset = programmes_visible_to(user)
        self.fields["organisation"].queryset = organisations_visible_to(user)
        chosen = self.instance.pk and list(
            self.instance.facilitators.values_list("pk", flat=True)
        )
        self.fields["facilitators"].queryset = User.objects.filter(
            pk__in=list(
                people_visible_to(user)
                .filter(groups__name=Role.FASILITATOR.value)
                .values_list("pk", flat=True)
            )
            + list(chosen or [])
        ).order_by("first_name", "username")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error(
                "end_date", _("Tanggal selesai tidak boleh sebelum tanggal mulai.")
            )
        # The session's own words go into its summary: nothing that identifies.
        for name in ("agenda", "notes", "findings", "recommendations"):
            for problem in narrative_problems(cleaned.get(name) or ""):
                self.add_error(name, problem)
        user = self.for_user
        if user is None or user.is_superuser or self.errors:
            return cleaned
        # Whoever saves the session must still see it afterwards.
        roles = set(user.roles)
        organisation = cleaned.get("organisation")
        stays = (
            Role.FASILITATOR in roles
            and (
                user in (cleaned.get("facilitators") or [])
                or (organisation and organisation.pk == user.organisation_id)
            )
        ) or (
            Role.KOORDINATOR in roles
            and cleaned.get("programme") is not None
            and cleaned["programme"].coordinators.filter(pk=user.pk).exists()
        )
        if not stays:
            raise ValidationError(
                _(
                    "Sesi ini akan di luar cakupan kamu: pilih diri kamu sebagai "
                    "fasilitator, lembaga kamu sebagai penyelenggara, atau program "
                    "yang kamu koordinasikan."
                )
            )
        return cleaned


def session_url(session) -> str:
    return reverse("mentorship_reflection_session", args=[session.pk])


class SessionIndexView(generic.IndexView):
    def get_base_queryset(self):
        return sessions_visible_to(self.request.user).select_related(
            "programme", "organisation", "place"
        )

    def get_list_buttons(self, instance):
        return [
            ListingButton(
                _("Buka sesi"),
                url=session_url(instance),
                icon_name="doc-full",
                priority=5,
            ),
            *super().get_list_buttons(instance),
        ]


class SessionCreateView(generic.CreateView):
    """A new session opens on its own page, where attendance comes next."""

    def get_success_url(self):
        return session_url(self.object)


class SessionEditView(scoped(generic.EditView)):
    def get_success_url(self):
        return session_url(self.object)

    @property
    def header_buttons(self):
        return [
            HeaderButton(
                _("Buka sesi"), url=session_url(self.object), icon_name="doc-full"
            )
        ]


class ReflectionSessionViewSet(ModelViewSet):
    model = ReflectionSession
    icon = "group"
    menu_label = gettext_lazy("Refleksi tahunan")
    add_to_admin_menu = True
    menu_order = 272
    url_prefix = "refleksi"
    copy_view_enabled = False
    inspect_view_enabled = False
    add_to_reference_index = False
    index_view_class = SessionIndexView
    add_view_class = SessionCreateView
    edit_view_class = SessionEditView
    delete_view_class = scoped(generic.DeleteView, "delete")
    history_view_class = scoped(generic.HistoryView, "view")
    usage_view_class = scoped(generic.UsageView, "view")
    list_display = [
        "__str__",
        Column(
            "dates",
            label=gettext_lazy("Tanggal"),
            accessor="dates_label",
            sort_key="start_date",
        ),
        Column("place", label=gettext_lazy("Tempat"), accessor="place.name"),
        "organisation",
    ]
    list_filter = ["year"]
    search_backend_name = None
    search_fields = ["venue"]
    edit_handler = ObjectList(
        [
            FieldPanel("programme"),
            FieldPanel("organisation"),
            FieldRowPanel(
                [FieldPanel("year"), FieldPanel("start_date"), FieldPanel("end_date")]
            ),
            FieldPanel("place"),
            FieldPanel("venue"),
            FieldPanel("facilitators"),
            FieldPanel("agenda"),
            FieldPanel("notes"),
            FieldPanel("findings"),
            FieldPanel("recommendations"),
        ],
        base_form_class=ReflectionSessionForm,
    )


def register_reflection_viewset():
    return ReflectionSessionViewSet("reflection_session")
