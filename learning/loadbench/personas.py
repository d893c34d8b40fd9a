"""The people the clients play: chosen inside the stack, then signed in.

What needs Django and the bench database (choosing the people the clients play,
their lesson, quiz sitting and placement) runs inside the stack's own
environment, as `python -m learning.loadbench personas`, so the configured
database is never opened. `seats_for` then signs them in through the real forms.
"""

import os
import time

from django.utils.translation import gettext as _

from .client import BenchError, sign_in
from .scenarios import Seat
from .stack import BenchStack

STATIC_FILE = "learning/css/site.css"


# Runs inside the stack's environment (see `__main__.py`), never in the parent.
def choose_personas(count: int) -> dict:
    """Trainees with a lesson, a practice sitting and a placement; the
    facilitators who supervise them (then those with most waiting); and
    coordinators, each given a confirmed code app and a recovery code for
    the second step of sign-in. Synthetic people where there are any, else the
    demo's."""
    import datetime

    from django.db import connection
    from django.db.models import Count, F
    from django.templatetags.static import static
    from django.utils import timezone

    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from assessments.choices import QuestionKind, QuizMode
    from assessments.grading import QuizError, can_take, start_sitting
    from assessments.models import Quiz
    from learning.choices import Role
    from learning.demo import DEMO_PASSWORD
    from learning.models import User
    from mentorship.choices import ActivityCategory, EntryStatus
    from mentorship.models import HourEntry, Placement
    from mentorship.province import USERNAME_PREFIX
    from modules.access import lessons_visible_to

    today = timezone.localdate()
    people = User.objects.filter(is_active=True).order_by("pk")
    if people.filter(username__startswith=USERNAME_PREFIX).exists():
        people = people.filter(username__startswith=USERNAME_PREFIX)
    practice = list(Quiz.objects.filter(mode=QuizMode.PRACTICE, draft=False))

    def quiz_for(user) -> dict | None:
        for quiz in practice:
            if not can_take(user, quiz):
                continue
            try:
                sitting = start_sitting(user=user, quiz=quiz)
            except QuizError:
                continue
            for item in sitting.questions.order_by("position"):
                options = [option["id"] for option in item.snapshot.get("options", [])]
                if item.kind != QuestionKind.ESSAY and len(options) > 1:
                    return {
                        "sitting": str(sitting.uuid),
                        "position": item.position,
                        "options": options,
                    }
        return None

    trainees, supervisors = [], []
    candidates = people.filter(groups__name=Role.PESERTA.value)
    for user in candidates[: 40 * count]:
        placement = (
            Placement.objects.filter(trainee=user, start_date__lte=today)
            .order_by(F("supervisor").asc(nulls_last=True), "-start_date")
            .first()
        )
        lesson = lessons_visible_to(user).first()
        if placement is None or lesson is None:
            continue
        quiz = quiz_for(user)
        if quiz is None:
            continue
        last = min(placement.end_date, today)
        days = min((last - placement.start_date).days + 1, 60)
        trainees.append(
            {
                "username": user.username,
                "lesson": lesson.get_url(),
                "quiz": quiz,
                "magang": {
                    "placement": placement.pk,
                    "dates": [
                        (last - datetime.timedelta(days=n)).isoformat()
                        for n in range(days)
                    ],
                    "category": ActivityCategory.values[0],
                },
            }
        )
        if placement.supervisor_id and placement.supervisor_id not in supervisors:
            supervisors.append(placement.supervisor_id)
        if len(trainees) == count:
            break
    waiting = (
        HourEntry.objects.filter(status=EntryStatus.SUBMITTED)
        .values("placement__supervisor")
        .annotate(waiting=Count("pk"))
        .order_by("-waiting")
    )
    for row in waiting[: 4 * count]:
        supervisor = row["placement__supervisor"]
        if supervisor and supervisor not in supervisors:
            supervisors.append(supervisor)
    facilitators = list(
        people.filter(
            pk__in=supervisors, groups__name=Role.FASILITATOR.value
        ).values_list("username", flat=True)[:count]
    )
    coordinators = []
    chosen = list(people.filter(groups__name=Role.KOORDINATOR.value)[:count])
    for user in chosen:
        TOTPDevice.objects.create(user=user, name="uji beban", confirmed=True)
        device = StaticDevice.objects.create(user=user, name="uji beban")
        codes = [StaticToken.random_token() for _ in range(2)]
        StaticToken.objects.bulk_create(
            StaticToken(device=device, token=code) for code in codes
        )
        coordinators.append({"username": user.username, "codes": codes})
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT version()"
            if connection.vendor == "postgresql"
            else "SELECT 'SQLite ' || sqlite_version()"
        )
        database = cursor.fetchone()[0]
    return {
        "password": os.environ.get("PENDAMPING_BENCH_PASSWORD") or DEMO_PASSWORD,
        "static": static(STATIC_FILE),
        "database": database,
        "trainees": trainees,
        "facilitators": [{"username": name} for name in facilitators],
        "coordinators": coordinators,
    }


def seats_for(
    stack: BenchStack, people: list[dict], count: int, password: str
) -> list[Seat]:
    """`count` signed-in browsers, dealt over `people` in turn.

    Each person signs in once, slowly (sign-in is not what is measured here,
    and second-factor attempts are throttled per person); a second browser of
    the same person is another tab of that session.
    """
    if not people:
        return []
    seats, signed_in = [], {}
    for index in range(count):
        persona = people[index % len(people)]
        client = stack.client()
        if persona["username"] in signed_in:
            client.cookies = dict(signed_in[persona["username"]].cookies)
        else:
            code = (persona.get("codes") or [""])[0]
            sign_in(client, persona["username"], password, code)
            signed_in[persona["username"]] = client
            time.sleep(0.2)
        seats.append(
            Seat(client, persona, index // len(people), {"password": password})
        )
    home = seats[0].client.get("/")
    if home.status != 200:
        raise BenchError(
            _("Beranda %(user)s menjawab %(status)s (%(where)s), bukan 200.")
            % {
                "user": seats[0].persona["username"],
                "status": home.status,
                "where": home.headers.get("Location", ""),
            }
        )
    return seats
