import re
import time
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from assessments.choices import QuestionKind
from assessments.models import AnswerOption, Category, Question
from assessments.question_io import (
    export_csv,
    export_gift,
    import_questions,
    parse_gift,
    questions_for_export,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
SAMPLE = DATA / "contoh.gift"

MC = QuestionKind.MULTIPLE_CHOICE
TF = QuestionKind.TRUE_FALSE
ESSAY = QuestionKind.ESSAY

# Every line of BROKEN is numbered as the report should name it.
BROKEN = """\
Pendamping mendengarkan tanpa menghakimi.{T}

Ke mana korban dirujuk lebih dulu? {
=Puskesmas
~Kantor desa

Jodohkan layanan dengan tugasnya. {
=Puskesmas -> kesehatan
=LBH -> hukum
}

Siapa yang boleh mendampingi? {~Tetangga ~Pelaku}

Pilih semua yang benar. {~%150%Polisi ~%50%LBH}

Berapa hari batas lapor? {#3}

Siapa nama unit di kepolisian? {=PPA =Unit PPA}

Ini hanya keterangan, tanpa jawaban.
"""


def path_of(category):
    names = []
    while category is not None:
        names.insert(0, category.name)
        category = category.parent
    return "/".join(names)


def bank():
    """Everything a question is, as a comparable value, in import order."""
    return [
        (
            path_of(question.category),
            question.kind,
            question.text,
            question.explanation,
            question.several_correct,
            [
                (option.text, option.weight, option.feedback)
                for option in question.options.order_by("sort_order")
            ],
        )
        for question in Question.objects.select_related("category").order_by("pk")
    ]


def gift_import(text, **kwargs):
    return import_questions(
        content=text.encode("utf-8"), filename="soal.gift", **kwargs
    )


def test_every_supported_gift_form_imports_exactly_right():
    report = import_questions(content=SAMPLE.read_bytes(), filename=SAMPLE.name)

    assert report.ok, report.messages
    assert report.count == 10
    layanan = "Rujukan/Layanan"
    assert bank() == [
        (
            layanan,
            MC,
            "Ke mana pendamping merujuk korban yang terluka lebih dulu?",
            "Rujuk ke layanan kesehatan dulu, lalu ke layanan lain.",
            False,
            [
                (
                    "Puskesmas atau rumah sakit",
                    1,
                    "Benar: kesehatan korban didahulukan.",
                ),
                ("Kantor desa", 0, "Kantor desa bukan layanan kesehatan."),
                ("Rumah pelaku", 0, ""),
            ],
        ),
        (
            layanan,
            MC,
            "Pilih semua layanan hukum.",
            "",
            True,
            [
                ("Kepolisian (Unit PPA)", Decimal("0.5"), "Ya, termasuk."),
                ("LBH", Decimal("0.5"), "Ya, termasuk."),
                ("Dukun kampung", -1, "Bukan layanan hukum."),
            ],
        ),
        (
            layanan,
            TF,
            "Korban boleh didampingi saat memberi keterangan di kepolisian.",
            "",
            False,
            [
                ("Benar", 1, "Tepat."),
                ("Salah", 0, "Keliru: korban berhak didampingi."),
            ],
        ),
        (
            layanan,
            TF,
            "Kasus kekerasan seksual boleh diselesaikan secara adat.",
            "",
            False,
            [("Benar", 0, "Keliru: UU TPKS melarangnya."), ("Salah", 1, "Tepat.")],
        ),
        (
            layanan,
            TF,
            "Pendamping wajib menjaga kerahasiaan korban.",
            "",
            False,
            [("Benar", 1, ""), ("Salah", 0, "")],
        ),
        (
            layanan,
            TF,
            "Pendamping boleh menyebarkan foto korban.",
            "",
            False,
            [("Benar", 0, ""), ("Salah", 1, "")],
        ),
        (
            "Konseling",
            ESSAY,
            "Ceritakan langkah pertamamu saat korban datang.",
            "Dengarkan, pastikan korban aman, catat tanpa menghakimi.",
            False,
            [],
        ),
        (
            "Konseling",
            MC,
            "Tanda ~ = # { } dan : ditulis dengan garis miring terbalik.\nBaris kedua.",
            "",
            False,
            [
                ("Tanda: khusus", 1, "Umpan balik dengan #"),
                ("Tidak ada artinya", 0, ""),
            ],
        ),
        (
            "Konseling",
            MC,
            "Apa yang pertama dilakukan? Aman & tenang.",
            "",
            False,
            [("Memastikan korban aman", 1, ""), ("Menelepon pelaku", 0, "")],
        ),
        (
            "Konseling",
            MC,
            "Pendamping bekerja sebagai _____ bagi korban.",
            "",
            False,
            [("hakim", 0, ""), ("pendengar", 1, ""), ("polisi", 0, "")],
        ),
    ]
    # Moodle's context, "top" and default category are not categories here.
    assert sorted(path_of(category) for category in Category.objects.all()) == [
        "Konseling",
        "Rujukan",
        "Rujukan/Layanan",
    ]


def test_a_broken_gift_file_reports_each_problem_by_line_and_saves_nothing():
    text = "$CATEGORY: $course$/top/Baru\n\n" + BROKEN
    report = gift_import(text)

    assert not report.ok
    assert report.count == 0
    assert Question.objects.count() == 0
    assert not Category.objects.exists()
    assert report.messages == [
        "Baris 5: Kurung kurawal { tidak ditutup dengan }.",
        "Baris 9: jenis soal ini belum didukung (soal menjodohkan).",
        "Baris 14: Tidak ada jawaban benar: tandai jawaban benar dengan = atau beri "
        "bobot positif seperti ~%50%.",
        "Baris 16: Bobot %150% tidak sah: tulis angka dari -100 sampai 100 di antara "
        "dua tanda persen, mis. ~%50%.",
        "Baris 18: jenis soal ini belum didukung (soal angka).",
        "Baris 20: jenis soal ini belum didukung (jawaban singkat).",
        "Baris 22: jenis soal ini belum didukung (deskripsi tanpa jawaban).",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Pilih yang benar. {~%50%A ~%20%B ~C}",
            "Baris 1: Bobot jawaban yang benar berjumlah 70, padahal harus 100 "
            "(boleh memilih lebih dari satu jawaban).",
        ),
        (
            "Pilih semua yang benar. {~%50%A ~%50%B ~%0%C ~%0%D}",
            "Baris 1: Memilih semua jawaban mendapat nilai penuh.",
        ),
        ("Satu pilihan saja? {~%100%A}", "Baris 1: Pilihan ganda perlu sedikitnya"),
        ("Dua blok {=A ~B}\nlalu {=C ~D}", "Baris 2: Satu soal hanya boleh punya"),
        ("::Judul tanpa penutup {T}", "Baris 1: Judul soal (::judul::) tidak ditutup."),
        ("\n\nApa ini? {abc}", "Baris 3: Jawaban di dalam { } tidak dikenali."),
        ("{=A ~B}", "Baris 1: Teks pertanyaan kosong."),
        ("Kosong? {= ~B}", "Baris 1: Pilihan jawaban kosong."),
        ("Benar? {T#a#b#c}", "Baris 1: Soal benar/salah paling banyak punya dua"),
        ("Soal } terbalik {T}", "Baris 1: Ada } tanpa { pembukanya."),
        (
            "$CATEGORY: top/" + "x" * 121 + "\n\nSoal {T}",
            "Baris 1: Nama kategori lebih dari 120 huruf",
        ),
    ],
)
def test_each_kind_of_mistake_is_explained(text, expected):
    report = gift_import(text)
    assert len(report.messages) == 1
    assert report.messages[0].startswith(expected)
    assert not Question.objects.exists()


