"""What each figure of the programme view means, in the words the page shows."""

from django.utils.translation import gettext_lazy as _

DEFINITIONS = {
    "pendamping-aktif": _(
        "Pendamping aktif dalam satu tahun: hadir di sesi refleksi tahun itu, "
        "atau mencatat sedikitnya satu kasus yang didampingi dalam refleksi "
        "sesi tahun itu, atau punya sedikitnya satu catatan jam magang "
        "terverifikasi bertanggal tahun itu. Tiap orang dihitung sekali."
    ),
    "tempat-pendamping": _(
        "Tempat pendamping adalah desa/kelurahan yang tercatat di akunnya. "
        "Pendamping yang desanya belum diisi dihitung pada baris "
        '"Desa belum diisi".'
    ),
    "desa-aktif": _(
        "Desa aktif: desa/kelurahan dengan sedikitnya satu pendamping aktif. "
        "Dibandingkan dengan semua desa dan kelurahan di kabupaten yang "
        "dipilih, atau di kabupaten tempat para pendamping aktif tinggal; bila "
        "belum ada yang aktif, di kabupaten wilayah kerja program."
    ),
    "kasus-didampingi": _(
        "Kasus yang didampingi: jumlah yang dicatat setiap pendamping sendiri "
        "dalam refleksinya, menurut tahun sesi refleksi. Satu kasus yang "
        "didampingi dua pendamping dihitung dua kali, sekali pada tiap "
        "pendamping."
    ),
    "kasus-praktik": _(
        "Kasus praktik yang sudah ditinjau adalah angka belajar peserta magang, "
        "terpisah dari kasus yang didampingi, dan tidak dijumlahkan dengannya. "
        "Satu kasus dengan beberapa jenis kekerasan dihitung pada tiap jenisnya."
    ),
    "angkatan": _(
        "Terdaftar: peserta angkatan. Selesai: sudah menyelesaikan semua modul "
        "inti program dan lulus kuis yang dinilai, seperti syarat sertifikasi. "
        "Bersertifikat: memegang sertifikat program yang tidak dicabut. Semua "
        "angkatan yang sudah dimulai sampai tahun yang dipilih."
    ),
    "jam-magang": _(
        "Jam magang: hanya jam yang sudah diverifikasi pembimbing, menurut "
        "tanggal kegiatan, di kecamatan desa peserta."
    ),
    "kendala": _(
        "Kendala: berapa refleksi tahun itu yang menyebut tiap kendala. Satu "
        "refleksi dapat menyebut beberapa kendala."
    ),
    "tindak-lanjut": _(
        "Tindak lanjut sesi refleksi tahun itu: belum selesai (tenggat belum "
        "lewat), terlambat (belum selesai dan tenggatnya sudah lewat), selesai."
    ),
    "tahun-manual": _(
        "Tahun yang dicatat manual berasal dari laporan lembaga sebelum "
        "Pendamping dipakai, dengan sumbernya. Angka itu tidak dapat dipecah "
        "per kabupaten, kecamatan atau desa, jadi tidak tampil bila wilayah "
        "disaring."
    ),
    "lembaga": _(
        "Saringan lembaga memakai lembaga pendamping atau peserta untuk angka "
        "orang, lembaga penyelenggara untuk tindak lanjut sesi, dan lembaga "
        "pelaksana program untuk angkatan."
    ),
}
