"""The annual reflection: the one place its rules live.

Each year an organisation gathers its companions (trainees and alumni of a
programme) to look back on the service they gave. Before the session a
companion fills their reflection on the phone (or offline, sent later with
the UUID the phone made); during it a facilitator of the session may enter
one for an attendee. A reflection holds counts and words, never identities:
cases by violence type and path, the referral partners worked with, the
obstacles met (each text passes the narrative check), the support and the
learning they need.

The session's attendance is written in `mentorship.reflection_attendance`,
its outcomes (follow-up actions, refresher modules assigned to attendees) in
`mentorship.reflection_outcomes`.

Who sees what:
- a session: its facilitators, the facilitators of its organisation, the
  coordinators of its programme (`sessions_visible_to`); its attendance is
  changed only by its own facilitators and its programme's coordinators
  (`sessions_attendance_changeable_by`);
- a reflection: its companion and the session's facilitators
  (`reflections_readable_by`); coordinators get totals only
  (`session_totals`).
"""

import uuid as uuid_module
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from learning.choices import Role
from learning.models import User
from learning.scope import is_signed_in

from .choices import CasePath, Obstacle, ReferralPartner, ViolenceType
from .idempotent import create_once, writes_of
from .models import Reflection, ReflectionSession
from .narrative import narrative_problems

MAX_TEXT_LENGTH = 2000
MAX_COUNT = 10000


@dataclass
class ReflectionInput:
    """What a companion gives for their reflection, before it is checked.

    `case_counts`: [{"type": ViolenceType, "path": CasePath, "count": n}];
    `obstacles`: [{"category": Obstacle, "text": "…"}].
    """

    case_counts: list[dict] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    obstacles: list[dict] = field(default_factory=list)
    support_needed: str = ""
    learning_needs: str = ""


class ReflectionExists(ValidationError):
    """This companion already has a reflection for the session, under another UUID."""

    def __init__(self, existing: Reflection, link: str):
        self.existing = existing
        self.link = link
        super().__init__(
            {
                "uuid": [
                    _(
                        "Refleksimu untuk sesi ini sudah ada. Buka dan ubah yang "
                        "itu: %(link)s"
                    )
                    % {"link": link}
                ]
            }
        )


# --- Who sees what ------------------------------------------------------------


def sessions_visible_to(user: User) -> QuerySet[ReflectionSession]:
    """Sessions `user` may open in the admin and the API."""
    if not is_signed_in(user):
        return ReflectionSession.objects.none()
    if user.is_superuser:
        return ReflectionSession.objects.all()
    roles = set(user.roles)
    visible = Q(pk__in=[])
    if Role.FASILITATOR in roles:
        visible |= Q(facilitators=user)
        if user.organisation_id:
            visible |= Q(organisation_id=user.organisation_id)
    if Role.KOORDINATOR in roles:
        visible |= Q(programme__coordinators=user)
    return ReflectionSession.objects.filter(
        pk__in=ReflectionSession.objects.filter(visible).values("pk")
    )


def can_manage_session(user: User, session: ReflectionSession) -> bool:
    return sessions_visible_to(user).filter(pk=session.pk).exists()


def sessions_attendance_changeable_by(user: User) -> QuerySet[ReflectionSession]:
    """Sessions whose attendance `user` may change: narrower than seeing one.

    Those who were there to know: the session's own facilitators, and the
    coordinators of its programme. A facilitator of the organising (or a
    partner) organisation who does not lead the session sees it, and cannot
    tick or untick anyone.
    """
    if not is_signed_in(user):
        return ReflectionSession.objects.none()
    if user.is_superuser:
        return ReflectionSession.objects.all()
    roles = set(user.roles)
    changeable = Q(pk__in=[])
    if Role.FASILITATOR in roles:
        changeable |= Q(facilitators=user)
    if Role.KOORDINATOR in roles:
        changeable |= Q(programme__coordinators=user)
    return ReflectionSession.objects.filter(
        pk__in=ReflectionSession.objects.filter(changeable).values("pk")
    )


