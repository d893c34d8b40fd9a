"""The referral directory: finding services by place, and never showing a
shelter's whereabouts."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from wagtail.blocks import StructValue

import pytest

from modules.blocks import ServiceLinkBlock
from modules.choices import ServiceKind
from modules.directory import (
    grant_directory_permissions,
    load_sample_services,
    public_contact,
    service_label,
    services_matching,
)
from modules.models import ReferralService
from tests.factories import OrganisationFactory, region

pytestmark = pytest.mark.django_db

ADMIN_ADD = "/admin/snippets/modules/referralservice/add/"
SECRET_ADDRESS = "Jl. Rahasia No. 7, belakang gereja"
SECRET_PHONE = "0812 9999 0000"


def make_service(name, *, kind=ServiceKind.PUSKESMAS, kabupaten="53.02", **fields):
    kecamatan = fields.pop("kecamatan", [])
    service = ReferralService.objects.create(
        name=name,
        kind=kind,
        kabupaten=region(kabupaten) if kabupaten else None,
        **fields,
    )
    service.kecamatan_served.set([region(code) for code in kecamatan])
    return service


@pytest.fixture
def shelter(organisation):
    return make_service(
        "Rumah Aman Uji",
        kind=ServiceKind.SHELTER,
        reach_through=organisation,
        notes="Korban diantar pendamping lembaga.",
    )


@pytest.fixture
def places():
    """Services around TTS (53.02), one in Kab. Kupang and one national."""
    return {
        "puskesmas": make_service(
            "Puskesmas Kota SoE Uji",
            kecamatan=["53.02.01"],
            address="Jl. Uji No. 2, SoE",
            phone="(0388) 21000",
        ),
        "polsek": make_service(
            "Polsek Amanuban Timur Uji",
            kind=ServiceKind.POLSEK,
            kecamatan=["53.02.04"],
        ),
        "rsud": make_service(
            "RSUD SoE Uji",
            kind=ServiceKind.HOSPITAL,
            notes="Pemeriksaan visum et repertum.",
        ),
        "kupang": make_service(
            "UPTD PPA Kupang Uji", kind=ServiceKind.UPTD_PPA, kabupaten="53.01"
        ),
        "sapa": make_service(
            "SAPA 129 Uji",
            kind=ServiceKind.HOTLINE,
            kabupaten=None,
            phone="129 / WhatsApp 08111-129-129",
        ),
    }


def names(services):
    return {service.name for service in services}


# --- A shelter's whereabouts never show ---------------------------------------


def test_a_shelter_never_shows_an_address_or_phone_in_the_list_and_detail(
    signed_in, trainee, shelter, places
):
    client = signed_in(trainee)
    for path in ["/layanan/", f"/layanan/{shelter.pk}/"]:
        page = client.get(path).content.decode()
        assert shelter.name in page
        assert "Hubungi melalui Yayasan Uji Pendamping" in page
    detail = client.get(f"/layanan/{shelter.pk}/").content.decode()
    assert "Alamat</dt>" not in detail
    assert "Telepon</dt>" not in detail
    assert "tel:" not in detail
    # Other services do show theirs.
    listing = client.get("/layanan/").content.decode()
    assert "Jl. Uji No. 2, SoE" in listing


def test_a_shelter_address_that_reached_memory_is_still_not_shown(shelter):
    # The database refuses one; this proves the screens ask public_contact
    # rather than reading the fields themselves.
    shelter.address = SECRET_ADDRESS
    shelter.phone = SECRET_PHONE
    contact = public_contact(shelter)
    assert (contact.address, contact.phones) == ("", ())
    assert "Yayasan Uji Pendamping" in contact.through

    card = render_to_string("modules/includes/service_card.html", {"service": shelter})
    block = ServiceLinkBlock()
    lesson = block.render(
        StructValue(block, [("service", shelter), ("note", "Untuk korban anak.")])
    )
    for html in (card, lesson):
        assert shelter.name in html
        assert "Hubungi melalui Yayasan Uji Pendamping" in html
        assert "Jl. Rahasia" not in html
        assert "9999" not in html
        assert "tel:" not in html


def test_a_shelter_without_organisation_points_to_the_companions_own(
    organisation,
):
    shelter = make_service("Rumah Aman Tanpa Lembaga", kind=ServiceKind.SHELTER)
    assert "fasilitator atau lembaga pendamping" in public_contact(shelter).through


def test_the_lesson_block_links_to_the_service_and_shows_its_phone(places):
    block = ServiceLinkBlock()
    sapa = places["sapa"]
    html = block.render(block.to_python({"service": sapa.pk, "note": "Bisa 24 jam."}))
    assert f'href="/layanan/{sapa.pk}/"' in html
    assert 'href="tel:129"' in html
    assert "Bisa 24 jam." in html


def test_the_model_refuses_an_address_or_phone_for_a_shelter():
    shelter = ReferralService(
        name="Rumah Aman", kind=ServiceKind.SHELTER, address=SECRET_ADDRESS
    )
    with pytest.raises(ValidationError) as refused:
        shelter.full_clean()
    assert "Rumah aman tidak boleh dicantumkan alamatnya" in str(
        refused.value.message_dict["address"]
    )

    for field in ("address", "phone"):
        with pytest.raises(IntegrityError), transaction.atomic():
            ReferralService.objects.create(
                name="Rumah Aman", kind=ServiceKind.SHELTER, **{field: "x"}
            )
    assert not ReferralService.objects.exists()


# --- The admin -----------------------------------------------------------------


def admin_form(**overrides):
    data = {
        "name": "Rumah Aman Baru",
        "kind": ServiceKind.SHELTER,
        "kabupaten": region("53.02").pk,
        "address": "",
        "phone": "",
        "opening_hours": "",
        "reach_through": "",
        "notes": "",
        "last_verified": "",
    }
    data.update(overrides)
    return data


def test_the_admin_refuses_a_shelter_with_an_address_and_saves_nothing(
    signed_in, facilitator
):
    grant_directory_permissions()
    client = signed_in(facilitator)
    response = client.post(ADMIN_ADD, admin_form(address=SECRET_ADDRESS))
    assert response.status_code == 200
    assert "Rumah aman tidak boleh dicantumkan alamatnya" in response.content.decode()
    assert not ReferralService.objects.exists()

    response = client.post(ADMIN_ADD, admin_form())
    assert response.status_code == 302
    assert ReferralService.objects.get().name == "Rumah Aman Baru"


def test_facilitators_and_coordinators_may_edit_the_directory_once_granted(
    signed_in, coordinator, facilitator
):
    assert not facilitator.has_perm("modules.add_referralservice")
    grant_directory_permissions()
    grant_directory_permissions()  # safe to run again
    for person in (facilitator, coordinator):
        client = signed_in(person)
        assert client.get(ADMIN_ADD).status_code == 200
        assert client.get("/admin/snippets/modules/referralservice/").status_code == 200


def test_the_admin_listing_shows_services_without_the_shelter_address(
    signed_in, coordinator, shelter, places
):
    grant_directory_permissions()
    page = (
        signed_in(coordinator)
        .get("/admin/snippets/modules/referralservice/")
        .content.decode()
    )
    assert shelter.name in page
    assert places["rsud"].name in page


# --- Finding services ----------------------------------------------------------


def test_a_kecamatan_finds_its_services_the_kabupaten_wide_ones_and_national(places):
    found = services_matching(kecamatan=region("53.02.01"))
    assert names(found) == {
        "Puskesmas Kota SoE Uji",  # serves Kota Soe
        "RSUD SoE Uji",  # serves all of TTS
        "SAPA 129 Uji",  # national
    }


def test_a_kabupaten_finds_all_its_services_and_national(places):
    found = services_matching(kabupaten=region("53.02"))
    assert names(found) == {
        "Puskesmas Kota SoE Uji",
        "Polsek Amanuban Timur Uji",
        "RSUD SoE Uji",
        "SAPA 129 Uji",
    }


def test_kind_and_words_narrow_the_list(places):
    assert names(services_matching(kind=ServiceKind.POLSEK)) == {
        "Polsek Amanuban Timur Uji"
    }
    assert names(services_matching(query="visum")) == {"RSUD SoE Uji"}
    assert names(services_matching(query="puskes")) == {"Puskesmas Kota SoE Uji"}
    assert names(services_matching(query="rumah sakit soe")) == {"RSUD SoE Uji"}
    assert names(services_matching(query="amanuban")) == {"Polsek Amanuban Timur Uji"}
    assert names(services_matching(query="tidakadakatainiuji")) == set()


def test_the_list_filters_by_place_from_the_query_string(signed_in, trainee, places):
    page = signed_in(trainee).get("/layanan/?kabupaten=53.02&kecamatan=53.02.01")
    html = page.content.decode()
    assert page.status_code == 200
    for shown in ("Puskesmas Kota SoE Uji", "RSUD SoE Uji", "SAPA 129 Uji"):
        assert shown in html
    for hidden in ("Polsek Amanuban Timur Uji", "UPTD PPA Kupang Uji"):
        assert hidden not in html
    # The kecamatan list narrows to the chosen kabupaten.
    assert 'value="53.02.04"' in html
    assert 'value="53.01.16"' not in html


def test_bad_filter_values_are_explained_not_an_error(signed_in, trainee, places):
    client = signed_in(trainee)
    response = client.get("/layanan/?kabupaten=99.99&kind=entah&halaman=x")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ada pilihan yang tidak dikenali" in html
    assert "SAPA 129 Uji" in html  # nothing valid left to filter by

    response = client.get("/layanan/?kabupaten=53.01&kecamatan=53.02.01")
    html = response.content.decode()
    assert response.status_code == 200
    assert "tidak berada di Kab. Kupang" in html
    assert "UPTD PPA Kupang Uji" in html  # the valid kabupaten still filters
    assert "RSUD SoE Uji" not in html


def test_the_card_says_when_a_service_was_last_checked(signed_in, trainee, places):
    places["rsud"].last_verified = datetime.date(2025, 3, 3)
    places["rsud"].save()
    client = signed_in(trainee)
    checked = client.get(f"/layanan/{places['rsud'].pk}/").content.decode()
    assert "Terakhir diperiksa: 3 Maret 2025" in checked
    unchecked = client.get(f"/layanan/{places['sapa'].pk}/").content.decode()
    assert "Belum diperiksa" in unchecked
    assert "Layanan nasional" in unchecked
    assert 'href="tel:129"' in unchecked
    assert 'href="tel:08111129129"' in unchecked


def test_signed_out_visitors_are_sent_to_sign_in(client, places):
    for path in ["/layanan/", f"/layanan/{places['rsud'].pk}/"]:
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/masuk/?next=")


def test_an_unknown_service_is_not_found(signed_in, trainee):
    assert signed_in(trainee).get("/layanan/999999/").status_code == 404


def test_the_list_takes_the_same_number_of_queries_for_3_or_12_services(
    signed_in, trainee, organisation
):
    client = signed_in(trainee)

    def queries_for_list():
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/layanan/?kabupaten=53.02")
        assert response.status_code == 200
        return len(queries)

    def add_services(count):
        for number in range(count):
            make_service(
                f"Layanan Uji {ReferralService.objects.count()} {number}",
                kecamatan=["53.02.01", "53.02.04"],
                reach_through=organisation,
                address="Jl. Uji",
            )

    add_services(3)
    with_three = queries_for_list()
    add_services(9)
    assert queries_for_list() == with_three


# --- Sample data for the demo ---------------------------------------------------


def test_sample_services_are_marked_and_loading_them_again_adds_nothing():
    ssp = OrganisationFactory(short_name="SSP", name="Yayasan SSP Uji")
    first = load_sample_services()
    again = load_sample_services()
    assert [service.pk for service in again] == [service.pk for service in first]
    assert ReferralService.objects.count() == len(first) >= 10
    for service in ReferralService.objects.all():
        assert service.is_sample
        assert "contoh" not in service.name.lower()  # the flag marks it
        assert service.notes.startswith("Data contoh: periksa sebelum dipakai.")
        assert service.last_verified is None
    shelter = ReferralService.objects.get(kind=ServiceKind.SHELTER)
    assert (shelter.address, shelter.phone, shelter.reach_through) == ("", "", ssp)
    national = ReferralService.objects.filter(kabupaten__isnull=True)
    assert {service.kind for service in national} == {
        ServiceKind.LPSK,
        ServiceKind.HOTLINE,
    }
    assert "129" in national.get(kind=ServiceKind.HOTLINE).phone


def test_the_first_editions_wrong_bpjs_card_is_corrected_unless_edited():
    """The first edition said JKN pays for a victim's care; Perpres 82/2018
    pasal 52 ayat (1) huruf r excludes injuries from violence."""
    load_sample_services()
    bpjs = ReferralService.objects.get(kind=ServiceKind.BPJS)
    wrong = "Data contoh: periksa sebelum dipakai. " + (
        "Kepesertaan JKN untuk biaya perawatan korban."
    )
    ReferralService.objects.filter(pk=bpjs.pk).update(notes=wrong)
    load_sample_services()
    bpjs.refresh_from_db()
    assert "pasal 52 ayat (1) huruf r" in bpjs.notes
    assert "tidak menanggung" in bpjs.notes

    ReferralService.objects.filter(pk=bpjs.pk).update(notes=wrong + " Buka Senin.")
    load_sample_services()
    bpjs.refresh_from_db()
    assert bpjs.notes.endswith("Buka Senin.")


# --- One clean name --------------------------------------------------------------


def test_a_sample_loaded_under_its_older_name_gets_the_plain_one():
    OrganisationFactory(short_name="SSP")
    old = make_service(
        "Layanan SAPA 129 (KemenPPPA) (contoh)",
        kind=ServiceKind.HOTLINE,
        kabupaten=None,
        is_sample=True,
    )

    load_sample_services()

    old.refresh_from_db()
    assert old.name == "Layanan SAPA 129 (KemenPPPA)"
    assert ReferralService.objects.filter(kind=ServiceKind.HOTLINE).count() == 1


def test_name_kind_and_sample_mark_appear_once_each_on_every_screen(signed_in, trainee):
    sapa = make_service(
        "Layanan SAPA 129 (KemenPPPA) (contoh)",
        kind=ServiceKind.HOTLINE,
        kabupaten=None,
        phone="129",
        is_sample=True,
    )
    rsud = make_service("RSUD SoE", kind=ServiceKind.HOSPITAL)

    assert str(service_label(sapa)) == "Layanan SAPA 129 (KemenPPPA) · Contoh"
    assert str(service_label(rsud)) == "RSUD SoE · Rumah sakit"

    client = signed_in(trainee)
    listing = client.get("/layanan/").content.decode()
    detail = client.get(f"/layanan/{sapa.pk}/").content.decode()
    block = ServiceLinkBlock()
    lesson = block.render(block.to_python({"service": sapa.pk, "note": ""}))
    for html in (listing, detail, lesson):
        assert "(contoh)" not in html
        assert "Layanan SAPA 129 (KemenPPPA)" in html
        assert '<span class="tag">Layanan SAPA 129</span>' not in html
        assert "tag--sample" in html
    assert '<span class="tag">Rumah sakit</span>' in listing
