"""The narrative check: free text about cases refuses what identifies a victim.

The texts are the kind companions in NTT write in case notes and hour logs.
The session loads NTT's regions (tests/conftest.py), so the desa rule runs on
the real names.
"""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.utils import timezone

import pytest

from learning.choices import RegionLevel
from learning.models import Region, search_key
from mentorship.choices import ActivityCategory
from mentorship.hours import EntryInput, record_entry, update_entry
from mentorship.models import HourEntry
from mentorship.narrative import (
    DESA,
    EMAIL,
    KK,
    NIK,
    PHONE,
    Finding,
    check_narrative,
    identifying_details,
    narrative_problems,
)
from mentorship.narrative_places import ORDINARY_WORDS, forget_place_names
from tests.factories import PlacementFactory

pytestmark = pytest.mark.django_db


# (text, the exact text the message must quote)
REFUSED = [
    pytest.param(
        "Korban (umur 14) siswi SMP di Oelet mengadu ke Polsek bersama ibunya.",
        "Oelet",
        id="desa-age-school",
    ),
    pytest.param(
        "Nomor HP ibunya 0813 3945 1122, bisa dihubungi sore hari.",
        "0813 3945 1122",
        id="phone-spaced",
    ),
    pytest.param(
        "Saya mencatat NIK korban 5302041234560001 untuk formulir rujukan.",
        "5302041234560001",
        id="nik-together",
    ),
    pytest.param(
        "NIK pelaku menurut berkas polisi: 5302 0412 3456 0001.",
        "5302 0412 3456 0001",
        id="nik-spaced",
    ),
    pytest.param(
        "Di surat keterangan desa tertulis 53.02.04.123456.0001 sebagai nomor korban.",
        "53.02.04.123456.0001",
        id="nik-dotted",
    ),
    pytest.param(
        "Fotokopi KTP dengan nomor 5302-0412-3456-0001 dibawa ke UPTD PPA.",
        "5302-0412-3456-0001",
        id="nik-dashed",
    ),
    pytest.param(
        "Berkas berisi 3174052309870002 di pojok kanan atas.",
        "3174052309870002",
        id="nik-valid-no-word",
    ),
    pytest.param(
        "Nomor KK keluarga korban 5302040101100003 dipakai untuk mengurus akta.",
        "5302040101100003",
        id="kk",
    ),
    pytest.param(
        "Pendamping menelepon 0812-3456-7890 untuk menanyakan kabar korban.",
        "0812-3456-7890",
        id="phone-dashed",
    ),
    pytest.param(
        "Kakak korban di Kupang bisa dihubungi lewat WA +62 812 3456 7890.",
        "+62 812 3456 7890",
        id="phone-plus62",
    ),
    pytest.param(
        "Pelaku mengirim pesan dari nomor 0852.1234.5678 berkali-kali.",
        "0852.1234.5678",
        id="phone-dotted",
    ),
    pytest.param(
        "Korban dikirimi pesan ancaman oleh 6281339451122 lewat WhatsApp.",
        "6281339451122",
        id="phone-62",
    ),
    pytest.param(
        "Paman korban minta ditelepon di 62 813-3945-1122 malam hari.",
        "62 813-3945-1122",
        id="phone-62-spaced",
    ),
    pytest.param(
        "Kepala desa meminta kami menelepon kantornya di (0388) 21234.",
        "(0388) 21234",
        id="landline-brackets",
    ),
    pytest.param(
        "Telepon rumah 0380-821234 milik paman korban sudah dicatat.",
        "0380-821234",
        id="landline-dashed",
    ),
    pytest.param(
        "Pesan ancaman masuk ke e-mail mawar.ntt88@gmail.com milik korban.",
        "mawar.ntt88@gmail.com",
        id="email",
    ),
    pytest.param(
        "Surat pengantar diteruskan ke yohana_soe@yahoo.co.id oleh sekretaris.",
        "yohana_soe@yahoo.co.id",
        id="email-co-id",
    ),
    pytest.param(
        "Kartu BPJS korban nomor 0001234567890 sudah aktif kembali.",
        "0001234567890",
        id="bpjs-with-word",
    ),
    pytest.param(
        "Nomor kartu 0002345678901 dicatat petugas puskesmas.",
        "0002345678901",
        id="bpjs-without-word",
    ),
    pytest.param(
        "KIS anak tercatat 1234567890123, tetapi belum bisa dipakai.",
        "1234567890123",
        id="kis-with-word",
    ),
    pytest.param(
        "Peserta JKN: 0001.2345.6789.0, dibayar pemerintah daerah.",
        "0001.2345.6789.0",
        id="jkn-dotted",
    ),
    pytest.param(
        "Anak dari Ajaobaki, berusia 9 tahun, dibawa ke puskesmas oleh neneknya.",
        "Ajaobaki",
        id="desa-berusia",
    ),
    pytest.param(
        "Siswi kelas 5 SD dari Oe'Ekam dilaporkan tidak pulang sejak Senin.",
        "Oe'Ekam",
        id="desa-apostrophe-school",
    ),
    pytest.param(
        "korban perempuan 12 tahun, tinggal di oe ekam bersama neneknya",
        "oe ekam",
        id="desa-lowercase-spaced",
    ),
    pytest.param(
        "Korban murid SMPN 1 di Biloto, kami dampingi ke Polres TTS.",
        "Biloto",
        id="desa-school-only",
    ),
    pytest.param(
        "Usia 15, rumahnya di Desa Nekbaun, ayahnya bekerja di Malaysia.",
        "Nekbaun",
        id="desa-usia",
    ),
    pytest.param(
        "Korban 11 tahun dari Camplong dirujuk ke rumah aman.",
        "Camplong",
        id="desa-numbered-base-name",
    ),
    pytest.param(
        "Remaja putri umur 16 dari Noelbaki hamil; sekolahnya belum tahu.",
        "Noelbaki",
        id="desa-kupang",
    ),
]

