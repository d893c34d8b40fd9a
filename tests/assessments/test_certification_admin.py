"""The certification screens of the admin: the rule per programme, who is
ready in a cohort and issuing from there, one trainee's checklist, and the
certificates (listing, detail, revocation, a new PDF).

The people: the coordinator of the programme, a facilitator teaching the
cohort, a partner organisation's facilitator (the consortium's cohorts,
read-only, and only her own organisation's trainees), another programme's
coordinator, a superuser, and a trainee.
"""

import datetime

from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from assessments.admin.certification_readiness import missing_detail, missing_text
from assessments.certification import (
    ChecklistLine,
    issue_certificate,
    revoke_certificate,
)
from assessments.models import Certificate, CertificationRule
from learning.choices import Role
from learning.models import Enrolment, OutboxMessage
from mentorship.choices import CaseStatus, EntryStatus
from tests.concurrency import all_at_once, signed_in_clients
from tests.factories import (
    CohortFactory,
    HourEntryFactory,
    OrganisationFactory,
    PlacementFactory,
    PracticeCaseFactory,
    ProgrammeFactory,
    UserFactory,
    user_with_roles,
)
from tests.hostile import UGLY

pytestmark = pytest.mark.django_db


def make_trainee(name, organisation, *, minutes=0, cases=0):
    """A trainee with `minutes` of verified magang and `cases` reviewed cases."""
    trainee = user_with_roles(
        Role.PESERTA,
        username=name.lower(),
        first_name=name,
        last_name="",
        organisation=organisation,
    )
    placement = PlacementFactory(trainee=trainee, host=organisation)
    if minutes:
        HourEntryFactory(
            placement=placement, minutes=minutes, status=EntryStatus.VERIFIED
        )
    for _ in range(cases):
        PracticeCaseFactory(placement=placement, status=CaseStatus.REVIEWED)
    return trainee


class World:
    pass


@pytest.fixture
def world(db):
    return build_world()


def build_world() -> World:
    w = World()
    w.org = OrganisationFactory(name="Lembaga Pelaksana", short_name="LP")
    w.partner_org = OrganisationFactory(name="Lembaga Mitra", short_name="LM")
    w.coordinator = user_with_roles(Role.KOORDINATOR, username="koord-program")
    w.programme = ProgrammeFactory(
        name="Program Pendamping Uji",
        short_name="PPU",
        organisations=[w.org, w.partner_org],
        coordinators=[w.coordinator],
    )
    w.facilitator = user_with_roles(
        Role.FASILITATOR, username="fasil-kelas", organisation=w.org
    )
    w.partner = user_with_roles(
        Role.FASILITATOR, username="fasil-mitra", organisation=w.partner_org
    )
    w.other_coordinator = user_with_roles(Role.KOORDINATOR, username="koord-lain")
    w.other_programme = ProgrammeFactory(
        name="Program Lain", short_name="PL", coordinators=[w.other_coordinator]
    )
    w.superuser = UserFactory(username="super", is_superuser=True, is_staff=True)
    # Ani and Citra are ready; Budi lacks an hour and a case. Citra is of the
    # partner organisation.
    w.ani = make_trainee("Ani", w.org, minutes=120, cases=1)
    w.budi = make_trainee("Budi", w.org, minutes=60)
    w.citra = make_trainee("Citra", w.partner_org, minutes=180, cases=2)
    w.cohort = CohortFactory(
        programme=w.programme,
        name="Angkatan Uji 2026",
        facilitators=[w.facilitator],
        trainees=[w.ani, w.budi, w.citra],
    )
    w.rule = CertificationRule.objects.create(
        programme=w.programme, min_magang_hours=2, min_practice_cases=1
    )
    return w


def client_of(person) -> Client:
    client = Client()
    if person is not None:
        client.force_login(person)
    return client


def texts(response) -> list[str]:
    return [str(message).strip() for message in get_messages(response.wsgi_request)]


def cohort_url(w):
    return reverse("assessments_certification_cohort", args=[w.cohort.pk])


def trainee_url(person):
    return reverse("assessments_certification_trainee", args=[person.pk])


def standing(w):
    return Certificate.objects.filter(programme=w.programme, revoked_at__isnull=True)


# --- readiness ---------------------------------------------------------------------