MOODLE_EXPORT = r"""
// question: 0  name: Switch category to $course$/top/Default for Pelatihan/Dasar
$CATEGORY: $course$/top/Default for Pelatihan/Dasar


// question: 41  name: Q1
::Q1::[html]<p>Pilih layanan <b>rujukan</b>\:</p>\n<p>semua yang benar</p>{
    ~%33.33333%<p>Puskesmas</p>#<p>Ya</p>
    ~%33.33333%<p>P2TP2A</p>
    ~%33.33333%<p>LBH</p>
    ~%-100%<p>Rumah pelaku</p>#<p>Tidak&nbsp;aman</p>
    ####<p>Rujukan &amp; pendampingan.</p>
}

// question: 42  name: Q2
::Q2::[html]<p>Korban boleh didampingi.</p>{
    TRUE#<p>Keliru</p>#<p>Tepat</p>####<p>UU TPKS</p>}

// question: 43  name: Q3
::Q3::[html]<p>Ceritakan.</p>{}
"""


def test_a_question_bank_exported_by_moodle_reads_as_plain_text():
    report = gift_import(MOODLE_EXPORT)
    assert report.ok, report.messages
    third = Decimal("0.33333")
    assert bank() == [
        (
            "Dasar",
            MC,
            "Pilih layanan rujukan:\n\nsemua yang benar",
            "Rujukan & pendampingan.",
            True,
            [
                ("Puskesmas", third, "Ya"),
                ("P2TP2A", third, ""),
                ("LBH", third, ""),
                ("Rumah pelaku", -1, "Tidak aman"),
            ],
        ),
        (
            "Dasar",
            TF,
            "Korban boleh didampingi.",
            "UU TPKS",
            False,
            [("Benar", 1, "Tepat"), ("Salah", 0, "Keliru")],
        ),
        ("Dasar", ESSAY, "Ceritakan.", "", False, []),
    ]


