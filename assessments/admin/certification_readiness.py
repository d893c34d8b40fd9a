"""Who is ready for a certificate: the cohorts in scope, one cohort's table,
one trainee's checklist, and issuing from them.

Everyone on staff who sees a cohort (`cohorts_visible_to`) sees its table,
with the trainees they may see; the coordinators who certify its programme
(`may_certify`) also get the buttons that issue. Issuing is
`issue_certificate` / `issue_certificates`: the rule is checked again there,
in the transaction, whatever the table said when it was drawn.

Queries: a cohort's table judges all its trainees at once (`checklists`), so
it costs the same for 3 trainees as for 30. The cohort index judges the
trainees of the cohorts on its page once per programme on that page: the
count grows with the programmes listed (a handful), not with cohorts or
trainees.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse, reverse_lazy
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, NumberColumn, TitleColumn
from wagtail.admin.views.generic import BaseListingView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from learning.bounds import parse_id
from learning.models import Cohort, Enrolment, Programme, User
from learning.scope import (
    cohorts_managed_by,
    cohorts_visible_to,
    people_visible_to,
    programmes_visible_to,
)

from ..certification import (
    CertificationError,
    Checklist,
    ChecklistLine,
    certificate_status,
    certificates_visible_to,
    checklists,
    issue_certificate,
    issue_certificates,
    may_certify,
    programmes_certified_by,
    programmes_of_trainee,
)
from ..choices import CertificateStatus
from ..competence_selectors import cohort_trainees
from .access import FacilitatorsOnly
from .results import HOME

READINESS = {
    "url": reverse_lazy("assessments_certification_cohorts"),
    "label": _("Kesiapan sertifikasi"),
}
# A bulk issue names at most this many people (a cohort is a few dozen).
MAX_ISSUE = 500
READY_ONLY = "siap"
# Conditions whose `missing` is an amount ("8 jam"); the others list names.
SHORT_MISSING = ("hours", "cases")

CERTIFIED, READY, NOT_READY = "bersertifikat", "siap", "belum"
STATE_LABELS = {
    CERTIFIED: _("Bersertifikat"),
    READY: _("Siap"),
    NOT_READY: _("Belum siap"),
}


def state_of(checked: Checklist) -> str:
    if checked.certificate is not None:
        return CERTIFIED
    return READY if checked.ready else NOT_READY


def missing_text(line: ChecklistLine) -> str:
    """What a table cell says of a condition not met, short: "kurang 8 jam",
    "kurang 1 kasus", or how far the trainee is ("2 dari 6 modul"); the names
    of what is left go under it (`missing_detail`)."""
    if line.missing and line.key in SHORT_MISSING:
        return gettext("kurang %(missing)s") % {"missing": line.missing}
    return line.progress


def missing_detail(line: ChecklistLine) -> str:
    """The modules or competencies still to do, when the cell does not say them."""
    if line.done or line.key in SHORT_MISSING:
        return ""
    return line.missing


def refusal_text(checked: Checklist) -> str:
    """ "Budi (kurang 8 jam; Modul Gender)" for the bulk issue's message."""
    missing = "; ".join(missing_text(line) for line in checked.missing)
    return f"{checked.trainee.display_name} ({missing})"


# --- the cohorts -----------------------------------------------------------------


def readiness_counts(*, cohorts: list[Cohort], actor: User) -> None:
    """Set `ready_count`, `not_ready_count`, `certified_count` and
    `trainee_count` on each cohort, over the trainees `actor` may see.

    One query for the enrolments, then one `checklists` per programme.
    """
    by_cohort: dict[int, list[User]] = defaultdict(list)
    enrolments = (
        Enrolment.objects.filter(
            cohort__in=[cohort.pk for cohort in cohorts],
            trainee__in=people_visible_to(actor).values("pk"),
        )
        .select_related("trainee")
        .order_by("pk")
    )
    for enrolment in enrolments:
        by_cohort[enrolment.cohort_id].append(enrolment.trainee)
    by_programme: dict[int, dict[int, User]] = defaultdict(dict)
    programmes: dict[int, Programme] = {}
    for cohort in cohorts:
        programmes[cohort.programme_id] = cohort.programme
        for trainee in by_cohort[cohort.pk]:
            by_programme[cohort.programme_id][trainee.pk] = trainee
    states: dict[tuple[int, int], str] = {}
    for programme_id, trainees in by_programme.items():
        judged = checklists(
            programme=programmes[programme_id], trainees=trainees.values()
        )
        for trainee_id, checked in judged.items():
            states[programme_id, trainee_id] = state_of(checked)
    for cohort in cohorts:
        counted = [
            states[cohort.programme_id, trainee.pk] for trainee in by_cohort[cohort.pk]
        ]
        cohort.trainee_count = len(counted)
        cohort.certified_count = counted.count(CERTIFIED)
        cohort.ready_count = counted.count(READY)
        cohort.not_ready_count = counted.count(NOT_READY)


