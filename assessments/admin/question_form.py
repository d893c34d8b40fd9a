"""The bank's question form: the same weight rules as an imported file."""

from decimal import Decimal

from django.core.exceptions import ValidationError

from wagtail.admin.forms import WagtailAdminModelForm

from ..choices import QuestionKind
from ..question_io.parsed import ParsedOption, choice_weight_error


class QuestionForm(WagtailAdminModelForm):
    """Refuses a multiple-choice question the import would refuse: no right
    answer, right answers not adding up to 100, or ticking every option
    earning full marks."""

    def clean(self):
        cleaned = super().clean()
        options = self.formsets.get("options")
        if (
            cleaned.get("kind") != QuestionKind.MULTIPLE_CHOICE
            or options is None
            or not options.is_valid()
        ):
            return cleaned
        kept = [
            ParsedOption(
                text=form.cleaned_data.get("text", ""),
                weight=Decimal(form.cleaned_data.get("weight") or 0),
            )
            for form in options.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        problem = choice_weight_error(kept, bool(cleaned.get("several_correct")))
        if problem:
            raise ValidationError(problem)
        return cleaned
