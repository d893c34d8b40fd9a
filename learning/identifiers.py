"""Identifiers in free text: NIK and KK numbers, phone numbers, e-mail
addresses and BPJS / KIS card numbers.

Every text a person writes about real people passes this check: a trainee's
private answer to a lesson's reflection prompt (modules), essay answers in
quizzes (assessments), and every narrative about cases, which adds its own
rules for names and villages on top (`mentorship.narrative`). One rule, one
place: `identifier_problems` gives the messages, `check_identifiers` raises,
`identifier_hits` says where each one stands.

What it refuses:

- a NIK or KK number: 16 digits, together or grouped with spaces, dots or
  dashes ("5302 0412 3456 0001", "53.02.04.123456.0001");
- an Indonesian phone number: mobile (08…, +62 8…, 62 8…) or a landline with
  its area code ("(0388) 21234");
- an e-mail address;
- a BPJS / KIS card number (13 digits, starting 000, or after "BPJS", "KIS",
  "JKN").

lokal-id's PII detector (`lokal.samaran.detect_pii`) is the first layer. It
finds mobile numbers that validate, NIKs whose encoded birth date and region
are real (or that follow "NIK"/"KTP"), KK numbers after "KK", BPJS numbers
after "BPJS"/"KIS"/"JKN", e-mail addresses and landlines in some shapes. The
rules here add what it leaves: any 16-digit number in any of the usual
groupings (a typed NIK often does not validate), bare BPJS numbers, NTT
landlines with five-digit local numbers, mobile numbers it cannot validate and
reserved-domain e-mail addresses.

What it accepts: dates, times, money, case and police report numbers, law
citations, counts of people and the national SAPA hotline (129,
08111-129-129).
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lokal.samaran import detect_pii

from .models import search_key

NIK = "nik"
KK = "kk"
PHONE = "phone"
EMAIL = "email"
BPJS = "bpjs"

_LOKAL_KINDS = {"NIK": NIK, "KK": KK, "PHONE": PHONE, "EMAIL": EMAIL, "BPJS": BPJS}

# SAPA 129, KemenPPPA's national line for violence against women and children:
# a companion writes it down to tell a victim where to call. Only this number.
HOTLINES = frozenset({"08111129129", "628111129129"})


@dataclass(frozen=True)
class Finding:
    """One identifying detail; `quote` is the text exactly as written."""

    kind: str
    quote: str
    # What, beside the quote, makes it identifying (`mentorship.narrative`:
    # the ages and school words beside a desa, the kinship word before a name).
    details: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hit:
    """A finding and where it stands in the text."""

    start: int
    end: int
    finding: Finding


# ---------------------------------------------------------------------------
# Numbers


# Digits in groups joined by one space, dot or dash: "5302 0412 3456 0001",
# "53.02.04.123456.0001", "+62 812-3456-7890", "0001234567890".
_NUMBER_RUN = re.compile(r"\+?\d+(?:[ .\-]\d+)*")
_GROUP = re.compile(r"\d+")
_DIGIT = re.compile(r"\d")
_BPJS_WORD = re.compile(
    r"\b(?:bpjs|kis|jkn|kartu\s+indonesia\s+sehat)\b[^\d\n]{0,30}$", re.IGNORECASE
)
_MONEY_BEFORE = re.compile(r"\brp\.?\s*$", re.IGNORECASE)
_KK_WORD = re.compile(r"\b(?:kk|kartu\s+keluarga)\b[^\d\n]{0,25}$", re.IGNORECASE)
# A landline: the area code (02x–09xx, not the 08 of mobiles) in brackets or
# followed by a separator, then a local number of 5 to 8 digits.
_LANDLINE = re.compile(
    r"(?<![\w/])(?:\(0[2-79]\d{1,2}\)\s?|0[2-79]\d{1,2}[ .\-])"
    r"\d{2,4}(?:[ .\-]?\d{1,4})?(?![\w/]|[ .\-]?\d)"
)
_LANDLINE_LOCAL = re.compile(r"^(?:\(0\d+\)|0\d+)[ .\-]?\s?(.*)$")
_EMAIL = re.compile(
    r"(?<![\w.+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
)


MAX_DIGITS = 16


@dataclass(frozen=True)
class _Span:
    """A window of consecutive digit groups inside a run."""

    start: int
    end: int
    digits: str
    groups: tuple[str, ...]
    separators: frozenset[str]


def _windows(text: str):
    """Every window of consecutive groups in each run of grouped digits.

    A window keeps one separator throughout ("5302 0412 3456 0001"), so
    "17-11-2022 17-11-2022" is two dates, not one 16-digit number; and holds
    at most 16 digits, the longest number looked for.
    """
    for run in _NUMBER_RUN.finditer(text):
        value = run.group(0)
        groups = list(_GROUP.finditer(value))
        offset = run.start()
        for i in range(len(groups)):
            start = offset + (
                0 if i == 0 and value.startswith("+") else groups[i].start()
            )
            separators: set[str] = set()
            digits = ""
            for j in range(i, len(groups)):
                if j > i:
                    separators.add(value[groups[j - 1].end() : groups[j].start()])
                    if len(separators) > 1:
                        break
                digits += groups[j].group(0)
                if len(digits) > MAX_DIGITS:
                    break
                yield _Span(
                    start=start,
                    end=offset + groups[j].end(),
                    digits=digits,
                    groups=tuple(g.group(0) for g in groups[i : j + 1]),
                    separators=frozenset(separators),
                )


def _looks_like_money(span: _Span) -> bool:
    """1.500.000 and 62.850.000: the thousands groups of an amount."""
    return (
        span.separators <= {"."}
        and len(span.groups) > 1
        and 1 <= len(span.groups[0]) <= 3
        and not span.groups[0].startswith("0")
        and all(len(group) == 3 for group in span.groups[1:])
    )


def _looks_like_years(span: _Span) -> bool:
    return all(len(group) == 4 and 1900 <= int(group) <= 2099 for group in span.groups)


def _bounded(text: str, start: int, end: int) -> bool:
    """Not glued to letters, to more digits, or to a case number's slashes."""
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    if before and (before.isalnum() or before in "/_"):
        return False
    if after and (after.isalnum() or after in "/_"):
        return False
    # "x.5302…" or "5302….7": part of a longer grouped number.
    if start >= 2 and text[start - 1] in ".-" and text[start - 2].isdigit():
        return False
    glued_after = (
        text[end : end + 1] in (".", "-") and text[end + 1 : end + 2].isdigit()
    )
    return not glued_after


