"""Catalogues are complete, keep their placeholders, and match their .mo files.

Our source strings are Indonesian; `en` translates them. `id` holds our
Indonesian for the Wagtail admin strings that Wagtail's own catalogue leaves
in English. CI also re-extracts our strings (GNU gettext) to prove the `en`
catalogue is current.
"""

import gettext
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parents[1] / "locale"
CATALOGUES = [("en", "django"), ("id", "django"), ("id", "djangojs")]
PLACEHOLDER = re.compile(r"%\([^)]+\)[sd]|%[sd]|\{[^{}]*\}")


def load(language, domain):
    po_path = LOCALE / language / "LC_MESSAGES" / f"{domain}.po"
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file)
    with po_path.with_suffix(".mo").open("rb") as mo_file:
        compiled = gettext.GNUTranslations(mo_file)
    return catalog, compiled


def messages(catalog):
    return [message for message in catalog if message.id]


@pytest.mark.parametrize(("language", "domain"), CATALOGUES)
def test_every_string_is_translated_and_none_is_fuzzy(language, domain):
    catalog, _ = load(language, domain)
    untranslated = [m.id for m in messages(catalog) if not all(_forms(m.string))]
    assert untranslated == []
    assert [m.id for m in messages(catalog) if m.fuzzy] == []
    assert len(messages(catalog)) > 40


@pytest.mark.parametrize(("language", "domain"), CATALOGUES)
def test_translations_keep_every_placeholder(language, domain):
    catalog, _ = load(language, domain)
    broken = []
    for message in messages(catalog):
        source = message.id[-1] if isinstance(message.id, tuple) else message.id
        for form in _forms(message.string):
            if sorted(PLACEHOLDER.findall(form)) != sorted(PLACEHOLDER.findall(source)):
                broken.append((source, form))
    assert broken == []


@pytest.mark.parametrize(("language", "domain"), CATALOGUES)
def test_committed_mo_file_is_compiled_from_the_current_po(language, domain):
    catalog, compiled = load(language, domain)
    for message in messages(catalog):
        if isinstance(message.id, tuple):
            singular, plural = message.id
            if message.context:
                got = compiled.npgettext(message.context, singular, plural, 1)
            else:
                got = compiled.ngettext(singular, plural, 1)
            assert got == _forms(message.string)[0], singular
        elif message.context:
            assert compiled.pgettext(message.context, message.id) == message.string
        else:
            assert compiled.gettext(message.id) == message.string, message.id


def _forms(string):
    return list(string) if isinstance(string, tuple) else [string]