def test_parse_gift_gives_questions_with_their_lines():
    result = parse_gift("// komentar\n\n::J1::Apa?\n{\n=Ya\n~Tidak\n}\n")
    assert result.ok
    [question] = result.questions
    assert question.line == 3
    assert [option.line for option in question.options] == [5, 6]
    assert question.category is None


def test_the_command_imports_and_says_how_many(capsys):
    call_command("import_questions", str(SAMPLE))
    assert "10 soal diimpor." in capsys.readouterr().out
    assert Question.objects.count() == 10


def test_the_command_exits_non_zero_naming_the_lines_and_saves_nothing(
    tmp_path, capsys
):
    broken = tmp_path / "rusak.gift"
    broken.write_text(BROKEN, encoding="utf-8")
    # A CommandError is how a Django command exits non-zero (status 1).
    with pytest.raises(CommandError) as error:
        call_command("import_questions", str(broken))
    stderr = capsys.readouterr().err + str(error.value)
    assert "Tidak ada soal yang diimpor" in stderr
    assert "Baris 3: Kurung kurawal { tidak ditutup dengan }." in stderr
    assert "Baris 7: jenis soal ini belum didukung (soal menjodohkan)." in stderr
    assert not Question.objects.exists()


def test_category_option_takes_questions_the_file_puts_nowhere(tmp_path, capsys):
    source = tmp_path / "soal.txt"
    source.write_text(
        "Tanpa kategori.{T}\n\n$CATEGORY: $course$/top/Hukum\n\nBerkategori.{F}\n",
        encoding="utf-8",
    )
    call_command("import_questions", str(source), "--category", "Bank lama/Umum")
    assert [(row[0], row[2]) for row in bank()] == [
        ("Bank lama/Umum", "Tanpa kategori."),
        ("Hukum", "Berkategori."),
    ]


def test_importing_the_same_file_twice_adds_nothing_the_second_time():
    assert import_questions(content=SAMPLE.read_bytes(), filename="a.gift").count == 10
    again = import_questions(content=SAMPLE.read_bytes(), filename="a.gift")
    assert (again.ok, again.count, again.skipped) == (True, 0, 10)
    assert Question.objects.count() == 10


def test_a_file_of_another_kind_or_encoding_is_refused():
    assert import_questions(content=b"x", filename="soal.xml").messages == [
        "Unggah berkas .gift, .txt (GIFT Moodle) atau .csv."
    ]
    report = import_questions(content=b"Soal\n\xe9 {T}", filename="soal.gift")
    assert report.messages == [
        "Baris 2: Berkas ini bukan teks UTF-8. Simpan ulang sebagai UTF-8."
    ]


# --- CSV ----------------------------------------------------------------------

CSV_TEXT = (
    "\ufeffkategori;jenis;pertanyaan;penjelasan;jawaban_1;bobot_1;umpan_balik_1;"
    "jawaban_2;bobot_2;umpan_balik_2;jawaban_3;bobot_3;umpan_balik_3\n"
    "Rujukan;pilihan_ganda;Ke mana dulu?;Kesehatan dulu.;Puskesmas;100;Ya;"
    "Kantor desa;0;Bukan;;;\n"
    "Rujukan/Hukum;pilihan ganda;Layanan hukum?;;Polisi;50%;;LBH;50;;Dukun;-100;Bukan\n"
    ";benar_salah;Korban boleh didampingi.;;Benar;100;Tepat;Salah;0;Keliru;;;\n"
    ';esai;"Ceritakan langkahmu;\nsingkat saja.";;;;;;;;;;\n'
)