def _national_number(digits: str) -> str | None:
    """The digits after the country or trunk prefix of a mobile number."""
    for prefix in ("62", "0"):
        if digits.startswith(prefix) and digits[len(prefix) :].startswith("8"):
            return digits[len(prefix) :]
    return None


def _is_hotline(value: str) -> bool:
    digits = "".join(_DIGIT.findall(value))
    return digits in HOTLINES


def _number_hits(text: str) -> list[Hit]:
    """The project's own rules for identity, card and phone numbers."""
    hits: list[Hit] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    def add(kind: str, start: int, end: int) -> None:
        taken.append((start, end))
        hits.append(Hit(start, end, Finding(kind, text[start:end])))

    spans = [span for span in _windows(text) if _bounded(text, span.start, span.end)]
    # Identity numbers first: 16 digits.
    for span in spans:
        if len(span.digits) != 16 or not free(span.start, span.end):
            continue
        if _looks_like_money(span) or _looks_like_years(span):
            continue
        kind = (
            KK if _KK_WORD.search(text[max(0, span.start - 40) : span.start]) else NIK
        )
        add(kind, span.start, span.end)
    # BPJS / KIS: 13 digits, starting 000 or after the card's name.
    for span in spans:
        if len(span.digits) != 13 or not free(span.start, span.end):
            continue
        named = _BPJS_WORD.search(text[max(0, span.start - 40) : span.start])
        if span.digits.startswith("000") or named:
            add(BPJS, span.start, span.end)
    # Mobile numbers: 8–13 digits after 0, 62 or +62, the first one an 8.
    # The longest reading wins; groups after the first have three or more
    # digits, so "0813 3945 1122 2 kali" stops before the count.
    for span in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        if not free(span.start, span.end):
            continue
        national = _national_number(span.digits)
        if national is None or not 8 <= len(national) <= 13:
            continue
        first = span.groups[0]
        later = span.groups[1:]
        if any(len(group) < 3 for group in later) and not (
            first in ("62", "0") and all(len(g) >= 3 for g in later[1:])
        ):
            continue
        if _looks_like_money(span) or _MONEY_BEFORE.search(text[: span.start]):
            continue
        if _is_hotline(span.digits):
            continue
        add(PHONE, span.start, span.end)
    # Landlines with an area code: "(0388) 21234", "0380-821234".
    for match in _LANDLINE.finditer(text):
        local = _LANDLINE_LOCAL.match(match.group(0))
        local_digits = "".join(_DIGIT.findall(local.group(1) if local else ""))
        if not 5 <= len(local_digits) <= 8 or not free(match.start(), match.end()):
            continue
        add(PHONE, match.start(), match.end())
    for match in _EMAIL.finditer(text):
        if free(match.start(), match.end()):
            add(EMAIL, match.start(), match.end())
    return hits


