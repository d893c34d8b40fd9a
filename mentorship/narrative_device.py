"""What a phone needs to run the narrative check before saving offline.

`mentorship/static/mentorship/js/narrative-check.js` carries the rules of
`mentorship.narrative` to the browser, so a companion in a village learns at
once that a note quotes a phone number or names a desa beside an age. The
server's check stays the authority: a record saved on the phone is checked
again when it arrives. Two things come from here:

- `device_messages()`: the server's own messages, with their placeholders,
  in the language of the request. The message ids are those of
  `mentorship.narrative`, so one translation serves both (a test holds the
  filled messages equal to the server's);
- `desa_names()`: NTT's desa and kelurahan names as the desa rule reads them
  (`mentorship.narrative_places.place_names`), folded by `search_key`, and
  the name rule's word lists (`mentorship.narrative_names.word_lists`), as
  JSON with an ETag. Public region data and common names, nothing of a
  person.
"""

import hashlib
import json
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .narrative import BPJS, DESA, EMAIL, KK, NAME, NAME_AFTER, NAME_AGE, NIK, PHONE
from .narrative_names import word_lists
from .narrative_places import place_names


def device_messages() -> dict[str, str]:
    """The message for each kind of finding, placeholders left for the phone.

    `%(quote)s` is the text as written; for a desa, `%(place)s` and
    `%(details)s` (the ages and school words, each in double quotes, joined
    by ", "); for a name after a word or beside an age, `%(details)s` (that
    word or age, in double quotes). The strings are `mentorship.narrative`'s,
    word for word.
    """
    identity_number = _(
        'Tulisan memuat nomor yang tampak seperti NIK atau nomor KK: "%(quote)s". '
        "Hapus nomor itu; catatan tidak boleh membuat korban dikenali."
    )
    return {
        NIK: identity_number,
        KK: identity_number,
        PHONE: _(
            'Tulisan memuat nomor telepon: "%(quote)s". Hapus nomor itu; catatan '
            "tidak boleh memuat kontak korban, keluarga, atau pelaku."
        ),
        EMAIL: _(
            'Tulisan memuat alamat e-mail: "%(quote)s". Hapus alamat itu; catatan '
            "tidak boleh memuat kontak korban, keluarga, atau pelaku."
        ),
        BPJS: _(
            "Tulisan memuat nomor yang tampak seperti nomor kartu BPJS atau KIS: "
            '"%(quote)s". Hapus nomor itu; catatan tidak boleh membuat korban '
            "dikenali."
        ),
        DESA: _(
            'Tulisan menyebut desa "%(place)s" bersama usia atau sekolah '
            "(%(details)s). Di desa kecil, keduanya cukup untuk mengenali korban: "
            "sebut kecamatannya saja, atau hapus usia dan sekolahnya."
        ),
        NAME_AFTER: _(
            'Tulisan menyebut nama orang: "%(quote)s", sesudah %(details)s. Ganti '
            'dengan sebutan seperti "korban", "anak", atau "ibu korban"; catatan '
            "tidak boleh membuat korban dikenali."
        ),
        NAME_AGE: _(
            'Tulisan menyebut nama orang bersama usianya: "%(quote)s" (%(details)s). '
            'Ganti dengan sebutan seperti "korban", "anak", atau "ibu korban"; '
            "catatan tidak boleh membuat korban dikenali."
        ),
        NAME: _(
            'Tulisan menyebut "%(quote)s", nama diri atau nama keluarga yang umum '
            'di NTT. Ganti dengan sebutan seperti "korban", "anak", atau "ibu '
            'korban"; catatan tidak boleh membuat korban dikenali.'
        ),
    }


@dataclass(frozen=True)
class DesaNames:
    body: bytes
    etag: str


def desa_names() -> DesaNames:
    """The names the desa rule matches, as the phone's script reads them.

    Three strings of search keys separated by spaces (a key holds only a–z
    and 0–9), which is about 14 KB gzipped for NTT's 3,000 villages, against
    16 KB as JSON arrays:

    - `desa`: names matched as one word of the text ("oelet");
    - `several`: names also matched across words ("oeekam" for "Oe Ekam");
    - `allowed`: kecamatan, kabupaten and town names, read past whole;
    - `names`: the name rule's word lists (given, family, courtesy,
      not_names, institutions), each a string of lower-case words.
    """
    names = place_names()
    lists = word_lists()
    payload = {
        "desa": " ".join(sorted(names.desa - names.desa_of_several_words)),
        "several": " ".join(sorted(names.desa_of_several_words)),
        "allowed": " ".join(sorted(names.allowed)),
        "names": {
            field: " ".join(sorted(getattr(lists, field)))
            for field in ("given", "family", "courtesy", "not_names", "institutions")
        },
    }
    body = json.dumps(payload, separators=(",", ":")).encode()
    return DesaNames(body=body, etag='"' + hashlib.sha256(body).hexdigest()[:20] + '"')
