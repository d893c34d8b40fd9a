from django.core.management import call_command

import pytest

from learning.choices import RegionKind, RegionLevel
from learning.models import Region
from learning.regions import match_village, search_regions

pytestmark = pytest.mark.django_db

KUPANG, TTS, TTU = "53.01", "53.02", "53.03"


def count(kabupaten, **filters):
    return Region.objects.filter(code__startswith=kabupaten + ".", **filters).count()


@pytest.mark.parametrize(
    ("kabupaten", "kecamatan", "desa", "kelurahan"),
    [(TTS, 32, 266, 12), (KUPANG, 24, 160, 17), (TTU, 24, 182, 11)],
)
def test_region_figures_match_the_current_kemendagri_edition(
    kabupaten, kecamatan, desa, kelurahan
):
    assert count(kabupaten, level=RegionLevel.KECAMATAN) == kecamatan
    assert count(kabupaten, kind=RegionKind.DESA) == desa
    assert count(kabupaten, kind=RegionKind.KELURAHAN) == kelurahan


def test_loading_again_changes_nothing(capsys):
    before = Region.objects.count()
    call_command("load_regions")
    assert Region.objects.count() == before == 3780
    assert "315 kecamatan" in capsys.readouterr().out


def test_an_unknown_province_is_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="tidak dikenal"):
        call_command("load_regions", province=["99"])


def test_labels_name_village_kecamatan_and_kabupaten():
    village = Region.objects.get(code="53.02.04.2012")
    assert village.label == (
        "Desa Oe'Ekam, Kec. Amanuban Timur, Kab. Timor Tengah Selatan"
    )
    assert village.parent.parent.code == TTS
    assert Region.objects.get(code="53.71").label == "Kota Kupang"


def test_three_villages_share_the_name_oeekam_and_each_keeps_its_code():
    match = match_village("Oeekam", within=TTS)
    assert [region.code for region in match.candidates] == [
        "53.02.04.2012",
        "53.02.05.2003",
        "53.02.26.2004",
    ]
    assert not match.is_unique
    assert {region.parent.name for region in match.candidates} == {
        "Amanuban Timur",
        "Amanuban Tengah",
        "Noebeba",
    }


@pytest.mark.parametrize("name", ["Oebelo", "Oesena"])
def test_some_names_exist_in_two_kabupaten(name):
    kabupaten = {region.kabupaten_code for region in match_village(name).candidates}
    assert len(kabupaten) == 2


@pytest.mark.parametrize(
    ("kabupaten", "village", "code"),
    [
        (KUPANG, "Oelomin", "53.01.16.2001"),
        (KUPANG, "Tunfeu", "53.01.16.2006"),
        (KUPANG, "Niukbaun", "53.01.17.2004"),
        (KUPANG, "Nekbaun", "53.01.17.2006"),
        (KUPANG, "Oebelo", "53.01.08.2010"),
        (KUPANG, "Oesena", "53.01.09.2001"),
        (TTS, "Ajaobaki", "53.02.03.2007"),
        (TTS, "Biloto", "53.02.02.2001"),
        (TTS, "Oelet", "53.02.04.2002"),
        (TTU, "Maubesi", "53.03.21.2004"),
    ],
)
def test_each_seed_village_resolves_within_its_kabupaten(kabupaten, village, code):
    match = match_village(village, within=kabupaten)
    assert [region.code for region in match.candidates] == [code]


def test_a_name_without_an_official_match_is_reported_never_mapped():
    match = match_village("Kuanek", within=TTU)
    assert match.candidates == []
    nearest = [region.name for region in match.nearest]
    assert "Kuaken" in nearest
    assert "Kuenak" in nearest


def test_search_ignores_apostrophes_and_case():
    found = search_regions("oeekam", level=RegionLevel.DESA)
    assert len(found) == 3
    assert all(region.name.lower() == "oe'ekam" for region in found)


def test_search_offers_near_spellings():
    found = search_regions("Ajobaki", level=RegionLevel.DESA)
    assert found[0].name == "Ajaobaki"


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("TTS", TTS),
        ("Kab. TTU", TTU),
        ("Timor Tengah Selatan", TTS),
        ("Kupang", KUPANG),
        ("Kota Kupang", "53.71"),
        ("53.03", TTU),
    ],
)
def test_kabupaten_are_found_as_people_write_them(written, code):
    from learning.regions import find_kabupaten

    assert find_kabupaten(written).code == code
