"""Creating many accounts at once from a CSV or XLSX sheet.

Every row is checked before anything is written: one bad row means nothing
is imported, and every problem of every row is reported with its row number,
so a facilitator fixes the sheet and sends it again without half an import
to clean up.

Each upload is a `PeopleImport` row. A sheet of up to `BACKGROUND_AFTER` rows
is imported while the person waits; a bigger one by a Celery worker, and the
import page shows how far it got. Either way the rows are written in chunks
of `CHUNK_ROWS`, each in its own short transaction (a few hundred
milliseconds), so the site keeps answering, sign-ins included, while a big
sheet goes in.

Accounts are made without a usable password unless the sheet gives one:
hashing a password takes about a third of a second, which for thousands of
rows is what made imports slow. The importer hands each account over with a
temporary password from the import's page (`issue_first_password`), or many
at once on printed slips (`issue_first_passwords`, `learning.password_slips`).

The sheet's columns, reading it and checking its rows: `learning.people_sheet`.
"""

import logging
import time
from collections.abc import Callable
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit
from .accounts import generate_one_time_password, grantable_roles
from .choices import AuditAction, ImportStatus, Role
from .models import Cohort, Enrolment, PeopleImport, User
from .outbox import enqueue
from .people_sheet import Account, RowChecker, SheetRow, read_people_sheet
from .scope import cohorts_managed_by
from .spreadsheets import RowProblems

logger = logging.getLogger(__name__)

# More rows than this are imported by a worker, not while the person waits.
BACKGROUND_AFTER = 200
# Passwords typed in the sheet are hashed while the person waits: a few only.
MAX_PASSWORDS = 20
# Temporary passwords issued at once for printed slips: a training room or
# two. Each is hashed while the person waits.
MAX_SLIPS = 40
CHUNK_ROWS = 200
# SQLite has one write lock and wakes waiting writers by polling, not in
# turn: without a breath between chunks, a sign-in waiting to save its session
# would wait for the whole import.
SQLITE_PAUSE_SECONDS = 0.1
# The worker's limits (learning.tasks); a run older than this was lost.
TIME_LIMIT = 20 * 60
SOFT_TIME_LIMIT = 18 * 60
STUCK_AFTER = timedelta(seconds=TIME_LIMIT + 60)
# Finished imports (their problems quote the sheet) are kept this long.
KEPT_FOR = timedelta(days=30)


# --- starting an import ---------------------------------------------------------


class CohortNeeded(PermissionDenied):
    """Imported without a cohort, these people would be outside the importer's view."""


def _sees_people_without_a_cohort(actor: User) -> bool:
    # A facilitator sees their organisation's people; a coordinator sees
    # people only through their programmes' cohorts (learning/scope.py).
    return actor.is_superuser or (
        Role.FASILITATOR in actor.roles and bool(actor.organisation_id)
    )


def start_import(*, upload, actor: User, cohort: Cohort | None = None) -> PeopleImport:
    """Record an upload and import it: now if small, by a worker if big.

    Raises `UnreadableFile` for a file that cannot be read at all and
    `PermissionDenied` for someone who may not add accounts (or enrol into
    that cohort). Problems with rows end up on the returned import.
    """
    job = record_import(
        upload=upload,
        actor=actor,
        cohort=cohort,
        queue_if=lambda job: job.row_count > BACKGROUND_AFTER,
    )
    if job.row_count > BACKGROUND_AFTER:
        return job
    return run_import(job_id=job.pk)