class ReadinessCohortIndexView(FacilitatorsOnly, BaseListingView):
    """The cohorts in scope: how many are ready, not yet, certified."""

    page_title = _("Kesiapan sertifikasi")
    header_icon = "tasks"
    breadcrumbs_items = [HOME]
    index_url_name = "assessments_certification_cohorts"
    index_results_url_name = "assessments_certification_cohorts_results"
    is_searchable = True
    search_fields = ["name", "programme__name", "programme__short_name"]
    search_backend_name = None
    paginate_by = 30
    verbose_name_plural = _("angkatan")

    @property
    def columns(self):
        return [
            TitleColumn(
                "name",
                label=_("Angkatan"),
                get_url=lambda cohort: reverse(
                    "assessments_certification_cohort", args=[cohort.pk]
                ),
            ),
            Column("programme", label=_("Program")),
            Column(
                "start_date",
                label=_("Mulai"),
                accessor=lambda cohort: date_format(cohort.start_date, "j F Y"),
            ),
            NumberColumn("trainee_count", label=_("Peserta")),
            NumberColumn("ready_count", label=_("Siap")),
            NumberColumn("not_ready_count", label=_("Belum siap")),
            NumberColumn("certified_count", label=_("Bersertifikat")),
        ]

    def get_base_queryset(self):
        return cohorts_visible_to(self.request.user).order_by("-start_date", "name")

    def paginate_queryset(self, queryset, page_size):
        paginator, page, cohorts, is_paginated = super().paginate_queryset(
            queryset, page_size
        )
        page.object_list = list(cohorts)
        readiness_counts(cohorts=page.object_list, actor=self.request.user)
        return paginator, page, page.object_list, is_paginated


# --- issuing ---------------------------------------------------------------------


def issue_message(request, report, *, programme: Programme) -> None:
    """ "3 sertifikat terbit; 1 belum memenuhi syarat: Budi (kurang 8 jam)"."""
    parts = []
    if report.issued:
        parts.append(
            ngettext(
                "%(count)d sertifikat terbit",
                "%(count)d sertifikat terbit",
                len(report.issued),
            )
            % {"count": len(report.issued)}
        )
    if report.already:
        parts.append(
            ngettext(
                "%(count)d sudah memegang sertifikat",
                "%(count)d sudah memegang sertifikat",
                len(report.already),
            )
            % {"count": len(report.already)}
        )
    if report.refused:
        judged = checklists(
            programme=programme, trainees=[trainee for trainee, _ in report.refused]
        )
        names = []
        for trainee, reason in report.refused:
            checked = judged[trainee.pk]
            names.append(refusal_text(checked) if checked.missing else reason)
        parts.append(
            ngettext(
                "%(count)d belum memenuhi syarat: %(names)s",
                "%(count)d belum memenuhi syarat: %(names)s",
                len(report.refused),
            )
            % {"count": len(report.refused), "names": ", ".join(names)}
        )
    text = "; ".join(parts) + "."
    if report.issued or (report.already and not report.refused):
        messages.success(request, text)
    else:
        messages.error(request, text)


class IssuingMixin:
    """A POST that issues certificates of `programme` to trainees chosen among
    `issuable_trainees()`; refused in words to whoever may not certify."""

    def issuable_trainees(self):
        raise NotImplementedError

    def refuse(self, message: str):
        messages.error(self.request, message)
        return redirect(self.request.get_full_path())

    def forbidden(self):
        """403, nothing issued: seeing who is ready is not certifying."""
        return TemplateResponse(
            self.request,
            "assessments/admin/forbidden.html",
            {"page_title": self.page_title, "header_icon": "warning"},
            status=403,
        )

    def issue(self, programme: Programme, ids: list[str], *, bulk: bool):
        request = self.request
        if not may_certify(request.user, programme):
            return self.forbidden()
        pks = [parse_id(value) for value in ids[: MAX_ISSUE + 1]]
        unreadable = not pks or None in pks or len(pks) > MAX_ISSUE
        if unreadable or (not bulk and len(pks) > 1):
            return self.refuse(
                gettext(
                    "Pilihan peserta tidak terbaca. Muat ulang halaman lalu coba lagi."
                )
            )
        found = {
            trainee.pk: trainee
            for trainee in self.issuable_trainees().filter(pk__in=set(pks))
        }
        if len(found) != len(set(pks)):
            return self.refuse(
                gettext(
                    "Peserta itu tidak ada di daftar ini. Muat ulang halaman lalu "
                    "coba lagi."
                )
            )
        trainees = [found[pk] for pk in dict.fromkeys(pks)]
        if bulk:
            report = issue_certificates(
                trainees=trainees, programme=programme, issuer=request.user
            )
            issue_message(request, report, programme=programme)
        else:
            try:
                issued = issue_certificate(
                    trainee=trainees[0], programme=programme, issuer=request.user
                )
            except CertificationError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request,
                    (
                        gettext("Sertifikat %(name)s terbit (kode %(code)s).")
                        if issued.created
                        else gettext(
                            "%(name)s sudah memegang sertifikat ini (kode %(code)s)."
                        )
                    )
                    % {
                        "name": trainees[0].display_name,
                        "code": issued.certificate.code,
                    },
                )
        return redirect(request.get_full_path())


