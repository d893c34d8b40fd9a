"""Admin screens for magang placements: who does magang where, under whom.

Wagtail's model viewset, listing and opening only the placements in
`placements_visible_to`. The form offers only the trainees the editor's
scope shows and explains the one-supervisor rule before the database's
constraint would refuse it. Registered in `mentorship.wagtail_hooks`.
"""

from django import forms
from django.db.models import Q, Sum
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    MultiFieldPanel,
    ObjectList,
)
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton, ListingButton
from wagtail.permissions import register_permission_policy

import django_filters

from learning.admin_scope import (
    KeepWhatIsInUseMixin,
    ScopedIndexMixin,
    ScopedPermissionPolicy,
)
from learning.choices import Role
from learning.models import Organisation, User
from learning.scope import organisations_visible_to, people_visible_to

from ..choices import EntryStatus
from ..links import placement_entries_url
from ..models import Placement
from ..selectors import placements_managed_by, placements_visible_to

register_permission_policy(
    Placement,
    ScopedPermissionPolicy(
        Placement, scope=placements_visible_to, change_scope=placements_managed_by
    ),
)


def _hours(minutes: int | None) -> str:
    hours = round((minutes or 0) / 60, 1)
    return f"{hours:g}"


class SupervisorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        if obj.organisation_id:
            return f"{obj.display_name} ({obj.organisation.short_name})"
        return obj.display_name


