"""The public verification page of a certificate and its JSON: what anyone who
holds the code may see, and nothing more."""

import datetime
import re
import uuid
from urllib.parse import quote

from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

import pytest

from assessments.models import Certificate
from learning.choices import RegionLevel, Role
from learning.models import Region
from tests.concurrency import all_at_once
from tests.factories import CohortFactory, OrganisationFactory, ProgrammeFactory
from tests.factories.people import UserFactory, user_with_roles
from tests.hostile import UGLY

pytestmark = pytest.mark.django_db

CODE = "KQ7MA4XTRC9DEFGH2JNP"
EMAIL = "maria.bria@contoh.id"
PHONE = "+6281234567890"
COHORT = "Angkatan Rahasia Oelomin"
REASON = "Alasan pencabutan yang hanya untuk koordinator"
SCORE = "48 dari 40 jam"
QUIZ_SCORE = "Nilai kuis 87 persen"
SIGNATORY = "Ibu Penanda Tangan"
ISSUER_FIRST, ISSUER_LAST = "Yohana", "Suryaningsih"


@pytest.fixture(autouse=True)
def fresh_counts():
    """Each test starts with no lookups counted, and leaves none behind."""
    cache.clear()
    yield
    cache.clear()


def day(text: str) -> str:
    with translation.override("id"):
        return date_format(text, "j F Y")


def make_certificate(code: str = CODE, **fields) -> Certificate:
    village = Region.objects.filter(level=RegionLevel.DESA).order_by("code").first()
    holder = UserFactory(
        first_name="Maria",
        last_name="Bria",
        email=EMAIL,
        phone=PHONE,
        village=village,
    )
    issuer = user_with_roles(
        Role.KOORDINATOR, first_name=ISSUER_FIRST, last_name=ISSUER_LAST
    )
    cohort = CohortFactory(
        name=COHORT,
        programme=ProgrammeFactory(
            organisations=[
                OrganisationFactory(short_name="YUPN", name="Yayasan Uji Penerbit")
            ]
        ),
    )
    today = timezone.localdate()
    values = {
        "holder": holder,
        "programme": cohort.programme,
        "cohort": cohort,
        "code": code,
        "holder_name": "Maria Bria",
        "programme_name": "Pendampingan Korban Kekerasan Berbasis Komunitas",
        "organisation_names": "Yayasan Uji Penerbit, LBH Uji NTT",
        "training_started_on": today - datetime.timedelta(days=500),
        "training_ended_on": today - datetime.timedelta(days=400),
        "basis": {
            "hours": {
                "label": "Jam magang",
                "progress": SCORE,
                "amount": 2880,
                "items": [QUIZ_SCORE],
            }
        },
        "signatories": [{"name": SIGNATORY, "position": "Direktur"}],
        "issued_on": today - datetime.timedelta(days=365),
        "valid_until": None,
        "issued_by": issuer,
    }
    values.update(fields)
    return Certificate.objects.create(**values)


def page_url(code: str = CODE) -> str:
    return reverse("assessments:certificate_verification", args=[code])


def json_url(code: str = CODE) -> str:
    return reverse("assessments:certificate_verification_json", args=[code])


def card(html: str) -> str:
    """The page's own part: from the heading to the end of <main>."""
    return html[html.index("<h1>") : html.index("</main>")]


SECRETS = [
    EMAIL,
    PHONE,
    "81234567890",
    COHORT,
    REASON,
    SCORE,
    QUIZ_SCORE,
    "2880",
    SIGNATORY,
    ISSUER_LAST,
]


def village_name() -> str:
    return Region.objects.filter(level=RegionLevel.DESA).order_by("code").first().name


# What the page says --------------------------------------------------------


