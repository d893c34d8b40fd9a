"""Forms for the trainee's hour log (the countersign form is in `countersign`).

They only collect input: the rules (dates, overlap, the daily cap, who may
do what) are checked by `mentorship.hours` and `mentorship.verification`,
whose errors `apply_errors` puts onto the fields they name.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import ActivityCategory
from ..hours import MAX_ACTIVITY_LENGTH, EntryInput
from ..models import Placement


class PlacementChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, placement: Placement) -> str:
        return _("%(host)s (%(start)s – %(end)s)") % {
            "host": placement.host.name,
            "start": placement.start_date.strftime("%d-%m-%Y"),
            "end": placement.end_date.strftime("%d-%m-%Y"),
        }


class HourEntryForm(forms.Form):
    """One stretch of magang work: when, how long, what kind, what was learned."""

    # Made when the empty form is shown, so sending it twice (a double tap, a
    # retry on a bad connection) records one entry.
    uuid = forms.UUIDField(widget=forms.HiddenInput)
    placement = PlacementChoiceField(
        label=_("Tempat magang"),
        queryset=Placement.objects.none(),
        empty_label=None,
    )
    date = forms.DateField(
        label=_("Tanggal"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    start_time = forms.TimeField(
        label=_("Jam mulai"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    end_time = forms.TimeField(
        label=_("Jam selesai"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    past_midnight = forms.BooleanField(
        label=_("Lewat tengah malam"),
        required=False,
        help_text=_(
            "Centang bila kegiatannya berlanjut sampai hari berikutnya, misalnya "
            "22:00 sampai 02:00. Jam selesai lalu dihitung pada hari berikutnya."
        ),
    )
    minutes = forms.IntegerField(
        label=_("Atau lamanya saja (menit)"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": "1"}),
        help_text=_("Contoh: 90 untuk satu setengah jam."),
    )
    category = forms.ChoiceField(
        label=_("Jenis kegiatan"), choices=ActivityCategory.choices
    )
    activity = forms.CharField(
        label=_("Apa yang kamu lakukan dan pelajari"),
        max_length=MAX_ACTIVITY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Jangan pernah menulis nama, alamat, NIK, nomor telepon atau ciri lain "
            "korban. Tulis perannya saja, misalnya “seorang ibu”."
        ),
    )

    def __init__(self, *args, trainee, with_uuid: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        placements = Placement.objects.filter(trainee=trainee).select_related("host")
        self.fields["placement"].queryset = placements
        self.fields["date"].widget.attrs["max"] = timezone.localdate().isoformat()
        if not with_uuid:
            del self.fields["uuid"]

    def entry_input(self) -> EntryInput:
        data = self.cleaned_data
        return EntryInput(
            placement=data["placement"],
            date=data["date"],
            category=data["category"],
            activity=data["activity"],
            start_time=data.get("start_time"),
            end_time=data.get("end_time"),
            minutes=data.get("minutes"),
            past_midnight=bool(data.get("past_midnight")),
        )


def apply_errors(
    form: forms.Form, error: ValidationError, names: dict[str, str] | None = None
) -> None:
    """Put a rule's errors onto the fields they name; the rest above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for key, errors in error.message_dict.items():
        field = (names or {}).get(key, key)
        visible = field in form.fields and not form.fields[field].widget.is_hidden
        form.add_error(field if visible else None, errors)