def can_change_attendance(user: User, session: ReflectionSession) -> bool:
    return sessions_attendance_changeable_by(user).filter(pk=session.pk).exists()


def leads_session(user: User, session: ReflectionSession) -> bool:
    """The session's own facilitators read its reflections and enter them."""
    if not is_signed_in(user):
        return False
    return user.is_superuser or session.facilitators.filter(pk=user.pk).exists()


def reflections_readable_by(user: User) -> QuerySet[Reflection]:
    """A reflection: its companion's own, and the session's facilitators'."""
    if not is_signed_in(user):
        return Reflection.objects.none()
    if user.is_superuser:
        return Reflection.objects.all()
    return Reflection.objects.filter(
        pk__in=Reflection.objects.filter(
            Q(person=user) | Q(session__facilitators=user)
        ).values("pk")
    )


def cohort_list(session: ReflectionSession) -> QuerySet[User]:
    """The active trainees and alumni enrolled in the programme's cohorts."""
    return User.objects.filter(
        pk__in=User.objects.filter(
            is_active=True,
            enrolments__cohort__programme_id=session.programme_id,
        ).values("pk")
    ).order_by("first_name", "last_name", "username")


def invitees(session: ReflectionSession) -> QuerySet[User]:
    """Who may fill a reflection for this session: the cohort list and attendees."""
    return User.objects.filter(
        Q(pk__in=cohort_list(session).values("pk"))
        | Q(pk__in=session.attendees.values("pk"))
    ).order_by("first_name", "last_name", "username")


def is_invited(person: User, session: ReflectionSession) -> bool:
    return invitees(session).filter(pk=person.pk).exists()


def sessions_to_fill(person: User) -> QuerySet[ReflectionSession]:
    """Sessions not yet over that `person` is invited to, soonest first."""
    if not is_signed_in(person):
        return ReflectionSession.objects.none()
    invited = Q(
        programme__cohorts__enrolments__trainee=person,
    ) | Q(attendees=person)
    return ReflectionSession.objects.filter(
        pk__in=ReflectionSession.objects.filter(invited).values("pk"),
        end_date__gte=timezone.localdate(),
    ).order_by("start_date", "pk")


def own_reflection_link(session: ReflectionSession) -> str:
    return reverse("mentorship:reflection", args=[session.pk])


# --- A reflection ---------------------------------------------------------------


def _is_count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _clean_counts(items, errors) -> list[dict]:
    cleaned: dict[tuple[str, str], int] = {}
    for item in items or []:
        if not isinstance(item, dict):
            errors["case_counts"].append(_("Isian jumlah kasus rusak."))
            continue
        kind, path, count = item.get("type"), item.get("path"), item.get("count")
        if kind not in ViolenceType.values:
            errors["case_counts"].append(
                _("Jenis kekerasan %(value)s tidak dikenal.") % {"value": kind}
            )
        elif path not in CasePath.values:
            errors["case_counts"].append(
                _("Jalur %(value)s tidak dikenal.") % {"value": path}
            )
        elif not _is_count(count) or count < 0:
            errors["case_counts"].append(
                _("Jumlah kasus harus bilangan bulat 0 atau lebih.")
            )
        elif count > MAX_COUNT:
            errors["case_counts"].append(_("Jumlah kasus terlalu besar."))
        elif (kind, path) in cleaned:
            errors["case_counts"].append(
                _("Jenis dan jalur yang sama ditulis dua kali.")
            )
        else:
            cleaned[(kind, path)] = count
    return [
        {"type": kind, "path": path, "count": count}
        for (kind, path), count in sorted(cleaned.items())
        if count
    ]


def _clean_text(name: str, text, errors, *, label: str | None = None) -> str:
    if text is not None and not isinstance(text, str):
        errors[name].append(_("Isian ini harus berupa teks."))
        return ""
    text = (text or "").strip()
    prefix = f"{label}: " if label else ""
    if len(text) > MAX_TEXT_LENGTH:
        errors[name].append(
            prefix
            + _("Terlalu panjang: paling banyak %(max)s huruf.")
            % {"max": MAX_TEXT_LENGTH}
        )
    elif text:
        errors[name].extend(prefix + problem for problem in narrative_problems(text))
    return text


