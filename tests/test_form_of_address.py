"""One voice across the site: the person is "kamu" (never "Anda"), a password
is "kata sandi" (never a bare "sandi"), and mail is "email" (never "surel").

Held over our own source strings (the msgids of the `en` catalogue, which
are Indonesian) and over Django's own words as the site shows them in
Indonesian (Django's catalogues, through ours in locale/id)."""

import re
from pathlib import Path

import django
from django.utils import translation

import pytest
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parents[1] / "locale"
DJANGO_CATALOGUES = [
    Path(django.__file__).parent / "conf/locale/id/LC_MESSAGES/django.po",
    Path(django.__file__).parent / "contrib/auth/locale/id/LC_MESSAGES/django.po",
]
OFF_VOICE = re.compile(
    r"\b[Aa]nda(?:lah)?\b"  # the formal "you"
    r"|(?<![Kk]ata )\b[Ss]andi\b"  # "sandi" without "kata"
    r"|\b[Ss]urel\b"  # the site says "email"
)


def texts(message) -> list[str]:
    value = message.id
    return list(value) if isinstance(value, tuple) else [value]


def read(path: Path):
    with path.open("rb") as po_file:
        return [m for m in read_po(po_file) if m.id]


def off_voice(path: Path) -> list[str]:
    return [
        text
        for message in read(path)
        for text in texts(message)
        if OFF_VOICE.search(text)
    ]


def test_our_own_strings_speak_with_one_voice():
    assert off_voice(LOCALE / "en" / "LC_MESSAGES" / "django.po") == []


def test_our_own_strings_in_scripts_speak_with_one_voice():
    assert off_voice(LOCALE / "id" / "LC_MESSAGES" / "djangojs.po") == []


@pytest.mark.parametrize("path", DJANGO_CATALOGUES, ids=lambda path: path.parts[-4])
def test_djangos_own_words_reach_the_person_in_the_same_voice(path):
    """The password forms, their validators, the reset page: Django's words as
    the site shows them, after locale/id has had its say."""
    off = []
    with translation.override("id"):
        for message in read(path):
            if message.context or isinstance(message.id, tuple):
                shown = [
                    translation.npgettext(message.context, *message.id[:2], 1)
                    if message.context and isinstance(message.id, tuple)
                    else translation.ngettext(*message.id[:2], 1)
                    if isinstance(message.id, tuple)
                    else translation.pgettext(message.context, message.id)
                ]
            else:
                shown = [translation.gettext(message.id)]
            off += [text for text in shown if OFF_VOICE.search(text)]
    assert off == []
