"""Countersign links: the trainee makes and revokes them; an outside supervisor
with no account opens one and countersigns the entries it names.

Every query a trainee's page makes is limited to their own rows, so another
person's link simply does not exist for them (404).
"""

from functools import wraps
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learning.bounds import parse_id, parse_uuids
from learning.throttle import address_and_key_allowed, too_many_page

from .. import verification
from ..choices import EntryStatus
from ..forms.countersign import VERIFY_THE_REST, CountersignDecisionsForm
from ..models import CountersignLink, HourEntry
from .hours import duration_label, own_placements

# The session key that carries a new link's token from the POST that made it
# to the one page that shows it; it is removed when shown.
NEW_LINK_SESSION_KEY = "magang_new_link"


# --- Countersign links (the trainee's side) -------------------------------------


def _link_state_label(link: CountersignLink, now) -> tuple[str, bool]:
    """What the trainee sees about an earlier link, and whether it can be revoked."""
    if link.revoked_at:
        return _("dibatalkan"), False
    if link.used_at:
        return (
            _("dipakai oleh %(name)s pada %(date)s")
            % {
                "name": link.signer_name,
                "date": timezone.localtime(link.used_at).strftime("%d-%m-%Y"),
            },
            False,
        )
    if link.expires_at <= now:
        return _("kedaluwarsa"), False
    if link.signer_name:
        return (
            _("sebagian sudah diputuskan oleh %(name)s") % {"name": link.signer_name},
            True,
        )
    return _("menunggu"), True


def _share(request: HttpRequest, link: CountersignLink, token: str) -> dict:
    url = request.build_absolute_uri(reverse("mentorship:countersign", args=[token]))
    placement = link.placement
    until = timezone.localtime(link.expires_at).strftime("%d-%m-%Y")
    subject = _("Mohon verifikasi jam magang %(name)s") % {
        "name": request.user.display_name
    }
    body = _(
        "Salam %(supervisor)s, mohon periksa dan verifikasi jam magang saya, "
        "%(name)s, di %(host)s lewat tautan ini: %(url)s . Tautan berlaku "
        "sampai %(until)s. Terima kasih."
    ) % {
        "supervisor": placement.outside_supervisor_name,
        "name": request.user.display_name,
        "host": placement.host.name,
        "url": url,
        "until": until,
    }
    return {
        "url": url,
        "until": until,
        "count": link.entries.count(),
        "mailto": f"mailto:?subject={quote(subject)}&body={quote(body)}",
        "whatsapp": f"https://wa.me/?text={quote(body)}",
        "sms": f"sms:?&body={quote(body)}",
        "placement": placement,
    }