def _clean_obstacles(items, errors) -> list[dict]:
    labels = dict(Obstacle.choices)
    cleaned = []
    seen = set()
    for item in items or []:
        category = item.get("category") if isinstance(item, dict) else None
        if category not in Obstacle.values:
            errors["obstacles"].append(_("Pilih kategori kendala dari daftar."))
            continue
        if category in seen:
            errors["obstacles"].append(
                _("Kendala %(category)s ditulis dua kali.")
                % {"category": labels[category]}
            )
            continue
        seen.add(category)
        text = _clean_text(
            "obstacles", item.get("text"), errors, label=str(labels[category])
        )
        cleaned.append({"category": category, "text": text})
    return sorted(cleaned, key=lambda item: Obstacle.values.index(item["category"]))


def check_reflection(data: ReflectionInput) -> dict:
    """The values to store; a ValidationError keyed by field unless all hold."""
    errors: dict[str, list[str]] = defaultdict(list)
    values = {"case_counts": _clean_counts(data.case_counts, errors)}
    partners = list(data.partners or [])
    if not all(isinstance(p, str) for p in partners) or not set(partners) <= set(
        ReferralPartner.values
    ):
        errors["partners"].append(_("Pilih mitra rujukan dari daftar."))
    values["partners"] = [p for p in ReferralPartner.values if p in set(partners)]
    values["obstacles"] = _clean_obstacles(data.obstacles, errors)
    for name in ("support_needed", "learning_needs"):
        values[name] = _clean_text(name, getattr(data, name), errors)
    problems = {name: messages for name, messages in errors.items() if messages}
    if problems:
        raise ValidationError(problems)
    return values


def _check_writer(
    *, person: User, session: ReflectionSession, entered_by: User
) -> None:
    if entered_by.pk == person.pk:
        if not is_invited(person, session):
            raise ValidationError(
                {"session": [_("Kamu tidak diundang ke sesi refleksi ini.")]}
            )
        return
    if not leads_session(entered_by, session):
        raise ValidationError(
            {
                "session": [
                    _("Hanya fasilitator sesi ini yang dapat mengisi refleksi peserta.")
                ]
            }
        )
    if not session.attendees.filter(pk=person.pk).exists():
        raise ValidationError(
            {
                "person": [
                    _("Catat dulu kehadiran %(name)s di sesi ini.")
                    % {"name": person.display_name}
                ]
            }
        )


def _existing_link(*, session: ReflectionSession, person: User, entered_by: User):
    if entered_by.pk == person.pk:
        return own_reflection_link(session)
    return reverse("mentorship_reflection_session", args=[session.pk])


def record_reflection(
    *,
    person: User,
    session: ReflectionSession,
    uuid: uuid_module.UUID | str,
    data: ReflectionInput,
    entered_by: User,
) -> tuple[Reflection, bool]:
    """Create the reflection with this client-made UUID, once: (reflection, created).

    A repeat of the UUID, even twenty at once, returns the reflection as it
    is now and changes nothing (`change_reflection` changes it). A second
    UUID for the same person and session is refused (`ReflectionExists`, with
    the existing one's link); nothing is saved.
    """
    _check_writer(person=person, session=session, entered_by=entered_by)

    def create() -> Reflection:
        other = Reflection.objects.filter(person=person, session=session).first()
        if other is not None:
            raise ReflectionExists(
                other,
                _existing_link(session=session, person=person, entered_by=entered_by),
            )
        return Reflection.objects.create(
            uuid=uuid,
            person=person,
            session=session,
            entered_by=entered_by,
            **check_reflection(data),
        )

    return create_once(
        model=Reflection,
        uuid=uuid,
        owner=person,
        belongs=lambda reflection: (
            reflection.person_id == person.pk and reflection.session_id == session.pk
        ),
        create=create,
        taken=_("Kode refleksi ini sudah dipakai."),
    )


