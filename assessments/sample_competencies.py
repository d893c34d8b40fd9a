"""The sample competency framework: eight competencies, each with the law it
answers to and the sample modules that teach it.

Loaded with the rest of the sample curriculum (`sample_curriculum.
load_sample_curriculum`, the demo too); found by name, so a second load adds
nothing and keeps what an organisation changed.
"""

from modules.editions import FIRST_EDITION, record_loaded
from modules.models import ModulePage, SampleKind

from .models import Competency

# The sample framework: the competencies the seeds' training builds, each with
# the law it answers to. Level descriptors are short on purpose: sample content.
SAMPLE_COMPETENCIES = [
    (
        "Analisis gender",
        "Melihat bagaimana peran dan relasi kuasa laki-laki dan perempuan "
        "membentuk kerentanan terhadap kekerasan.",
        "Membedakan jenis kelamin dan gender\nMengenali ketimpangan relasi kuasa "
        "dalam kasus",
        "UU 12/2022 (TPKS) pasal 26: perspektif hak asasi manusia dan sensitif gender",
    ),
    (
        "Mengenali bentuk dan dampak KTP/KTA",
        "Mengenali kekerasan fisik, psikis, seksual, penelantaran dan eksploitasi, "
        "serta dampaknya bagi perempuan dan anak.",
        "Menyebut empat bentuk KDRT\nMengenali tanda kekerasan pada anak",
        "UU 23/2004 (PKDRT) pasal 5 sampai 9; UU 12/2022 (TPKS) pasal 4",
    ),
    (
        "Konseling awal dan penguatan korban",
        "Mendengarkan, menenangkan dan menguatkan korban tanpa menghakimi.",
        "Mendengarkan tanpa menyalahkan\nMenanyakan keselamatan korban\n"
        "Menghormati pilihan korban",
        "UU 23/2004 (PKDRT) pasal 23 dan pasal 41: relawan pendamping mendengarkan "
        "dengan empati, menguatkan dan memberi rasa aman kepada korban",
    ),
    (
        "Mekanisme penanganan dan rujukan kasus",
        "Merujuk korban ke layanan kesehatan, hukum dan sosial yang ia butuhkan.",
        "Mengenal layanan rujukan di wilayahnya\nMendampingi korban ke layanan",
        "UU 23/2004 (PKDRT) pasal 23; UU 12/2022 (TPKS) pasal 26",
    ),
    (
        "Pendokumentasian kasus (offline dan SIMFONI-PPA)",
        "Mencatat kasus dengan kategori yang benar tanpa membuka identitas korban.",
        "Mengisi formulir dokumentasi\nMemakai kategori SIMFONI-PPA",
        "UU 23/2004 (PKDRT) pasal 10 huruf c: kerahasiaan korban; UU 23/2002 "
        "(Perlindungan Anak) pasal 17 ayat (2); UU 27/2022 (PDP)",
    ),
    (
        "Proses litigasi dan non-litigasi",
        "Menjelaskan jalur hukum dan penyelesaian di luar pengadilan beserta "
        "batasannya.",
        "Menjelaskan tahapan laporan polisi\nMengetahui larangan penyelesaian di "
        "luar pengadilan untuk kekerasan seksual",
        "UU 12/2022 (TPKS) pasal 23 dan pasal 25; UU 16/2011 (Bantuan Hukum)",
    ),
    (
        "Kerja sama dengan pemerintah desa, tokoh masyarakat dan Polsek",
        "Membangun dukungan desa dan aparat untuk pencegahan dan penanganan.",
        "Menghadiri musyawarah desa\nMenjalin kontak dengan Polsek",
        "UU 23/2004 (PKDRT) pasal 15",
    ),
    (
        "Etika, kerahasiaan dan keselamatan pendamping",
        "Menjaga kerahasiaan korban dan keselamatan diri sendiri.",
        "Tidak menyebarkan identitas korban\nMengenali ancaman bagi pendamping",
        "UU 23/2002 (Perlindungan Anak) pasal 17 ayat (2); UU 23/2004 (PKDRT) "
        "pasal 10 huruf c; UU 12/2022 (TPKS) pasal 28 dan 29: pelindungan hukum "
        "bagi pendamping; UU 27/2022 (PDP)",
    ),
]


