"""Verifying magang hours: by the supervisor's account, or by a countersign link.

A supervisor verifies or returns (with a comment) the waiting entries of the
placements they supervise, one or many at once. A supervisor without an
account (a puskesmas nurse, a UPTD PPA officer) gets a link from the trainee:
it opens only the entries it was made for, acts only on an explicit POST with
the signer's name and position (a decision per entry: verify, return with a
reason, or leave for later), works until none of its entries waits any more,
expires, and can be revoked.
Paper logs typed in by a facilitator (`paper_import`) for such a supervisor
either get a countersign link made by that facilitator, or the facilitator
records that the supervisor signed the paper log (`record_paper_signature`):
who signed, when, and the facilitator's own attestation that they saw it.
Each step is written to the entries' history and the trainee is notified.
"""

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from learning import audit
from learning.choices import AuditAction, Role
from learning.models import User
from learning.notifications import notify
from learning.scope import is_active_staff

from . import workflow
from .choices import EntryAction, EntryStatus
from .hours import ENTRIES
from .models import CountersignLink, HourEntry, HourEntryEvent, Placement
from .narrative import narrative_problems
from .selectors import placements_managed_by


class Decision:
    VERIFY = "verifikasi"
    RETURN = "kembalikan"


def can_verify(user: User, entry: HourEntry) -> bool:
    """Only the placement's own supervisor, and never for their own entries."""
    return (
        user.is_authenticated
        and entry.placement.supervisor_id == user.pk
        and entry.trainee_id != user.pk
    )


def _decide(
    *,
    entries: list[HourEntry],
    decision: str,
    comment: str,
    actor: User | None = None,
    actor_name: str = "",
    on_paper: "PaperSignature | None" = None,
) -> list[HourEntry]:
    """Apply one decision to the entries still waiting; the rest are skipped.

    Called inside the deciding rule's transaction. `on_paper`: verified from
    a signed paper log, recorded by `actor` (a facilitator) for the signer.
    """
    problems = narrative_problems(comment)
    if problems:
        raise ValidationError({"comment": problems})
    history: dict = {"actor_name": actor_name}
    if on_paper is not None:
        values = {
            "verified_by": None,
            "verified_by_name": on_paper.signer,
            "verified_at": timezone.now(),
            "supervisor_comment": "",
        }
        history |= {
            "done_action": EntryAction.PAPER_SIGNED,
            "signed_on": on_paper.signed_on,
        }
    elif decision == Decision.VERIFY:
        values = {
            "verified_by": actor,
            "verified_by_name": actor_name,
            "verified_at": timezone.now(),
            "supervisor_comment": comment,
        }
    else:
        values = {"supervisor_comment": comment}
    done = workflow.decide(
        ENTRIES,
        records=entries,
        done=decision == Decision.VERIFY,
        values=values,
        comment=comment,
        actor=actor,
        **history,
    )
    by = on_paper.signer if on_paper else (actor.display_name if actor else actor_name)
    _tell_trainees(done, decision, by)
    if on_paper is not None:
        action = AuditAction.PAPER_LOG_SIGNED
    elif decision == Decision.VERIFY:
        action = AuditAction.HOURS_VERIFIED
    else:
        action = AuditAction.HOURS_RETURNED
    _audit(done, action, actor=actor)
    return done


def _audit(entries: list[HourEntry], action: AuditAction, *, actor, via="") -> None:
    """One line of the audit trail per trainee whose entries were decided."""
    by_trainee: dict[int, list[HourEntry]] = {}
    for entry in entries:
        by_trainee.setdefault(entry.trainee_id, []).append(entry)
    for group in by_trainee.values():
        trainee = group[0].trainee
        detail = {"entries": [entry.pk for entry in group], "count": len(group)}
        if via:
            detail["via"] = via
        audit.record(
            action,
            actor=actor,
            target=group[0].placement,
            target_label=_("Jam magang (%(count)s catatan)") % {"count": len(group)},
            subject=trainee,
            programme=audit.programme_of(trainee),
            detail=detail,
        )