def test_a_csv_sheet_imports_every_type():
    report = import_questions(
        content=CSV_TEXT.encode("utf-8"), filename="soal.csv", category_name="Umum"
    )
    assert report.ok, report.messages
    assert bank() == [
        (
            "Rujukan",
            MC,
            "Ke mana dulu?",
            "Kesehatan dulu.",
            False,
            [("Puskesmas", 1, "Ya"), ("Kantor desa", 0, "Bukan")],
        ),
        (
            "Rujukan/Hukum",
            MC,
            "Layanan hukum?",
            "",
            True,
            [
                ("Polisi", Decimal("0.5"), ""),
                ("LBH", Decimal("0.5"), ""),
                ("Dukun", -1, "Bukan"),
            ],
        ),
        (
            "Umum",
            TF,
            "Korban boleh didampingi.",
            "",
            False,
            [("Benar", 1, "Tepat"), ("Salah", 0, "Keliru")],
        ),
        ("Umum", ESSAY, "Ceritakan langkahmu;\nsingkat saja.", "", False, []),
    ]


def test_csv_problems_are_reported_by_row_and_nothing_is_saved():
    text = (
        "jenis,pertanyaan,jawaban_1,bobot_1,jawaban_2,bobot_2\n"
        "pilihan_ganda,Baik?,Ya,100,Tidak,0\n"
        "menjodohkan,Jodohkan.,,,,\n"
        "pilihan_ganda,,Ya,abc,,50\n"
        "benar_salah,Benar?,Benar,100,Salah,100\n"
        "esai,Ceritakan.,Ya,,,\n"
    )
    report = import_questions(content=text.encode(), filename="soal.csv")
    assert not Question.objects.exists()
    assert report.messages == [
        "Baris 3: Jenis harus salah satu dari: pilihan_ganda, benar_salah, esai.",
        "Baris 4: Pertanyaan wajib diisi.",
        "Baris 4: bobot_1 harus angka dari -100 sampai 100, bukan abc.",
        "Baris 4: jawaban_2 kosong, padahal bobot atau umpan baliknya diisi.",
        "Baris 5: Soal benar/salah perlu tepat dua jawaban (Benar dan Salah), yang "
        "benar berbobot 100 dan yang lain 0.",
        "Baris 6: Soal esai tidak punya pilihan jawaban; kosongkan kolom jawaban.",
    ]


def test_a_csv_with_unknown_columns_is_refused_at_the_header():
    report = import_questions(
        content=b"jenis,pertanyaan,jawapan_1\nesai,Apa?,x\n", filename="soal.csv"
    )
    assert report.messages[0] == "Baris 1: Kolom tidak dikenal: jawapan_1"


# --- round trips ----------------------------------------------------------------


def tricky_bank():
    """Questions with every character and shape the formats must carry."""
    top = Category.objects.create(name="Hukum/Adat")  # a slash in a name
    sub = Category.objects.create(name="Pasal: 23 {UU TPKS}", parent=top)
    other = Category.objects.create(name="Konseling")
    rows = [
        (None, ESSAY, "Tanpa kategori: ceritakan.\nDua baris.", "Umum #1", False, []),
        (
            sub,
            MC,
            "Tanda ~ = # { } : \\ dan \\n tetap utuh?",
            "Penjelasan {dengan} ~tanda~ = #",
            False,
            [
                ("%50% korban", 1, "Umpan #balik: ya"),
                ("~Salah~", 0, ""),
                ("=Setengah", Decimal("0.5"), "setengah"),
            ],
        ),
        (
            sub,
            MC,
            "// bukan komentar",
            "",
            True,
            [
                ("A", Decimal("0.33333"), ""),
                ("B", Decimal("0.33333"), ""),
                ("C", Decimal("0.33333"), ""),
                ("- Lapor pelaku", Decimal("-0.25"), "=jangan"),
            ],
        ),
        (
            other,
            MC,
            "[html] bukan penanda format",
            "",
            True,
            [("Satu-satunya", 1, ""), ("Lain", -1, "")],
        ),
        (
            other,
            TF,
            "Benar ya?",
            "Karena {alasan}.",
            False,
            [("Benar", 1, "ok"), ("Salah", 0, "")],
        ),
        (other, TF, "Salah ya?", "", False, [("Benar", 0, ""), ("Salah", 1, "tepat")]),
        (
            other,
            TF,
            "Tanpa umpan?",
            "",
            False,
            [("Benar", 0, "keliru"), ("Salah", 1, "")],
        ),
    ]
    for category, kind, text, explanation, several, options in rows:
        question = Question.objects.create(
            category=category,
            kind=kind,
            text=text,
            explanation=explanation,
            several_correct=several,
            shuffle_options=kind == MC,
        )
        for order, (option_text, weight, feedback) in enumerate(options):
            AnswerOption.objects.create(
                question=question,
                sort_order=order,
                text=option_text,
                weight=weight,
                feedback=feedback,
            )