HARMLESS = [
    pytest.param(
        "Rapat koordinasi tanggal 17-11-2022 di kantor UPTD PPA Kota Soe.",
        id="date-dashed",
    ),
    pytest.param(
        "Pendampingan korban dilakukan pada 17/11/2022 dan 20/11/2022.",
        id="date-slashed",
    ),
    pytest.param(
        "Sidang dijadwalkan 17 November 2022 pukul 09.00 WITA.", id="date-words"
    ),
    pytest.param("Program ini berjalan sejak tahun 2024 di TTS.", id="year"),
    pytest.param(
        "Biaya visum Rp 1.500.000 ditanggung Dinas Sosial Kabupaten Kupang.",
        id="money-dots",
    ),
    pytest.param(
        "Bantuan transport Rp1,5 juta dan uang makan 250.000 rupiah.",
        id="money-words",
    ),
    pytest.param(
        "Kerugian korban karena penipuan kerja sebesar Rp 62.850.000.",
        id="money-starting-62",
    ),
    pytest.param(
        "Laporan polisi LP/B/123/XI/2024/SPKT/POLRES TTS sudah diterima keluarga.",
        id="police-report",
    ),
    pytest.param(
        "Nomor Perkara 12/Pid.Sus/2024/PN Soe masuk tahap pembuktian.",
        id="case-number",
    ),
    pytest.param("Korban menerima STPL/45/VI/2025 dari Polsek Mollo Utara.", id="stpl"),
    pytest.param(
        "Kasus terjadi di Kecamatan Amanuban Selatan, Kabupaten TTS; korban 14 tahun.",
        id="kecamatan-with-age",
    ),
    pytest.param(
        "Rujukan dari Kupang ke Kefamenanu (TTU) memakan waktu sehari; siswi SMP.",
        id="kabupaten-towns-with-school",
    ),
    pytest.param(
        "Kami mengunjungi sekolah di Mollo Utara dan Kota Soe untuk sosialisasi.",
        id="kecamatan-with-school",
    ),
    pytest.param(
        "Bulan ini 3 orang korban dan 12 kasus; dua anak dirujuk ke rumah aman.",
        id="counts",
    ),
    pytest.param(
        "Anak perempuan 13 tahun didampingi ke puskesmas untuk visum.",
        id="age-without-desa",
    ),
    pytest.param(
        "Rapat di kantor desa Oelet membahas pencegahan kekerasan.",
        id="desa-without-age",
    ),
    pytest.param(
        "Pertemuan mulai 08.30 dan selesai 14:00, istirahat 12.00-13.00.",
        id="times",
    ),
    pytest.param(
        "Korban diberi tahu layanan SAPA 129 dan nomor 08111-129-129.",
        id="sapa-hotline",
    ),
    pytest.param(
        "Hotline SAPA +62 811 1129 129 bisa dihubungi 24 jam.",
        id="sapa-hotline-plus62",
    ),
    pytest.param(
        "Pendamping menjelaskan UU 12/2022 pasal 23 dan Perpres 82/2018 kepada "
        "keluarga.",
        id="law-citations",
    ),
    pytest.param(
        "Pelaku dari Oelet divonis 12 tahun penjara oleh PN Soe.",
        id="sentence-is-not-an-age",
    ),
    pytest.param(
        "Kelompok usia 13-17 tahun paling banyak dilaporkan di Oelet dan sekitarnya.",
        id="age-group",
    ),
    pytest.param(
        "Korban umur 12 dari Oenino diantar ke Polsek.",
        id="desa-also-a-kecamatan",
    ),
    pytest.param(
        "Visum dilakukan di RSUD Soe pada 3 Maret 2025 pukul 10.15; korban 9 tahun.",
        id="hospital-date-time",
    ),
    pytest.param(
        "Data tahun 2021 2022 2023 2024 kami bandingkan untuk laporan donor.",
        id="list-of-years",
    ),
    pytest.param(
        "Korban kelas 2 SMP; pelaku tetangga. Kejadian di Amanuban Selatan.",
        id="school-with-kecamatan",
    ),
    pytest.param(
        "Tentang korban 12 tahun: ia bercerita pada guru di sekolah.",
        id="ordinary-words-that-are-desa-names",
    ),
    pytest.param(
        "Laporan dikirim lewat e-mail ke kantor; nomor telepon tidak dicatat.",
        id="talking-about-email",
    ),
    pytest.param("", id="empty"),
]


