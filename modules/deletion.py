"""A page that people studied keeps their records: it is unpublished, not deleted.

Lesson progress, module completions and reflection answers point at their
page with `on_delete=PROTECT`, so the database refuses to delete a module or
lesson, or any page above one, that holds them. This module counts those
records before Wagtail deletes, so an editor is told in words how many there
are and what to do instead, rather than meeting a server error.
"""

from collections import Counter
from collections.abc import Sequence
from functools import cache, reduce
from operator import or_

from django.apps import apps
from django.db import models
from django.db.models import Count, Q
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wagtail.models import Page

KEEPING = (models.PROTECT, models.RESTRICT)


@cache
def _keeping_fields() -> tuple[models.Field, ...]:
    """Every foreign key to a page type that forbids deleting its page.

    Read from the models rather than listed here, so a record a higher app
    protects the same way (a certificate, say) is counted without this lower
    app naming it.
    """
    return tuple(
        field
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if (field.many_to_one or field.one_to_one)
        and issubclass(field.related_model, Page)
        and field.remote_field.on_delete in KEEPING
    )


def learning_records_under(*, pages: Sequence[Page]) -> dict[Page, Counter]:
    """For each page holding some, the records of each kind on it or below it.

    Pages whose subtree holds none are left out. One query per kind of
    record, however many pages or records there are.
    """
    held = {page: Counter() for page in pages}
    if not held:
        return {}
    for field in _keeping_fields():
        path = f"{field.name}__path"
        under = reduce(or_, (Q(**{f"{path}__startswith": page.path}) for page in held))
        kind = str(capfirst(field.model._meta.verbose_name_plural))
        rows = (
            field.model._base_manager.filter(under)
            .values(path)
            .annotate(records=Count("pk"))
            .order_by()
        )
        for row in rows:
            for page, kinds in held.items():
                if row[path].startswith(page.path):
                    kinds[kind] += row["records"]
    return {page: kinds for page, kinds in held.items() if kinds}


def _kinds(kinds: Counter) -> str:
    return ", ".join(f"{kind}: {count}" for kind, count in sorted(kinds.items()))


def page_deletion_refusal(*, pages: Sequence[Page]) -> str | None:
    """Why these pages may not be deleted, or None when nothing keeps them."""
    held = learning_records_under(pages=pages)
    if not held:
        return None
    advice = _(
        "Batalkan terbitnya saja: halaman tidak tampil lagi bagi peserta, "
        "sedangkan halaman dan catatan belajar mereka tetap tersimpan."
    )
    if len(pages) == 1:
        page, kinds = next(iter(held.items()))
        total = sum(kinds.values())
        reason = ngettext(
            "“%(title)s” tidak dapat dihapus: halaman ini dan halaman di bawahnya "
            "memuat %(count)d catatan belajar peserta (%(kinds)s).",
            "“%(title)s” tidak dapat dihapus: halaman ini dan halaman di bawahnya "
            "memuat %(count)d catatan belajar peserta (%(kinds)s).",
            total,
        ) % {
            "title": page.get_admin_display_title(),
            "count": total,
            "kinds": _kinds(kinds),
        }
        return f"{reason} {advice}"
    listed = "; ".join(
        ngettext(
            "“%(title)s”: %(count)d catatan",
            "“%(title)s”: %(count)d catatan",
            sum(kinds.values()),
        )
        % {"title": page.get_admin_display_title(), "count": sum(kinds.values())}
        for page, kinds in held.items()
    )
    reason = _(
        "Tidak ada halaman yang dihapus: halaman berikut (atau halaman di "
        "bawahnya) memuat catatan belajar peserta: %(pages)s."
    ) % {"pages": listed}
    return f"{reason} {advice}"