@pytest.mark.parametrize(
    ("export", "filename"), [(export_gift, "bank.gift"), (export_csv, "bank.csv")]
)
def test_export_then_import_gives_the_same_bank(export, filename):
    tricky_bank()
    before = bank()
    content = export(questions_for_export()).encode("utf-8")
    Question.objects.all().delete()
    Category.objects.filter(parent__isnull=False).delete()
    Category.objects.all().delete()  # categories come back from the file

    report = import_questions(content=content, filename=filename)

    assert report.ok, (report.messages, content.decode())
    assert bank() == before
    if filename.endswith(".csv"):  # GIFT has no place for it; Moodle's quiz shuffles
        shuffled = Question.objects.filter(shuffle_options=True)
        assert set(shuffled.values_list("kind", flat=True)) == {MC}
        assert shuffled.count() == 3


def test_the_sample_file_round_trips_through_gift_and_csv():
    import_questions(content=SAMPLE.read_bytes(), filename=SAMPLE.name)
    before = sorted(bank())  # the export goes category by category
    gift = export_gift(questions_for_export())
    csv_text = export_csv(questions_for_export())
    for content, filename in [(gift, "a.gift"), (csv_text, "a.csv")]:
        Question.objects.all().delete()
        report = import_questions(content=content.encode(), filename=filename)
        assert report.ok, report.messages
        assert sorted(bank()) == before


def test_export_command_writes_one_category_with_its_sub_categories(tmp_path, capsys):
    import_questions(content=SAMPLE.read_bytes(), filename=SAMPLE.name)
    target = tmp_path / "rujukan.gift"
    call_command("export_questions", str(target), "--category", "Rujukan")
    assert "6 soal diekspor" in capsys.readouterr().out
    text = target.read_text(encoding="utf-8")
    assert text.startswith("$CATEGORY: $course$/top/Rujukan/Layanan\n")
    assert "Konseling" not in text
    assert len(parse_gift(text).questions) == 6


# --- admin ----------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def upload(text, name="soal.gift"):
    return SimpleUploadedFile(name, text.encode("utf-8"))