def _tell_trainees(entries: list[HourEntry], decision: str, by: str) -> None:
    by_trainee: dict[int, list[HourEntry]] = {}
    for entry in entries:
        by_trainee.setdefault(entry.trainee_id, []).append(entry)
    for trainee_entries in by_trainee.values():
        count = len(trainee_entries)
        if decision == Decision.VERIFY:
            message = ngettext(
                "%(count)s catatan jam magangmu diverifikasi oleh %(by)s.",
                "%(count)s catatan jam magangmu diverifikasi oleh %(by)s.",
                count,
            ) % {"count": count, "by": by}
        else:
            message = ngettext(
                "%(count)s catatan jam magangmu dikembalikan oleh %(by)s untuk "
                "diperbaiki.",
                "%(count)s catatan jam magangmu dikembalikan oleh %(by)s untuk "
                "diperbaiki.",
                count,
            ) % {"count": count, "by": by}
        comment = trainee_entries[0].supervisor_comment
        notify(
            recipient=trainee_entries[0].trainee,
            message=message,
            link=reverse("mentorship:log"),
            email_body=f"{message}\n\n{comment}".strip(),
        )


def verify_entries(*, entries, supervisor: User, comment: str = "") -> list[HourEntry]:
    """Verify waiting entries of placements `supervisor` supervises."""
    return _supervisor_decides(entries, supervisor, Decision.VERIFY, comment)


def return_entries(*, entries, supervisor: User, comment: str) -> list[HourEntry]:
    """Send waiting entries back to the trainee, saying what to fix."""
    if not (comment or "").strip():
        raise ValidationError(
            {"comment": [_("Tulis apa yang perlu diperbaiki peserta.")]}
        )
    return _supervisor_decides(entries, supervisor, Decision.RETURN, comment)


def _supervisor_decides(entries, supervisor, decision, comment) -> list[HourEntry]:
    """Who decides is checked on the rows as they are inside the transaction."""
    with transaction.atomic():
        entries = list(
            HourEntry.objects.select_for_update(of=("self",))
            .filter(pk__in=[entry.pk for entry in entries])
            .select_related("placement", "trainee")
            .order_by("date", "pk")
        )
        if not entries:
            raise ValidationError(_("Pilih sedikitnya satu catatan."))
        if not all(can_verify(supervisor, entry) for entry in entries):
            raise ValidationError(
                _("Kamu bukan pembimbing untuk sebagian catatan yang dipilih.")
            )
        return _decide(
            entries=entries,
            decision=decision,
            comment=(comment or "").strip(),
            actor=supervisor,
        )


# --- Paper logs signed by a supervisor without an account --------------------


def placements_signed_for_by(user: User) -> QuerySet[Placement]:
    """Placements whose entries `user` may verify from a signed paper log, or
    make a countersign link for: those with a supervisor without an account,
    of trainees whose accounts `user` manages as a facilitator (the reading
    rule is `selectors.placements_visible_to`, wider: a consortium partner
    sees the trainee but does not act for their supervisor)."""
    if not is_active_staff(user) or not (
        user.is_superuser or Role.FASILITATOR in user.roles
    ):
        return Placement.objects.none()
    return (
        placements_managed_by(user)
        .filter(supervisor__isnull=True)
        .exclude(trainee=user)
    )


def may_sign_for(user: User, placement: Placement) -> bool:
    return placements_signed_for_by(user).filter(pk=placement.pk).exists()


@dataclass(frozen=True)
class PaperSignature:
    """Who signed the paper log, and when (as the facilitator read it)."""

    name: str
    position: str
    signed_on: datetime.date

    @property
    def signer(self) -> str:
        return f"{self.name} ({self.position})"


def attestation(*, signature: PaperSignature) -> str:
    """The words the facilitator agrees to, kept as the comment of each
    entry's history step (its actor is the facilitator, its name the signer's;
    no names here, so the narrative check has nothing to refuse)."""
    return _(
        "Fasilitator menyatakan telah melihat sendiri catatan kertas yang "
        "ditandatangani pembimbing pada %(date)s, dan catatan yang diverifikasi "
        "ini sama dengan isi catatan kertas itu."
    ) % {"date": signature.signed_on.strftime("%d-%m-%Y")}