# Which sample modules teach each competency (by slug). Every module teaches
# at least one competency and every competency is taught by at least one module.
SAMPLE_TEACHING = {
    "Analisis gender": [
        "gender-dan-kesetaraan-gender",
        "kekerasan-terhadap-perempuan-dan-anak",
        "perdagangan-orang-dan-migrasi-aman",
    ],
    "Mengenali bentuk dan dampak KTP/KTA": [
        "kekerasan-terhadap-perempuan-dan-anak",
        "perdagangan-orang-dan-migrasi-aman",
        "ims-dan-hiv-aids",
    ],
    "Konseling awal dan penguatan korban": [
        "konseling-awal-dan-penguatan-korban",
    ],
    "Mekanisme penanganan dan rujukan kasus": [
        "mekanisme-penanganan-dan-rujukan-kasus",
        "perdagangan-orang-dan-migrasi-aman",
        "ims-dan-hiv-aids",
    ],
    "Pendokumentasian kasus (offline dan SIMFONI-PPA)": ["pendokumentasian-kasus"],
    "Proses litigasi dan non-litigasi": [
        "penyelesaian-kasus-litigasi-dan-non-litigasi",
    ],
    "Kerja sama dengan pemerintah desa, tokoh masyarakat dan Polsek": [
        "advokasi-anggaran-desa",
        "mekanisme-penanganan-dan-rujukan-kasus",
        "penyelesaian-kasus-litigasi-dan-non-litigasi",
    ],
    "Etika, kerahasiaan dan keselamatan pendamping": [
        "konseling-awal-dan-penguatan-korban",
        "pendokumentasian-kasus",
        "ims-dan-hiv-aids",
    ],
}


# The first edition's legal bases that cited the wrong article, by competency:
# a competency still holding one word for word gets the corrected basis.
FIRST_EDITION_BASIS = {
    "Mengenali bentuk dan dampak KTP/KTA": "UU 23/2004 (PKDRT) pasal 5",
    "Konseling awal dan penguatan korban": (
        "UU 23/2004 (PKDRT) pasal 23; Permenkumham 3/2021"
    ),
    "Pendokumentasian kasus (offline dan SIMFONI-PPA)": (
        "UU 27/2022 (PDP); UU 11/2012 (SPPA) pasal 19"
    ),
    "Proses litigasi dan non-litigasi": (
        "UU 12/2022 (TPKS) pasal 23; Permenkumham 3/2021"
    ),
    "Etika, kerahasiaan dan keselamatan pendamping": (
        "UU 12/2022 (TPKS): kerahasiaan identitas korban; UU 27/2022 (PDP)"
    ),
}


def load_sample_competencies() -> list:
    """The framework, each competency linked to the sample modules that teach it.

    A competency made here is recorded as *materi contoh* (`SampleContent`);
    one that exists already is left as it is, except that a competency an
    editor has not linked to modules gets the sample's links, and one still
    citing the first edition's wrong article gets the right one.
    """
    modules = {page.slug: page for page in ModulePage.objects.all()}
    competencies = []
    for order, (name, description, criteria, basis) in enumerate(SAMPLE_COMPETENCIES):
        competency, created = Competency.objects.get_or_create(
            name=name,
            defaults={
                "description": description,
                "criteria": criteria,
                "legal_basis": basis,
                "sort_order": order,
                "not_yet": "Belum menunjukkan kriteria di atas.",
                "developing": "Menunjukkan sebagian kriteria dengan bantuan.",
                "competent": "Menunjukkan semua kriteria secara mandiri.",
            },
        )
        if created:
            # Marked *materi contoh*; one the site made itself is not.
            record_loaded(SampleKind.COMPETENCY, name, name, FIRST_EDITION)
        if competency.legal_basis == FIRST_EDITION_BASIS.get(name):
            competency.legal_basis = basis
            competency.save(update_fields=["legal_basis"])
        if not competency.modules.exists():
            teaching = [modules[s] for s in SAMPLE_TEACHING[name] if s in modules]
            if teaching:
                competency.modules.set(teaching)
                competency.save()
        competencies.append(competency)
    return competencies
