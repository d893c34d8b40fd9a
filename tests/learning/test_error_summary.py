"""A refused save opens on a summary of what to fix (includes/error_summary.html):
at the top of the form, one line per problem linking to its field, focused
when the page opens; and every form lets the server's Indonesian speak
(`novalidate`) rather than the browser's English."""

import re
import uuid
from pathlib import Path

from django.conf import settings

import pytest

from tests.factories import PlacementFactory

pytestmark = pytest.mark.django_db


def summary_of(page: str) -> str:
    match = re.search(r"<div class=\"error-summary\".*?</div>", page, re.S)
    assert match, "no error summary"
    return match.group(0)


def links_lead_to_fields(page: str, summary: str) -> list[str]:
    targets = re.findall(r'href="#([^"]+)"', summary)
    for target in targets:
        assert f'id="{target}"' in page, f"#{target} leads nowhere"
    return targets


def test_a_refused_hour_entry_lists_each_problem_at_the_top(client):
    placement = PlacementFactory()
    client.force_login(placement.trainee)
    response = client.post(
        "/magang/jam/baru/",
        {
            "uuid": str(uuid.uuid4()),
            "placement": placement.pk,
            "date": "",
            "category": "",
            "activity": "",
            "aksi": "draf",
        },
    )
    page = response.content.decode()
    summary = summary_of(page)
    assert "autofocus" in summary and 'role="alert"' in summary
    # Above the form's first field.
    assert page.index("error-summary") < page.index('name="date"')
    targets = links_lead_to_fields(page, summary)
    assert {"id_date", "id_category", "id_activity"} <= set(targets)


def test_the_account_form_summarises_a_bad_email(client, trainee):
    client.force_login(trainee)
    response = client.post(
        "/akun/",
        {"first_name": trainee.first_name, "last_name": "", "email": "bukan-surel"},
    )
    page = response.content.decode()
    assert links_lead_to_fields(page, summary_of(page)) == ["id_email"]


def test_a_wellbeing_check_in_with_nothing_chosen_is_summarised(client, trainee):
    client.force_login(trainee)
    page = client.post("/kesejahteraan/", {"uuid": str(uuid.uuid4())}).content.decode()
    assert len(links_lead_to_fields(page, summary_of(page))) >= 2


def test_a_page_without_errors_has_no_summary(client, trainee):
    client.force_login(trainee)
    assert "error-summary" not in client.get("/akun/").content.decode()


def site_templates():
    for app in ("learning", "modules", "assessments", "mentorship"):
        folder = Path(settings.BASE_DIR) / app / "templates"
        for path in folder.rglob("*.html"):
            if "/admin/" in str(path) or "wagtailusers" in str(path):
                continue  # Wagtail's admin validates its own way
            yield path


# What a form's body holds when it asks for input the browser could check.
TAKES_INPUT = re.compile(
    r"<textarea|<select|<input(?![^>]*type=\"hidden\")|\{\{ *(form|field|input)\b"
    r"|as_field_group|\{% include"
)


@pytest.mark.parametrize("path", list(site_templates()), ids=str)
def test_every_form_that_takes_input_leaves_checking_to_the_server(path):
    """The browser's own checks speak English ("Please fill out this field")."""
    for tag, body in re.findall(r"(<form\b[^>]*>)(.*?)</form>", path.read_text(), re.S):
        if 'method="get"' in tag or "novalidate" in tag:
            continue
        if TAKES_INPUT.search(body):
            pytest.fail(f"{path.name}: {tag} lacks novalidate")
