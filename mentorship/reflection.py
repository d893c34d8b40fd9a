"""The annual reflection: the one place its rules live.

Each year an organisation gathers its companions (trainees and alumni of a
programme) to look back on the service they gave. Before the session a
companion fills their reflection on the phone (or offline, sent later with
the UUID the phone made); during it a facilitator of the session may enter
one for an attendee. A reflection holds counts and words, never identities:
cases by violence type and path, the referral partners worked with, the
obstacles met (each text passes the narrative check), the support and the
learning they need.

The session's outcomes are written here too: attendance (from the
programme's cohort list or a filled XLSX sheet, all rows or none), follow-up
actions with an owner and a due date, and refresher modules assigned to
chosen attendees, which stay on their home page until they complete them.

Who sees what:
- a session: its facilitators, the facilitators of its organisation, the
  coordinators of its programme (`sessions_visible_to`);
- a reflection: its companion and the session's facilitators
  (`reflections_readable_by`); coordinators get totals only
  (`session_totals`).
"""

import uuid as uuid_module
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from learning.choices import Role
from learning.models import User
from learning.scope import is_signed_in
from learning.spreadsheets import Limits, SheetRefused, read_sheet
from modules.models import ModuleCompletion, ModulePage

from .choices import CasePath, Obstacle, ReferralPartner, ViolenceType
from .idempotent import create_once, writes_of
from .models import FollowUpAction, Reflection, ReflectionSession, RefresherAssignment

MAX_TEXT_LENGTH = 2000
MAX_COUNT = 10000
SHEET_HEADER = "username"


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
    from .narrative import narrative_problems

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


# --- Attendance -------------------------------------------------------------------


class AttendanceError(ValueError):
    """Attendance the rules refuse; the message is for the facilitator."""


def _check_manager(by: User, session: ReflectionSession) -> None:
    if not can_manage_session(by, session):
        raise AttendanceError(_("Anda tidak dapat mengubah sesi refleksi ini."))


def record_attendance(*, session: ReflectionSession, people, by: User) -> int:
    """Mark `people` present; all of them or nobody. Returns how many are new."""
    _check_manager(by, session)
    people = list(people)
    ids = {person.pk for person in people}
    allowed = set(cohort_list(session).filter(pk__in=ids).values_list("pk", flat=True))
    refused = sorted(p.display_name for p in people if p.pk not in allowed)
    if refused:
        raise AttendanceError(
            _(
                "Tidak ada yang disimpan: %(names)s tidak terdaftar di angkatan "
                "program %(programme)s."
            )
            % {"names": ", ".join(refused), "programme": session.programme}
        )
    already = set(session.attendees.filter(pk__in=ids).values_list("pk", flat=True))
    new = ids - already
    if new:
        session.attendees.add(*new)
    return len(new)


@dataclass
class ImportReport:
    added: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def messages(self) -> list[str]:
        return [
            _("Baris %(row)s: %(message)s") % {"row": row, "message": message}
            if row
            else message
            for row, message in self.errors
        ]


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def import_attendance(
    *, session: ReflectionSession, content: bytes, by: User
) -> ImportReport:
    """Attendance from a filled sheet: a column headed `username`. All rows or none."""
    report = ImportReport()
    try:
        _check_manager(by, session)
    except AttendanceError as error:
        report.errors.append((0, str(error)))
        return report
    try:
        rows = read_sheet(
            content,
            filename="hadir.xlsx",
            kinds=("xlsx",),
            limits=Limits(max_rows=5_000, max_cell_chars=500),
        )
    except SheetRefused as error:
        report.errors.append((0, str(error)))
        return report
    header_index = next(
        (
            index
            for index, (_number, cells) in enumerate(rows)
            if cells and _cell_text(cells[0]).lower() == SHEET_HEADER
        ),
        None,
    )
    if header_index is None:
        report.errors.append(
            (0, _("Judul kolom tidak ditemukan: kolom pertama harus 'username'."))
        )
        return report
    body = [
        (number, _cell_text(cells[0]))
        for number, cells in rows[header_index + 1 :]
        if cells and any(_cell_text(value) for value in cells)
    ]
    if not body:
        report.errors.append((0, _("Tidak ada baris peserta di berkas.")))
        return report
    usernames = {username for _number, username in body}
    people = {
        person.username: person
        for person in cohort_list(session).filter(username__in=usernames)
    }
    seen: dict[str, int] = {}
    chosen = []
    for number, username in body:
        if not username:
            report.errors.append((number, _("Kolom username kosong.")))
        elif username in seen:
            report.errors.append(
                (
                    number,
                    _("%(username)s sudah ada di baris %(row)s.")
                    % {"username": username, "row": seen[username]},
                )
            )
        elif username not in people:
            report.errors.append(
                (
                    number,
                    _(
                        "%(username)s tidak dikenal atau tidak terdaftar di "
                        "angkatan program ini."
                    )
                    % {"username": username},
                )
            )
        else:
            seen[username] = number
            chosen.append(people[username])
    if report.errors:
        return report
    report.added = record_attendance(session=session, people=chosen, by=by)
    return report