def change_reflection(
    *, reflection: Reflection, data: ReflectionInput, entered_by: User
) -> Reflection:
    """Change a reflection's content; what is already there is not written again,
    so sending the same change twice answers the same both times."""
    person, session = reflection.person, reflection.session
    _check_writer(person=person, session=session, entered_by=entered_by)
    values = check_reflection(data)
    with writes_of(person):
        current = Reflection.objects.get(pk=reflection.pk)
        if any(getattr(current, name) != value for name, value in values.items()):
            Reflection.objects.filter(pk=reflection.pk).update(
                updated_at=timezone.now(), entered_by=entered_by, **values
            )
    reflection.refresh_from_db()
    return reflection


def save_reflection(
    *,
    person: User,
    session: ReflectionSession,
    uuid: uuid_module.UUID | str,
    data: ReflectionInput,
    entered_by: User,
) -> tuple[Reflection, bool]:
    """Fill or change the reflection with this client-made UUID (the pages' form).

    Returns (reflection, created): a new UUID creates (`record_reflection`),
    the UUID of the person's reflection changes it (`change_reflection`).
    """
    reflection, created = record_reflection(
        person=person, session=session, uuid=uuid, data=data, entered_by=entered_by
    )
    if not created:
        reflection = change_reflection(
            reflection=reflection, data=data, entered_by=entered_by
        )
    return reflection, created


def reflection_input(reflection: Reflection) -> ReflectionInput:
    return ReflectionInput(
        case_counts=list(reflection.case_counts),
        partners=list(reflection.partners),
        obstacles=list(reflection.obstacles),
        support_needed=reflection.support_needed,
        learning_needs=reflection.learning_needs,
    )


# --- Totals -----------------------------------------------------------------------


@dataclass
class SessionTotals:
    """What a session's reflections add up to: numbers and anonymous words."""

    reflections: int = 0
    cases: int = 0
    by_type: list[tuple[str, int]] = field(default_factory=list)
    by_path: list[tuple[str, int]] = field(default_factory=list)
    partners: list[tuple[str, int]] = field(default_factory=list)
    obstacles: list[tuple[str, int]] = field(default_factory=list)
    obstacle_texts: list[tuple[str, list[str]]] = field(default_factory=list)
    support_needed: list[str] = field(default_factory=list)
    learning_needs: list[str] = field(default_factory=list)


def session_totals(session: ReflectionSession) -> SessionTotals:
    """Totals for one session; one query."""
    totals = SessionTotals()
    types, paths, partners, obstacles = Counter(), Counter(), Counter(), Counter()
    texts: dict[str, list[str]] = defaultdict(list)
    for row in (
        Reflection.objects.filter(session=session)
        .order_by("pk")
        .values(
            "case_counts", "partners", "obstacles", "support_needed", "learning_needs"
        )
    ):
        totals.reflections += 1
        for item in row["case_counts"]:
            types[item["type"]] += item["count"]
            paths[item["path"]] += item["count"]
            totals.cases += item["count"]
        partners.update(row["partners"])
        for item in row["obstacles"]:
            obstacles[item["category"]] += 1
            if item.get("text"):
                texts[item["category"]].append(item["text"])
        if row["support_needed"]:
            totals.support_needed.append(row["support_needed"])
        if row["learning_needs"]:
            totals.learning_needs.append(row["learning_needs"])
    totals.by_type = [(label, types[value]) for value, label in ViolenceType.choices]
    totals.by_path = [(label, paths[value]) for value, label in CasePath.choices]
    totals.partners = [
        (label, partners[value]) for value, label in ReferralPartner.choices
    ]
    totals.obstacles = [(label, obstacles[value]) for value, label in Obstacle.choices]
    totals.obstacle_texts = [
        (label, texts[value]) for value, label in Obstacle.choices if texts[value]
    ]
    return totals