def test_the_admin_upload_shows_the_errors_by_line_and_saves_nothing(admin_client):
    response = admin_client.post("/admin/soal/impor/", {"file": upload(BROKEN)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Tidak ada soal yang diimpor" in page
    assert "Baris 3: Kurung kurawal { tidak ditutup dengan }." in page
    assert "Baris 7: jenis soal ini belum didukung (soal menjodohkan)." in page
    assert not Question.objects.exists()


def test_the_admin_upload_imports_a_good_file(admin_client):
    response = admin_client.post(
        "/admin/soal/impor/",
        {"file": upload(SAMPLE.read_text(encoding="utf-8")), "category": ""},
        follow=True,
    )
    assert response.redirect_chain[-1][0].startswith("/admin/soal/impor/hasil/")
    assert "10 soal diimpor." in response.content.decode()
    assert Question.objects.count() == 10


def question_links(page: str) -> list[int]:
    """The questions a page links to, by the id in their edit address."""
    return sorted(
        int(pk)
        for pk in re.findall(r"/admin/snippets/assessments/question/edit/(\d+)/", page)
    )


@pytest.mark.parametrize("person", ["superuser", "facilitator"])
def test_after_an_import_the_page_links_to_exactly_the_questions_it_made(
    request, signed_in, person
):
    if person == "superuser":
        user = UserFactory(username="admin-uji", is_superuser=True, is_staff=True)
    else:
        user = request.getfixturevalue("facilitator")
    client = signed_in(user)
    before = import_questions(content=b"Sudah ada sebelumnya. {T}", filename="a.gift")
    text = SAMPLE.read_text(encoding="utf-8")

    response = client.post("/admin/soal/impor/", {"file": upload(text)}, follow=True)

    made = sorted(
        Question.objects.exclude(pk=before.created[0].pk).values_list("pk", flat=True)
    )
    assert len(made) == 10
    page = response.content.decode()
    assert "10 soal diimpor." in page
    assert question_links(page) == made
    edit = client.get(f"/admin/snippets/assessments/question/edit/{made[0]}/")
    assert edit.status_code == 200

    # The same file again makes nothing: back to the import form, no list.
    again = client.post("/admin/soal/impor/", {"file": upload(text)}, follow=True)
    assert again.redirect_chain[-1][0] == "/admin/soal/impor/"
    assert question_links(again.content.decode()) == []


def test_the_list_of_imported_questions_answers_any_address_in_words(admin_client):
    made = import_questions(content=SAMPLE.read_bytes(), filename=SAMPLE.name).created
    first, last = made[0].pk, made[-1].pk
    page = admin_client.get(f"/admin/soal/impor/hasil/?soal={first}-{last}")
    assert question_links(page.content.decode()) == [q.pk for q in made]
    made[0].delete()
    page = admin_client.get(f"/admin/soal/impor/hasil/?soal={first}")
    assert "sudah tidak ada di bank soal" in page.content.decode()
    for bad in ["", "abc", "5-3", "1-999999", "²", "99999999999999999999", "1,,2"]:
        response = admin_client.get("/admin/soal/impor/hasil/", {"soal": bad})
        assert response.status_code == 200, bad
        assert "tidak menyebut soal hasil impor" in response.content.decode(), bad


def test_the_list_of_imported_questions_costs_the_same_for_3_or_12(admin_client):
    def listed(count, start):
        text = "\n\n".join(
            f"$CATEGORY: Uji/Bagian {n % 2}\n\nSoal nomor {n}. {{T}}"
            for n in range(start, start + count)
        )
        made = import_questions(content=text.encode(), filename="a.gift").created
        url = f"/admin/soal/impor/hasil/?soal={made[0].pk}-{made[-1].pk}"
        admin_client.get(url)  # warm up the session
        with CaptureQueriesContext(connection) as captured:
            page = admin_client.get(url).content.decode()
        assert len(question_links(page)) == count
        assert "Uji / Bagian 1" in page
        return len(captured)

    assert listed(12, 100) == listed(3, 0)


def test_the_list_of_imported_questions_is_for_the_question_bank_only(
    client, signed_in, trainee
):
    made = import_questions(content=SAMPLE.read_bytes(), filename=SAMPLE.name).created
    url = f"/admin/soal/impor/hasil/?soal={made[0].pk}-{made[-1].pk}"
    clerk = UserFactory(username="staf-tanpa-izin")
    clerk.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
    )
    client.force_login(clerk)
    assert client.get(url).status_code == 403
    client.logout()

    response = signed_in(trainee).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_the_admin_upload_refuses_other_files(admin_client):
    response = admin_client.post("/admin/soal/impor/", {"file": upload("x", "a.xml")})
    assert "Unggah berkas .gift, .txt (GIFT Moodle) atau .csv." in (
        response.content.decode()
    )


def test_the_admin_export_downloads_gift_and_csv(admin_client):
    import_questions(content=SAMPLE.read_bytes(), filename=SAMPLE.name)
    konseling = Category.objects.get(name="Konseling")
    assert "Unduh" in admin_client.get("/admin/soal/ekspor/").content.decode()

    gift = admin_client.get(f"/admin/soal/ekspor/?format=gift&category={konseling.pk}")
    assert gift.status_code == 200
    assert 'filename="soal-konseling.gift"' in gift["Content-Disposition"]
    assert len(parse_gift(gift.content.decode()).questions) == 4

    sheet = admin_client.get("/admin/soal/ekspor/?format=csv")
    assert sheet["Content-Type"].startswith("text/csv")
    assert sheet.content.startswith("\ufeffkategori,jenis".encode())
    # Negative weights stay numbers; only text that looks like a formula is quoted.
    assert ",Dukun kampung,-100,Bukan layanan hukum.," in sheet.content.decode()


def test_without_the_question_permissions_the_screens_answer_403(client):
    # A facilitator's admin access, without the question bank permissions.
    facilitator = UserFactory(username="fasilitator-tanpa-izin")
    facilitator.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
    )
    client.force_login(facilitator)
    assert client.get("/admin/soal/impor/").status_code == 403
    response = client.post("/admin/soal/impor/", {"file": upload("Soal {T}")})
    assert response.status_code == 403
    assert "Kamu tidak berhak membuka halaman ini" in response.content.decode()
    assert client.get("/admin/soal/ekspor/?format=gift").status_code == 403
    assert not Question.objects.exists()
    assert "/admin/soal/impor/" not in client.get("/admin/").content.decode()


