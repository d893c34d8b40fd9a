"""The demo curriculum: nine sample modules, their blank forms and a sources page.

The modules are written as TOML files in `modules/curriculum/`, one per module,
read in file-name order (`NN-slug.toml`); `sumber.toml` lists every regulation
they cite. `load_curriculum` builds them through Wagtail's page API, publishes
them and marks them `is_sample`. Loading again creates nothing twice and never
overwrites a module an organisation has edited: a module whose slug exists is
left alone, as are forms and the sources page.

`curriculum_problems` reads the files without touching the database and says
what is wrong with them, file by file, so a writer can check their work with
`manage.py check_curriculum` before anything is loaded.
"""

import datetime
import io
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.html import escape
from django.utils.text import slugify

from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Page

from PIL import Image as PILImage
from PIL import ImageDraw

from learning.models import User
from learning.pdf import FONT, FramedPDF, PageFrame

from .choices import ResourceKind, ServiceKind, Topic
from .editions import (
    Outcome,
    file_edition,
    first_revision_at,
    module_edited_since,
    pages_edited_since,
    record_loaded,
    update,
)
from .models import (
    LessonPage,
    LessonProgress,
    ModuleIndexPage,
    ModulePage,
    ReferralService,
    ResourceIndexPage,
    ResourcePage,
    SampleKind,
)
from .site_setup import SENIOR_FACILITATORS

CURRICULUM_DIR = Path(__file__).resolve().parent / "curriculum"
SOURCES_FILE = "sumber.toml"
SOURCES_SLUG = "sumber-peraturan"
# Tighter than fpdf's defaults, so a blank form fits on one sheet where it can.
FORM_FRAME = PageFrame(side=14, top=12, bottom=12)
# The module whose cover shows the drawn picture (with a focal point).
PICTURE_MODULE = "konseling-awal-dan-penguatan-korban"
PICTURE_TITLE = "Contoh: pendamping mendengarkan"

MODULE_KEYS = {
    "required": {
        "slug",
        "title",
        "topic",
        "core",
        "refresher",
        "study_minutes",
        "summary",
        "objectives",
        "lessons",
    },
    "optional": {"content_note", "forms", "edition"},
}
LESSON_KEYS = {"required": {"title", "summary", "study_minutes", "body"}}
FORM_KEYS = {"required": {"key", "title", "intro", "fields"}}
# Block type: (required fields, optional fields), as LessonBodyBlock declares them.
BLOCK_FIELDS = {
    "heading": ({"value"}, set()),
    "text": ({"value"}, set()),
    "key_points": ({"points"}, {"title"}),
    "glossary_term": ({"term", "definition"}, set()),
    "case_scenario": ({"title", "story", "questions"}, set()),
    "reflection": ({"prompt"}, {"hint"}),
    "document": ({"document"}, {"title", "description"}),
    "service": ({"service"}, {"note"}),
}
RICH_TEXT_FIELDS = {("text", "value"), ("case_scenario", "story")}
ALLOWED_TAGS = {"p", "b", "i", "ul", "ol", "li", "br"}
FICTION_MARK = "rekaan"
LESSON_SLUG_LENGTH = 50
# A citation in the short form the files use ("UU 23/2004", "Permen PPPA 4/2018")
# and the long form ("Nomor 23 Tahun 2004"); both must be on the sources page.
SHORT_CITATION = re.compile(r"\b(\d{1,3})/((?:19|20)\d\d)\b")
LONG_CITATION = re.compile(r"\bNo(?:mor|\.)?\s*(\d{1,3})\s+Tahun\s+((?:19|20)\d\d)\b")


class CurriculumError(ValueError):
    """The curriculum files have problems; nothing was loaded."""


@dataclass(frozen=True)
class Source:
    cite: str
    title: str

    @property
    def number_year(self) -> tuple[str, str]:
        number, year = self.cite.rsplit(" ", 1)[1].split("/")
        return number, year


# --- reading and checking the files ----------------------------------------------


def module_files(directory: Path = CURRICULUM_DIR) -> list[Path]:
    return sorted(directory.glob("[0-9][0-9]-*.toml"))


