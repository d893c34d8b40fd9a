"""Stamps: a table of rows, one added in the transaction of each change of
some kind, whose newest rows name the data as it stands.

A reader takes one token from the newest rows and keeps what it computed under
that token; a change adds a row, so the next reader takes another token and
computes afresh. Rows are only ever added, so writers never wait on one row;
tokens are random, so a change rolled back leaves nothing a later change could
reuse. Used for lessons (`modules.content_cache`) and for the programme's
figures (`mentorship.programme_figures.kept`).
"""

import hashlib
import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

# Rows are kept this far behind the newest; older ones say nothing any more.
KEEP_STAMPS = 1000
# How many of the newest rows make the token. PostgreSQL numbers a row when it
# is inserted, not when its transaction commits: a change begun first can
# commit after a newer one, below the newest row. Fewer transactions than this
# are ever open at once (a connection each: the web workers and the Celery
# worker), so such a row always lands inside the window.
TOKEN_ROWS = 64


class Stamp(models.Model):
    """A row of a stamps table (`modules.ContentStamp`,
    `mentorship.FiguresStamp`)."""

    token = models.BigIntegerField(_("token"))
    made_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.pk}: {self.token}"


def newest_token(model, *, using: str = "default") -> int | None:
    """One number for the newest rows' tokens (None: no row yet); any row
    added among them, whatever its place, gives another."""
    rows = model.objects.using(using).order_by("-pk").values_list("token", flat=True)
    tokens = list(rows[:TOKEN_ROWS])
    if not tokens:
        return None
    digest = hashlib.blake2b(",".join(map(str, tokens)).encode(), digest_size=8)
    return int.from_bytes(digest.digest(), "big") >> 2


def add_stamp(model, *, using: str = "default") -> None:
    """Add a row in the caller's transaction; now and then drop old ones."""
    stamp = model.objects.using(using).create(token=secrets.randbits(62))
    if stamp.pk % KEEP_STAMPS == 0:
        model.objects.using(using).filter(pk__lt=stamp.pk - KEEP_STAMPS).delete()