def test_a_viewer_may_export_but_not_import(client):
    viewer = UserFactory(username="pembaca-soal")
    viewer.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        ),
        Permission.objects.get(
            content_type__app_label="assessments", codename="view_question"
        ),
    )
    client.force_login(viewer)
    assert client.get("/admin/soal/ekspor/?format=csv").status_code == 200
    assert client.get("/admin/soal/impor/").status_code == 403


# --- hostile files ----------------------------------------------------------------


def test_a_gift_question_with_a_nul_byte_is_refused_and_nothing_saved():
    report = import_questions(
        content=b"Soal pertama {T}\n\nSoal\x00kedua {F}\n", filename="soal.gift"
    )
    assert report.messages == [
        "Baris 3 berisi karakter NUL (byte nol): berkas GIFT ini rusak atau bukan teks."
    ]
    assert not Question.objects.exists()


def test_a_thirty_megabyte_one_line_question_is_refused_at_once():
    content = b"Soal " + b"x" * (30 * 1024 * 1024) + b" {T}"
    started = time.perf_counter()
    report = import_questions(content=content, filename="soal.gift")
    assert time.perf_counter() - started < 1
    assert report.messages == [
        "Berkas 30 MB; paling besar 5 MB. Bagi menjadi beberapa berkas."
    ]
    assert not Question.objects.exists()


def test_overlong_lines_questions_and_cells_are_refused():
    line = "Soal " + "x" * 25_000 + " {T}"
    assert import_questions(content=line.encode(), filename="a.gift").messages == [
        "Baris 1 berisi 25009 huruf; paling banyak 20000 huruf per baris."
    ]
    long_text = "Soal " + "x" * 12_000 + " {T}"
    assert import_questions(content=long_text.encode(), filename="a.gift").messages == [
        "Baris 1: Teks pertanyaan lebih dari 10000 huruf."
    ]
    many_lines = "Soal panjang\n" + ("y" * 1000 + "\n") * 60 + "{T}"
    assert import_questions(
        content=many_lines.encode(), filename="a.gift"
    ).messages == ["Baris 1: Soal ini lebih dari 50000 huruf."]
    cell = "jenis,pertanyaan\nesai," + "z" * 10_001 + "\n"
    assert import_questions(content=cell.encode(), filename="a.csv").messages == [
        "Baris 2, kolom B berisi 10001 huruf; paling banyak 10000."
    ]
    assert not Question.objects.exists()


def test_the_admin_upload_refuses_a_hostile_file_with_a_clear_message(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    upload = SimpleUploadedFile("soal.csv", b"jenis,pertanyaan\nesai,Apa\x00?\n")
    page = client.post("/admin/soal/impor/", {"file": upload}).content.decode()
    assert "Baris 2 berisi karakter NUL" in page
    assert not Question.objects.exists()


def test_every_problem_of_a_csv_row_is_listed():
    text = (
        "jenis,pertanyaan,acak_pilihan,jawaban_1,bobot_1\n"
        "benar_salah,,mungkin,Benar,100\n"
    )
    report = import_questions(content=text.encode(), filename="soal.csv")
    assert report.messages == [
        "Baris 2: Pertanyaan wajib diisi.",
        "Baris 2: Kolom acak_pilihan: isi ya atau tidak.",
        "Baris 2: Soal benar/salah perlu tepat dua jawaban (Benar dan Salah), yang "
        "benar berbobot 100 dan yang lain 0.",
    ]
