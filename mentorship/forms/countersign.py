"""The outside supervisor's form on a countersign link: a decision per entry.

It only collects input: whether a name, a position and a reason for each
returned entry are there, and whether the reason names anyone, is checked by
`verification.countersign_entries`, whose errors `field_for_error` puts onto
the fields they name.
"""

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..choices import EntryStatus
from ..models import HourEntry
from ..verification import EntryChoice

# The button that verifies every entry the signer left on "later".
VERIFY_THE_REST = "semua"


class CountersignDecisionsForm(forms.Form):
    """Name and position once, then verify / return / later for each entry."""

    nama = forms.CharField(
        label=gettext_lazy("Nama lengkap"), max_length=120, required=False
    )
    jabatan = forms.CharField(
        label=gettext_lazy("Jabatan dan instansi"),
        max_length=120,
        required=False,
        help_text=gettext_lazy("Misalnya: bidan koordinator, Puskesmas Soe."),
    )

    CHOICES = [
        (EntryChoice.LATER, gettext_lazy("Nanti saja")),
        (EntryChoice.VERIFY, gettext_lazy("Verifikasi")),
        (EntryChoice.RETURN, gettext_lazy("Kembalikan untuk diperbaiki")),
    ]

    def __init__(self, *args, entries: list[HourEntry], **kwargs):
        super().__init__(*args, **kwargs)
        self.entries = entries
        for entry in entries:
            # The date in the labels tells the entries apart in the error
            # summary at the top of the form.
            day = date_format(entry.date, "j F Y")
            self.fields[self.choice_name(entry)] = forms.ChoiceField(
                label=_("Keputusan untuk catatan %(date)s") % {"date": day},
                choices=self.CHOICES,
                initial=EntryChoice.LATER,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[self.reason_name(entry)] = forms.CharField(
                label=_("Alasan dikembalikan, catatan %(date)s") % {"date": day},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("Wajib bila dikembalikan: apa yang perlu diperbaiki?"),
            )

    @staticmethod
    def choice_name(entry: HourEntry) -> str:
        return f"keputusan-{entry.uuid}"

    @staticmethod
    def reason_name(entry: HourEntry) -> str:
        return f"alasan-{entry.uuid}"

    @property
    def waiting(self) -> list[HourEntry]:
        """The entries still to decide. The others keep their fields, so a
        repeated POST is read whole and its late choices reported."""
        return [e for e in self.entries if e.status == EntryStatus.SUBMITTED]

    def rows(self) -> list[tuple[HourEntry, forms.BoundField, forms.BoundField]]:
        """Each entry still waiting with its two fields, for the template."""
        return [
            (entry, self[self.choice_name(entry)], self[self.reason_name(entry)])
            for entry in self.waiting
        ]

    def choices(self, *, verify_the_rest: bool = False) -> dict[int, str]:
        """The decision for each entry by id; "later" becomes verify on request."""
        chosen = {}
        for entry in self.entries:
            choice = self.cleaned_data.get(self.choice_name(entry)) or EntryChoice.LATER
            if verify_the_rest and choice == EntryChoice.LATER:
                choice = EntryChoice.VERIFY
            chosen[entry.pk] = choice
        return chosen

    def reasons(self) -> dict[int, str]:
        return {
            entry.pk: self.cleaned_data.get(self.reason_name(entry), "")
            for entry in self.entries
        }

    def field_for_error(self, key: str) -> str | None:
        """The field a rule's error key names ("reason:12" is that entry's reason)."""
        if key in ("name", "position"):
            return {"name": "nama", "position": "jabatan"}[key]
        kind, _sep, pk = key.partition(":")
        entry = next((e for e in self.entries if str(e.pk) == pk), None)
        if entry is None:
            return None
        return self.reason_name(entry) if kind == "reason" else self.choice_name(entry)