def read_toml(path: Path, problems: list[str]) -> dict | None:
    """A curriculum file's content, or None with the reason added to `problems`."""
    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        problems.append(f"{path.name}: {error}")
        return None


def read_modules(directory: Path = CURRICULUM_DIR) -> list[dict]:
    """Every module file's content, in file-name order; unreadable files skipped."""
    modules = []
    for path in module_files(directory):
        data = read_toml(path, [])
        if data is not None:
            data["file"] = path.name
            modules.append(data)
    return modules


def read_sources(directory: Path = CURRICULUM_DIR) -> list[Source]:
    data = read_toml(directory / SOURCES_FILE, []) or {}
    return [Source(cite=s["cite"], title=s["title"]) for s in data.get("sources", [])]


class _TagCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)


def _tags(html: str) -> set[str]:
    collector = _TagCollector()
    collector.feed(html)
    return collector.tags


def key_problems(data: dict, keys: dict, where: str) -> list[str]:
    """Keys a curriculum file's table lacks or does not know, one line each.

    `keys` holds the "required" names and, optionally, the "optional" ones.
    The quiz files (`assessments.curriculum_files`) are checked with it too.
    """
    missing = keys["required"] - data.keys()
    unknown = data.keys() - keys["required"] - keys.get("optional", set())
    problems = [f"{where}: {name} wajib diisi" for name in sorted(missing)]
    problems += [f"{where}: kunci tidak dikenal: {name}" for name in sorted(unknown)]
    return problems


def _block_problems(block: dict, where: str, forms: set[str]) -> list[str]:
    kind = block.get("type")
    if kind not in BLOCK_FIELDS:
        return [
            f"{where}: jenis blok {kind!r} tidak dikenal "
            f"(pakai salah satu: {', '.join(BLOCK_FIELDS)})"
        ]
    required, optional = BLOCK_FIELDS[kind]
    problems = key_problems(
        {k: v for k, v in block.items() if k != "type"},
        {"required": required, "optional": optional},
        f"{where} ({kind})",
    )
    for (block_kind, field), value in (
        ((kind, name), block.get(name)) for name in required | optional
    ):
        if value is None:
            continue
        if (block_kind, field) in RICH_TEXT_FIELDS:
            stray = _tags(value) - ALLOWED_TAGS
            if stray:
                problems.append(
                    f"{where} ({kind}): tag HTML tidak diizinkan: "
                    + ", ".join(sorted(stray))
                )
        elif isinstance(value, list):
            if not value or not all(isinstance(v, str) and v.strip() for v in value):
                problems.append(f"{where} ({kind}): {field} perlu daftar teks")
        elif not isinstance(value, str) or not value.strip():
            problems.append(f"{where} ({kind}): {field} kosong")
    if kind == "case_scenario" and FICTION_MARK not in block.get("story", "").lower():
        problems.append(
            f"{where}: kisah kasus harus menyebut bahwa ia {FICTION_MARK} "
            "(bukan kisah nyata)"
        )
    if kind == "document" and block.get("document") not in forms:
        problems.append(f"{where}: formulir {block.get('document')!r} tidak ada")
    if kind == "service" and (
        block.get("service") not in ServiceKind.values
        or block.get("service") == ServiceKind.OTHER
    ):
        problems.append(
            f"{where}: jenis layanan {block.get('service')!r} tidak dikenal"
        )
    return problems


