"""The curriculum files: the checker that guards them, and the loader.

The shipped nine modules are loaded in tests/assessments/test_curriculum_demo.py
with their quizzes; here a small module written for the test shows what the
checker refuses and that the loader builds pages from a file.
"""

import re
import shutil

import pytest

from modules.demo import (
    CURRICULUM_DIR,
    SOURCES_FILE,
    CurriculumError,
    curriculum_problems,
    load_curriculum,
)
from modules.models import LessonPage, ModulePage, ResourcePage

pytestmark = pytest.mark.django_db

GOOD_MODULE = """
slug = "contoh-uji"
title = "Contoh uji"
topic = "konseling"
core = true
refresher = false
study_minutes = 20
summary = "Modul kecil untuk uji."
objectives = ["Mendengarkan tanpa menghakimi", "Merujuk dengan persetujuan"]
content_note = "Membahas kekerasan dalam rumah tangga."

[[forms]]
key = "lembar-uji"
title = "Lembar uji (kosong)"
intro = "Jangan menulis nama korban."
fields = [["Bulan dan tahun", 1], ["Layanan yang dirujuk", 2]]

[[lessons]]
title = "Mendengarkan"
summary = "Langkah pertama."
study_minutes = 10

[[lessons.body]]
type = "heading"
value = "Dengarkan dulu"

[[lessons.body]]
type = "text"
value = "<p>Menurut UU 23/2004 pasal 23, pendamping mendengarkan dengan empati.</p>"

[[lessons.body]]
type = "key_points"
points = ["Percayai ceritanya.", "Tanyakan keselamatannya."]

[[lessons.body]]
type = "case_scenario"
title = "Malam di kebun"
story = "<p>Mama Yuli datang menangis. (Kisah rekaan.)</p>"
questions = ["Apa yang paling mendesak?"]

[[lessons.body]]
type = "document"
document = "lembar-uji"
description = "Lembar latihan."

[[lessons.body]]
type = "service"
service = "uptd_ppa"
note = "Layanan pendampingan kabupaten."

[[lessons.body]]
type = "reflection"
prompt = "Apa yang akan kamu katakan?"
"""

SOURCES = """
[[sources]]
cite = "UU 23/2004"
title = "Undang-Undang Nomor 23 Tahun 2004 tentang PKDRT"
"""


@pytest.fixture
def files(tmp_path):
    (tmp_path / SOURCES_FILE).write_text(SOURCES, encoding="utf-8")
    (tmp_path / "01-contoh-uji.toml").write_text(GOOD_MODULE, encoding="utf-8")
    return tmp_path


def test_a_well_formed_module_file_has_no_problems(files):
    assert curriculum_problems(files) == []


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (("(Kisah rekaan.)", ""), "rekaan"),
        (("<p>Menurut", "<h2>Judul</h2><p>Menurut"), "tag HTML tidak diizinkan: h2"),
        (("UU 23/2004 pasal 23", "UU 12/2022 pasal 26"), "12/2022 dikutip"),
        (('service = "uptd_ppa"', 'service = "dukun"'), "jenis layanan 'dukun'"),
        (('document = "lembar-uji"', 'document = "tidak-ada"'), "'tidak-ada' tidak"),
        (('type = "heading"', 'type = "judul"'), "jenis blok 'judul'"),
        (('topic = "konseling"', 'topic = "hukum"'), "topik 'hukum'"),
        (('[[lessons.body]]\ntype = "reflection"', "#"), "perlu blok reflection"),
        (('summary = "Modul kecil untuk uji."\n', ""), "summary wajib diisi"),
        (("study_minutes = 20", "study_minutes = 20\nwarna = 1"), "warna"),
        (("[[lessons]]", "[lessons]]"), "01-contoh-uji.toml:"),
    ],
)
def test_the_checker_names_what_is_wrong_and_where(files, change, complaint):
    old, new = change
    path = files / "01-contoh-uji.toml"
    path.write_text(GOOD_MODULE.replace(old, new), encoding="utf-8")
    problems = curriculum_problems(files)
    assert problems, "the broken file passed the check"
    assert all(problem.startswith("01-contoh-uji.toml") for problem in problems)
    assert any(complaint in problem for problem in problems), problems


def test_a_core_lesson_without_a_case_or_reflection_is_refused(files):
    path = files / "01-contoh-uji.toml"
    without = GOOD_MODULE.split('[[lessons.body]]\ntype = "case_scenario"')[0]
    path.write_text(without + '[[lessons.body]]\ntype = "heading"\nvalue = "x"\n')
    problems = curriculum_problems(files)
    assert any("case_scenario" in problem for problem in problems)
    assert any("reflection" in problem for problem in problems)
    assert any("kisah kasus" in problem for problem in problems)


