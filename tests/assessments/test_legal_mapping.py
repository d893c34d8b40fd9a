"""The mapping of competencies to the law: the shipped file holds to its rules,
a broken one fails `manage.py check_curriculum` with words that say where."""

from pathlib import Path

from django.core.management import CommandError, call_command

import pytest

from assessments import legal_mapping
from assessments.legal_mapping import (
    answering,
    mapping_problems,
    read_mapping,
)
from assessments.legal_mapping import (
    legal_mapping as shipped_mapping,
)
from assessments.sample_competencies import SAMPLE_COMPETENCIES

FRAMEWORK = {competency[0] for competency in SAMPLE_COMPETENCIES}

GOOD = """
[[laws]]
cite = "UU 12/2022"
heading = "UU 12/2022 tentang TPKS"

[[requirements]]
key = "tpks-26-3a"
cite = "UU 12/2022"
article = "pasal 26 ayat (3) huruf a"
text = "Pendamping korban memiliki kompetensi berperspektif HAM dan gender."
competencies = ["Analisis gender"]
checked = ["https://www.peraturan.info/uu/2022/12/pasal-26"]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "pemetaan-hukum.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_mapping_holds_to_its_rules():
    assert mapping_problems() == []


def test_every_requirement_is_answered_by_competencies_of_the_framework():
    mapping = shipped_mapping()

    assert {law.cite for law in mapping.laws} == {"UU 12/2022", "Permenkum 34/2025"}
    for requirement in mapping.requirements:
        assert requirement.competencies, requirement.key
        assert set(requirement.competencies) <= FRAMEWORK, requirement.key
    # UU TPKS pasal 26 ayat (3): both of its conditions are mapped.
    references = [requirement.reference for requirement in mapping.requirements]
    assert "UU 12/2022 pasal 26 ayat (3) huruf a" in references
    assert "UU 12/2022 pasal 26 ayat (3) huruf b" in references


def test_the_replaced_paralegal_regulation_is_not_cited_as_the_rule():
    mapping = shipped_mapping()

    cited = [item.cite for item in (*mapping.requirements, *mapping.limits)]
    assert "Permenkumham 3/2021" not in cited
    assert "Permenkum 34/2025" in cited
    # The certificate says plainly it gives no paralegal status.
    assert any(
        "tidak menyatakan pemegangnya paralegal" in limit.text
        for limit in mapping.limits
    )


def test_an_article_is_named_only_with_where_it_was_read():
    mapping = shipped_mapping()

    for item in (*mapping.requirements, *mapping.limits):
        if item.article:
            assert item.checked, item.reference
            assert all(address.startswith("https://") for address in item.checked)


def test_a_good_small_mapping_passes(tmp_path):
    assert mapping_problems(write(tmp_path, GOOD)) == []
    [requirement] = read_mapping(write(tmp_path, GOOD)).requirements
    assert requirement.reference == "UU 12/2022 pasal 26 ayat (3) huruf a"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ('competencies = ["Analisis gender"]', 'competencies = ["Menyanyi"]'),
            "kompetensi 'Menyanyi' tidak ada di kerangka contoh",
        ),
        (
            ('competencies = ["Analisis gender"]', "competencies = []"),
            "tidak ada kompetensi yang menjawabnya",
        ),
        (
            ('cite = "UU 12/2022"\narticle', 'cite = "UU 99/2031"\narticle'),
            "'UU 99/2031' tidak ada di sumber.toml",
        ),
        (
            ('text = "Pendamping', 'text = "Menurut UU 98/2030, pendamping'),
            "peraturan 98/2030 dikutip tetapi tidak ada di sumber.toml",
        ),
        (
            ('checked = ["https://www.peraturan.info/uu/2022/12/pasal-26"]', ""),
            "pasal disebut tanpa alamat tempat ia dibaca",
        ),
        (
            ('key = "tpks-26-3a"', 'key = "tpks-26-3a"\nwarna = "merah"'),
            "kunci 'warna'",
        ),
        (('heading = "UU 12/2022 tentang TPKS"', 'heading = ""'), "heading kosong"),
        (
            ('[[laws]]\ncite = "UU 12/2022"', '[[laws]]\ncite = "UU 23/2004"'),
            "tidak punya bagian [[laws]]",
        ),
        (("[[requirements]]", "[[requirements"), "pemetaan-hukum.toml:"),
    ],
)
def test_a_broken_mapping_is_reported(tmp_path, change, expected):
    old, new = change
    assert old in GOOD

    problems = mapping_problems(write(tmp_path, GOOD.replace(old, new)))

    assert any(expected in problem for problem in problems), problems


def test_an_empty_mapping_has_no_requirements(tmp_path):
    problems = mapping_problems(write(tmp_path, ""))

    assert problems == ["pemetaan-hukum.toml: belum ada syarat ([[requirements]])"]


def test_check_curriculum_fails_on_a_broken_mapping(tmp_path, monkeypatch, capsys):
    broken = write(tmp_path, GOOD.replace('"Analisis gender"', '"Menyanyi"'))
    monkeypatch.setattr(legal_mapping, "MAPPING_FILE", broken)

    with pytest.raises(CommandError, match="1 masalah"):
        call_command("check_curriculum")

    assert (
        "kompetensi 'Menyanyi' tidak ada di kerangka contoh" in capsys.readouterr().out
    )


def test_check_curriculum_passes_with_the_shipped_files(capsys):
    call_command("check_curriculum")

    assert "Berkas kurikulum lengkap dan rapi." in capsys.readouterr().out


def test_competencies_are_matched_by_name_whatever_the_case():
    requirement = shipped_mapping().requirements[0]

    assert answering(requirement, ["analisis GENDER ", "Menyanyi"]) == [
        "Analisis gender"
    ]
    assert answering(requirement, []) == []