def all_texts(value) -> Iterable[str]:
    """Every string inside a file's content, however deeply nested."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from all_texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from all_texts(item)


def cited_numbers(texts: Iterable[str]) -> set[tuple[str, str]]:
    """The (number, year) of every regulation cited in these texts."""
    found = set()
    for text in texts:
        for pattern in (SHORT_CITATION, LONG_CITATION):
            found.update(pattern.findall(text))
    return found


def citation_problems(
    name: str, content, sources: list[Source] | None = None
) -> list[str]:
    """A problem for every regulation cited in `content` but missing in sumber.toml."""
    listed = {source.number_year for source in sources or read_sources()}
    return [
        f"{name}: peraturan {number}/{year} dikutip tetapi tidak ada di {SOURCES_FILE}"
        for number, year in sorted(cited_numbers(all_texts(content)) - listed)
    ]


def _lesson_problems(lesson: dict, where: str, core: bool, forms: set[str]):
    problems = key_problems(lesson, LESSON_KEYS, where)
    body = lesson.get("body") or []
    kinds = [block.get("type") for block in body]
    for number, block in enumerate(body, start=1):
        problems += _block_problems(block, f"{where}, blok {number}", forms)
    for needed in ("key_points", "reflection") + (("case_scenario",) if core else ()):
        if needed not in kinds:
            problems.append(f"{where}: pelajaran perlu blok {needed}")
    return problems


def curriculum_problems(directory: Path = CURRICULUM_DIR) -> list[str]:
    """Everything wrong with the curriculum files, one line each; [] when none."""
    problems: list[str] = []
    sources_data = read_toml(directory / SOURCES_FILE, problems) or {}
    sources = read_sources(directory) if sources_data else []
    if not sources:
        problems.append(f"{SOURCES_FILE}: daftar sumber kosong")
    modules = []
    for path in module_files(directory):
        data = read_toml(path, problems)
        if data is not None:
            modules.append((path.name, data))
    if not module_files(directory):
        problems.append(f"{directory}: tidak ada berkas modul")
    forms = {
        form.get("key") for _name, data in modules for form in data.get("forms", [])
    }
    slugs: set[str] = set()
    for name, data in modules:
        problems += key_problems(data, MODULE_KEYS, name)
        slug = data.get("slug", "")
        if slug in slugs:
            problems.append(f"{name}: slug {slug!r} dipakai dua kali")
        slugs.add(slug)
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug or "-"):
            problems.append(f"{name}: slug {slug!r}: huruf kecil, angka dan -")
        if data.get("topic") not in Topic.values:
            problems.append(f"{name}: topik {data.get('topic')!r} tidak dikenal")
        for form in data.get("forms", []):
            problems += key_problems(form, FORM_KEYS, f"{name}, formulir")
        lessons = data.get("lessons") or []
        if not lessons:
            problems.append(f"{name}: modul tanpa pelajaran")
        for number, lesson in enumerate(lessons, start=1):
            problems += _lesson_problems(
                lesson, f"{name}, pelajaran {number}", bool(data.get("core")), forms
            )
        stories = [
            block
            for lesson in lessons
            for block in lesson.get("body", [])
            if block.get("type") == "case_scenario"
        ]
        if lessons and not stories:
            problems.append(f"{name}: modul perlu sedikitnya satu kisah kasus")
        problems += citation_problems(name, data, sources)
    return problems


# --- building the pages ------------------------------------------------------------


def blank_form(*, title: str, intro: str, fields: list) -> bytes:
    """A one-page blank form to print: labels and ruled lines, no identities."""
    pdf = FramedPDF(frame=FORM_FRAME)
    pdf.add_page()
    pdf.set_font(FONT, "B", 15)
    pdf.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 10)
    pdf.multi_cell(0, 5, intro, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for label, lines in fields:
        pdf.set_font(FONT, "B", 10)
        pdf.multi_cell(0, 5, label, new_x="LMARGIN", new_y="NEXT")
        for _line in range(int(lines)):
            pdf.cell(0, 7, "", border="B", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    return bytes(pdf.output())


def _sample_picture() -> bytes:
    """A plain illustration: two figures sitting together, drawn with Pillow."""
    picture = PILImage.new("RGB", (1200, 675), (245, 236, 220))
    draw = ImageDraw.Draw(picture)
    draw.rectangle((0, 500, 1200, 675), fill=(196, 164, 120))
    for x, colour in ((430, (120, 60, 90)), (730, (40, 90, 110))):
        draw.ellipse((x - 60, 180, x + 60, 300), fill=(150, 100, 70))
        draw.rounded_rectangle((x - 110, 300, x + 110, 560), 50, fill=colour)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


def _picture() -> Image:
    image = Image.objects.filter(title=PICTURE_TITLE).first()
    if image is None:
        image = Image(
            title=PICTURE_TITLE,
            focal_point_x=580,
            focal_point_y=360,
            focal_point_width=500,
            focal_point_height=400,
        )
        image.file = ImageFile(
            io.BytesIO(_sample_picture()), name="contoh-pendampingan.png"
        )
        image.save()
    return image


def short_slug(title: str, limit: int = LESSON_SLUG_LENGTH) -> str:
    """The title's slug cut at a word, so a lesson's link fits in an SMS."""
    slug = slugify(title)
    if len(slug) <= limit:
        return slug
    return slug[: limit + 1].rsplit("-", 1)[0]


def _publish_child(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _load_forms(modules: list[dict]) -> dict[str, Document]:
    """Each module's blank forms as documents, each also listed in the library."""
    library = ResourceIndexPage.objects.first()
    documents = {}
    for data in modules:
        for form in data.get("forms", []):
            document = Document.objects.filter(title=form["title"]).first()
            if document is None:
                document = Document(title=form["title"])
                document.file = SimpleUploadedFile(
                    f"{form['key']}.pdf",
                    blank_form(
                        title=form["title"], intro=form["intro"], fields=form["fields"]
                    ),
                )
                document.save()
            documents[form["key"]] = document
            if not ResourcePage.objects.filter(slug=form["key"]).exists():
                _publish_child(
                    library,
                    ResourcePage(
                        slug=form["key"],
                        title=form["title"],
                        kind=ResourceKind.FORM,
                        summary=form["intro"],
                        document=document,
                    ),
                )
    return documents