class PlacementForm(WagtailAdminModelForm):
    """A placement, with people limited to what the editor may see.

    Exactly one supervisor: a facilitator of the host with an account, or the
    name, position and institution of someone without one.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        trainees = User.objects.filter(groups__name=Role.PESERTA.value, is_active=True)
        if user is not None and not user.is_superuser:
            trainees = trainees.filter(pk__in=people_visible_to(user).values("pk"))
            self.fields["host"].queryset = organisations_visible_to(user)
        # Keep the trainee already chosen, so saving never drops them silently.
        if self.instance.pk:
            trainees = User.objects.filter(
                Q(pk__in=trainees.values("pk")) | Q(pk=self.instance.trainee_id)
            )
        self.fields["trainee"].queryset = trainees.order_by(
            "first_name", "last_name", "username"
        )
        self.fields["trainee"].error_messages["invalid_choice"] = _(
            "Peserta ini tidak ada, tidak berperan Peserta, atau di luar cakupan kamu."
        )
        self.fields["trainee"].help_text = _(
            "Hanya peserta dalam cakupan kamu: lembaga kamu dan angkatan yang kamu "
            "ajar atau koordinasikan."
        )
        supervisor = self.fields["supervisor"]
        self.fields["supervisor"] = SupervisorChoiceField(
            queryset=User.objects.filter(
                groups__name=Role.FASILITATOR.value, is_active=True
            )
            .select_related("organisation")
            .order_by("first_name", "last_name", "username"),
            required=False,
            label=supervisor.label,
            help_text=supervisor.help_text,
            widget=forms.Select,
        )
        self.fields["outside_supervisor_position"].help_text = _(
            "Wajib bila pembimbing tanpa akun, misalnya Bidan koordinator."
        )
        self.fields["outside_supervisor_institution"].help_text = _(
            "Wajib bila pembimbing tanpa akun, misalnya Puskesmas Kota SoE."
        )

    def clean_target_hours(self):
        value = self.cleaned_data.get("target_hours")
        if value is not None and value < 1:
            raise forms.ValidationError(_("Target jam harus lebih dari 0."))
        return value

    def clean(self):
        cleaned = super().clean()
        self._check_supervisor(cleaned)
        self._check_dates_and_entries(cleaned)
        return cleaned

    def _check_supervisor(self, cleaned) -> None:
        supervisor = cleaned.get("supervisor")
        outside = {
            name: (cleaned.get(name) or "").strip()
            for name in (
                "outside_supervisor_name",
                "outside_supervisor_position",
                "outside_supervisor_institution",
            )
        }
        if supervisor and any(outside.values()):
            self.add_error(
                "supervisor",
                _(
                    "Pilih salah satu saja: pembimbing yang punya akun, atau nama, "
                    "jabatan dan instansi pembimbing tanpa akun. Kosongkan yang lain."
                ),
            )
            return
        if not supervisor and not any(outside.values()):
            if "supervisor" not in self.errors:
                self.add_error(
                    "supervisor",
                    _(
                        "Setiap penempatan punya satu pembimbing: pilih fasilitator "
                        "yang punya akun, atau isi nama, jabatan dan instansi "
                        "pembimbing tanpa akun."
                    ),
                )
            return
        if supervisor:
            trainee, host = cleaned.get("trainee"), cleaned.get("host")
            if trainee and supervisor.pk == trainee.pk:
                self.add_error(
                    "supervisor", _("Peserta tidak dapat membimbing dirinya sendiri.")
                )
            elif host and supervisor.organisation_id != host.pk:
                self.add_error(
                    "supervisor",
                    _(
                        "Pembimbing yang punya akun harus fasilitator %(host)s, "
                        "lembaga tempat magang. Bila pembimbingnya dari instansi "
                        "lain, isi sebagai pembimbing tanpa akun."
                    )
                    % {"host": host.short_name},
                )
            return
        messages_by_field = {
            "outside_supervisor_name": _("Isi nama pembimbing tanpa akun."),
            "outside_supervisor_position": _("Isi jabatan pembimbing."),
            "outside_supervisor_institution": _("Isi instansi pembimbing."),
        }
        for name, message in messages_by_field.items():
            if not outside[name]:
                self.add_error(name, message)

    def _check_dates_and_entries(self, cleaned) -> None:
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error(
                "end_date", _("Tanggal selesai tidak boleh sebelum tanggal mulai.")
            )
            return
        if not self.instance.pk:
            return
        entries = self.instance.entries.all()
        trainee = cleaned.get("trainee")
        if trainee and trainee.pk != self.instance.trainee_id and entries.exists():
            self.add_error(
                "trainee",
                _(
                    "Penempatan ini sudah punya catatan jam, jadi pesertanya tidak "
                    "dapat diganti. Buat penempatan baru untuk peserta lain."
                ),
            )
        if start and end:
            outside = entries.filter(Q(date__lt=start) | Q(date__gt=end))
            first = outside.order_by("date").values_list("date", flat=True).first()
            if first:
                self.add_error(
                    "start_date" if first < start else "end_date",
                    _(
                        "Ada catatan jam tanggal %(date)s di luar masa baru ini. "
                        "Masa magang harus mencakup semua catatan yang sudah ada."
                    )
                    % {"date": first.strftime("%d-%m-%Y")},
                )


class InScopeMixin:
    """A placement outside the editor's scope is not found, whatever the URL.

    `scope` is the change rule (edit, delete, usage); history only reads.
    """

    scope = staticmethod(placements_managed_by)

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if not self.scope(self.request.user).filter(pk=obj.pk).exists():
            raise Http404
        return obj


def import_url(placement) -> str:
    return reverse("mentorship_paper_import_placement", args=[placement.pk])


class PlacementFilterSet(django_filters.FilterSet):
    host = django_filters.ModelChoiceFilter(
        label=_("Lembaga tempat magang"),
        queryset=lambda request: Organisation.objects.filter(
            pk__in=placements_visible_to(request.user).values("host")
        ),
    )

    class Meta:
        model = Placement
        fields = ["host"]


class PlacementIndexView(ScopedIndexMixin, generic.IndexView):
    def get_base_queryset(self):
        return (
            placements_visible_to(self.request.user)
            .select_related("trainee", "host", "supervisor")
            .annotate(
                verified_minutes=Sum(
                    "entries__minutes",
                    filter=Q(entries__status=EntryStatus.VERIFIED),
                )
            )
        )

    def get_list_more_buttons(self, instance):
        return [
            ListingButton(
                _("Jam magang"),
                url=placement_entries_url(instance),
                icon_name="time",
                priority=12,
            ),
            ListingButton(
                _("Impor catatan kertas"),
                url=import_url(instance),
                icon_name="upload",
                priority=15,
            ),
            *super().get_list_more_buttons(instance),
        ]


class PlacementCreateView(generic.CreateView):
    pass


class PlacementEditView(InScopeMixin, generic.EditView):
    @property
    def header_buttons(self):
        return [
            HeaderButton(
                _("Jam magang"),
                url=placement_entries_url(self.object),
                icon_name="time",
            ),
            HeaderButton(
                _("Impor catatan kertas"),
                url=import_url(self.object),
                icon_name="upload",
            ),
        ]


class PlacementDeleteView(KeepWhatIsInUseMixin, InScopeMixin, generic.DeleteView):
    """A placement with hour entries stays: the log is the trainee's record."""

    def dispatch(self, request, *args, **kwargs):
        if self.object.entries.exists():
            messages.error(
                request,
                _(
                    "Penempatan ini sudah punya catatan jam magang dan tidak dapat "
                    "dihapus. Ubah tanggal selesainya bila magang berhenti lebih awal."
                ),
            )
            return redirect(reverse(self.edit_url_name, args=[self.object.pk]))
        return super().dispatch(request, *args, **kwargs)


