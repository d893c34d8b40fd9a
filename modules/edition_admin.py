"""Notices of a newer sample edition, on the admin home of whoever can act.

A sample module, quiz or bank someone edited is not overwritten by a newer
edition (`modules.editions`); its notice lists what that edition corrected,
for those who may change that piece, until one of them marks it handled.
The rule for seeing a notice and for handling it is the same: `can_handle`.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wagtail.admin import messages
from wagtail.admin.ui.components import Component

from .models import ModulePage, ResourcePage, SampleContent, SampleKind

PAGE_KINDS = {SampleKind.MODULE: ModulePage, SampleKind.PAGE: ResourcePage}
SNIPPET_PERMISSIONS = {
    SampleKind.QUIZ: "assessments.change_quiz",
    SampleKind.BANK: "assessments.change_question",
}


def _page(record: SampleContent):
    return PAGE_KINDS[record.kind].objects.filter(slug=record.key).first()


def can_handle(user, record: SampleContent) -> bool:
    """Whether this person may change the piece a notice is about."""
    if not user.is_active:
        return False
    if record.kind in PAGE_KINDS:
        page = _page(record)
        return page is not None and page.permissions_for_user(user).can_edit()
    return user.has_perm(SNIPPET_PERMISSIONS[record.kind])


def _where(record: SampleContent) -> str:
    """Where in the admin the piece is changed."""
    from assessments.curriculum_files import BANK_CATEGORY
    from assessments.models import Category, Question, Quiz

    if record.kind in PAGE_KINDS:
        page = _page(record)
        return reverse("wagtailadmin_pages:edit", args=[page.pk])
    if record.kind == SampleKind.QUIZ:
        quiz = Quiz.objects.filter(slug=record.key).first()
        viewset = Quiz.snippet_viewset
        if quiz is not None:
            return reverse(viewset.get_url_name("edit"), args=[quiz.pk])
        return reverse(viewset.get_url_name("list"))
    listing = reverse(Question.snippet_viewset.get_url_name("list"))
    category = Category.objects.filter(
        name=record.title, parent__name=BANK_CATEGORY, parent__parent=None
    ).first()
    return f"{listing}?category={category.pk}" if category else listing


def notices_for(user) -> list[tuple[SampleContent, str]]:
    records = SampleContent.objects.filter(newer_edition__isnull=False).order_by(
        "kind", "title"
    )
    return [(record, _where(record)) for record in records if can_handle(user, record)]


class SampleEditionsPanel(Component):
    name = "sample_editions"
    template_name = "modules/admin/panels/sample_editions.html"
    order = 90

    def __init__(self, notices):
        self.notices = notices

    def get_context_data(self, parent_context=None):
        # The "handled" form posts: it needs the page's CSRF token.
        csrf_token = (parent_context or {}).get("csrf_token")
        return {"notices": self.notices, "csrf_token": csrf_token}


def add_sample_editions_panel(request, panels) -> None:
    notices = notices_for(request.user)
    if notices:
        panels.append(SampleEditionsPanel(notices))


@require_POST
def handle_notice(request, pk: int):
    """The editor has seen what the new edition corrected and will apply it
    by hand: the notice goes, and the piece counts as that edition (edits made
    before still keep the next edition from overwriting it)."""
    record = get_object_or_404(SampleContent, pk=pk, newer_edition__isnull=False)
    if not can_handle(request.user, record):
        raise PermissionDenied
    # One conditional write: of twenty clicks at once, one handles it.
    handled = SampleContent.objects.filter(
        pk=pk, newer_edition=record.newer_edition
    ).update(
        edition=F("newer_edition"),
        newer_edition=None,
        newer_changes=[],
        noticed_at=None,
    )
    if not handled:
        raise Http404
    messages.success(
        request,
        _("Catatan edisi baru untuk “%(title)s” ditandai sudah ditangani.")
        % {"title": record.title},
    )
    return redirect("wagtailadmin_home")


def admin_urls():
    return [
        path(
            "materi-contoh/<id:pk>/selesai/",
            handle_notice,
            name="modules_sample_notice_handled",
        )
    ]