def _stream_value(block: dict, documents, services) -> dict:
    kind = block["type"]
    fields = {name: value for name, value in block.items() if name != "type"}
    if kind in ("heading", "text"):
        return {"type": kind, "value": fields["value"]}
    if kind == "key_points":
        fields.setdefault("title", "Poin penting")
    if kind == "reflection":
        fields.setdefault("hint", "")
    if kind == "document":
        fields = {
            "document": documents[fields["document"]].pk,
            "title": fields.get("title", ""),
            "description": fields.get("description", ""),
        }
    if kind == "service":
        service = services.get(fields["service"])
        if service is None:
            # No sample service of that kind in this directory: say so in words.
            return {
                "type": "text",
                "value": f"<p>{escape(fields.get('note', ''))}</p>",
            }
        fields = {"service": service.pk, "note": fields.get("note", "")}
    return {"type": kind, "value": fields}


def _sources_body(sources: list[Source], modules: list[dict]) -> str:
    items = []
    for source in sources:
        cited_in = [
            data["title"]
            for data in modules
            if source.number_year in cited_numbers(all_texts(data))
        ]
        where = (
            " <i>(dikutip di: " + escape("; ".join(cited_in)) + ")</i>"
            if cited_in
            else ""
        )
        items.append(
            f"<li><b>{escape(source.cite)}</b>: {escape(source.title)}{where}</li>"
        )
    return (
        "<p>Setiap peraturan yang dikutip dalam modul contoh, dengan nomor dan "
        "tahunnya, dan modul yang mengutipnya. Periksa naskah resminya di "
        "peraturan.go.id atau JDIH instansi yang menerbitkannya sebelum "
        "mengutipnya dalam surat atau di depan aparat.</p>"
        f"<ul>{''.join(items)}</ul>"
    )


def _sources_fields(modules: list[dict]) -> dict:
    return {
        "title": "Sumber: peraturan yang dikutip dalam modul",
        "summary": (
            "Daftar undang-undang dan peraturan yang dikutip dalam modul "
            "contoh, dengan nomor dan tahunnya."
        ),
        "body": _sources_body(read_sources(), modules),
    }