class PlacementHistoryView(InScopeMixin, generic.HistoryView):
    scope = staticmethod(placements_visible_to)


class PlacementUsageView(InScopeMixin, generic.UsageView):
    pass


class PlacementViewSet(ModelViewSet):
    model = Placement
    icon = "user"
    menu_label = _("Penempatan magang")
    url_prefix = "magang/penempatan"
    add_to_reference_index = False
    copy_view_enabled = False  # a copy would carry another trainee's data
    index_view_class = PlacementIndexView
    add_view_class = PlacementCreateView
    edit_view_class = PlacementEditView
    delete_view_class = PlacementDeleteView
    history_view_class = PlacementHistoryView
    usage_view_class = PlacementUsageView
    filterset_class = PlacementFilterSet
    search_fields = ["trainee__first_name", "trainee__last_name", "trainee__username"]
    search_backend_name = None
    list_display = [
        "trainee",
        "host",
        Column("supervisor_label", label=_("Pembimbing")),
        Column(
            "period",
            label=_("Masa magang"),
            accessor=lambda placement: (
                f"{placement.start_date:%d-%m-%Y} – {placement.end_date:%d-%m-%Y}"
            ),
            sort_key="start_date",
        ),
        Column("target_hours", label=_("Target jam"), sort_key="target_hours"),
        Column(
            "verified_minutes",
            label=_("Jam terverifikasi"),
            accessor=lambda placement: _hours(placement.verified_minutes),
            sort_key="verified_minutes",
        ),
    ]
    edit_handler = ObjectList(
        [
            FieldPanel("trainee", widget=forms.Select),
            FieldPanel("host", widget=forms.Select),
            MultiFieldPanel(
                [
                    HelpPanel(
                        content=_(
                            "<p>Setiap penempatan punya <strong>satu</strong> "
                            "pembimbing yang memverifikasi jam magang. Pilih "
                            "fasilitator lembaga tempat magang yang punya akun, "
                            "<strong>atau</strong> kosongkan pilihan itu dan isi "
                            "nama, jabatan dan instansi pembimbing tanpa akun "
                            "(misalnya bidan puskesmas atau petugas UPTD PPA). "
                            "Pembimbing tanpa akun memverifikasi lewat tautan yang "
                            "dikirim peserta.</p>"
                        )
                    ),
                    FieldPanel("supervisor"),
                    FieldPanel("outside_supervisor_name"),
                    FieldRowPanel(
                        [
                            FieldPanel("outside_supervisor_position"),
                            FieldPanel("outside_supervisor_institution"),
                        ]
                    ),
                ],
                heading=_("Pembimbing"),
            ),
            FieldRowPanel(
                [FieldPanel("start_date"), FieldPanel("end_date")],
                heading=_("Masa magang"),
            ),
            FieldPanel("target_hours"),
        ],
        base_form_class=PlacementForm,
    )
