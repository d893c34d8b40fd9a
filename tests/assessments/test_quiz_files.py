"""The checker that guards the curriculum's quiz and practice-bank files."""

import pytest

from assessments.curriculum_files import quiz_problems
from tests.modules.test_curriculum import GOOD_MODULE, SOURCES

QUIZ = """
module = "contoh-uji"
slug = "kuis-contoh-uji"
title = "Kuis: Contoh uji"
mode = "ujian"
description = "Kuis uji."
pass_mark = 70
success_text = "Bagus."
fail_text = "Baca lagi."

[[scenarios]]
key = "kebun"
title = "Malam di kebun (rekaan)"
vignette = "Mama Yuli datang menangis. Kisah rekaan."

[[questions]]
kind = "pilihan_ganda"
text = "Apa yang kamu lakukan pertama kali?"
explanation = "Dengarkan dulu."
scenario = "kebun"
[[questions.options]]
text = "Mendengarkan"
weight = 1
feedback = "Ya: dengarkan dulu."
[[questions.options]]
text = "Menasihati"
weight = 0
feedback = "Nasihat menunggu sampai ia selesai bercerita."

[[questions]]
kind = "benar_salah"
text = "Kekerasan seksual oleh orang dewasa boleh didamaikan secara adat."
answer = false
explanation = "UU 12/2022 pasal 23 melarangnya."

[[questions]]
kind = "esai"
text = "Apa yang akan kamu katakan kepadanya?"
explanation = "Jawaban yang baik menguatkan tanpa menyalahkan."
"""

FILLER = """
[[questions]]
kind = "pilihan_ganda"
several = true
text = "Pilih semua layanan yang dapat dituju {n}."
explanation = "Keduanya layanan."
[[questions.options]]
text = "Puskesmas"
weight = 0.5
feedback = "Layanan kesehatan."
[[questions.options]]
text = "UPTD PPA"
weight = 0.5
feedback = "Layanan pendampingan."
[[questions.options]]
text = "Rumah pelaku"
weight = -0.5
feedback = "Bukan tempat aman."
"""


def bank(questions: int) -> str:
    lines = ["$CATEGORY: Bank latihan/Contoh uji", ""]
    for number in range(questions):
        lines += [
            f"Anak adalah orang yang belum berusia 18 tahun ({number}). "
            "{T####UU 23/2002 pasal 1 angka 1.}",
            "",
        ]
    return "\n".join(lines)


# What the quiz and the bank below cite, besides the module's UU 23/2004.
QUIZ_SOURCES = """
[[sources]]
cite = "UU 12/2022"
title = "Undang-Undang Nomor 12 Tahun 2022 tentang TPKS"

[[sources]]
cite = "UU 23/2002"
title = "Undang-Undang Nomor 23 Tahun 2002 tentang Perlindungan Anak"
"""


@pytest.fixture
def files(tmp_path):
    modules = tmp_path / "modul"
    modules.mkdir()
    (modules / "sumber.toml").write_text(SOURCES + QUIZ_SOURCES, encoding="utf-8")
    (modules / "01-contoh-uji.toml").write_text(GOOD_MODULE, encoding="utf-8")
    quizzes = tmp_path / "kuis"
    (quizzes / "bank").mkdir(parents=True)
    (quizzes / "01-contoh-uji.toml").write_text(
        QUIZ + "".join(FILLER.format(n=n) for n in range(5)), encoding="utf-8"
    )
    (quizzes / "bank" / "01-contoh-uji.gift").write_text(bank(30), encoding="utf-8")
    return quizzes, modules


def problems_in(files):
    quizzes, modules = files
    return quiz_problems(quizzes, module_directory=modules)


def test_a_well_formed_quiz_and_bank_have_no_problems(files):
    assert problems_in(files) == []


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (("weight = 1\n", "weight = 0\n"), "soal 1: Tidak ada pilihan yang benar"),
        (('scenario = "kebun"', 'scenario = "sawah"'), "kisah 'sawah' tidak ada"),
        (("answer = false\n", ""), "soal 2: soal benar/salah perlu answer"),
        (('explanation = "Dengarkan dulu."', 'explanation = ""'), "perlu penjelasan"),
        (('kind = "esai"', 'kind = "isian"'), "jenis 'isian' tidak dikenal"),
        (("Kisah rekaan.", "Kisah nyata."), "harus rekaan"),
        (('module = "contoh-uji"', 'module = "lain"'), "modul 'lain' tidak ada"),
        (('mode = "ujian"', 'mode = "ujian-akhir"'), "ujian atau latihan"),
        (
            ("pasal 23 melarangnya", "pasal 23 dan UU 1/2023 melarangnya"),
            "1/2023 dikutip",
        ),
    ],
)
def test_the_quiz_checker_names_what_is_wrong(files, change, complaint):
    quizzes, _modules = files
    path = quizzes / "01-contoh-uji.toml"
    old, new = change
    path.write_text(path.read_text().replace(old, new, 1), encoding="utf-8")
    problems = problems_in(files)
    assert any(complaint in problem for problem in problems), problems


def test_a_graded_quiz_needs_eight_questions_of_every_kind(files):
    quizzes, _modules = files
    (quizzes / "01-contoh-uji.toml").write_text(QUIZ, encoding="utf-8")
    problems = problems_in(files)
    assert any("sedikitnya 8 soal" in problem for problem in problems)


