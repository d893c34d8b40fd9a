"""The wellbeing check-in form: three questions and an optional note.

It only collects input; `mentorship.wellbeing.record_checkin` decides (the
narrative check on the note included), and `forms.apply_errors` puts its
errors on these fields.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..choices import Feeling
from ..wellbeing import MAX_NOTE_LENGTH

YES_NO = [("ya", _("Ya")), ("tidak", _("Tidak"))]

# The answers that signal risk, as the form sends them: the phone shows help
# at once from these when a check-in is kept with no signal. They mirror
# the check-in model's `signals_risk` (a test keeps the two in agreement).
RISKY_ANSWERS = {
    "feeling": [Feeling.HEAVY.value],
    "threatened": ["ya"],
    "wants_contact": ["ya"],
}


class CheckInForm(forms.Form):
    # Made when the empty form is shown: sending it twice keeps one check-in.
    uuid = forms.UUIDField(widget=forms.HiddenInput)
    feeling = forms.ChoiceField(
        label=_("Bagaimana keadaanmu akhir-akhir ini?"),
        choices=Feeling.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Pilih bagaimana keadaanmu.")},
    )
    threatened = forms.ChoiceField(
        label=_("Apakah kamu mendapat ancaman atau tekanan karena mendampingi?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Jawab ya atau tidak.")},
    )
    wants_contact = forms.ChoiceField(
        label=_("Apakah kamu ingin bicara dengan seseorang?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text=_("Bila ya, fasilitatormu diberi tahu supaya menghubungimu."),
        error_messages={"required": _("Jawab ya atau tidak.")},
    )
    note = forms.CharField(
        label=_("Catatan untuk dirimu sendiri (boleh kosong)"),
        required=False,
        max_length=MAX_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Hanya kamu yang membacanya. Jangan menulis nama, nomor, atau alamat "
            "korban."
        ),
    )

    def answers(self) -> dict:
        data = self.cleaned_data
        return {
            "feeling": data["feeling"],
            "threatened": data["threatened"] == "ya",
            "wants_contact": data["wants_contact"] == "ya",
            "note": data.get("note", ""),
        }
