"""The region search under generated queries (hypothesis): any text (quotes,
NUL bytes, emoji, commas, codes, other scripts) gives a bounded list of
regions without an error, in the function and through the admin's search
address, which answers an over-long query or an unknown level in words."""

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from learning.choices import RegionLevel
from learning.models import Region
from learning.region_field import MAX_SEARCH_LENGTH, MAX_SUGGESTIONS
from learning.regions import search_regions

pytestmark = pytest.mark.django_db

BOUNDED = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

SEARCH = "/admin/wilayah/cari/"

# Pieces people and scripts type into a place search.
PIECES = st.sampled_from(
    [
        "Oe'Ekam",
        "oeekam",
        "TTS",
        "Kota Kupang",
        "53.02",
        "53.02.04.2012",
        ",",
        ", Kec. Noebeba",
        "'",
        '"',
        "%",
        "_",
        "\\",
        "\x00",
        "🙂",
        "desa ",
        "  ",
        "*",
        "NEAR(",
        "OR",
        "-",
    ]
)
QUERIES = st.one_of(
    st.text(max_size=MAX_SEARCH_LENGTH),
    st.lists(st.one_of(PIECES, st.text(max_size=5)), max_size=12).map("".join),
)
LEVELS = st.one_of(
    st.none(),
    st.sampled_from(RegionLevel.values),
    st.lists(st.sampled_from(RegionLevel.values), min_size=1, unique=True).map(tuple),
)


@BOUNDED
@given(query=QUERIES, level=LEVELS, limit=st.integers(1, 30))
@example(query="\x00", level=None, limit=20)
@example(query='"', level=None, limit=20)
@example(query="53", level=None, limit=3)
@example(query="a" * MAX_SEARCH_LENGTH, level=None, limit=20)
def test_any_query_gives_a_bounded_list_of_regions(query, level, limit):
    found = search_regions(query, level=level, limit=limit)
    assert len(found) <= limit
    assert all(isinstance(region, Region) for region in found)
    if level is not None:
        levels = {level} if isinstance(level, int) else set(level)
        assert {region.level for region in found} <= levels


@BOUNDED
@given(query=st.one_of(QUERIES, st.text(min_size=MAX_SEARCH_LENGTH + 1)))
@example(query="\x00")
@example(query="x" * (MAX_SEARCH_LENGTH + 1))
def test_the_admin_search_answers_any_query_in_json(coordinator, query):
    from django.test import Client

    browser = Client()
    browser.force_login(coordinator)
    response = browser.get(SEARCH, {"q": query, "levels": "3,4"})
    if len(query) > MAX_SEARCH_LENGTH:
        assert response.status_code == 400
        assert "paling banyak" in response.json()["error"]
        return
    assert response.status_code == 200, response.content[:300]
    results = response.json()["results"]
    assert len(results) <= MAX_SUGGESTIONS
    assert all(row["level"] in (3, 4) for row in results)


@pytest.mark.parametrize("levels", ["", "9", "4,x", "\x00", "🙂", ",,,"])
def test_an_unknown_level_is_refused_in_words(coordinator, client, levels):
    client.force_login(coordinator)
    response = client.get(SEARCH, {"q": "Oe", "levels": levels})
    assert response.status_code == 400
    assert response.json()["error"] == "Tingkat wilayah tidak dikenal."