def record_paper_signature(
    *,
    entries,
    facilitator: User,
    name: str,
    position: str,
    signed_on: datetime.date | None,
    attested: bool,
) -> list[HourEntry]:
    """Verify waiting entries whose supervisor (without an account) signed
    the paper log: the entries verified now.

    Only a facilitator who acts for the placement's supervisor
    (`placements_signed_for_by`), only with their attestation that they saw
    the signed log, never for a day before the work or in the future. Checked
    on the rows as they are inside one transaction with the entries locked;
    entries decided meanwhile are skipped, so sending it twice is once.
    """
    name, position = (name or "").strip(), (position or "").strip()
    errors = _signer_errors(name, position)
    if signed_on is None:
        errors["signed_on"] = [_("Isi tanggal tanda tangan di catatan kertas.")]
    elif signed_on > timezone.localdate():
        errors["signed_on"] = [_("Tanggal tanda tangan belum terjadi.")]
    if not attested:
        errors["attested"] = [
            _(
                "Centang pernyataan bahwa kamu sudah melihat catatan kertas "
                "bertanda tangan."
            )
        ]
    if errors:
        raise ValidationError(errors)
    signature = PaperSignature(name=name, position=position, signed_on=signed_on)
    with transaction.atomic():
        entries = list(
            HourEntry.objects.select_for_update(of=("self",))
            .filter(pk__in=[entry.pk for entry in entries])
            .select_related("placement__host", "trainee")
            .order_by("date", "start_time", "pk")
        )
        if not entries:
            raise ValidationError(_("Pilih sedikitnya satu catatan."))
        placements = {entry.placement for entry in entries}
        if not all(may_sign_for(facilitator, placement) for placement in placements):
            raise ValidationError(
                _(
                    "Kamu tidak dapat mencatat tanda tangan untuk sebagian catatan "
                    "yang dipilih: hanya fasilitator peserta, untuk penempatan "
                    "dengan pembimbing tanpa akun."
                )
            )
        waiting = [entry for entry in entries if entry.status == EntryStatus.SUBMITTED]
        if any(entry.date > signed_on for entry in waiting):
            raise ValidationError(
                {
                    "signed_on": [
                        _(
                            "Tanggal tanda tangan lebih awal dari catatan tanggal "
                            "%(date)s: pembimbing menandatangani sesudah kegiatannya."
                        )
                        % {
                            "date": max(entry.date for entry in waiting).strftime(
                                "%d-%m-%Y"
                            )
                        }
                    ]
                }
            )
        return _decide(
            entries=waiting,
            decision=Decision.VERIFY,
            comment=attestation(signature=signature),
            actor=facilitator,
            actor_name=signature.signer,
            on_paper=signature,
        )


# --- Countersign links for supervisors without an account -------------------


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_countersign_link(
    *, trainee: User, placement: Placement, entries, made_by: User | None = None
) -> tuple[CountersignLink, str]:
    """A new link for the placement's outside supervisor: (link, secret token).

    Made by the trainee, or (`made_by`) by a facilitator who acts for the
    supervisor (`may_sign_for`), e.g. right after importing a paper log. The
    token is returned once, to put in the message sent; only its hash is kept.
    """
    if placement.trainee_id != trainee.pk:
        raise ValidationError(_("Penempatan ini bukan milikmu."))
    if (
        made_by is not None
        and made_by.pk != trainee.pk
        and not may_sign_for(made_by, placement)
    ):
        raise ValidationError(
            _("Kamu tidak dapat membuat tautan untuk penempatan ini.")
        )
    if not placement.has_outside_supervisor:
        raise ValidationError(
            _("Pembimbingmu punya akun dan memverifikasi di situs; tautan tidak perlu.")
        )
    entries = list(entries)
    if not entries:
        raise ValidationError(_("Pilih catatan yang menunggu verifikasi."))
    if any(
        entry.placement_id != placement.pk or entry.status != EntryStatus.SUBMITTED
        for entry in entries
    ):
        raise ValidationError(
            _("Tautan hanya untuk catatan penempatan ini yang sudah diajukan.")
        )
    token = secrets.token_urlsafe(24)
    link = CountersignLink.objects.create(
        placement=placement,
        token_hash=_hash(token),
        created_by=made_by or trainee,
        expires_at=timezone.now()
        + datetime.timedelta(days=settings.MAGANG_COUNTERSIGN_DAYS),
    )
    link.entries.set(entries)
    return link, token