def test_a_practice_quiz_has_no_essay(files):
    quizzes, _modules = files
    path = quizzes / "01-contoh-uji.toml"
    path.write_text(path.read_text().replace('"ujian"', '"latihan"'), encoding="utf-8")
    problems = problems_in(files)
    assert any("tanpa esai" in problem for problem in problems)


def test_the_bank_needs_thirty_questions_with_explanations(files):
    quizzes, _modules = files
    gift = quizzes / "bank" / "01-contoh-uji.gift"
    gift.write_text(bank(29).replace("####UU", "####", 1), encoding="utf-8")
    problems = problems_in(files)
    assert any("29 soal, perlu sedikitnya 30" in problem for problem in problems)


def test_a_bank_file_that_does_not_parse_is_reported_with_its_line(files):
    quizzes, _modules = files
    gift = quizzes / "bank" / "01-contoh-uji.gift"
    gift.write_text(bank(30) + "\nSoal rusak { =satu ~dua\n", encoding="utf-8")
    problems = problems_in(files)
    assert any(problem.startswith("01-contoh-uji.gift, baris") for problem in problems)


def test_a_module_without_a_quiz_is_reported(files):
    quizzes, _modules = files
    (quizzes / "01-contoh-uji.toml").unlink()
    assert "modul 'contoh-uji' belum punya kuis" in problems_in(files)


def test_a_listed_regulation_that_nothing_cites_is_reported(files):
    _quizzes, modules = files
    sources = modules / "sumber.toml"
    sources.write_text(
        sources.read_text()
        + '\n[[sources]]\ncite = "UU 16/2019"\ntitle = "Perkawinan"\n'
    )
    assert "sumber.toml: UU 16/2019 tidak dikutip di mana pun" in problems_in(files)


SINGLE = """
[[questions]]
kind = "pilihan_ganda"
text = "Ke mana {n}?"
explanation = "Puskesmas."
[[questions.options]]
text = "{right}"
weight = 1
feedback = "Ya."
[[questions.options]]
text = "Ke rumah kepala desa"
weight = 0
feedback = "Bukan."
[[questions.options]]
text = "Ke rumah pelaku"
weight = 0
feedback = "Bukan."
"""


def test_a_file_whose_right_answers_are_the_longest_is_refused(files):
    quizzes, _modules = files
    path = quizzes / "01-contoh-uji.toml"
    longest = "Ke puskesmas terdekat bersama orang yang ia percaya"
    path.write_text(
        path.read_text() + "".join(SINGLE.format(n=n, right=longest) for n in range(3)),
        encoding="utf-8",
    )
    problems = problems_in(files)
    # Four single-answer questions, three given away by length: one is allowed.
    assert any(
        "terpanjang di 3 dari 4 soal pilihan ganda (paling banyak 2)" in p
        for p in problems
    ), problems
    path.write_text(
        path.read_text().replace(longest, "Ke puskesmas", 2), encoding="utf-8"
    )
    assert not any("terpanjang" in p for p in problems_in(files))


def test_an_option_without_feedback_is_named(files):
    quizzes, _modules = files
    path = quizzes / "01-contoh-uji.toml"
    path.write_text(
        path.read_text().replace('feedback = "Bukan tempat aman."\n', "", 1),
        encoding="utf-8",
    )
    assert any(
        "pilihan 'Rumah pelaku' tanpa umpan balik" in p for p in problems_in(files)
    )


def test_ticking_every_option_may_earn_at_most_half(files):
    quizzes, _modules = files
    path = quizzes / "01-contoh-uji.toml"
    path.write_text(
        path.read_text().replace("weight = -0.5", "weight = -0.25", 1),
        encoding="utf-8",
    )
    assert any("memilih semua jawaban mendapat 75%" in p for p in problems_in(files))


def test_a_short_bank_is_named_with_the_size_a_core_module_needs(files):
    quizzes, _modules = files
    (quizzes / "bank" / "01-contoh-uji.gift").write_text(bank(14), encoding="utf-8")
    assert any(
        "14 soal, modul inti perlu sedikitnya 15" in p for p in problems_in(files)
    )


@pytest.mark.parametrize(
    ("story", "complaint"),
    [
        ("Mama Rini dan Nona Rini", "Mama Rini, Nona Rini - satu nama"),
        ("Adik Tino, 9 tahun. Lalu Tino (11 tahun) pulang.", "berumur 9, 11"),
    ],
)
def test_one_fictional_person_is_one_person(files, story, complaint):
    quizzes, _modules = files
    path = quizzes / "01-contoh-uji.toml"
    path.write_text(
        path.read_text().replace("Mama Yuli datang menangis.", story),
        encoding="utf-8",
    )
    assert any(complaint in p for p in problems_in(files)), problems_in(files)


def test_a_person_lives_in_one_module_but_the_companion_recurs():
    from assessments.curriculum_rules import cast_problems

    texts = {"01": ["Mama Yuli dan Adik Rini"], "02": ["Mama Yuli bertemu Adik Rini"]}
    assert cast_problems(texts) == [
        "tokoh: Rini muncul di modul 01, 02; setiap tokoh rekaan hanya di satu modul"
    ]