# "12-03-2024", "2024.03.12", "01/02/2023": lokal-id reads a date after a
# field's label ("JKN: 12-03-2024") as that card's number.
_DATE = re.compile(
    r"^(?:\d{1,2}([-./])\d{1,2}\1(?:\d{2}|\d{4})|\d{4}([-./])\d{1,2}\2\d{1,2})$"
)


def _lokal_hits(text: str) -> list[Hit]:
    hits = []
    for match in detect_pii(text, types=list(_LOKAL_KINDS)):
        if match.type == "PHONE" and _is_hotline(match.value):
            continue
        if match.type in ("NIK", "KK", "BPJS") and _DATE.match(match.value.strip()):
            continue
        hits.append(
            Hit(match.start, match.end, Finding(_LOKAL_KINDS[match.type], match.value))
        )
    return hits


def identifier_hits(text: str) -> list[Hit]:
    """Every identifier in `text` with its place; overlapping readings dropped."""
    hits = _lokal_hits(text)
    for hit in _number_hits(text):
        if all(hit.end <= other.start or hit.start >= other.end for other in hits):
            hits.append(hit)
    return hits


def findings_in_order(hits: list[Hit]) -> list[Finding]:
    """The findings in reading order, each once (a KK number counts as a NIK)."""
    hits = sorted(hits, key=lambda hit: (hit.start, -hit.end))
    findings: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for hit in hits:
        kind = NIK if hit.finding.kind == KK else hit.finding.kind
        key = (kind, search_key(hit.finding.quote) or hit.finding.quote)
        if key in seen:
            continue
        seen.add(key)
        findings.append(hit.finding)
    return findings


def identifiers(text: str) -> list[Finding]:
    """The identifiers in `text`, in reading order, each once."""
    if not text or not text.strip():
        return []
    return findings_in_order(identifier_hits(text))


def identifier_message(finding: Finding) -> str:
    """What the person reads: the identifier quoted, and what to do."""
    if finding.kind in (NIK, KK):
        return _(
            'Tulisan memuat nomor yang tampak seperti NIK atau nomor KK: "%(quote)s". '
            "Hapus nomor itu; catatan tidak boleh membuat korban dikenali."
        ) % {"quote": finding.quote}
    if finding.kind == PHONE:
        return _(
            'Tulisan memuat nomor telepon: "%(quote)s". Hapus nomor itu; catatan '
            "tidak boleh memuat kontak korban, keluarga, atau pelaku."
        ) % {"quote": finding.quote}
    if finding.kind == EMAIL:
        return _(
            'Tulisan memuat alamat e-mail: "%(quote)s". Hapus alamat itu; catatan '
            "tidak boleh memuat kontak korban, keluarga, atau pelaku."
        ) % {"quote": finding.quote}
    return _(
        "Tulisan memuat nomor yang tampak seperti nomor kartu BPJS atau KIS: "
        '"%(quote)s". Hapus nomor itu; catatan tidak boleh membuat korban '
        "dikenali."
    ) % {"quote": finding.quote}


def identifier_problems(text: str) -> list[str]:
    """One message per identifier, each quoting it and saying what to do."""
    return [identifier_message(finding) for finding in identifiers(text)]


def check_identifiers(text: str, *, field: str) -> None:
    """Raise a ValidationError on `field` if the text holds an identifier."""
    problems = identifier_problems(text)
    if problems:
        raise ValidationError({field: problems})
