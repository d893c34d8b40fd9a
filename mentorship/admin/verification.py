"""Verifying or returning hour entries in the admin, one or many at once:
Wagtail bulk actions that call `mentorship.verification`.

Registered in `mentorship.wagtail_hooks`.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from wagtail.admin.views.bulk_action import BulkAction

from ..choices import EntryStatus
from ..models import HourEntry
from ..selectors import entries_visible_to, supervision_queue
from ..verification import can_verify, return_entries, verify_entries
from .hours import RETURN, VERIFY, time_label


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Komentar untuk peserta"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, comment_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        comment = self.fields["comment"]
        if comment_required:
            comment.required = True
            comment.error_messages["required"] = _(
                "Tulis apa yang perlu diperbaiki peserta."
            )
            comment.help_text = _(
                "Wajib: peserta membaca komentar ini untuk memperbaiki catatannya."
            )
        else:
            comment.help_text = _("Boleh kosong.")

    def clean_comment(self):
        comment = self.cleaned_data["comment"].strip()
        if self.fields["comment"].required and not comment:
            raise forms.ValidationError(_("Tulis apa yang perlu diperbaiki peserta."))
        return comment


class HourEntryDecisionBulkAction(BulkAction):
    """Shared by verify and return: only the entries the user supervises.

    Selected entries of placements the user does not supervise are listed as
    refused and left unchanged; entries no longer waiting are skipped.
    """

    models = [HourEntry]
    form_class = DecisionForm
    template_name = "mentorship/admin/hourentry/confirm_decision.html"
    comment_required = False

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "comment_required": self.comment_required}

    def get_queryset(self, model, object_ids):
        ids = [str(pk) for pk in object_ids if str(pk).isdigit()]
        return list(
            entries_visible_to(self.request.user)
            .filter(pk__in=ids)
            .select_related("trainee", "placement__host")
            .order_by("date", "start_time", "pk")
        )

    def get_all_objects_in_listing_query(self, parent_id):
        # "Select all" means everything waiting for this supervisor.
        return supervision_queue(self.request.user).values_list("pk", flat=True)

    def get_actionable_objects(self):
        waiting, not_yours, not_waiting = [], [], []
        for entry in self.get_queryset(self.model, self._selected_ids()):
            if not can_verify(self.request.user, entry):
                not_yours.append(entry)
            elif entry.status != EntryStatus.SUBMITTED:
                not_waiting.append(entry)
            else:
                waiting.append(entry)
        return waiting, {
            "items_with_no_access": not_yours,
            "items_not_waiting": not_waiting,
        }

    def _selected_ids(self):
        ids = self.request.GET.getlist("id")
        if "all" in ids:
            return list(self.get_all_objects_in_listing_query(None))
        return ids

    def object_context(self, entry):
        return {
            "item": entry,
            "time": time_label(entry),
            "activity": Truncator(entry.activity).chars(120),
            "url": reverse("mentorship_hourentry:inspect", args=[entry.pk]),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        no_access, not_waiting = (
            context["items_with_no_access"],
            context["items_not_waiting"],
        )
        context.update(
            header_icon="time",
            page_title=self.display_name,
            action_button_text=self.display_name,
            no_action_button_text=_("Batal"),
            items_with_no_access=[self.object_context(e) for e in no_access],
            items_not_waiting=[self.object_context(e) for e in not_waiting],
        )
        return context

    def prepare_action(self, objects, objects_without_access):
        if not objects:
            self.cleaned_form.add_error(
                None,
                _(
                    "Tidak ada catatan yang dapat kamu putuskan: kamu hanya dapat "
                    "memverifikasi atau mengembalikan catatan yang menunggu "
                    "verifikasi di penempatan yang kamu bimbing."
                ),
            )
            return self.form_invalid(self.cleaned_form)
        return None

    def get_execution_context(self):
        return {
            "supervisor": self.request.user,
            "comment": self.cleaned_form.cleaned_data["comment"],
        }

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            # Decided by someone else in the meantime, or the rule refused.
            form.add_error(None, error.messages)
            return self.form_invalid(form)


class VerifyBulkAction(HourEntryDecisionBulkAction):
    display_name = gettext_lazy("Verifikasi")
    action_type = VERIFY
    aria_label = gettext_lazy("Verifikasi jam magang yang dipilih")
    action_priority = 10

    @classmethod
    def execute_action(cls, objects, supervisor=None, comment="", **kwargs):
        done = verify_entries(entries=objects, supervisor=supervisor, comment=comment)
        return len(done), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)s catatan jam magang diverifikasi.",
            "%(count)s catatan jam magang diverifikasi.",
            num_parent_objects,
        ) % {"count": num_parent_objects}


class ReturnBulkAction(HourEntryDecisionBulkAction):
    display_name = gettext_lazy("Kembalikan")
    action_type = RETURN
    aria_label = gettext_lazy("Kembalikan jam magang yang dipilih kepada peserta")
    action_priority = 20
    comment_required = True

    @classmethod
    def execute_action(cls, objects, supervisor=None, comment="", **kwargs):
        done = return_entries(entries=objects, supervisor=supervisor, comment=comment)
        return len(done), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)s catatan jam magang dikembalikan kepada peserta.",
            "%(count)s catatan jam magang dikembalikan kepada peserta.",
            num_parent_objects,
        ) % {"count": num_parent_objects}
