"""On a 360 px phone the lists of hour entries and practice cases show each
record's status: it comes right after the date, before the columns that run
off-screen, and the rows stack (scoped CSS on those two pages)."""

import re

from django.urls import reverse

import pytest

from mentorship.choices import EntryStatus
from tests.factories import HourEntryFactory, PlacementFactory, PracticeCaseFactory
from tests.factories.people import client_for

pytestmark = pytest.mark.django_db


def header_labels(html: str) -> list[str]:
    listing = html.split('class="listing', 1)[1]
    head = listing.split("<thead", 1)[1].split("</thead>", 1)[0]
    cells = re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)
    labels = [re.sub(r"<[^>]+>|\s+", " ", cell).strip() for cell in cells]
    return [label for label in labels if label]


def test_the_hours_list_shows_status_beside_the_date():
    placement = PlacementFactory()
    HourEntryFactory(placement=placement, status=EntryStatus.SUBMITTED)
    page = client_for(placement.supervisor).get(reverse("mentorship_hourentry:index"))
    html = page.content.decode()
    labels = header_labels(html)
    assert labels.index("Status") == labels.index("Tanggal") + 1
    assert labels.index("Status") < labels.index("Peserta")
    assert "@media (max-width: 49.99em)" in html
    assert "Menunggu verifikasi" in html


def test_the_cases_list_shows_status_beside_the_month():
    case = PracticeCaseFactory(status="diajukan")
    supervisor = case.placement.supervisor
    page = client_for(supervisor).get(reverse("mentorship_practicecase:index"))
    html = page.content.decode()
    labels = header_labels(html)
    assert labels.index("Status") == labels.index("Bulan") + 1
    assert labels.index("Status") < labels.index("Peserta")
    assert "@media (max-width: 49.99em)" in html
    assert "Menunggu tinjauan" in html