def test_the_index_counts_ready_not_ready_and_certified(world):
    w = world
    issue_certificate(trainee=w.citra, programme=w.programme, issuer=w.coordinator)

    response = client_of(w.coordinator).get(
        reverse("assessments_certification_cohorts")
    )

    assert response.status_code == 200
    cohort = next(c for c in response.context["object_list"] if c.pk == w.cohort.pk)
    assert (
        cohort.trainee_count,
        cohort.ready_count,
        cohort.not_ready_count,
        cohort.certified_count,
    ) == (3, 1, 1, 1)
    assert "Angkatan Uji 2026" in response.content.decode()


def test_the_index_lists_only_the_cohorts_one_sees(world):
    other = CohortFactory(programme=world.other_programme, name="Angkatan Lain")

    shown = client_of(world.coordinator).get(
        reverse("assessments_certification_cohorts")
    )
    theirs = client_of(world.other_coordinator).get(
        reverse("assessments_certification_cohorts")
    )

    assert "Angkatan Uji 2026" in shown.content.decode()
    assert other.name not in shown.content.decode()
    assert "Angkatan Uji 2026" not in theirs.content.decode()
    assert other.name in theirs.content.decode()


def test_the_cohort_table_says_what_each_trainee_lacks(world):
    response = client_of(world.coordinator).get(cohort_url(world))

    assert response.status_code == 200
    page = response.content.decode()
    rows = {row.trainee.first_name: row for row in response.context["rows"]}
    assert {name: row.state for name, row in rows.items()} == {
        "Ani": "siap",
        "Budi": "belum",
        "Citra": "siap",
    }
    budi = {line.key: text for line, text, _ in rows["Budi"].cells if not line.done}
    assert budi == {"hours": "kurang 1 jam", "cases": "kurang 1 kasus"}
    assert "kurang 1 jam" in page
    assert "Terbitkan untuk semua yang siap (2)" in page
    assert page.count('name="trainee"') == 4  # two rows, two in the bulk form


def test_ready_only_shows_the_ready(world):
    response = client_of(world.coordinator).get(cohort_url(world) + "?tampilkan=siap")

    assert [row.trainee.first_name for row in response.context["rows"]] == [
        "Ani",
        "Citra",
    ]


def test_facilitators_see_the_table_without_issuing(world):
    response = client_of(world.facilitator).get(cohort_url(world))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Budi" in page
    assert "Terbitkan" not in page
    assert "hanya untuk dilihat" in page


def test_a_partner_facilitator_sees_only_her_organisations_trainees(world):
    response = client_of(world.partner).get(cohort_url(world))

    assert response.status_code == 200
    assert [row.trainee.first_name for row in response.context["rows"]] == ["Citra"]
    assert "Terbitkan" not in response.content.decode()


def test_another_programmes_coordinator_does_not_find_the_cohort(world):
    w = world
    client = client_of(w.other_coordinator)

    assert client.get(cohort_url(w)).status_code == 404
    assert client.get(trainee_url(w.ani)).status_code == 404
    response = client.post(cohort_url(w), {"trainee": [w.ani.pk], "semua": "1"})
    assert response.status_code == 404
    assert not standing(w).exists()