def test_a_valid_certificate_shows_who_what_by_whom_when_and_that_it_stands(client):
    certificate = make_certificate()
    response = client.get(page_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Maria Bria" in html
    assert "Pendampingan Korban Kekerasan Berbasis Komunitas" in html
    assert "Yayasan Uji Penerbit, LBH Uji NTT" in html
    assert day(certificate.issued_on) in html
    assert "Tanpa batas waktu" in html
    assert "Sertifikat ini tercatat dan berlaku." in html
    assert "KQ7M-A4XT-RC9D-EFGH-2JNP" in html  # as the PDF prints it
    # How to check: the page itself, and a way to check another.
    assert "Halaman ini adalah pemeriksaannya" in html
    assert f'href="{reverse("assessments:certificate_lookup")}"' in html


def test_a_valid_certificate_with_an_end_shows_until_when(client):
    until = timezone.localdate() + datetime.timedelta(days=30)
    make_certificate(valid_until=until)
    html = client.get(page_url()).content.decode()
    assert day(until) in html
    assert "Tanpa batas waktu" not in html
    assert "Sertifikat ini tercatat dan berlaku." in html


def test_an_expired_certificate_says_since_when(client):
    today = timezone.localdate()
    until = today - datetime.timedelta(days=10)
    make_certificate(issued_on=today - datetime.timedelta(days=800), valid_until=until)
    html = client.get(page_url()).content.decode()
    since = day(until + datetime.timedelta(days=1))
    assert f"Kedaluwarsa sejak {since}" in html
    assert "berlaku." not in html
    assert client.get(json_url()).json() == {
        "code": CODE,
        "holder": "Maria Bria",
        "programme": "Pendampingan Korban Kekerasan Berbasis Komunitas",
        "organisations": "Yayasan Uji Penerbit, LBH Uji NTT",
        "issued_on": (today - datetime.timedelta(days=800)).isoformat(),
        "valid_until": until.isoformat(),
        "status": "kedaluwarsa",
        "revoked_on": None,
    }


def test_a_revoked_certificate_says_when_but_never_why(client):
    revoked_at = timezone.now() - datetime.timedelta(days=3)
    make_certificate(
        revoked_at=revoked_at,
        revocation_reason=REASON,
        valid_until=timezone.localdate() + datetime.timedelta(days=300),
    )
    html = client.get(page_url()).content.decode()
    when = day(timezone.localdate(revoked_at))
    assert f"Dicabut pada {when}" in html
    assert "tidak berlaku lagi" in html
    assert REASON not in html
    # Nor does it still say the training was completed, or valid until when.
    assert "Telah menyelesaikan pelatihan" not in html
    assert "Berlaku sampai" not in html
    body = client.get(json_url()).json()
    assert body["status"] == "dicabut"
    assert body["revoked_on"] == timezone.localdate(revoked_at).isoformat()
    assert REASON not in str(body)


def test_an_erased_holders_certificate_says_only_that_it_cannot_be_verified(client):
    make_certificate(
        unverifiable_since=timezone.now(),
        revoked_at=timezone.now(),
        revocation_reason=REASON,
    )
    response = client.get(page_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sertifikat ini tidak dapat diverifikasi lagi." in html
    words = " ".join(re.sub(r"<[^>]+>", " ", card(html)).split())
    assert (
        words == "Verifikasi sertifikat Sertifikat ini tidak dapat diverifikasi lagi."
    )
    for gone in [
        "Maria",
        "Bria",
        "Pendampingan Korban",
        "Yayasan Uji Penerbit",
        "Dicabut",
        "Tanggal terbit",
        "KQ7M",
        *SECRETS,
    ]:
        assert gone not in card(html), gone
    assert client.get(json_url()).json() == {
        "code": CODE,
        "status": "tidak_dapat_diverifikasi",
    }


def test_the_json_of_a_valid_certificate_holds_the_same_fields(client):
    certificate = make_certificate()
    response = client.get(json_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "code": CODE,
        "holder": "Maria Bria",
        "programme": "Pendampingan Korban Kekerasan Berbasis Komunitas",
        "organisations": "Yayasan Uji Penerbit, LBH Uji NTT",
        "issued_on": certificate.issued_on.isoformat(),
        "valid_until": None,
        "status": "berlaku",
        "revoked_on": None,
    }


@pytest.mark.parametrize("status", ["berlaku", "kedaluwarsa", "dicabut"])
def test_nothing_more_of_the_holder_is_shown_to_anyone(client, status):
    today = timezone.localdate()
    fields = {
        "berlaku": {},
        "kedaluwarsa": {
            "issued_on": today - datetime.timedelta(days=900),
            "valid_until": today - datetime.timedelta(days=1),
        },
        "dicabut": {"revoked_at": timezone.now(), "revocation_reason": REASON},
    }[status]
    make_certificate(**fields)
    html = client.get(page_url()).content.decode()
    body = client.get(json_url()).content.decode()
    assert client.get(json_url()).json()["status"] == status
    for secret in [*SECRETS, village_name()]:
        assert secret not in html, secret
        assert secret not in body, secret


@pytest.mark.parametrize("role", [Role.PESERTA, Role.FASILITATOR, Role.KOORDINATOR])
def test_signed_in_people_of_any_role_see_the_same_as_everyone(client, role):
    make_certificate(revoked_at=timezone.now(), revocation_reason=REASON)
    anonymous = client.get(page_url()).content.decode()
    anonymous_json = client.get(json_url()).json()
    person = user_with_roles(role)
    person.is_superuser = role == Role.KOORDINATOR
    person.save()
    signed_in = Client()
    signed_in.force_login(person)
    response = signed_in.get(page_url())
    assert response.status_code == 200
    assert card(response.content.decode()) == card(anonymous)
    assert signed_in.get(json_url()).json() == anonymous_json


# Unknown and ugly codes ----------------------------------------------------


def test_an_unknown_code_gets_the_sites_plain_not_found_page(client):
    make_certificate()
    response = client.get(page_url("ACDEFGHJKMNPQRTUVWXY"))
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()
    assert "Maria" not in response.content.decode()
    json_response = client.get(json_url("ACDEFGHJKMNPQRTUVWXY"))
    assert json_response.status_code == 404
    assert json_response.json() == {"detail": "Tidak ada sertifikat dengan kode ini."}


@pytest.mark.parametrize(
    "typed",
    ["kq7ma4xtrc9defgh2jnp", "KQ7M-A4XT-RC9D-EFGH-2JNP", "KQ7M A4XT RC9D EFGH 2JNP"],
)
def test_a_code_typed_from_paper_opens_the_one_address(client, typed):
    make_certificate()
    response = client.get(page_url(typed))
    assert response.status_code == 302
    assert response["Location"] == page_url()
    assert client.get(json_url(typed)).json()["holder"] == "Maria Bria"


@pytest.mark.parametrize(
    "ugly",
    [
        *UGLY,
        "../",
        "..",
        "KQ7MA4XTRC9DEFGH2JNP\x00",
        "KQ7MA4XTRC9DEFGH2JN0",  # a zero the alphabet never uses
        "KQ7MA4XTRC9DEFGH2JNPX",  # one too many
        "KQ7MA4XTRC9DEFGH2JN",  # one too few
        "KQ7MA4XTRC9DEFGH2JNP'--",
        "ＫＱ７ＭＡ４ＸＴＲＣ９ＤＥＦＧＨ２ＪＮＰ",  # full-width letters
        "%",
        "%00",
    ],
)
def test_ugly_codes_are_not_found_never_a_server_error(client, ugly):
    make_certificate()
    for url in (
        f"/verifikasi/{quote(ugly, safe='')}/",
        f"/verifikasi/{quote(ugly, safe='')}.json",
    ):
        # "/verifikasi/.json" is no route: Django adds the slash, then 404.
        response = client.get(url, follow=True)
        assert response.status_code == 404, (ugly[:40], url[:80])
        assert "Maria" not in response.content.decode()


def test_reading_only_a_post_is_refused(client):
    make_certificate()
    assert client.post(page_url()).status_code == 405
    assert client.post(json_url()).status_code == 405
    assert client.post(reverse("assessments:certificate_lookup")).status_code == 405


# The form to type a code ---------------------------------------------------


def test_the_typing_form_opens_the_page_of_a_code_as_printed(client):
    make_certificate()
    lookup = reverse("assessments:certificate_lookup")
    empty = client.get(lookup)
    assert empty.status_code == 200
    assert 'name="kode"' in empty.content.decode()
    response = client.get(lookup, {"kode": " kq7m-a4xt-rc9d-efgh-2jnp "})
    assert response.status_code == 302
    assert response["Location"] == page_url()
    assert client.get(response["Location"]).status_code == 200
    # What a QR reader hands over: the whole address.
    pasted = client.get(lookup, {"kode": f"https://pendamping.example{page_url()}"})
    assert pasted["Location"] == page_url()


# Twenty nines have a code's shape: the form opens their page (not found).
@pytest.mark.parametrize(
    "ugly",
    [value for value in UGLY if value != "9" * 20] + ["KQ7MA4XTRC9DEFGH2JN0"],
)
def test_the_typing_form_answers_a_wrong_code_in_words(client, ugly):
    response = client.get(reverse("assessments:certificate_lookup"), {"kode": ugly})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kode verifikasi terdiri dari 20 huruf dan angka" in html
    assert "\x00" not in html
    assert "<script>alert(1)</script>" not in html


# Headers -------------------------------------------------------------------


def _answers(client) -> dict:
    make_certificate()
    return {
        "page": client.get(page_url()),
        "json": client.get(json_url()),
        "unknown page": client.get(page_url("ACDEFGHJKMNPQRTUVWXY")),
        "unknown json": client.get(json_url("ACDEFGHJKMNPQRTUVWXY")),
        "ugly page": client.get("/verifikasi/%22%00/"),
        "ugly json": client.get("/verifikasi/%22%00.json"),
        "typed": client.get(page_url("kq7ma4xtrc9defgh2jnp")),
        "form": client.get(reverse("assessments:certificate_lookup")),
    }


def test_no_answer_is_indexed_or_kept_by_a_shared_cache(client):
    for name, response in _answers(client).items():
        assert response["X-Robots-Tag"] == "noindex", name
        cache_control = response["Cache-Control"]
        assert "private" in cache_control, name
        assert "no-store" in cache_control, name


def test_the_pages_ask_robots_not_to_index_them_too(client):
    answers = _answers(client)
    # Not the unknown code's: that is the site's own 404 page (the header holds).
    for name in ("page", "form"):
        html = answers[name].content.decode()
        assert '<meta name="robots" content="noindex">' in html, name


# Throttle ------------------------------------------------------------------


def test_the_31st_lookup_in_a_minute_is_refused_in_indonesian(client):
    make_certificate()
    for _ in range(30):
        assert client.get(page_url()).status_code == 200
    refused = client.get(page_url())
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "Terlalu banyak pemeriksaan dari alamat ini dalam satu menit." in html
    assert "Maria" not in html
    assert refused["Retry-After"] == "60"
    assert refused["X-Robots-Tag"] == "noindex"
    assert "no-store" in refused["Cache-Control"]
    # The JSON counts in the same bucket, and says so in JSON.
    refused_json = client.get(json_url())
    assert refused_json.status_code == 429
    assert refused_json.json()["detail"].startswith("Terlalu banyak pemeriksaan")
    # Unknown codes are lookups too: guessing gains nothing by them.
    assert client.get(page_url("ACDEFGHJKMNPQRTUVWXY")).status_code == 429


def test_another_address_is_not_throttled(client):
    make_certificate()
    for _ in range(31):
        client.get(json_url(), REMOTE_ADDR="10.1.1.1")
    assert client.get(json_url(), REMOTE_ADDR="10.1.1.1").status_code == 429
    assert client.get(json_url(), REMOTE_ADDR="10.1.1.2").status_code == 200
    assert client.get(page_url(), REMOTE_ADDR="10.1.1.2").status_code == 200


def test_unknown_codes_count_toward_the_limit(client):
    make_certificate()
    for _ in range(30):
        assert client.get(json_url("ACDEFGHJKMNPQRTUVWXY")).status_code == 404
    assert client.get(json_url()).status_code == 429


def test_a_made_up_forwarded_for_header_does_not_escape_the_count(client):
    """Without trusted proxies the header is the client's own words."""
    make_certificate()
    for number in range(30):
        client.get(json_url(), HTTP_X_FORWARDED_FOR=f"10.9.0.{number}")
    assert client.get(json_url(), HTTP_X_FORWARDED_FOR="10.9.1.1").status_code == 429


def test_looking_up_costs_one_query_however_many_certificates_there_are(
    client, django_assert_num_queries
):
    make_certificate()
    with django_assert_num_queries(1):
        assert client.get(page_url()).status_code == 200
    with django_assert_num_queries(1):
        assert client.get(json_url()).status_code == 200
    for number in range(25):
        make_certificate(code=f"ACDEFGHJKMNPQRTUV{number:03d}")
    with django_assert_num_queries(1):
        assert client.get(page_url()).status_code == 200
    with django_assert_num_queries(1):
        assert client.get(json_url()).status_code == 200


def test_a_signed_in_lookup_costs_the_same_with_more_certificates(
    client, django_assert_max_num_queries
):
    make_certificate()
    person = user_with_roles(Role.PESERTA)
    client.force_login(person)
    client.get(page_url())  # the first page of a session may set things up
    with django_assert_max_num_queries(40) as few:
        assert client.get(page_url()).status_code == 200
    for number in range(25):
        make_certificate(code=f"ACDEFGHJKMNPQRTUV{number:03d}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(page_url()).status_code == 200


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrated_data")
def test_forty_lookups_at_once_from_one_address_serve_exactly_thirty():
    """Each in its own thread and connection; the count is one counter."""
    make_certificate()
    url = json_url()
    answers = all_at_once([lambda: Client().get(url).status_code for _ in range(40)])
    assert sorted(answers) == [200] * 30 + [429] * 10, answers


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrated_data")
def test_forty_lookups_at_once_counted_in_redis_serve_exactly_thirty():
    """Production counts in Redis, shared by every web process."""
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.fail(f"CELERY_BROKER_URL is {settings.CELERY_BROKER_URL!r}, not Redis")
    make_certificate()
    url = json_url()
    redis_cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": settings.CELERY_BROKER_URL,
            "KEY_PREFIX": f"verify-test-{uuid.uuid4().hex}",
        }
    }
    with override_settings(CACHES=redis_cache):
        answers = all_at_once(
            [lambda: Client().get(url).status_code for _ in range(40)]
        )
        assert sorted(answers) == [200] * 30 + [429] * 10, answers
        # Another address has a count of its own there too.
        assert Client(REMOTE_ADDR="10.2.2.2").get(url).status_code == 200
    # No clear(): on Redis it would empty the broker's database. The keys
    # carry this test's own prefix and expire within the minute.


def test_an_unreachable_cache_still_lets_the_page_answer(client):
    make_certificate()
    nowhere = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        }
    }
    with override_settings(CACHES=nowhere):
        assert client.get(page_url()).status_code == 200