def _load_sources_page(modules: list[dict]) -> None:
    """The sources page, kept to the newest edition like a module."""
    edition = max((file_edition(data)[0] for data in modules), default=1)
    page = ResourcePage.objects.filter(slug=SOURCES_SLUG).first()
    fields = _sources_fields(modules)
    if page is None:
        _publish_child(
            ResourceIndexPage.objects.first(),
            ResourcePage(slug=SOURCES_SLUG, kind=ResourceKind.LAW, **fields),
        )
        record_loaded(SampleKind.PAGE, SOURCES_SLUG, fields["title"], edition)
        return
    update(
        kind=SampleKind.PAGE,
        key=SOURCES_SLUG,
        title=fields["title"],
        edition=edition,
        changes=["Daftar peraturan diperbarui sesuai edisi baru modul contoh."],
        loaded_at=lambda: first_revision_at(page),
        edited_since=lambda since: pages_edited_since(
            Page.objects.filter(pk=page.pk), since
        ),
        replace=lambda: _publish_changes(page.specific, fields),
    )


def _first_sample_services() -> dict[str, ReferralService]:
    services = {}
    for service in ReferralService.objects.filter(is_sample=True).order_by("name"):
        services.setdefault(service.kind, service)
    return services


def _module_fields(data: dict) -> dict:
    return {
        "title": data["title"],
        "topic": data["topic"],
        "summary": data["summary"],
        "learning_objectives": "\n".join(data["objectives"]),
        "study_minutes": data["study_minutes"],
        "is_core": data["core"],
        "is_refresher": data["refresher"],
        "content_note": data.get("content_note", ""),
    }


def _lesson_fields(lesson: dict, documents, services) -> dict:
    return {
        "title": lesson["title"],
        "summary": lesson["summary"],
        "study_minutes": lesson["study_minutes"],
        "body": [_stream_value(block, documents, services) for block in lesson["body"]],
    }


def _new_module(index, data: dict, documents, services) -> ModulePage:
    module = _publish_child(
        index,
        ModulePage(
            slug=data["slug"],
            cover_image=_picture() if data["slug"] == PICTURE_MODULE else None,
            is_sample=True,
            **_module_fields(data),
        ),
    )
    for lesson in data["lessons"]:
        _publish_child(
            module,
            LessonPage(
                slug=short_slug(lesson["title"]),
                **_lesson_fields(lesson, documents, services),
            ),
        )
    return module


def _publish_changes(page, fields: dict) -> None:
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()


def replace_module(module: ModulePage, data: dict, documents, services) -> None:
    """Write a newer edition over a sample module, in place.

    Lessons are matched by slug, so a lesson that still exists keeps its page
    and everything learners did in it; a new lesson takes its place in the
    file's order, as on a site that loads this edition first; a lesson the
    edition dropped is unpublished, not deleted (records point to it).
    """
    _publish_changes(module, _module_fields(data))
    existing = {page.slug: page.specific for page in module.get_children()}
    kept = set()
    for lesson in data["lessons"]:
        slug = short_slug(lesson["title"])
        fields = _lesson_fields(lesson, documents, services)
        if slug in existing:
            _publish_changes(existing[slug], fields)
            kept.add(slug)
        else:
            _publish_child(module, LessonPage(slug=slug, **fields))
    for slug, page in existing.items():
        if slug not in kept and page.live:
            page.unpublish()
    _order_lessons(module, [short_slug(lesson["title"]) for lesson in data["lessons"]])


def _order_lessons(module: ModulePage, slugs: list[str]) -> None:
    """Put the module's lessons in this order, ahead of any it no longer has."""
    for position, slug in enumerate(slugs):
        children = list(module.get_children().order_by("path"))
        page = next(child for child in children if child.slug == slug)
        if children.index(page) != position:
            page.move(children[position], pos="left")


@transaction.atomic
def load_curriculum(directory: Path = CURRICULUM_DIR) -> dict[str, Outcome]:
    """The sample modules, published; what happened to each, by slug.

    A new module is created; one from an older edition is replaced when
    nobody edited it, or gets a notice when someone did (`modules.editions`).
    """
    problems = curriculum_problems(directory)
    if problems:
        raise CurriculumError("\n".join(problems))
    modules = read_modules(directory)
    documents = _load_forms(modules)
    services = _first_sample_services()
    index = ModuleIndexPage.objects.first()
    outcomes = {}
    for data in modules:
        edition, changes = file_edition(data)
        module = ModulePage.objects.filter(slug=data["slug"]).first()
        if module is None:
            _new_module(index, data, documents, services)
            record_loaded(SampleKind.MODULE, data["slug"], data["title"], edition)
            outcomes[data["slug"]] = Outcome.NEW
            continue
        outcomes[data["slug"]] = update(
            kind=SampleKind.MODULE,
            key=data["slug"],
            title=data["title"],
            edition=edition,
            changes=changes,
            loaded_at=lambda module=module: first_revision_at(module),
            edited_since=lambda since, module=module: module_edited_since(
                module, since
            ),
            replace=lambda module=module, data=data: replace_module(
                module, data, documents, services
            ),
        )
    _load_sources_page(modules)
    return outcomes