def test_nothing_is_loaded_from_files_with_problems(files, tree):
    path = files / "01-contoh-uji.toml"
    path.write_text(GOOD_MODULE.replace("(Kisah rekaan.)", ""), encoding="utf-8")
    with pytest.raises(CurriculumError, match="rekaan"):
        load_curriculum(files)
    assert not ModulePage.objects.exists()


def test_the_loader_builds_published_sample_pages_once(files, tree):
    from modules.directory import load_sample_services

    load_sample_services()
    assert load_curriculum(files) == {"contoh-uji": "baru"}
    assert load_curriculum(files) == {"contoh-uji": "sudah terbaru"}
    module = ModulePage.objects.get()
    assert module.live and module.is_sample and module.is_core
    assert module.objectives == [
        "Mendengarkan tanpa menghakimi",
        "Merujuk dengan persetujuan",
    ]
    [lesson] = LessonPage.objects.child_of(module).live()
    kinds = [block.block_type for block in lesson.body]
    assert kinds == [
        "heading",
        "text",
        "key_points",
        "case_scenario",
        "document",
        "service",
        "reflection",
    ]
    assert lesson.body[5].value["service"].kind == "uptd_ppa"
    form = lesson.body[4].value["document"]
    assert form.title == "Lembar uji (kosong)"
    assert form.file.read().startswith(b"%PDF")
    assert ResourcePage.objects.filter(slug="lembar-uji", document=form).exists()
    sources = ResourcePage.objects.get(slug="sumber-peraturan")
    assert "UU 23/2004" in sources.body and "Contoh uji" in sources.body


def test_an_edited_module_is_not_overwritten_by_loading_again(files, tree):
    load_curriculum(files)
    module = ModulePage.objects.get()
    module.title = "Diubah oleh fasilitator"
    module.save_revision().publish()
    load_curriculum(files)
    assert ModulePage.objects.get().title == "Diubah oleh fasilitator"
    assert LessonPage.objects.count() == 1


def test_the_shipped_files_pass_the_checker(tmp_path):
    assert curriculum_problems() == []
    # The shipped directory is what the loader reads by default.
    shutil.copytree(CURRICULUM_DIR, tmp_path / "kopi")
    assert curriculum_problems(tmp_path / "kopi") == []


def test_every_shipped_blank_form_prints_on_one_sheet():
    import io

    from pypdf import PdfReader

    from modules.demo import blank_form, read_modules

    forms = [form for data in read_modules() for form in data.get("forms", [])]
    assert len(forms) >= 4
    for form in forms:
        pdf = blank_form(
            title=form["title"], intro=form["intro"], fields=form["fields"]
        )
        text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
        assert len(PdfReader(io.BytesIO(pdf)).pages) == 1, form["key"]
        assert "JANGAN" in text.upper() and "NIK" in text, form["key"]


def _list_after_heading(module: dict, heading: str) -> list[str]:
    """The items of the list in the text block right after this heading."""
    for lesson in module["lessons"]:
        body = lesson["body"]
        for number, block in enumerate(body):
            if block["type"] == "heading" and block["value"] == heading:
                items = re.findall(r"<li>(.*?)</li>", body[number + 1]["value"], re.S)
                return [re.sub(r"<[^>]+>", "", item).strip() for item in items]
    raise AssertionError(f"no heading {heading!r} in {module['slug']}")


def test_the_danger_check_asks_module_threes_danger_signs_word_for_word():
    """The check before a village meeting (module 6, and its printed sheet)
    is the list companions learned in module 3: a sign changed in one place
    and not the others would leave a companion asking the wrong questions."""
    from modules.demo import read_modules

    modules = {data["slug"]: data for data in read_modules()}
    learned = _list_after_heading(
        modules["konseling-awal-dan-penguatan-korban"], "Tanda bahaya besar"
    )
    checked = _list_after_heading(
        modules["penyelesaian-kasus-litigasi-dan-non-litigasi"],
        "Dua belas tanda bahaya besar",
    )
    assert len(learned) == 12
    assert checked == learned
    [sheet] = [
        form
        for form in modules["penyelesaian-kasus-litigasi-dan-non-litigasi"]["forms"]
        if form["key"] == "lembar-cek-bahaya"
    ]
    printed = [
        re.sub(r"^\d+\. ", "", line).split(":")[0]
        for label, _lines in sheet["fields"]
        for line in label.split("\n")
        if re.match(r"^\d+\. ", line)
    ]
    assert printed == [sign.split(":")[0] for sign in learned]