@dataclass
class LinkState:
    """What a countersign link can still do, and why not when it cannot."""

    link: CountersignLink | None
    problem: str = ""

    @property
    def usable(self) -> bool:
        return self.link is not None and not self.problem


def link_state(token: str) -> LinkState:
    link = (
        CountersignLink.objects.select_related("placement", "placement__trainee")
        .filter(token_hash=_hash(token or ""))
        .first()
    )
    if link is None:
        return LinkState(None, _("Tautan ini tidak dikenal. Periksa lagi pesannya."))
    if link.revoked_at:
        return LinkState(
            link, _("Tautan ini sudah dibatalkan oleh peserta. Tidak ada yang diubah.")
        )
    if link.used_at:
        return LinkState(
            link,
            _(
                "Tautan ini sudah dipakai pada %(when)s: semua catatannya sudah "
                "diputuskan."
            )
            % {"when": timezone.localtime(link.used_at).strftime("%d-%m-%Y %H:%M")},
        )
    if link.expires_at <= timezone.now():
        return LinkState(
            link,
            _("Tautan ini sudah kedaluwarsa. Minta peserta mengirim tautan baru."),
        )
    if not link.entries.filter(status=EntryStatus.SUBMITTED).exists():
        # The rest were decided here before, or taken back by the trainee.
        return LinkState(
            link, _("Tidak ada lagi catatan yang menunggu keputusan di tautan ini.")
        )
    return LinkState(link)


class EntryChoice:
    """What an outside supervisor may choose for one entry of a link."""

    LATER = "nanti"
    VERIFY = Decision.VERIFY
    RETURN = Decision.RETURN


@dataclass
class CountersignResult:
    """What one countersign POST did: decided now, decided before, left open."""

    verified: list[HourEntry]
    returned: list[HourEntry]
    # Chosen by the signer but no longer waiting when the choice arrived (a
    # second tap, or the trainee took it back): reported, never overwritten.
    already_decided: list[HourEntry]
    later: list[HourEntry]
    link_finished: bool

    @property
    def decided(self) -> list[HourEntry]:
        return [*self.verified, *self.returned]


# A signer's name and position, each (`CountersignLink.signer_name`, …).
NAME_LENGTH = CountersignLink._meta.get_field("signer_name").max_length
# The signer is kept as "name (position)" on each entry and in its history.
SIGNER_LENGTH = min(
    HourEntry._meta.get_field("verified_by_name").max_length,
    HourEntryEvent._meta.get_field("actor_name").max_length,
)


def _signer_errors(name: str, position: str) -> dict[str, list[str]]:
    """A name and a position that are given and fit where they are kept: each
    in the link's columns, "name (position)" in the entry's."""
    name, position = (name or "").strip(), (position or "").strip()
    errors = {}
    if not name:
        errors["name"] = [_("Tulis namamu.")]
    elif len(name) > NAME_LENGTH:
        errors["name"] = [
            _("Nama terlalu panjang: paling banyak %(max)s huruf.")
            % {"max": NAME_LENGTH}
        ]
    if not position:
        errors["position"] = [_("Tulis jabatanmu.")]
    elif len(position) > NAME_LENGTH:
        errors["position"] = [
            _("Jabatan terlalu panjang: paling banyak %(max)s huruf.")
            % {"max": NAME_LENGTH}
        ]
    elif name and len(f"{name} ({position})") > SIGNER_LENGTH:
        errors["position"] = [
            _(
                "Nama dan jabatan bersama terlalu panjang: paling banyak "
                "%(max)s huruf. Singkat jabatannya."
            )
            % {"max": SIGNER_LENGTH - 3}
        ]
    return errors


def _choice_errors(choices: dict, reasons: dict) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for key, choice in choices.items():
        reason = (reasons.get(key) or "").strip()
        if choice not in (EntryChoice.LATER, EntryChoice.VERIFY, EntryChoice.RETURN):
            errors[f"choice:{key}"] = [_("Pilih verifikasi, kembalikan atau nanti.")]
        elif choice == EntryChoice.RETURN and not reason:
            errors[f"reason:{key}"] = [_("Tulis apa yang perlu diperbaiki peserta.")]
        elif reason and (problems := narrative_problems(reason)):
            errors[f"reason:{key}"] = problems
    return errors