# --- Outcomes ---------------------------------------------------------------------


def add_follow_up(
    *,
    session: ReflectionSession,
    description: str,
    owner: User,
    due_date,
    by: User,
) -> FollowUpAction:
    from learning.scope import people_visible_to

    from .narrative import narrative_problems

    errors: dict[str, list[str]] = defaultdict(list)
    if not can_manage_session(by, session):
        raise ValidationError(_("Anda tidak dapat mengubah sesi refleksi ini."))
    description = (description or "").strip()
    if not description:
        errors["description"].append(_("Tulis tindak lanjutnya."))
    elif len(description) > 300:
        errors["description"].append(_("Terlalu panjang: paling banyak 300 huruf."))
    else:
        errors["description"].extend(narrative_problems(description))
    if owner is None or not people_visible_to(by).filter(pk=owner.pk).exists():
        errors["owner"].append(_("Pilih penanggung jawab dari daftar."))
    if due_date is None:
        errors["due_date"].append(_("Isi tenggatnya."))
    elif due_date < session.start_date:
        errors["due_date"].append(_("Tenggat tidak boleh sebelum sesi dimulai."))
    problems = {name: messages for name, messages in errors.items() if messages}
    if problems:
        raise ValidationError(problems)
    return FollowUpAction.objects.create(
        session=session, description=description, owner=owner, due_date=due_date
    )


def mark_follow_up_done(*, action: FollowUpAction, by: User) -> FollowUpAction:
    """Done once; marking it again keeps the first time."""
    if action.owner_id != by.pk and not can_manage_session(by, action.session):
        raise ValidationError(_("Anda tidak dapat mengubah tindak lanjut ini."))
    FollowUpAction.objects.filter(pk=action.pk, done_at__isnull=True).update(
        done_at=timezone.now()
    )
    action.refresh_from_db()
    return action


def refresher_modules() -> QuerySet[ModulePage]:
    return ModulePage.objects.live().filter(is_refresher=True).order_by("title")


def assign_refreshers(*, session: ReflectionSession, people, modules, by: User) -> int:
    """Ask chosen attendees to study refresher modules; returns how many are new."""
    if not leads_session(by, session) and not can_manage_session(by, session):
        raise ValidationError(_("Anda tidak dapat mengubah sesi refleksi ini."))
    people, modules = list(people), list(modules)
    errors: dict[str, list[str]] = defaultdict(list)
    if not people:
        errors["people"].append(_("Pilih sedikitnya satu peserta yang hadir."))
    attending = set(
        session.attendees.filter(pk__in=[p.pk for p in people]).values_list(
            "pk", flat=True
        )
    )
    if any(person.pk not in attending for person in people):
        errors["people"].append(_("Pilih peserta yang hadir di sesi ini."))
    if not modules:
        errors["modules"].append(_("Pilih sedikitnya satu modul penyegaran."))
    refreshers = set(
        refresher_modules()
        .filter(pk__in=[m.pk for m in modules])
        .values_list("pk", flat=True)
    )
    if any(module.pk not in refreshers for module in modules):
        errors["modules"].append(_("Pilih modul dari pustaka penyegaran."))
    problems = {name: messages for name, messages in errors.items() if messages}
    if problems:
        raise ValidationError(problems)
    already = set(
        RefresherAssignment.objects.filter(session=session).values_list(
            "person_id", "module_id"
        )
    )
    new = [
        RefresherAssignment(session=session, person=person, module=module)
        for person in people
        for module in modules
        if (person.pk, module.pk) not in already
    ]
    # The same form sent twice at once: the unique constraint keeps one.
    RefresherAssignment.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def open_refreshers_for(person: User) -> list[RefresherAssignment]:
    """Refreshers assigned to `person` and not completed since: one per module."""
    if not is_signed_in(person):
        return []
    completed_since = ModuleCompletion.objects.filter(
        user=person,
        module=OuterRef("module"),
        completed_at__gte=OuterRef("assigned_at"),
    )
    open_ones = (
        RefresherAssignment.objects.filter(
            person=person, module__live=True, studied_at__isnull=True
        )
        .exclude(Exists(completed_since))
        .select_related("module", "session")
        .order_by("assigned_at", "pk")
    )
    by_module: dict[int, RefresherAssignment] = {}
    for assignment in open_ones:
        by_module.setdefault(assignment.module_id, assignment)
    return list(by_module.values())


def mark_refresher_studied(*, assignment: RefresherAssignment, person: User) -> None:
    """The person says they studied the module again; it leaves their home page."""
    if assignment.person_id != person.pk:
        raise ValidationError(_("Tugas penyegaran ini bukan milikmu."))
    RefresherAssignment.objects.filter(
        pk=assignment.pk, studied_at__isnull=True
    ).update(studied_at=timezone.now())


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