def record_import(
    *,
    upload,
    actor: User,
    cohort: Cohort | None = None,
    queue_if: Callable[[PeopleImport], bool] = lambda job: False,
) -> PeopleImport:
    """The upload read and saved as an import waiting to run (see `start_import`).

    When `queue_if(job)`, its task is queued in the same transaction as its
    row, so the two cannot part.
    """
    if not actor.has_perm("learning.add_user"):
        raise PermissionDenied(_("Kamu tidak berhak membuat akun."))
    if (
        cohort is not None
        and not cohorts_managed_by(actor).filter(pk=cohort.pk).exists()
    ):
        raise PermissionDenied(_("Angkatan ini berada di luar wewenang kamu."))
    if cohort is None and not _sees_people_without_a_cohort(actor):
        raise CohortNeeded(
            _(
                "Pilih angkatan. Koordinator melihat orang lewat angkatan program "
                "yang dikoordinasikannya: tanpa angkatan, orang yang diimpor tidak "
                "akan tampil di daftar Orang kamu."
            )
        )
    rows = read_people_sheet(upload)
    PeopleImport.objects.filter(
        requested_at__lt=timezone.now() - KEPT_FOR,
        status__in=[ImportStatus.DONE, ImportStatus.REFUSED, ImportStatus.FAILED],
    ).delete()
    problems = RowProblems()
    rows = _hash_passwords(rows, problems)
    with transaction.atomic():
        job = PeopleImport.objects.create(
            requested_by=actor,
            cohort=cohort,
            file_name=(getattr(upload, "name", "") or "")[:255],
            rows=[[number, row] for number, row in rows],
            row_count=len(rows),
            problems=problems.as_data(),
        )
        if queue_if(job):
            _queue(job)
    return job


def _queue(job: PeopleImport) -> None:
    from .tasks import run_people_import

    # Written with the row it serves; it leaves once that has committed.
    enqueue(run_people_import, job.pk)


def requeue_if_stuck(*, job: PeopleImport) -> PeopleImport:
    """Queue again an import whose worker was lost; safe on every page view."""
    stale = timezone.now() - STUCK_AFTER
    if job.status == ImportStatus.RUNNING and job.started_at and job.started_at < stale:
        if PeopleImport.objects.filter(
            pk=job.pk, status=ImportStatus.RUNNING, started_at=job.started_at
        ).update(status=ImportStatus.WAITING):
            _queue(job)
        job.refresh_from_db()
    return job


def _hash_passwords(rows: list[SheetRow], problems: RowProblems) -> list[SheetRow]:
    """Check and hash the passwords the sheet gives, so only hashes are stored."""
    with_password = [row for _number, row in rows if row.get("kata_sandi")]
    if len(with_password) > MAX_PASSWORDS:
        problems.add(
            0,
            _(
                "Kata sandi diisi di %(count)s baris; paling banyak %(max)s. "
                "Kosongkan kolom kata_sandi: setelah impor, setiap orang diberi "
                "kata sandi sementara."
            )
            % {"count": len(with_password), "max": MAX_PASSWORDS},
            column="kata_sandi",
        )
        return [(number, {**row, "kata_sandi": ""}) for number, row in rows]
    hashed = []
    for number, row in rows:
        password = row.pop("kata_sandi", "")
        if password:
            person = User(
                username=row.get("username", ""),
                first_name=row.get("nama", ""),
                last_name=row.get("nama_belakang", ""),
                email=row.get("email", ""),
            )
            try:
                validate_password(password, person)
            except ValidationError as error:
                problems.add(number, " ".join(error.messages), column="kata_sandi")
            else:
                row["kata_sandi_hash"] = make_password(password)
        hashed.append((number, row))
    return hashed


# --- running an import ----------------------------------------------------------


def run_import(*, job_id: int) -> PeopleImport:
    """Check every row, then write the accounts in short chunks; all or none.

    Safe to run twice: a finished import is left alone, one being run by
    another worker too, and a run that was lost midway goes on from where it
    stopped (accounts it already made are recognised, not made again). If
    writing fails, the accounts made so far are deleted again.
    """
    claimed = (
        PeopleImport.objects.filter(pk=job_id)
        .filter(status=ImportStatus.WAITING)
        .update(status=ImportStatus.RUNNING, started_at=timezone.now(), error="")
    )
    job = PeopleImport.objects.select_related("requested_by", "cohort").get(pk=job_id)
    if not claimed:
        return job
    try:
        problems = RowProblems.from_data(job.problems)
        accounts = _check(job, problems)
        if problems or not job.rows:
            if not job.rows:
                problems.add(0, _("Tidak ada baris berisi data."))
            _finish(job, ImportStatus.REFUSED, problems=problems.as_data())
        else:
            _write(job, accounts)
            with transaction.atomic():
                _finish(job, ImportStatus.DONE)
                _record_import(job, created=len(accounts))
    except IntegrityError:
        # Someone took a username between the check and the write.
        _undo(job)
        _finish(
            job,
            ImportStatus.FAILED,
            error=_(
                "Sebuah nama pengguna baru saja dipakai orang lain saat impor "
                "berjalan. Tidak ada akun yang dibuat; unggah berkasnya lagi."
            ),
        )
    except Exception:
        logger.exception("People import %s failed", job_id)
        _undo(job)
        _finish(
            job,
            ImportStatus.FAILED,
            error=_(
                "Impor terhenti karena galat di server. Tidak ada akun yang dibuat; "
                "unggah berkasnya lagi, dan bila terulang, hubungi pengelola situs."
            ),
        )
        raise
    job.refresh_from_db()
    return job