# --- one cohort ------------------------------------------------------------------


@dataclass
class ReadinessRow:
    trainee: User
    checklist: Checklist
    state: str
    status: str = ""  # the certificate's status label, when certified

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def cells(self) -> list[tuple[ChecklistLine, str, str]]:
        """(line, what the cell says, the names of what is left)."""
        return [
            (
                line,
                line.progress if line.done else missing_text(line),
                missing_detail(line),
            )
            for line in self.checklist.lines
        ]


class CohortReadinessView(
    IssuingMixin, FacilitatorsOnly, WagtailAdminTemplateMixin, TemplateView
):
    """One row per trainee: each condition met or what is missing, and the
    certificate; coordinators who certify issue here, one or all who are ready."""

    template_name = "assessments/admin/certification/cohort.html"
    page_title = _("Kesiapan sertifikasi")
    header_icon = "tasks"

    @cached_property
    def cohort(self) -> Cohort:
        return get_object_or_404(
            cohorts_visible_to(self.request.user), pk=self.kwargs["cohort_id"]
        )

    def issuable_trainees(self):
        return cohort_trainees(cohort=self.cohort, actor=self.request.user)

    def get_page_subtitle(self):
        return str(self.cohort)

    def get_breadcrumbs_items(self):
        return [HOME, READINESS, {"url": "", "label": str(self.cohort)}]

    @cached_property
    def ready_only(self) -> bool:
        return self.request.GET.get("tampilkan") == READY_ONLY

    def rows(self) -> list[ReadinessRow]:
        trainees = list(self.issuable_trainees())
        judged = checklists(programme=self.cohort.programme, trainees=trainees)
        rows = []
        for trainee in trainees:
            checked = judged[trainee.pk]
            row = ReadinessRow(
                trainee=trainee, checklist=checked, state=state_of(checked)
            )
            if checked.certificate is not None:
                row.status = CertificateStatus(
                    certificate_status(checked.certificate)
                ).label
            rows.append(row)
        return rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = self.rows()
        ready = [row for row in rows if row.state == READY]
        shown = ready if self.ready_only else rows
        labels = [line.label for line in rows[0].checklist.lines] if rows else []
        context.update(
            cohort=self.cohort,
            rows=shown,
            labels=labels,
            ready=ready,
            counts={
                state: sum(1 for row in rows if row.state == state)
                for state in (READY, NOT_READY, CERTIFIED)
            },
            total=len(rows),
            ready_only=self.ready_only,
            ready_query=urlencode({"tampilkan": READY_ONLY}),
            may_issue=may_certify(self.request.user, self.cohort.programme),
            trainee_query=urlencode({"angkatan": self.cohort.pk}),
        )
        return context

    def post(self, request, *args, **kwargs):
        bulk = "semua" in request.POST
        return self.issue(
            self.cohort.programme, request.POST.getlist("trainee"), bulk=bulk
        )


# --- one trainee -----------------------------------------------------------------


LINK_LABELS = {
    "modules": _("Hasil kuis angkatan"),
    "competencies": _("Profil kompetensi"),
    "hours": _("Jam magang"),
    "cases": _("Kasus praktik"),
    "attendance": _("Pelatihan tatap muka"),
}


def admin_link(
    key: str, *, trainee: User, cohort: Cohort | None, managed: set[int]
) -> tuple[str, str]:
    """(address, words): where in the admin a condition is worked on, for
    this trainee; ("", "") where the admin has no such screen.

    The magang screens belong to `mentorship`, a higher app: named by their
    URL names, never imported.
    """
    try:
        if key == "modules":
            if cohort is not None and cohort.pk in managed:
                url = reverse("assessments_cohort_results", args=[cohort.pk])
            else:
                url = reverse("assessments_results_cohorts")
        elif key == "competencies":
            query = f"?{urlencode({'angkatan': cohort.pk})}" if cohort else ""
            url = reverse("assessments_trainee_competence", args=[trainee.pk]) + query
        elif key == "hours":
            url = (
                reverse("mentorship_hourentry:index")
                + "?"
                + urlencode({"tampilkan": "semua", "trainee": trainee.pk})
            )
        elif key == "cases":
            url = (
                reverse("mentorship_practicecase:index")
                + "?"
                + urlencode({"tampilkan": "semua", "peserta": trainee.pk})
            )
        elif key == "attendance":
            url = reverse("trainingevent:index")
        else:
            return "", ""
    except NoReverseMatch:
        return "", ""
    return url, str(LINK_LABELS[key])


