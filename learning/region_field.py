"""The one way to choose a place in the admin: a Kemendagri region, by name or code.

A form used to embed every village of NTT (3,442 options, a 330 KB to 1 MB
page) or ask for a raw code. Here the page carries only what is chosen; a
small script asks `region_search` for suggestions as one types, and without
the script a code or an exact name ("Kota Soe", "Desa Oe'Ekam, Kec. Noebeba")
still works. Typed text resolves by `learning.regions.match_region`, the rule
the people import uses, so the two never disagree about a name.

`RegionField` picks one region, `RegionMultipleField` several (the cohort's
villages: chosen ones are checkboxes, so no click can wipe the others).
"""

from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from .choices import RegionLevel
from .models import Region
from .regions import RegionMatch, match_region, search_regions
from .search import clean_search_text

# What a search box needs; longer text is refused rather than cut silently.
MAX_SEARCH_LENGTH = 100
MAX_SUGGESTIONS = 20
# Names typed at once into the multiple field: each is one lookup.
MAX_TYPED_NAMES = 20
# More villages than any cohort has; the list is refused beyond it.
MAX_CHOSEN = 1000
TYPED_SEPARATOR = ";"

_MEDIA = forms.Media(
    js=["learning/js/region-field.js"],
    css={"all": ["learning/css/region-field.css"]},
)


def _levels_param(levels: Iterable[int]) -> str:
    return ",".join(str(int(level)) for level in levels)


def _options(regions: Iterable[Region]) -> str:
    return "; ".join(f"{region.label} ({region.code})" for region in regions)


def region_problem(match: RegionMatch) -> str:
    """Why `match` chose nothing, in words that say what to do next."""
    if match.candidates:
        return _(
            "Ada beberapa wilayah bernama %(name)s. Pilih salah satu dari daftar, "
            "atau tulis kodenya: %(options)s."
        ) % {"name": match.name, "options": _options(match.candidates)}
    if match.is_code:
        return _(
            "Kode wilayah ini tidak dikenal: %(code)s. Ketik nama wilayahnya, "
            "lalu pilih dari daftar."
        ) % {"code": match.name}
    if match.nearest:
        return _(
            "Wilayah bernama %(name)s tidak ditemukan. Mungkin maksudnya: %(options)s."
        ) % {"name": match.name, "options": _options(match.nearest)}
    return _(
        "Wilayah bernama %(name)s tidak ditemukan. Ketik sebagian namanya, "
        "lalu pilih dari daftar, atau tulis kode Kemendagri-nya."
    ) % {"name": match.name}


class _RegionWidgetMixin:
    """What both widgets tell the script: where to search, and at which levels."""

    def __init__(self, *, levels: Iterable[int], attrs=None):
        super().__init__(attrs=attrs)
        self.levels = tuple(levels)

    @property
    def media(self):
        return _MEDIA

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["search_url"] = (
            f"{reverse('learning_region_search')}?levels={_levels_param(self.levels)}"
        )
        return context


class RegionInput(_RegionWidgetMixin, forms.TextInput):
    template_name = "learning/widgets/region_input.html"

    def __init__(self, *, levels: Iterable[int], attrs=None):
        attrs = {"autocomplete": "off", "spellcheck": "false", **(attrs or {})}
        super().__init__(levels=levels, attrs=attrs)


class RegionChoicesInput(_RegionWidgetMixin, forms.Widget):
    """Chosen regions as checked boxes, and a text box to add more.

    Both post under the field's name: a box's value is its code, the text box
    holds names or codes (several separated by ";"). Unticking a box removes
    that region when the form is saved; nothing else does.
    """

    template_name = "learning/widgets/region_choices.html"

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        if isinstance(values, str):
            values = [values]
        typed = []
        for value in values or []:
            typed += [part.strip() for part in str(value).split(TYPED_SEPARATOR)]
        return [value for value in typed if value]

    def value_omitted_from_data(self, data, files, name):
        # Like checkboxes: none posted means none chosen.
        return False

    def format_value(self, value):
        return value

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        items = list(value or [])
        codes = [item for item in items if isinstance(item, str)]
        known = {
            region.code: region
            for region in Region.objects.filter(code__in=codes, level__in=self.levels)
        }
        chips, typed, seen = [], [], set()
        for item in items:
            region = item if isinstance(item, Region) else known.get(item)
            if region is None:
                typed.append(str(item))
            elif region.code not in seen:
                seen.add(region.code)
                chips.append(region)
        context["widget"]["chips"] = chips
        context["widget"]["typed"] = f"{TYPED_SEPARATOR} ".join(typed)
        return context