def _record_import(job: PeopleImport, *, created: int) -> None:
    """The audit trail's line for a finished import: who, how many, where."""
    programme = job.cohort.programme if job.cohort_id else None
    audit.record(
        AuditAction.PEOPLE_IMPORTED,
        actor=job.requested_by,
        target=job,
        target_label=f"Impor orang ({created} akun)",
        programme=programme,
        detail={
            "created": created,
            "rows": job.row_count,
            "cohort": job.cohort_id,
        },
    )


def _finish(job: PeopleImport, status: str, **fields) -> None:
    PeopleImport.objects.filter(pk=job.pk).update(
        status=status, rows=[], finished_at=timezone.now(), **fields
    )


def _check(job: PeopleImport, problems: RowProblems) -> list[Account]:
    actor = job.requested_by
    if actor is None or not actor.has_perm("learning.add_user"):
        problems.add(
            0, _("Akun yang mengunggah berkas ini tidak lagi boleh membuat akun.")
        )
        return []
    checker = RowChecker(
        rows=job.rows,
        grantable=grantable_roles(actor),
        already_made=set(job.created_accounts),
    )
    accounts = []
    for index, (number, row) in enumerate(job.rows, start=1):
        account = checker.check(number, row, problems)
        if account is not None:
            accounts.append(account)
        if index % CHUNK_ROWS == 0:
            PeopleImport.objects.filter(pk=job.pk).update(checked_count=index)
    PeopleImport.objects.filter(pk=job.pk).update(checked_count=len(job.rows))
    return accounts


def _write(job: PeopleImport, accounts: list[Account]) -> None:
    created = list(job.created_accounts)
    memberships = User.groups.through
    for start in range(0, len(accounts), CHUNK_ROWS):
        if start and connection.vendor == "sqlite":
            time.sleep(SQLITE_PAUSE_SECONDS)
        chunk = accounts[start : start + CHUNK_ROWS]
        with transaction.atomic():
            users = User.objects.bulk_create([account.user for account in chunk])
            memberships.objects.bulk_create(
                memberships(user_id=user.pk, group_id=account.group.pk)
                for user, account in zip(users, chunk, strict=True)
            )
            if job.cohort_id:
                Enrolment.objects.bulk_create(
                    (
                        Enrolment(cohort_id=job.cohort_id, trainee=user)
                        for user in users
                    ),
                    ignore_conflicts=True,
                )
            created += [user.pk for user in users]
            # In the same transaction as the accounts: a lost run knows exactly
            # which accounts it made.
            PeopleImport.objects.filter(pk=job.pk).update(
                created_accounts=created, created_count=len(created)
            )


def _undo(job: PeopleImport) -> None:
    job.refresh_from_db(fields=["created_accounts"])
    made = list(job.created_accounts)
    for start in range(0, len(made), CHUNK_ROWS):
        with transaction.atomic():
            User.objects.filter(pk__in=made[start : start + CHUNK_ROWS]).delete()
    PeopleImport.objects.filter(pk=job.pk).update(created_accounts=[], created_count=0)


# --- handing the accounts over ------------------------------------------------------


