"""The reflection form: counts in a small table of type × path, partners,
obstacles by category with a few words each, support and learning needs.

The same form serves the companion's page and the facilitator entering one
during the session; the rules are `mentorship.reflection.check_reflection`.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..choices import CasePath, Obstacle, ReferralPartner, ViolenceType
from ..models import Reflection
from ..reflection import MAX_COUNT, MAX_TEXT_LENGTH, ReflectionInput


def count_name(kind: str, path: str) -> str:
    return f"n_{kind}_{path}"


def obstacle_name(category: str) -> str:
    return f"kendala_{category}"


class ReflectionForm(forms.Form):
    uuid = forms.UUIDField(widget=forms.HiddenInput)
    partners = forms.MultipleChoiceField(
        label=_("Mitra rujukan yang bekerja sama denganmu"),
        choices=ReferralPartner.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    support_needed = forms.CharField(
        label=_("Dukungan yang kamu butuhkan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_TEXT_LENGTH,
        required=False,
    )
    learning_needs = forms.CharField(
        label=_("Yang ingin kamu pelajari lagi"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_TEXT_LENGTH,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, _label in ViolenceType.choices:
            for path, _path_label in CasePath.choices:
                self.fields[count_name(kind, path)] = forms.IntegerField(
                    min_value=0,
                    max_value=MAX_COUNT,
                    required=False,
                    widget=forms.NumberInput(
                        attrs={"min": 0, "inputmode": "numeric", "class": "count"}
                    ),
                    error_messages={
                        "invalid": _("Tulis angka 0 atau lebih."),
                        "min_value": _("Tulis angka 0 atau lebih."),
                    },
                )
        for category, label in Obstacle.choices:
            self.fields[obstacle_name(category)] = forms.CharField(
                label=label,
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=MAX_TEXT_LENGTH,
                required=False,
                help_text=_("Kosongkan bila bukan kendalamu."),
            )

    def count_rows(self):
        """The table: one row per violence type, one input per path."""
        return [
            (label, [self[count_name(kind, path)] for path in CasePath.values])
            for kind, label in ViolenceType.choices
        ]

    def obstacle_fields(self):
        return [self[obstacle_name(category)] for category in Obstacle.values]

    def reflection_input(self) -> ReflectionInput:
        data = self.cleaned_data
        return ReflectionInput(
            case_counts=[
                {"type": kind, "path": path, "count": data[count_name(kind, path)]}
                for kind in ViolenceType.values
                for path in CasePath.values
                if data.get(count_name(kind, path))
            ],
            partners=data["partners"],
            obstacles=[
                {"category": category, "text": data[obstacle_name(category)].strip()}
                for category in Obstacle.values
                if data.get(obstacle_name(category), "").strip()
            ],
            support_needed=data["support_needed"],
            learning_needs=data["learning_needs"],
        )


def reflection_initial(reflection: Reflection) -> dict:
    initial = {
        "uuid": reflection.uuid,
        "partners": reflection.partners,
        "support_needed": reflection.support_needed,
        "learning_needs": reflection.learning_needs,
    }
    for item in reflection.case_counts:
        initial[count_name(item["type"], item["path"])] = item["count"]
    for item in reflection.obstacles:
        initial[obstacle_name(item["category"])] = item["text"]
    return initial


def apply_reflection_errors(form: ReflectionForm, error) -> None:
    """A rule's errors on the fields they name; counts and obstacles above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for key, messages in error.message_dict.items():
        if key in form.fields and not form.fields[key].widget.is_hidden:
            form.add_error(key, messages)
        else:
            form.add_error(None, messages)