def _region_of(value) -> Region | None:
    if isinstance(value, Region):
        return value
    if isinstance(value, int):
        return Region.objects.filter(pk=value).first()
    return None


class RegionField(forms.Field):
    """One region, from its code, name or label."""

    def __init__(self, *, levels: Iterable[int] = (RegionLevel.DESA,), **kwargs):
        self.levels = tuple(levels)
        kwargs.setdefault("widget", RegionInput(levels=self.levels))
        kwargs.setdefault(
            "help_text",
            gettext_lazy("Ketik nama atau kode Kemendagri, lalu pilih dari daftar."),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        region = _region_of(value)
        if region is not None:
            return region.label
        return "" if value is None else value

    def to_python(self, value) -> Region | None:
        text = clean_search_text(str(value or ""))
        if not text:
            return None
        match = match_region(text, level=self.levels)
        if not match.is_unique:
            raise ValidationError(region_problem(match), code="invalid_choice")
        return match.candidates[0]

    def has_changed(self, initial, data) -> bool:
        before = _region_of(initial)
        try:
            after = self.to_python(data)
        except ValidationError:
            return True
        return (before and before.pk) != (after and after.pk)


class RegionMultipleField(forms.Field):
    """Several regions: the codes of the boxes left ticked, and names typed."""

    def __init__(self, *, levels: Iterable[int] = (RegionLevel.DESA,), **kwargs):
        self.levels = tuple(levels)
        kwargs.setdefault("widget", RegionChoicesInput(levels=self.levels))
        kwargs.setdefault(
            "help_text",
            gettext_lazy(
                "Ketik nama atau kode desa, lalu pilih dari daftar untuk "
                "menambahkannya. Hapus centang untuk mengeluarkan desa."
            ),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        # Initial values are regions (or their ids); bound ones, text as posted.
        items = [] if value is None else list(value)
        ids = [item for item in items if isinstance(item, int)]
        by_id = Region.objects.in_bulk(ids) if ids else {}
        return [
            by_id.get(item, item) if isinstance(item, int) else item for item in items
        ]

    def to_python(self, value) -> list[Region]:
        values = [clean_search_text(str(item)) for item in value or []]
        values = [item for item in values if item]
        if len(values) > MAX_CHOSEN:
            raise ValidationError(
                _("Paling banyak %(n)s wilayah.") % {"n": MAX_CHOSEN}, code="too_many"
            )
        known = {
            region.code: region
            for region in Region.objects.filter(code__in=values, level__in=self.levels)
        }
        typed = [item for item in values if item not in known]
        if len(typed) > MAX_TYPED_NAMES:
            raise ValidationError(
                _("Tulis paling banyak %(n)s nama sekaligus.") % {"n": MAX_TYPED_NAMES},
                code="too_many",
            )
        problems = []
        for text in typed:
            match = match_region(text, level=self.levels)
            if match.is_unique:
                known[text] = match.candidates[0]
            else:
                problems.append(ValidationError(region_problem(match), code="invalid"))
        if problems:
            raise ValidationError(problems)
        chosen = {known[item].pk: known[item] for item in values}
        return list(chosen.values())

    def validate(self, value):
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")

    def has_changed(self, initial, data) -> bool:
        before = {
            region.code
            for region in self.prepare_value(initial)
            if isinstance(region, Region)
        }
        return before != set(data or [])


def _levels_from(text: str) -> tuple[int, ...] | None:
    levels = tuple(part.strip() for part in text.split(",") if part.strip())
    allowed = {str(level) for level in RegionLevel.values}
    if not levels or not set(levels) <= allowed:
        return None
    return tuple(int(level) for level in levels)


@require_GET
def region_search(request: HttpRequest) -> JsonResponse:
    """Up to 20 regions matching `q`, as {"results": [{code, label, level}]}.

    Regions are public data; the admin's sign-in still guards the route, so
    nobody outside the staff can use it to load the server.
    """
    text = request.GET.get("q", "")
    if len(text) > MAX_SEARCH_LENGTH:
        return JsonResponse(
            {"error": _("Tulis paling banyak %(n)s huruf.") % {"n": MAX_SEARCH_LENGTH}},
            status=400,
        )
    levels = _levels_from(request.GET.get("levels", str(RegionLevel.DESA)))
    if levels is None:
        return JsonResponse({"error": _("Tingkat wilayah tidak dikenal.")}, status=400)
    regions = search_regions(text, level=levels, limit=MAX_SUGGESTIONS)
    return JsonResponse(
        {
            "results": [
                {"code": region.code, "label": region.label, "level": region.level}
                for region in regions
            ]
        }
    )