def countersign_entries(
    *,
    token: str,
    name: str,
    position: str,
    choices: dict[int, str],
    reasons: dict[int, str] | None = None,
) -> CountersignResult:
    """The outside supervisor's decision on each entry of a link.

    `choices` maps an entry's id to verify, return or later; `reasons` the
    returned ones' ids to what the trainee should fix. Ids that are not the
    link's are ignored. The link stays open for the entries left for later
    and is used up once none of its entries waits any more. Everything is
    decided in one transaction with the link's row locked; an entry decided
    meanwhile is reported in `already_decided` and left as it is.
    """
    reasons = reasons or {}
    errors = _signer_errors(name, position) | _choice_errors(choices, reasons)
    if errors:
        raise ValidationError(errors)
    if all(choice == EntryChoice.LATER for choice in choices.values()):
        raise ValidationError(
            _("Pilih verifikasi atau kembalikan untuk sedikitnya satu catatan.")
        )
    name, position = name.strip(), position.strip()
    signer = f"{name} ({position})"
    with transaction.atomic():
        link = (
            CountersignLink.objects.select_for_update()
            .filter(token_hash=_hash(token or ""))
            .first()
        )
        state = link_state(token)
        if link is None or not state.usable:
            raise ValidationError(state.problem)
        entries = list(
            HourEntry.objects.select_for_update(of=("self",))
            .filter(pk__in=link.entries.values("pk"))
            .select_related("trainee", "placement")
            .order_by("date", "start_time", "pk")
        )
        now = timezone.now()
        result = CountersignResult([], [], [], [], link_finished=False)
        for entry in entries:
            choice = choices.get(entry.pk, EntryChoice.LATER)
            if choice == EntryChoice.LATER:
                if entry.status == EntryStatus.SUBMITTED:
                    result.later.append(entry)
                continue
            reason = (reasons.get(entry.pk) or "").strip()
            verify = choice == EntryChoice.VERIFY
            values = {"supervisor_comment": reason}
            if verify:
                values |= {"verified_by_name": signer, "verified_at": now}
            done = workflow.decide(
                ENTRIES,
                records=[entry],
                done=verify,
                values=values,
                comment=reason,
                actor_name=signer,
            )
            if not done:
                result.already_decided.append(entry)
            else:
                (result.verified if verify else result.returned).append(entry)
        result.link_finished = not any(
            entry.status == EntryStatus.SUBMITTED for entry in entries
        )
        CountersignLink.objects.filter(pk=link.pk).update(
            signer_name=name,
            signer_position=position,
            used_at=now if result.link_finished else None,
        )
        if result.verified:
            _tell_trainees(result.verified, Decision.VERIFY, signer)
            _audit(result.verified, AuditAction.HOURS_VERIFIED, actor=None, via="link")
        if result.returned:
            _tell_trainees(result.returned, Decision.RETURN, signer)
            _audit(result.returned, AuditAction.HOURS_RETURNED, actor=None, via="link")
    return result


def countersign(
    *, token: str, name: str, position: str, decision: str, comment: str = ""
) -> list[HourEntry]:
    """The outside supervisor's one decision on every entry of the link."""
    if decision not in (Decision.VERIFY, Decision.RETURN):
        raise ValidationError({"decision": [_("Pilih verifikasi atau kembalikan.")]})
    state = link_state(token)
    if not state.usable:
        raise ValidationError(state.problem)
    ids = list(state.link.entries.values_list("pk", flat=True))
    try:
        result = countersign_entries(
            token=token,
            name=name,
            position=position,
            choices=dict.fromkeys(ids, decision),
            reasons=dict.fromkeys(ids, comment or ""),
        )
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        # One comment for every entry: its errors are the comment's.
        merged: dict[str, list[str]] = {}
        for key, messages in error.message_dict.items():
            field = "comment" if key.startswith("reason:") else key
            merged.setdefault(field, [])
            merged[field] += [m for m in messages if m not in merged[field]]
        raise ValidationError(merged) from error
    return result.decided


def revoke_link(*, link: CountersignLink, trainee: User) -> None:
    if link.created_by_id != trainee.pk:
        raise ValidationError(_("Tautan ini bukan milikmu."))
    CountersignLink.objects.filter(
        pk=link.pk, used_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
