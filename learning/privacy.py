"""The privacy notice (UU PDP, Law 27/2022) and each person's acceptance of it.

The notice's words live here, in code, with a version: changing what it says
means raising `PRIVACY_NOTICE_VERSION`, and everyone is shown the new text
at their next page (`learning.middleware.PrivacyNoticeMiddleware`) until
they accept it. An acceptance is kept per version (`PrivacyConsent`), so
"who had read which text, when" can be answered later.

Only what the law says is cited: Pasal 4 (health data is specific personal
data) and Pasal 5 to 8 (the rights to be informed, to correct, to see and
copy, and to have processing ended and data erased).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _

from .models import PrivacyConsent, User

# Raise when the words below change in meaning (not for a typo): everyone
# is asked to read and accept the new text.
PRIVACY_NOTICE_VERSION = "2026-12"


@dataclass(frozen=True)
class NoticeSection:
    heading: Promise
    paragraphs: tuple[Promise, ...]


def notice_sections() -> list[NoticeSection]:
    """The notice, section by section, in plain Indonesian."""
    export_days = settings.PENDAMPING_PERSONAL_DATA_EXPORT_DAYS
    return [
        NoticeSection(
            _("Data apa yang kami simpan"),
            (
                _(
                    "Data diri: nama, nama pengguna, nomor HP dan email bila kamu "
                    "isi, jenis kelamin, tahun lahir, desa, lembaga, dan angkatan "
                    "pelatihanmu."
                ),
                _(
                    "Kegiatan belajar: pelajaran dan modul yang sudah kamu selesaikan, "
                    "jawaban kuis dan nilainya, kehadiran di pelatihan, penilaian "
                    "kompetensi, dan sertifikat."
                ),
                _(
                    "Magang: jam magang, kasus praktik (tanpa nama, alamat, NIK atau "
                    "nomor HP korban: sistem menolak data seperti itu), dan refleksi "
                    "tahunan."
                ),
                _(
                    "Cek kesejahteraan: bagaimana perasaanmu, ancaman yang kamu alami, "
                    "dan apakah kamu ingin dihubungi. Menurut UU PDP ini data "
                    "kesehatan, yaitu data pribadi yang bersifat spesifik, jadi kami "
                    "jaga lebih ketat."
                ),
                _(
                    "Catatan teknis: kapan kamu masuk, ponsel atau komputer tempat "
                    "kamu menyimpan bahan untuk dibaca tanpa sinyal (misalnya "
                    "“Android · Chrome”), dan catatan siapa membuka atau mengubah "
                    "data penting, dengan alamat internet (alamat IP) asalnya."
                ),
            ),
        ),
        NoticeSection(
            _("Untuk apa"),
            (
                _(
                    "Supaya kamu bisa belajar, mengikuti magang, dan mendapat "
                    "sertifikat pendamping; supaya fasilitator bisa membimbing dan "
                    "memeriksa pekerjaanmu; dan supaya lembaga bisa melaporkan "
                    "jumlah (bukan nama) kepada program dan pemerintah."
                ),
                _(
                    "Data kamu tidak dijual dan tidak dipakai untuk iklan. Laporan "
                    "yang keluar dari lembaga hanya berisi jumlah, dan jumlah kecil "
                    "(1 sampai 4) disembunyikan."
                ),
            ),
        ),
        NoticeSection(
            _("Siapa yang bisa melihat"),
            (
                _("Kamu sendiri: semua datamu."),
                _(
                    "Fasilitator dan koordinator program di lembaga atau programmu: "
                    "data diri, kemajuan belajar, nilai, jam magang, kasus praktik "
                    "dan refleksi, untuk membimbing dan memeriksa."
                ),
                _(
                    "Jawaban cek kesejahteraan hanya bisa dibaca olehmu. Bila kamu "
                    "meminta dihubungi atau menandai ada bahaya, fasilitatormu hanya "
                    "diberi tahu bahwa kamu perlu dihubungi, bukan apa yang kamu "
                    "tulis. Koordinator hanya melihat jumlah."
                ),
                _(
                    "Orang yang memeriksa keaslian sertifikat hanya melihat nama, "
                    "program dan masa berlaku sertifikat itu."
                ),
            ),
        ),
        NoticeSection(
            _("Berapa lama disimpan"),
            (
                _(
                    "Selama kamu mengikuti program, dan sesudahnya selama lembaga "
                    "perlu untuk sertifikat dan laporan program. Sesudah itu data "
                    "yang menunjuk dirimu dihapus atau dibuat tanpa nama."
                ),
                _("Cek kesejahteraan bisa kamu hapus sendiri kapan saja."),
                _(
                    "Berkas “Unduh data saya” dihapus dari server "
                    "%(days)s hari sesudah dibuat."
                )
                % {"days": export_days},
            ),
        ),
        NoticeSection(
            _("Hak kamu menurut UU Nomor 27 Tahun 2022"),
            (
                _(
                    "Mendapat keterangan tentang data yang disimpan dan untuk apa "
                    "(Pasal 5): halaman ini."
                ),
                _(
                    "Memperbaiki data yang salah (Pasal 6): ubah sendiri di halaman "
                    "Akun saya, atau minta fasilitatormu."
                ),
                _(
                    "Melihat dan mendapat salinan datamu (Pasal 7): tombol "
                    "“Unduh data saya” di halaman Akun saya."
                ),
                _(
                    "Meminta pemrosesan dihentikan dan datamu dihapus (Pasal 8): "
                    "minta kepada fasilitator atau koordinator program di "
                    "lembagamu."
                ),
                _(
                    "Untuk pertanyaan atau keberatan tentang datamu, hubungi "
                    "fasilitator atau koordinator program di lembagamu."
                ),
            ),
        ),
    ]


def has_accepted(person: User) -> bool:
    """Whether `person` accepted the notice now in force (no query)."""
    return person.privacy_notice_version == PRIVACY_NOTICE_VERSION


def accept_notice(
    *, person: User, now: datetime.datetime | None = None
) -> PrivacyConsent:
    """Record that `person` accepted the current notice; once per version.

    A double tap or twenty at once all get the one row: the database's unique
    constraint decides, and the losers read the winner's row.
    """
    try:
        with transaction.atomic():
            consent, _created = PrivacyConsent.objects.get_or_create(
                person=person,
                version=PRIVACY_NOTICE_VERSION,
                defaults={"accepted_at": now or timezone.now()},
            )
            User.objects.filter(pk=person.pk).update(
                privacy_notice_version=PRIVACY_NOTICE_VERSION
            )
    except IntegrityError:
        consent = PrivacyConsent.objects.get(
            person=person, version=PRIVACY_NOTICE_VERSION
        )
    person.privacy_notice_version = PRIVACY_NOTICE_VERSION
    return consent


# Pages a person who has not accepted the notice may still open: the notice
# itself, leaving (sign-out, quick exit), the language, choosing one's own
# password and the second factor (asked first, by OneTimePasswordMiddleware
# and SecondFactorMiddleware), and what the phone
# fetches on its own (the service worker and its offline page, the manifest,
# the device report that lets a revoked phone drop what it stored).
NOTICE_EXEMPT_URL_NAMES = (
    "privacy_notice",
    "logout",
    "quick_exit",
    "set_language",
    "password_change",
    "password_change_done",
    "second_factor_verify",
    "second_factor_enrol",
    "health",
    "favicon",
    "web_manifest",
    "service_worker",
    "offline",
    "device_report",
    "wagtailadmin_logout",
)


class PrivacyNoticeMiddleware:
    """Sends a signed-in person who has not accepted the current notice to it.

    Before any other page: a page asked for with GET comes back after "Saya
    mengerti dan setuju" (`?next=`). The JSON API answers 403 with the
    notice's address instead of a redirect a client could not follow. The
    offline app loses nothing by it: a record sent from the phone's queue
    with the session meets the 403 and stays waiting on the phone ("masuk
    lagi"), and is sent once the person has accepted; a record sent in the
    background with the phone's sync key carries no session and passes, since
    that key was only ever given to a page the person opened after accepting.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self._exempt_paths: frozenset[str] | None = None

    def exempt_paths(self) -> frozenset[str]:
        if self._exempt_paths is None:
            paths = set()
            for name in NOTICE_EXEMPT_URL_NAMES:
                try:
                    paths.add(reverse(name))
                except NoReverseMatch:
                    continue
            self._exempt_paths = frozenset(paths)
        return self._exempt_paths

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is None
            or not user.is_authenticated
            or has_accepted(user)
            or self.is_exempt(request.path_info)
        ):
            return self.get_response(request)
        notice_url = reverse("privacy_notice")
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {
                    "detail": str(
                        _(
                            "Baca dan setujui dulu pemberitahuan privasi di "
                            "%(url)s, lalu coba lagi."
                        )
                        % {"url": notice_url}
                    ),
                    "notice_url": notice_url,
                },
                status=403,
            )
        if request.method in ("GET", "HEAD"):
            here = request.get_full_path()
            if url_has_allowed_host_and_scheme(here, allowed_hosts=None):
                notice_url = f"{notice_url}?{urlencode({'next': here})}"
        return redirect(notice_url)

    def is_exempt(self, path: str) -> bool:
        return (
            path in self.exempt_paths()
            or path.startswith(settings.STATIC_URL)
            or path.startswith(settings.MEDIA_URL)
        )