@pytest.mark.parametrize(("text", "quote"), REFUSED)
def test_identifying_text_is_refused_with_a_message_that_quotes_it(text, quote):
    problems = narrative_problems(text)
    assert problems, text
    assert any(f'"{quote}"' in problem for problem in problems), problems
    assert quote in [finding.quote for finding in identifying_details(text)]


@pytest.mark.parametrize("text", HARMLESS)
def test_harmless_text_passes(text):
    assert identifying_details(text) == []
    assert narrative_problems(text) == []
    check_narrative(text, field="activity")


def test_the_desa_message_quotes_the_age_and_school_and_says_what_to_do():
    text = "Korban (umur 14) siswi SMP di Oelet mengadu ke Polsek."
    [finding] = identifying_details(text)
    assert finding == Finding(DESA, "Oelet", ("umur 14", "siswi", "SMP"))
    [message] = narrative_problems(text)
    assert '"Oelet"' in message
    assert '"umur 14", "siswi", "SMP"' in message
    assert "kecamatan" in message


def test_the_nik_message_says_what_to_do():
    [message] = narrative_problems("NIK 5302 0412 3456 0001")
    assert message == (
        'Tulisan memuat nomor yang tampak seperti NIK atau nomor KK: "5302 0412 '
        '3456 0001". Hapus nomor itu; catatan tidak boleh membuat korban dikenali.'
    )


def test_findings_come_in_reading_order_and_once_each():
    text = (
        "Ibu korban (0813 3945 1122) minta dikirimi surat ke ibu.korban@gmail.com; "
        "kalau tidak aktif, telepon 0813-3945-1122. NIK anak 5302041234560001, "
        "No KK 5302040101100003."
    )
    findings = identifying_details(text)
    assert [(f.kind, f.quote) for f in findings] == [
        (PHONE, "0813 3945 1122"),
        (EMAIL, "ibu.korban@gmail.com"),
        (NIK, "5302041234560001"),
        (KK, "5302040101100003"),
    ]
    assert len(narrative_problems(text)) == 4