@login_required
def links(request: HttpRequest) -> HttpResponse:
    """Make a link for an outside supervisor to countersign; see and revoke old ones."""
    user = request.user
    placements = own_placements(user).filter(supervisor__isnull=True)
    if request.method == "POST":
        placement_id = parse_id(request.POST.get("penempatan"))
        if placement_id is None:
            raise Http404
        placement = get_object_or_404(placements, pk=placement_id)
        entries = HourEntry.objects.filter(
            trainee=user,
            placement=placement,
            uuid__in=parse_uuids(request.POST.getlist("entri")),
        )
        try:
            link, token = verification.create_countersign_link(
                trainee=user, placement=placement, entries=entries
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            request.session[NEW_LINK_SESSION_KEY] = {"id": link.pk, "token": token}
        return redirect("mentorship:links")

    new_link = None
    fresh = request.session.pop(NEW_LINK_SESSION_KEY, None)
    if fresh:
        link = (
            CountersignLink.objects.filter(pk=fresh["id"], created_by=user)
            .select_related("placement__host")
            .first()
        )
        if link is not None:
            new_link = _share(request, link, fresh["token"])

    placements = list(placements.order_by("-start_date", "pk"))
    now = timezone.now()
    open_links, closed_links = [], []
    in_open_link: dict[int, CountersignLink] = {}
    for link in (
        CountersignLink.objects.filter(created_by=user)
        .select_related("placement__host")
        .prefetch_related(
            Prefetch(
                "entries",
                queryset=HourEntry.objects.order_by("date", "start_time", "pk"),
            )
        )
        .order_by("-created_at", "-pk")
    ):
        state, revocable = _link_state_label(link, now)
        link_entries = list(link.entries.all())
        for entry in link_entries:
            entry.duration_label = duration_label(entry.minutes)
        if revocable and not any(
            entry.status == EntryStatus.SUBMITTED for entry in link_entries
        ):
            state, revocable = _("tidak ada lagi catatan yang menunggu"), False
        item = {
            "link": link,
            "state": state,
            "revocable": revocable,
            "entries": link_entries,
        }
        if revocable:
            open_links.append(item)
            for entry in link_entries:
                in_open_link.setdefault(entry.pk, link)
        else:
            closed_links.append(item)

    waiting: dict[int, list[HourEntry]] = {placement.pk: [] for placement in placements}
    for entry in HourEntry.objects.filter(
        trainee=user, placement__in=placements, status=EntryStatus.SUBMITTED
    ).order_by("date", "start_time", "pk"):
        entry.duration_label = duration_label(entry.minutes)
        entry.open_link = in_open_link.get(entry.pk)
        waiting[entry.placement_id].append(entry)

    return render(
        request,
        "mentorship/links.html",
        {
            "placements": [
                {"placement": placement, "entries": waiting[placement.pk]}
                for placement in placements
            ],
            "new_link": new_link,
            "open_links": open_links,
            "earlier": closed_links,
        },
    )


@login_required
@require_POST
def link_revoke(request: HttpRequest, link_id: int) -> HttpResponse:
    link = get_object_or_404(CountersignLink, pk=link_id, created_by=request.user)
    if link.used_at or link.revoked_at:
        messages.info(
            request, _("Tautan ini sudah tidak berlaku; tidak ada yang diubah.")
        )
    else:
        verification.revoke_link(link=link, trainee=request.user)
        messages.success(
            request,
            _("Tautan dibatalkan. Siapa pun yang membukanya tidak bisa memakainya."),
        )
    return redirect("mentorship:links")


# --- The outside supervisor's page (no account) --------------------------------


def _private_page(view):
    """Keep the link's page out of caches, search engines and Referer headers."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "no-referrer"
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Cache-Control"] = "no-store"
        return response

    return wrapper


def _unusable(request: HttpRequest, state: verification.LinkState) -> HttpResponse:
    return render(
        request,
        "mentorship/countersign_unusable.html",
        {"problem": state.problem},
        status=404 if state.link is None else 410,
    )


def _entries_of(link: CountersignLink) -> list[HourEntry]:
    entries = list(
        link.entries.select_related("placement__host").order_by(
            "date", "start_time", "pk"
        )
    )
    for entry in entries:
        entry.duration_label = duration_label(entry.minutes)
    return entries


def _apply_rule_errors(form: CountersignDecisionsForm, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for key, errors in error.message_dict.items():
        form.add_error(form.field_for_error(key), errors)


@_private_page
def countersign(request: HttpRequest, token: str) -> HttpResponse:
    """The entries of one link, and the supervisor's decision on each of them.

    A GET only shows (link previews and virus scanners open links too); the
    decisions are the POST of the form, with the signer's name and position.
    Entries left for later keep the link open; entries already decided are
    listed apart, with their decision.

    Opening links is counted per address and per link before any query
    (`learning.throttle`), so guessing tokens stays slow.
    """
    seconds = settings.PENDAMPING_COUNTERSIGN_LIMIT_SECONDS
    if not address_and_key_allowed(
        request,
        bucket="tanda-tangan",
        key=token,
        per_address=settings.PENDAMPING_COUNTERSIGN_LIMIT_PER_ADDRESS,
        per_key=settings.PENDAMPING_COUNTERSIGN_LIMIT_PER_TOKEN,
        per_seconds=seconds,
    ):
        return too_many_page(request, seconds=seconds)
    state = verification.link_state(token)
    if not state.usable:
        return _unusable(request, state)
    link = state.link
    entries = _entries_of(link)
    decided = [entry for entry in entries if entry.status != EntryStatus.SUBMITTED]
    if request.method == "POST":
        form = CountersignDecisionsForm(request.POST, entries=entries)
        if form.is_valid():
            try:
                result = verification.countersign_entries(
                    token=token,
                    name=form.cleaned_data["nama"],
                    position=form.cleaned_data["jabatan"],
                    choices=form.choices(
                        verify_the_rest=VERIFY_THE_REST in request.POST
                    ),
                    reasons=form.reasons(),
                )
            except ValidationError as error:
                again = verification.link_state(token)
                if not again.usable:
                    return _unusable(request, again)
                _apply_rule_errors(form, error)
            else:
                return render(
                    request,
                    "mentorship/countersign_done.html",
                    {
                        "name": form.cleaned_data["nama"].strip(),
                        "trainee": link.placement.trainee,
                        "result": result,
                        "until": timezone.localtime(link.expires_at),
                        "token": token,
                    },
                )
    else:
        form = CountersignDecisionsForm(entries=entries)
    return render(
        request,
        "mentorship/countersign.html",
        {
            "link": link,
            "placement": link.placement,
            "trainee": link.placement.trainee,
            "form": form,
            "decided": decided,
            "until": timezone.localtime(link.expires_at),
            "verify_the_rest": VERIFY_THE_REST,
        },
    )
