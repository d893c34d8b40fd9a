"""The English catalogue is complete, and the committed .mo matches the .po.

The source strings are Indonesian; English is the second language. CI also
re-extracts the strings (GNU gettext) to prove the .po is current.
"""

import gettext
from pathlib import Path

from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parents[1] / "locale"


def load(language):
    po_path = LOCALE / language / "LC_MESSAGES" / "django.po"
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file)
    with (po_path.with_suffix(".mo")).open("rb") as mo_file:
        compiled = gettext.GNUTranslations(mo_file)
    return catalog, compiled


def test_every_english_string_is_translated_and_none_is_fuzzy():
    catalog, _ = load("en")
    untranslated = [m.id for m in catalog if m.id and not m.string]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert untranslated == []
    assert fuzzy == []
    assert len([m for m in catalog if m.id]) > 50


def test_committed_mo_file_is_compiled_from_the_current_po():
    catalog, compiled = load("en")
    for message in catalog:
        if not message.id or isinstance(message.id, tuple):
            continue
        assert compiled.gettext(message.id) == message.string, message.id