def test_a_number_next_to_a_count_or_an_age_is_quoted_alone():
    assert [f.quote for f in identifying_details("umur 14 5302 0412 3456 0001")] == [
        "5302 0412 3456 0001"
    ]
    assert [f.quote for f in identifying_details("0813 3945 1122 2 kali")] == [
        "0813 3945 1122"
    ]


def test_check_narrative_raises_on_the_field_with_every_message():
    text = "HP 0812-3456-7890, e-mail siti@gmail.com"
    with pytest.raises(ValidationError) as caught:
        check_narrative(text, field="what_was_hard")
    messages = caught.value.message_dict["what_was_hard"]
    assert len(messages) == 2
    assert '"0812-3456-7890"' in messages[0]
    assert '"siti@gmail.com"' in messages[1]


def test_short_desa_names_are_ignored():
    # "Tes" and "Oni" are desa names too short to tell from ordinary words.
    assert identifying_details("Tes urin korban 12 tahun di Oni") == []


def test_every_ordinary_word_is_really_an_ntt_desa_name():
    """The list only holds names that need holding back; none is stale."""
    desa_keys = {
        search_key(name)
        for name in Region.objects.filter(level=RegionLevel.DESA).values_list(
            "name", flat=True
        )
    }
    assert ORDINARY_WORDS - desa_keys == set()


def test_the_desa_names_are_loaded_once(
    django_assert_num_queries, django_assert_max_num_queries
):
    forget_place_names()
    with django_assert_num_queries(1):
        assert identifying_details("Korban umur 12 dari Oelet")
    with django_assert_max_num_queries(0):
        for _ in range(20):
            assert identifying_details("Siswi SMP dari Ajaobaki dan Biloto")
            assert not identifying_details("Rapat di kantor desa Oelet")


# The hour entries: the activity passes the same check.


def _entry(placement, activity: str) -> EntryInput:
    return EntryInput(
        placement=placement,
        date=timezone.localdate() - datetime.timedelta(days=5),
        category=ActivityCategory.DOCUMENTATION,
        activity=activity,
        start_time=datetime.time(8, 0),
        end_time=datetime.time(10, 0),
    )


def test_an_hour_entry_with_a_phone_number_is_refused_and_nothing_is_saved():
    placement = PlacementFactory()
    activity = "Menelepon ibu korban di 0813 3945 1122 untuk jadwal konseling."
    with pytest.raises(ValidationError) as caught:
        record_entry(
            trainee=placement.trainee,
            uuid=uuid.uuid4(),
            data=_entry(placement, activity),
        )
    messages = caught.value.message_dict["activity"]
    assert any('"0813 3945 1122"' in message for message in messages), messages
    assert not HourEntry.objects.exists()


def test_an_hour_entry_cannot_be_changed_to_name_a_desa_with_an_age():
    placement = PlacementFactory()
    entry, _created = record_entry(
        trainee=placement.trainee,
        uuid=uuid.uuid4(),
        data=_entry(placement, "Mendampingi korban ke Polsek Mollo Utara."),
    )
    with pytest.raises(ValidationError) as caught:
        update_entry(
            entry=entry,
            trainee=placement.trainee,
            data=_entry(placement, "Mendampingi korban 14 tahun dari Oelet."),
        )
    assert '"Oelet"' in " ".join(caught.value.message_dict["activity"])
    entry.refresh_from_db()
    assert entry.activity == "Mendampingi korban ke Polsek Mollo Utara."


def test_an_hour_entry_with_dates_money_and_report_numbers_is_saved():
    placement = PlacementFactory()
    entry, created = record_entry(
        trainee=placement.trainee,
        uuid=uuid.uuid4(),
        data=_entry(
            placement,
            "Menyusun kronologi LP/B/123/XI/2024/SPKT/POLRES TTS, biaya visum "
            "Rp 1.500.000, sidang 17-11-2022; SAPA 129.",
        ),
    )
    assert created and entry.pk
