"""The curriculum's place in the site, set up by `manage.py prepare_site`.

Safe to run again: every step looks for what it would create first.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext as _

from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from learning.choices import Role

from .models import InfoPage, ModuleIndexPage, ResourceIndexPage, TrainingHomePage

SENIOR_FACILITATORS = "Fasilitator senior"
REVIEW_WORKFLOW = "Tinjauan fasilitator senior"

# Page permissions on the training home (and everything under it).
PAGE_PERMISSIONS = {
    Role.FASILITATOR.value: ["add_page", "change_page"],
    SENIOR_FACILITATORS: ["add_page", "change_page", "publish_page", "lock_page"],
    Role.KOORDINATOR.value: ["add_page", "change_page", "publish_page"],
}
MEDIA_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]


def _child(parent: Page, model, *, slug: str, **fields):
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        return existing
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def ensure_page_tree() -> TrainingHomePage:
    """The training home, its module index and library, and the public pages."""
    root = Site.objects.get(is_default_site=True).root_page
    home = TrainingHomePage.objects.first() or _child(
        root,
        TrainingHomePage,
        slug="belajar",
        title=_("Belajar"),
        intro="<p>"
        + _(
            "Modul pelatihan untuk pendamping korban dan paralegal desa. Belajar "
            "sedikit demi sedikit; kemajuanmu tersimpan."
        )
        + "</p>",
    )
    _child(home, ModuleIndexPage, slug="modul", title=_("Modul pelatihan"))
    _child(home, ResourceIndexPage, slug="pustaka", title=_("Pustaka bahan"))
    _child(
        root,
        InfoPage,
        slug="tentang",
        title=_("Tentang Pendamping"),
        body=[
            {
                "type": "text",
                "value": "<p>"
                + _(
                    "Pendamping adalah tempat belajar bagi pendamping korban dan "
                    "paralegal desa yang mendampingi perempuan dan anak korban "
                    "kekerasan di Nusa Tenggara Timur."
                )
                + "</p>",
            }
        ],
    )
    _child(
        root,
        InfoPage,
        slug="kontak",
        title=_("Kontak"),
        body=[
            {
                "type": "text",
                "value": "<p>"
                + _(
                    "Untuk mendapat akun, hubungi lembaga yang menyelenggarakan "
                    "pelatihan di wilayahmu. Dalam keadaan darurat kekerasan, "
                    "hubungi layanan SAPA 129."
                )
                + "</p>",
            }
        ],
    )
    return home


def setup_editorial(home: TrainingHomePage) -> Workflow:
    """Who may write, who publishes, and the review every draft passes through.

    Facilitators write and submit; a senior facilitator reviews and publishes
    (Wagtail's own moderation workflow). Images and documents may be uploaded
    by every facilitator.
    """
    groups = {}
    for name, codenames in PAGE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        groups[name] = group
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=home,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
    groups[SENIOR_FACILITATORS].permissions.add(
        Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
    )
    root_collection = Collection.get_first_root_node()
    for name in (Role.FASILITATOR.value, SENIOR_FACILITATORS, Role.KOORDINATOR.value):
        for app_label, codename in MEDIA_PERMISSIONS:
            GroupCollectionPermission.objects.get_or_create(
                group=groups[name],
                collection=root_collection,
                permission=Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                ),
            )

    workflow, _created = Workflow.objects.get_or_create(name=REVIEW_WORKFLOW)
    task, _created = GroupApprovalTask.objects.get_or_create(
        name=_("Ditinjau fasilitator senior")
    )
    task.groups.add(groups[SENIOR_FACILITATORS])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})
    return workflow


def restrict_documents() -> None:
    """Documents are for signed-in people only: a form or guide attached to a
    draft must not be reachable by a visitor who guesses its address."""
    root_collection = Collection.get_first_root_node()
    if not CollectionViewRestriction.objects.filter(
        collection=root_collection
    ).exists():
        CollectionViewRestriction.objects.create(
            collection=root_collection,
            restriction_type=CollectionViewRestriction.LOGIN,
        )


@transaction.atomic
def prepare_curriculum(*, demo: bool) -> None:
    from .directory import grant_directory_permissions

    home = ensure_page_tree()
    setup_editorial(home)
    restrict_documents()
    grant_directory_permissions()
    if demo:
        from .demo import load_demo_curriculum

        load_demo_curriculum()