@dataclass
class ProgrammeChecklist:
    programme: Programme
    cohort: Cohort | None
    checklist: Checklist
    lines: list[tuple[ChecklistLine, tuple[str, str]]]  # (line, (url, words))
    may_issue: bool


class TraineeReadinessView(
    IssuingMixin, FacilitatorsOnly, WagtailAdminTemplateMixin, TemplateView
):
    """One trainee's checklist per programme, each line linking to the admin
    screen where it is done, and their certificates."""

    template_name = "assessments/admin/certification/trainee.html"
    page_title = _("Kesiapan peserta")
    header_icon = "user"

    @cached_property
    def trainee(self) -> User:
        return get_object_or_404(
            people_visible_to(self.request.user), pk=self.kwargs["trainee_id"]
        )

    def issuable_trainees(self):
        return people_visible_to(self.request.user).filter(pk=self.trainee.pk)

    @cached_property
    def back_cohort(self) -> Cohort | None:
        cohort_id = parse_id(self.request.GET.get("angkatan"))
        if cohort_id is None:
            return None
        return cohorts_visible_to(self.request.user).filter(pk=cohort_id).first()

    def get_page_title(self):
        return gettext("Kesiapan: %(name)s") % {"name": self.trainee.display_name}

    def get_breadcrumbs_items(self):
        items = [HOME, READINESS]
        if self.back_cohort is not None:
            items.append(
                {
                    "url": reverse(
                        "assessments_certification_cohort", args=[self.back_cohort.pk]
                    ),
                    "label": str(self.back_cohort),
                }
            )
        return [*items, {"url": "", "label": self.trainee.display_name}]

    @cached_property
    def programmes(self) -> list[Programme]:
        user = self.request.user
        return list(
            programmes_of_trainee(self.trainee)
            .filter(pk__in=programmes_visible_to(user).values("pk"))
            .order_by("name")
        )

    def programme_checklists(self) -> list[ProgrammeChecklist]:
        user = self.request.user
        cohorts = {}
        for cohort in (
            cohorts_visible_to(user)
            .filter(enrolments__trainee=self.trainee)
            .order_by("start_date")
        ):
            cohorts[cohort.programme_id] = cohort
        managed = set(
            cohorts_managed_by(user)
            .filter(pk__in=[cohort.pk for cohort in cohorts.values()])
            .values_list("pk", flat=True)
        )
        certifies = set(programmes_certified_by(user).values_list("pk", flat=True))
        result = []
        for programme in self.programmes:
            checked = checklists(programme=programme, trainees=[self.trainee])[
                self.trainee.pk
            ]
            cohort = cohorts.get(programme.pk)
            result.append(
                ProgrammeChecklist(
                    programme=programme,
                    cohort=cohort,
                    checklist=checked,
                    lines=[
                        (
                            line,
                            admin_link(
                                line.key,
                                trainee=self.trainee,
                                cohort=cohort,
                                managed=managed,
                            ),
                        )
                        for line in checked.lines
                    ],
                    may_issue=programme.pk in certifies,
                )
            )
        return result

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        certificates = list(
            certificates_visible_to(self.request.user)
            .filter(holder=self.trainee)
            .order_by("-issued_on", "-pk")
        )
        for certificate in certificates:
            certificate.status_label = CertificateStatus(
                certificate_status(certificate)
            ).label
        context.update(
            trainee=self.trainee,
            programmes=self.programme_checklists(),
            certificates=certificates,
        )
        return context

    def post(self, request, *args, **kwargs):
        programme_id = parse_id(request.POST.get("programme"))
        programme = next((p for p in self.programmes if p.pk == programme_id), None)
        if programme is None:
            return self.refuse(gettext("Pilih program dari daftar di halaman ini."))
        return self.issue(programme, [str(self.trainee.pk)], bulk=False)


def admin_urls() -> list:
    return [
        path(
            "sertifikasi/",
            ReadinessCohortIndexView.as_view(),
            name="assessments_certification_cohorts",
        ),
        path(
            "sertifikasi/hasil/",
            ReadinessCohortIndexView.as_view(results_only=True),
            name="assessments_certification_cohorts_results",
        ),
        path(
            "sertifikasi/angkatan/<id:cohort_id>/",
            CohortReadinessView.as_view(),
            name="assessments_certification_cohort",
        ),
        path(
            "sertifikasi/peserta/<id:trainee_id>/",
            TraineeReadinessView.as_view(),
            name="assessments_certification_trainee",
        ),
    ]