def test_a_trainee_is_turned_away_from_every_screen(world):
    client = client_of(world.ani)
    for url in [
        reverse("assessments_certification_cohorts"),
        cohort_url(world),
        trainee_url(world.ani),
        reverse("assessments_certificates"),
        reverse("certification_rule:index"),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(("/masuk", "/admin/login")), url
    response = client.post(cohort_url(world), {"trainee": [world.ani.pk]})
    assert response.status_code == 302
    assert not standing(world).exists()


def test_the_superuser_sees_and_issues(world):
    client = client_of(world.superuser)

    page = client.get(cohort_url(world)).content.decode()
    response = client.post(cohort_url(world), {"trainee": [world.ani.pk]})

    assert "Terbitkan untuk semua yang siap (2)" in page
    assert response.status_code == 302
    assert standing(world).filter(holder=world.ani).count() == 1


# --- issuing -----------------------------------------------------------------------


def test_the_coordinator_issues_to_one_trainee(world):
    client = client_of(world.coordinator)

    response = client.post(cohort_url(world), {"trainee": [world.ani.pk]})

    certificate = standing(world).get()
    assert certificate.holder == world.ani
    assert response.status_code == 302
    assert texts(response) == [f"Sertifikat Ani terbit (kode {certificate.code})."]
    again = client.post(cohort_url(world), {"trainee": [world.ani.pk]})
    assert standing(world).count() == 1
    assert "sudah memegang" in texts(again)[-1]
    page = client.get(cohort_url(world)).content.decode()
    assert certificate.code in page
    assert "Bersertifikat" in page


def test_a_trainee_not_ready_is_refused_in_words(world):
    response = client_of(world.coordinator).post(
        cohort_url(world), {"trainee": [world.budi.pk]}
    )

    assert not standing(world).exists()
    assert "Budi belum memenuhi syarat" in texts(response)[0]


def test_bulk_issue_with_one_not_ready(world):
    w = world
    response = client_of(w.coordinator).post(
        cohort_url(w),
        {"trainee": [w.ani.pk, w.budi.pk, w.citra.pk], "semua": "1"},
    )

    assert set(standing(w).values_list("holder__first_name", flat=True)) == {
        "Ani",
        "Citra",
    }
    assert texts(response) == [
        "2 sertifikat terbit; 1 belum memenuhi syarat: "
        "Budi (kurang 1 jam; kurang 1 kasus)."
    ]


@pytest.mark.parametrize("who", ["facilitator", "partner"])
def test_those_who_may_not_certify_are_refused_and_nothing_is_issued(world, who):
    w = world
    client = client_of(getattr(w, who))

    bulk = client.post(cohort_url(w), {"trainee": [w.ani.pk, w.citra.pk], "semua": "1"})
    single = client.post(trainee_url(w.citra), {"programme": w.programme.pk})

    assert bulk.status_code == 403
    assert single.status_code == 403
    assert not standing(w).exists()


def test_a_cell_says_amounts_short_and_names_under_them():
    hours = ChecklistLine(
        key="hours", label="Jam", done=False, progress="32 dari 40 jam", missing="8 jam"
    )
    modules = ChecklistLine(
        key="modules",
        label="Modul",
        done=False,
        progress="4 dari 6 modul",
        missing="Gender, Konseling",
    )

    assert (missing_text(hours), missing_detail(hours)) == ("kurang 8 jam", "")
    assert (missing_text(modules), missing_detail(modules)) == (
        "4 dari 6 modul",
        "Gender, Konseling",
    )


def _twenty_bulk_issues_at_once(monkeypatch):
    """Twenty presses of "Terbitkan untuk semua" at once: one certificate each."""
    # The PDF task is queued; no worker takes it in this test.
    monkeypatch.setattr("learning.outbox._publish", lambda message: None)
    w = build_world()
    body = {"trainee": [w.ani.pk, w.citra.pk], "semua": "1"}
    answers = all_at_once(
        [
            lambda client=client: client.post(cohort_url(w), body).status_code
            for client in signed_in_clients(w.coordinator, 20)
        ]
    )

    assert answers == [302] * 20, answers
    assert sorted(standing(w).values_list("holder__first_name", flat=True)) == [
        "Ani",
        "Citra",
    ]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrated_data")
def test_twenty_bulk_issues_at_once_make_one_certificate_each(monkeypatch):
    _twenty_bulk_issues_at_once(monkeypatch)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrated_data")
def test_twenty_bulk_issues_at_once_on_postgresql(monkeypatch):
    assert connection.vendor == "postgresql"
    _twenty_bulk_issues_at_once(monkeypatch)


@pytest.mark.parametrize("value", UGLY)
def test_ugly_trainee_ids_are_refused_in_words(world, value):
    response = client_of(world.coordinator).post(
        cohort_url(world), {"trainee": [value], "semua": "1"}
    )

    assert response.status_code == 302
    assert texts(response)
    assert not standing(world).exists()


def test_a_trainee_outside_the_cohort_is_not_issued(world):
    stranger = make_trainee("Dedi", world.org, minutes=600, cases=3)

    response = client_of(world.coordinator).post(
        cohort_url(world), {"trainee": [stranger.pk]}
    )

    assert "tidak ada di daftar ini" in texts(response)[0]
    assert not Certificate.objects.exists()


@pytest.mark.parametrize(
    "path", ["angkatan/{}/", "peserta/{}/", "sertifikat/{}/", "aturan/edit/{}/"]
)
@pytest.mark.parametrize("value", ["0", "99999999999999999999", "abc", "²", "-1"])
def test_ugly_ids_in_addresses_are_not_found(world, path, value):
    response = client_of(world.coordinator).get(
        "/admin/sertifikasi/" + path.format(value)
    )

    assert response.status_code == 404


def test_a_cohort_of_thirty_costs_the_queries_of_three(world):
    w = world
    client = client_of(w.coordinator)
    client.get(cohort_url(w))  # warm the session and caches

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(cohort_url(w)).status_code == 200
        return len(context)

    small = queries()
    for n in range(27):
        trainee = make_trainee(f"Tambahan{n:02d}", w.org, minutes=120 * (n % 2))
        Enrolment.objects.create(cohort=w.cohort, trainee=trainee)
    large = queries()

    assert large == small
    index = reverse("assessments_certification_cohorts")
    with CaptureQueriesContext(connection) as before:
        client.get(index)
    for n in range(5):
        CohortFactory(
            programme=w.programme,
            name=f"Angkatan {n}",
            trainees=[make_trainee(f"Lagi{n}", w.org)],
        )
    with CaptureQueriesContext(connection) as after:
        client.get(index)
    assert len(after) == len(before)


# --- one trainee -------------------------------------------------------------------


def test_the_trainee_checklist_links_to_where_each_is_done(world):
    response = client_of(world.coordinator).get(
        trainee_url(world.budi) + f"?angkatan={world.cohort.pk}"
    )

    assert response.status_code == 200
    (item,) = response.context["programmes"]
    links = {line.key: url for line, (url, _words) in item.lines}
    assert links["hours"].startswith(reverse("mentorship_hourentry:index"))
    assert f"trainee={world.budi.pk}" in links["hours"]
    assert links["cases"].startswith(reverse("mentorship_practicecase:index"))
    assert links["competencies"].startswith(
        reverse("assessments_trainee_competence", args=[world.budi.pk])
    )
    assert links["modules"] == reverse(
        "assessments_cohort_results", args=[world.cohort.pk]
    )
    page = response.content.decode()
    assert "Belum siap" in page
    assert "Angkatan Uji 2026" in page  # the way back


def test_the_coordinator_issues_from_the_trainee_page(world):
    client = client_of(world.coordinator)
    page = client.get(trainee_url(world.ani)).content.decode()

    response = client.post(trainee_url(world.ani), {"programme": world.programme.pk})

    assert "Terbitkan sertifikat untuk Ani" in page
    assert response.status_code == 302
    certificate = standing(world).get()
    after = client.get(trainee_url(world.ani)).content.decode()
    assert certificate.code in after


@pytest.mark.parametrize("value", ["", "abc", "²", "99999999999999999999"])
def test_an_ugly_programme_on_the_trainee_page_is_refused_in_words(world, value):
    other = world.other_programme.pk
    for programme in (value, other):
        response = client_of(world.coordinator).post(
            trainee_url(world.ani), {"programme": programme}
        )

        assert response.status_code == 302
        assert texts(response) == ["Pilih program dari daftar di halaman ini."]
    assert not standing(world).exists()


# --- certificates ------------------------------------------------------------------


@pytest.fixture
def certificate(world):
    return issue_certificate(
        trainee=world.ani, programme=world.programme, issuer=world.coordinator
    ).certificate


def detail_url(certificate):
    return reverse("assessments_certificate", args=[certificate.pk])


def test_the_listing_shows_certificates_in_scope_with_filters(world, certificate):
    listing = reverse("assessments_certificates")
    mine = client_of(world.coordinator).get(listing).content.decode()
    facilitators = client_of(world.facilitator).get(listing).content.decode()
    theirs = client_of(world.other_coordinator).get(listing).content.decode()

    assert certificate.code in mine
    assert "Berlaku" in mine
    assert certificate.code in facilitators
    assert certificate.code not in theirs
    client = client_of(world.coordinator)
    assert (
        certificate.code not in client.get(listing + "?status=dicabut").content.decode()
    )
    assert certificate.code in client.get(listing + "?status=berlaku").content.decode()
    year = timezone.localdate().year
    assert certificate.code in client.get(f"{listing}?tahun={year}").content.decode()
    assert (
        certificate.code
        not in client.get(f"{listing}?tahun={year - 1}").content.decode()
    )


@pytest.mark.parametrize("value", UGLY)
def test_ugly_filters_never_break_the_listing(world, certificate, value):
    response = client_of(world.coordinator).get(
        reverse("assessments_certificates"),
        {"status": value, "tahun": value, "programme": value, "q": value},
    )

    assert response.status_code == 200


@pytest.mark.parametrize("value", UGLY)
def test_ugly_searches_and_filters_never_break_the_readiness_screens(world, value):
    client = client_of(world.coordinator)

    index = client.get(reverse("assessments_certification_cohorts"), {"q": value})
    table = client.get(cohort_url(world), {"tampilkan": value})
    person = client.get(trainee_url(world.ani), {"angkatan": value})

    assert (index.status_code, table.status_code, person.status_code) == (
        200,
        200,
        200,
    )


def test_the_status_filter_knows_expired_and_revoked(world, certificate):
    w = world
    expired = issue_certificate(
        trainee=w.citra, programme=w.programme, issuer=w.coordinator
    ).certificate
    Certificate.objects.filter(pk=expired.pk).update(
        issued_on=datetime.date(2020, 1, 1), valid_until=datetime.date(2023, 1, 1)
    )
    revoke_certificate(certificate=certificate, actor=w.coordinator, reason="Keliru.")
    client = client_of(w.coordinator)
    listing = reverse("assessments_certificates")

    def codes(status):
        page = client.get(listing, {"status": status}).content.decode()
        return {code for code in (certificate.code, expired.code) if code in page}

    assert codes("dicabut") == {certificate.code}
    assert codes("kedaluwarsa") == {expired.code}
    assert codes("berlaku") == set()


def test_the_detail_shows_basis_links_and_no_revocation_to_facilitators(
    world, certificate
):
    page = client_of(world.facilitator).get(detail_url(certificate)).content.decode()

    assert "Jam magang terverifikasi" in page
    assert reverse("assessments:certificate_verification", args=[certificate.code]) in (
        page
    )
    assert "Cabut sertifikat" not in page
    assert "Buat ulang PDF" not in page


def test_the_detail_is_not_found_for_another_programmes_coordinator(world, certificate):
    client = client_of(world.other_coordinator)

    assert client.get(detail_url(certificate)).status_code == 404
    revoke = reverse("assessments_certificate_revoke", args=[certificate.pk])
    assert client.post(revoke, {"reason": "Coba."}).status_code == 404
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_the_coordinator_revokes_with_a_reason_shown_to_staff(world, certificate):
    client = client_of(world.coordinator)
    revoke = reverse("assessments_certificate_revoke", args=[certificate.pk])

    response = client.post(revoke, {"reason": "Data kehadiran salah dicatat."})

    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None
    assert certificate.revoked_by == world.coordinator
    page = client_of(world.facilitator).get(detail_url(certificate)).content.decode()
    assert "Data kehadiran salah dicatat." in page
    assert "Dicabut" in page


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "Tulis alasan pencabutan."),
        ("   ", "Tulis alasan pencabutan."),
        ("Keliru\x00", "Karakter null tidak diizinkan."),
        ("x" * 1001, "1000"),
    ],
)
def test_a_bad_reason_revokes_nothing(world, certificate, reason, message):
    response = client_of(world.coordinator).post(
        reverse("assessments_certificate_revoke", args=[certificate.pk]),
        {"reason": reason},
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


@pytest.mark.parametrize("who", ["facilitator", "partner"])
def test_staff_who_do_not_manage_may_not_revoke_or_rebuild(world, certificate, who):
    client = client_of(getattr(world, who))
    before = OutboxMessage.objects.count()

    revoke = client.post(
        reverse("assessments_certificate_revoke", args=[certificate.pk]),
        {"reason": "Coba."},
    )
    rebuild = client.post(
        reverse("assessments_certificate_rebuild_pdf", args=[certificate.pk])
    )

    assert revoke.status_code in (403, 404)
    assert rebuild.status_code in (403, 404)
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    assert OutboxMessage.objects.count() == before


def test_the_coordinator_asks_for_the_pdf_again(world, certificate):
    before = OutboxMessage.objects.filter(
        task_name="assessments.tasks.build_certificate_pdf"
    ).count()

    response = client_of(world.coordinator).post(
        reverse("assessments_certificate_rebuild_pdf", args=[certificate.pk])
    )

    assert response.status_code == 302
    assert (
        OutboxMessage.objects.filter(
            task_name="assessments.tasks.build_certificate_pdf"
        ).count()
        == before + 1
    )


# --- the rule ----------------------------------------------------------------------


def rule_data(programme, **fields):
    data = {
        "programme": programme.pk,
        "require_core_modules": "on",
        "require_competencies": "on",
        "require_magang_hours": "on",
        "min_magang_hours": "40",
        "require_practice_cases": "on",
        "min_practice_cases": "2",
        "require_workshop_attendance": "on",
        "min_attendance_percent": "80",
        "validity_months": "",
        "signatories": "Maria Seran, Koordinator Program",
    }
    data.update(fields)
    return data


def test_the_coordinator_creates_a_rule_only_for_her_programmes(world):
    w = world
    second = ProgrammeFactory(name="Program Kedua", coordinators=[w.coordinator])
    client = client_of(w.coordinator)

    form = client.get(reverse("certification_rule:add"))
    choices = list(form.context["form"].fields["programme"].queryset)
    response = client.post(
        reverse("certification_rule:add"),
        rule_data(second, min_magang_hours="24", validity_months="36"),
    )
    refused = client.post(
        reverse("certification_rule:add"), rule_data(w.other_programme)
    )

    assert choices == [second]  # not the programme that has a rule, not others'
    assert response.status_code == 302
    rule = CertificationRule.objects.get(programme=second)
    assert (rule.min_magang_hours, rule.validity_months) == (24, 36)
    assert refused.status_code == 200
    assert not CertificationRule.objects.filter(programme=w.other_programme).exists()


def test_the_rule_form_offers_the_defaults_in_its_help(world):
    page = client_of(world.coordinator).get(reverse("certification_rule:add"))

    text = page.content.decode()
    for words in ["Bawaan: 40 jam", "Bawaan: 2 kasus", "Bawaan: 80%"]:
        assert words in text


def test_the_coordinator_edits_her_rule(world):
    response = client_of(world.coordinator).post(
        reverse("certification_rule:edit", args=[world.rule.pk]),
        rule_data(world.programme, min_magang_hours="30"),
    )

    assert response.status_code == 302
    world.rule.refresh_from_db()
    assert world.rule.min_magang_hours == 30


@pytest.mark.parametrize("who", ["facilitator", "partner", "other_coordinator"])
def test_others_may_not_edit_the_rule(world, who):
    client = client_of(getattr(world, who))
    edit = reverse("certification_rule:edit", args=[world.rule.pk])

    page = client.get(edit)
    response = client.post(edit, rule_data(world.programme, min_magang_hours="1"))
    deleted = client.post(reverse("certification_rule:delete", args=[world.rule.pk]))

    assert page.status_code != 200
    assert response.status_code != 200
    assert deleted.status_code != 200
    world.rule.refresh_from_db()
    assert world.rule.min_magang_hours == 2


@pytest.mark.parametrize("who", ["facilitator", "partner"])
def test_facilitators_inspect_the_rule_read_only(world, who):
    client = client_of(getattr(world, who))

    listing = client.get(reverse("certification_rule:index")).content.decode()
    inspect_url = reverse("certification_rule:inspect", args=[world.rule.pk])
    inspect = client.get(inspect_url)

    assert inspect_url in listing
    assert reverse("certification_rule:edit", args=[world.rule.pk]) not in listing
    assert inspect.status_code == 200


def test_another_coordinator_does_not_see_the_rule(world):
    client = client_of(world.other_coordinator)

    listing = client.get(reverse("certification_rule:index")).content.decode()
    inspect_url = reverse("certification_rule:inspect", args=[world.rule.pk])
    inspect = client.get(inspect_url)

    assert inspect_url not in listing
    assert reverse("certification_rule:edit", args=[world.rule.pk]) not in listing
    assert inspect.status_code != 200


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"signatories": "Maria\x00, Ketua"}, "Karakter null tidak diizinkan."),
        ({"signatories": "Maria, Ketua\n" * 200}, "paling panjang 2000"),
        ({"min_magang_hours": "99999999999999999999"}, "2000"),
        ({"min_attendance_percent": "²"}, "bilangan"),
        ({"validity_months": "0"}, "sama dengan 1."),
    ],
)
def test_ugly_rule_input_is_refused_in_words(world, fields, message):
    response = client_of(world.coordinator).post(
        reverse("certification_rule:edit", args=[world.rule.pk]),
        rule_data(world.programme, **fields),
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    world.rule.refresh_from_db()
    assert world.rule.min_magang_hours == 2


# --- the menu ----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["facilitator", "coordinator", "partner"])
def test_the_menu_offers_the_certification_group_to_staff(world, who):
    page = client_of(getattr(world, who)).get(reverse("wagtailadmin_home"))

    text = page.content.decode()
    assert "Sertifikasi" in text
    for label in ["Kesiapan", "Sertifikat", "Aturan"]:
        assert label in text
