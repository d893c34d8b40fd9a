"""A consortium partner sees the consortium's workshops and changes none."""

import datetime

import pytest

from assessments.events import AttendanceError, events_visible_to, record_attendance
from assessments.models import Attendance, TrainingEvent
from learning.choices import Role
from tests.factories import (
    CohortFactory,
    OrganisationFactory,
    ProgrammeFactory,
    region,
    user_with_roles,
)
from tests.factories.people import client_for

pytestmark = pytest.mark.django_db

DAY = datetime.date(2022, 11, 17)


@pytest.fixture
def workshop():
    ssp = OrganisationFactory(short_name="SSP-UJI")
    yabiku = OrganisationFactory(short_name="YABIKU-UJI")
    teacher = user_with_roles(Role.FASILITATOR, username="fas-ssp", organisation=ssp)
    partner = user_with_roles(
        Role.FASILITATOR, username="fas-yabiku", organisation=yabiku
    )
    trainee = user_with_roles(Role.PESERTA, username="paralegal-uji", organisation=ssp)
    programme = ProgrammeFactory(organisations=[ssp, yabiku])
    CohortFactory(programme=programme, facilitators=[teacher], trainees=[trainee])
    event = TrainingEvent.objects.create(
        title="Pelatihan Pendokumentasian Kasus",
        programme=programme,
        start_date=DAY,
        end_date=DAY,
        place=region("53.02"),
        venue="Aula Gereja",
    )
    event.organisers.set([ssp])
    event.save()
    return {"event": event, "teacher": teacher, "partner": partner, "trainee": trainee}


def test_the_partner_sees_the_workshop_but_cannot_record_attendance(workshop):
    event, partner = workshop["event"], workshop["partner"]
    assert events_visible_to(partner).filter(pk=event.pk).exists()
    with pytest.raises(AttendanceError):
        record_attendance(
            recorder=partner, event=event, day=DAY, trainees=[workshop["trainee"]]
        )
    assert not Attendance.objects.exists()


def test_the_partner_cannot_open_the_edit_or_attendance_screens(workshop):
    event = workshop["event"]
    partner = client_for(workshop["partner"])
    listing = partner.get("/admin/pelatihan/").content.decode()
    assert "Pelatihan Pendokumentasian Kasus" in listing
    assert f"/admin/pelatihan/edit/{event.pk}/" not in listing
    assert partner.get(f"/admin/pelatihan/inspect/{event.pk}/").status_code == 200
    for path in (
        f"/admin/pelatihan/edit/{event.pk}/",
        f"/admin/pelatihan/{event.pk}/kehadiran/",
    ):
        assert partner.get(path).status_code == 404
    response = partner.post(
        f"/api/competence/events/{event.pk}/attendance",
        {"day": DAY.isoformat(), "trainee_ids": [workshop["trainee"].pk]},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not Attendance.objects.exists()


def test_the_cohorts_facilitator_records_attendance(workshop):
    event = workshop["event"]
    teacher = client_for(workshop["teacher"])
    assert teacher.get(f"/admin/pelatihan/edit/{event.pk}/").status_code == 200
    assert teacher.get(f"/admin/pelatihan/{event.pk}/kehadiran/").status_code == 200


def test_the_cohorts_facilitator_records_attendance_through_the_api(workshop):
    event = workshop["event"]
    response = client_for(workshop["teacher"]).post(
        f"/api/competence/events/{event.pk}/attendance",
        {"day": DAY.isoformat(), "trainee_ids": [workshop["trainee"].pk]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert Attendance.objects.filter(event=event).count() == 1
