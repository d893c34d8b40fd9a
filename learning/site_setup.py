from django.db import transaction

from wagtail.models import Site

WAGTAIL_STARTER_TITLE = "Welcome to your new Wagtail site!"


@transaction.atomic
def name_the_site(*, name: str = "Pendamping") -> None:
    """Give Wagtail's starter page and default site the platform's name.

    Safe to run again: a page an editor has already renamed is left alone.
    """
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return
    if site.site_name != name:
        site.site_name = name
        site.save(update_fields=["site_name"])
    page = site.root_page.specific
    if page.title == WAGTAIL_STARTER_TITLE:
        page.title = name
        page.draft_title = name
        page.save_revision().publish()