def load_demo_curriculum() -> dict[str, Outcome]:
    """The sample services, the nine modules and the demo facilitator's rights."""
    from .directory import load_sample_services

    load_sample_services()
    # The demo facilitator reviews and publishes too, so the whole review
    # workflow can be tried with the demo accounts.
    senior = Group.objects.get(name=SENIOR_FACILITATORS)
    senior.user_set.add(*User.objects.filter(username="fasilitator"))
    modules = load_curriculum()
    load_demo_alumna_studies()
    return modules


# The alumna's cohort met the sample curriculum as it was published for its
# start; one lesson was brought up to date after she graduated.
CURRICULUM_PUBLISHED_ON = datetime.date(2025, 1, 6)
ALUMNA_FIRST_STUDY_DAY = datetime.date(2025, 2, 10)
ALUMNA_DAYS_PER_MODULE = 21
# The short module she began in the refresher library after graduating.
ALUMNA_BEGUN_MODULE = "perdagangan-orang-dan-migrasi-aman"
ALUMNA_BEGUN_ON = datetime.date(2025, 12, 8)
REPUBLISHED_MODULE = "penyelesaian-kasus-litigasi-dan-non-litigasi"
REPUBLISHED_NOTE = (
    "<p><b>Diperbarui:</b> kisah rekaan dan pertanyaan diskusinya dirapikan "
    "setelah masukan refleksi tahunan para pendamping.</p>"
)


def load_demo_alumna_studies() -> None:
    """The alumna's lessons: every core module in 2025, one short module begun.

    Each lesson is recorded by `mark_lesson_done`, as on the site, then dated
    when she studied it. The sample curriculum is dated to its publication for
    her cohort, and one lesson is published again now, so "Yang berubah sejak
    kamu lulus" has it to show. Done once: an alumna with any lesson is left
    as she is.
    """
    from learning.demo import ALUMNA, demo_moment

    from .progress import mark_lesson_done

    alumna = User.objects.filter(username=ALUMNA).first()
    if alumna is None or LessonProgress.objects.filter(user=alumna).exists():
        return
    samples = list(ModulePage.objects.filter(is_sample=True).order_by("path"))
    published = demo_moment(CURRICULUM_PUBLISHED_ON, 8)
    for module in samples:
        Page.objects.descendant_of(module, inclusive=True).update(
            first_published_at=published, last_published_at=published
        )
    studied = [module for module in samples if module.is_core]
    studied += [m for m in samples if m.slug == ALUMNA_BEGUN_MODULE]
    for number, module in enumerate(studied):
        lessons = list(module.lessons())
        first_day = ALUMNA_FIRST_STUDY_DAY + datetime.timedelta(
            days=ALUMNA_DAYS_PER_MODULE * number
        )
        if not module.is_core:
            first_day, lessons = ALUMNA_BEGUN_ON, lessons[:1]
        for day, lesson in enumerate(lessons):
            progress = mark_lesson_done(user=alumna, lesson=lesson)
            LessonProgress.objects.filter(pk=progress.pk).update(
                completed_at=demo_moment(
                    first_day + datetime.timedelta(days=2 * day), 19, 30
                )
            )
    republished = (
        LessonPage.objects.child_of(ModulePage.objects.get(slug=REPUBLISHED_MODULE))
        .live()
        .order_by("path")
        .first()
    )
    if republished is not None:
        republished = republished.specific
        body = list(republished.body.raw_data)
        republished.body = [{"type": "text", "value": REPUBLISHED_NOTE}, *body]
        republished.save_revision().publish()