def issue_first_password(
    *, job: PeopleImport, account_id: int, by: User
) -> tuple[User, str]:
    """A temporary password for an account this import made, not yet used.

    The person who imported the sheet hands each account over with it (read
    out or written down); it must be replaced at the first sign-in. Once the
    account has been used, only the one-time password screen (which follows
    the scope rule) can give it another. The rule of `issue_first_passwords`,
    for one account.
    """
    [(account, password)] = issue_first_passwords(
        job=job, account_ids=[account_id], by=by
    )
    return account, password


def issue_first_passwords(
    *, job: PeopleImport, account_ids: list[int], by: User
) -> list[tuple[User, str]]:
    """Temporary passwords for many accounts this import made, for printed slips.

    The same rule as `issue_first_password`, for up to `MAX_SLIPS` accounts
    at once: only the importer, only accounts this import made that have
    never signed in and hold no more than the roles `by` may give; all of
    them or none (`PermissionDenied` says which one stands in the way). The
    passwords are returned once and stored only as hashes; a password issued
    earlier to the same account stops working.
    Submitted twice, the second answer's passwords are the ones that work.
    """
    if job.requested_by_id != by.pk or not by.has_perm("learning.add_user"):
        raise PermissionDenied(
            _("Hanya pengimpor berkas ini yang dapat menyerahkan akunnya.")
        )
    wanted = list(dict.fromkeys(account_ids))
    if not wanted:
        raise PermissionDenied(_("Pilih minimal satu akun untuk dicetak slipnya."))
    if len(wanted) > MAX_SLIPS:
        raise PermissionDenied(
            _("Paling banyak %(max)s slip sekali cetak; kamu memilih %(count)s.")
            % {"max": MAX_SLIPS, "count": len(wanted)}
        )
    made = set(job.created_accounts)
    if any(pk not in made for pk in wanted):
        raise PermissionDenied(_("Akun ini tidak dibuat oleh impor ini."))
    # Hashing is slow on purpose (a third of a second each): done before the
    # transaction, so the rows stay locked only for the check and the write.
    passwords = {pk: generate_one_time_password() for pk in wanted}
    hashes = {pk: make_password(password) for pk, password in passwords.items()}
    grantable = set(grantable_roles(by))
    with transaction.atomic():
        accounts = User.objects.select_for_update().in_bulk(wanted)
        prefetch_related_objects(list(accounts.values()), "groups")
        for pk in wanted:
            account = accounts.get(pk)
            if account is None:
                raise PermissionDenied(_("Akun ini sudah tidak ada."))
            # Raised above what the importer may give since the import (made
            # a superuser or a coordinator): her password would hand it over.
            if account.is_superuser or not set(account.roles) <= grantable:
                raise PermissionDenied(
                    _(
                        "%(name)s sekarang memegang peran yang tidak dapat kamu "
                        "berikan, jadi akunnya tidak dapat kamu serahkan."
                    )
                    % {"name": account.display_name}
                )
            if account.last_login is not None:
                raise PermissionDenied(
                    _(
                        "%(name)s sudah pernah masuk. Beri kata sandi sementara dari "
                        "halaman Kata sandi sementara."
                    )
                    % {"name": account.display_name}
                )
        for pk in wanted:
            accounts[pk].password = hashes[pk]
            accounts[pk].must_change_password = True
        User.objects.bulk_update(
            accounts.values(), ["password", "must_change_password"]
        )
        programme = job.cohort.programme if job.cohort_id else None
        audit.record_many(
            AuditAction.TEMPORARY_PASSWORD,
            actor=by,
            lines=[
                {
                    "target": accounts[pk],
                    "target_label": accounts[pk].username,
                    "subject": accounts[pk],
                    "programme": programme,
                    "detail": {"import": job.pk},
                }
                for pk in wanted
            ],
        )
    return [(accounts[pk], passwords[pk]) for pk in wanted]


# --- what the page shows ----------------------------------------------------------


def created_accounts(job: PeopleImport, *, limit: int = 500) -> list[User]:
    """The accounts an import made, in the sheet's order (the first `limit`)."""
    ids = job.created_accounts[:limit]
    by_id = User.objects.in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]
