"""The narrative check: free text about cases must not identify anyone.

One function for every door (the trainee's forms, the admin, the paper import
and the API): `check_narrative` raises, `narrative_problems` gives the
messages, `identifying_details` says what was found and quotes it as written.

What it refuses:

- the identifiers every private text refuses (`learning.identifiers`): NIK
  and KK numbers, phone numbers, e-mail addresses, BPJS / KIS card numbers;
- a desa or kelurahan name from the region data together with an age or a
  school in the same text: in a village of five hundred, "siswi SMP, 14 tahun,
  dari Oelet" is one girl (`narrative_places`);
- a person's name: after a kinship or courtesy word ("Mama Yuliana"), beside
  an age ("Maria (14)"), after "bernama", or a common given or family name of
  NTT ("keluarga Nubatonis") (`narrative_names`).

What it accepts: dates, times, money, case and police report numbers, law
citations, counts of people, kecamatan and kabupaten names, an age without a
desa, a desa without an age or school, the national SAPA hotline (129,
08111-129-129), offices and titles ("Ibu Kepala Desa", "Bapa Pendeta"),
churches, hospitals and institutions ("Gereja Katolik Santa Maria").
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from learning.identifiers import (
    BPJS,
    EMAIL,
    KK,
    NIK,
    PHONE,
    Finding,
    Hit,
    findings_in_order,
    identifier_hits,
    identifier_message,
)

from .narrative_names import NAME, NAME_AFTER, NAME_AGE, NAME_KINDS, name_hits
from .narrative_places import ages_and_schools, desa_mentions

__all__ = [
    "BPJS",
    "DESA",
    "EMAIL",
    "KK",
    "NAME",
    "NAME_AFTER",
    "NAME_AGE",
    "NAME_KINDS",
    "NIK",
    "PHONE",
    "Finding",
    "check_narrative",
    "identifying_details",
    "narrative_problems",
]

DESA = "desa"


def _desa_hits(text: str) -> list[Hit]:
    context = ages_and_schools(text)
    if not context:
        return []
    details = tuple(dict.fromkeys(quote for _start, quote in context))
    return [
        Hit(start, end, Finding(DESA, text[start:end], details))
        for start, end in desa_mentions(text)
    ]


def _apart(hit: Hit, others: list[Hit]) -> bool:
    return all(hit.end <= other.start or hit.start >= other.end for other in others)


def identifying_details(text: str) -> list[Finding]:
    """What in `text` could identify a victim, in reading order, each once."""
    if not text or not text.strip():
        return []
    hits = identifier_hits(text)
    # A name is read before a desa: "Yohana Benu 14 thn" is a girl, not Benu.
    names = [hit for hit in name_hits(text) if _apart(hit, hits)]
    hits += names
    hits += [hit for hit in _desa_hits(text) if _apart(hit, names)]
    return findings_in_order(hits)


def _details(finding: Finding) -> str:
    return ", ".join(f'"{detail}"' for detail in finding.details)


def _message(finding: Finding) -> str:
    if finding.kind == NAME_AFTER:
        return _(
            'Tulisan menyebut nama orang: "%(quote)s", sesudah %(details)s. Ganti '
            'dengan sebutan seperti "korban", "anak", atau "ibu korban"; catatan '
            "tidak boleh membuat korban dikenali."
        ) % {"quote": finding.quote, "details": _details(finding)}
    if finding.kind == NAME_AGE:
        return _(
            'Tulisan menyebut nama orang bersama usianya: "%(quote)s" (%(details)s). '
            'Ganti dengan sebutan seperti "korban", "anak", atau "ibu korban"; '
            "catatan tidak boleh membuat korban dikenali."
        ) % {"quote": finding.quote, "details": _details(finding)}
    if finding.kind == NAME:
        return _(
            'Tulisan menyebut "%(quote)s", nama diri atau nama keluarga yang umum '
            'di NTT. Ganti dengan sebutan seperti "korban", "anak", atau "ibu '
            'korban"; catatan tidak boleh membuat korban dikenali.'
        ) % {"quote": finding.quote}
    if finding.kind == DESA:
        return _(
            'Tulisan menyebut desa "%(place)s" bersama usia atau sekolah '
            "(%(details)s). Di desa kecil, keduanya cukup untuk mengenali korban: "
            "sebut kecamatannya saja, atau hapus usia dan sekolahnya."
        ) % {"place": finding.quote, "details": _details(finding)}
    return identifier_message(finding)


def narrative_problems(text: str) -> list[str]:
    """One message per identifying detail, each quoting it and saying what to do."""
    return [_message(finding) for finding in identifying_details(text)]


def check_narrative(text: str, *, field: str) -> None:
    """Raise a ValidationError on `field` if the text could identify someone."""
    problems = narrative_problems(text)
    if problems:
        raise ValidationError({field: problems})
