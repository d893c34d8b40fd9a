"""A facilitator chooses villages by name on a phone (learning/region_field.py)."""

import pytest

from learning.choices import RegionLevel, Role
from learning.models import Region, User
from tests.browser.conftest import sign_in
from tests.factories import (
    CohortFactory,
    OrganisationFactory,
    ProgrammeFactory,
    user_with_roles,
)
from tests.factories.people import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]

NOEBEBA_OEEKAM = "53.02.26.2004"


def suggestions(phone, box):
    """The options the region box offers (not those of the page's selects)."""
    return phone.locator(f"#{box.get_attribute('aria-controls')}").get_by_role("option")


def test_villages_are_added_by_name_and_removed_one_at_a_time(phone, screenshot):
    facilitator = user_with_roles(Role.FASILITATOR, username="fasilitator-hp")
    villages = list(
        Region.objects.filter(level=RegionLevel.DESA, code__startswith="53.02.")
        .exclude(search_name="oeekam")
        .order_by("code")[:11]
    )
    cohort = CohortFactory(
        programme=ProgrammeFactory(), facilitators=[facilitator], name="Angkatan HP"
    )
    cohort.villages.set(villages)
    cohort.save()
    sign_in(phone, facilitator.username, PASSWORD)
    phone.goto(f"/admin/cohort/edit/{cohort.pk}/")
    box = phone.get_by_role("combobox", name="Desa/kelurahan")
    assert phone.locator(".region-field__chip input:checked").count() == 11

    box.click()
    box.press_sequentially("Oeekam", delay=30)
    options = suggestions(phone, box)
    options.first.wait_for()
    labels = options.all_inner_texts()
    assert len(labels) == 3
    assert "Desa Oe'ekam, Kec. Noebeba, Kab. Timor Tengah Selatan" in labels
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "wilayah-saran-angkatan")

    options.filter(has_text="Kec. Noebeba").click()
    assert box.input_value() == ""
    assert phone.locator(".region-field__chip input:checked").count() == 12
    # One tap unticks one village; the other eleven stay.
    phone.get_by_text(villages[0].label).click()
    assert phone.locator(".region-field__chip input:checked").count() == 11
    screenshot(phone, "wilayah-angkatan")

    phone.get_by_role("button", name="Simpan").first.click()
    phone.wait_for_load_state()
    chosen = set(cohort.villages.values_list("code", flat=True))
    assert chosen == {v.code for v in villages[1:]} | {NOEBEBA_OEEKAM}
    assert phone.watch.foreign_requests == []
    assert phone.watch.console_errors == []


def test_a_person_s_village_is_chosen_from_suggestions(phone):
    organisation = OrganisationFactory()
    facilitator = user_with_roles(
        Role.FASILITATOR, username="fasilitator-hp", organisation=organisation
    )
    trainee = user_with_roles(
        Role.PESERTA, username="peserta-hp", organisation=organisation
    )
    CohortFactory(facilitators=[facilitator], trainees=[trainee])
    sign_in(phone, facilitator.username, PASSWORD)
    phone.goto(f"/admin/users/edit/{trainee.pk}/")
    box = phone.get_by_role("combobox", name="Desa/kelurahan")
    box.click()
    box.press_sequentially("oeekam, noe", delay=30)
    suggestions(phone, box).first.wait_for()
    assert suggestions(phone, box).count() == 1
    box.press("Enter")  # the one suggestion, not the form
    assert box.input_value() == "Desa Oe'ekam, Kec. Noebeba, Kab. Timor Tengah Selatan"
    phone.get_by_role("button", name="Simpan").first.click()
    phone.wait_for_load_state()
    assert User.objects.get(pk=trainee.pk).village.code == NOEBEBA_OEEKAM
