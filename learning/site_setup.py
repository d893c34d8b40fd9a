from collections.abc import Callable

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


SiteSetupStep = Callable[..., None]
_setup_steps: list[SiteSetupStep] = []


_final_steps: list[SiteSetupStep] = []


def register_site_setup(step: SiteSetupStep, *, last: bool = False) -> None:
    """Let a higher app prepare its part of the site in `prepare_site`.

    `step(demo=...)` runs after the regions and, with --demo, after the demo
    people are loaded; it must be safe to run again. With `last`, it runs
    after every other app's step (it reads what they made).
    """
    steps = _final_steps if last else _setup_steps
    if step not in steps:
        steps.append(step)


def run_site_setup(*, demo: bool) -> None:
    for step in [*_setup_steps, *_final_steps]:
        step(demo=demo)
