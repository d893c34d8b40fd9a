"""The mentorship JSON API, mounted at /api/magang/ by `learning.api`.

One module per sub-domain, each with its own router and OpenAPI tag; they
share this prefix, so the paths are the ones clients already use.
"""

from ninja import Router

from . import cases, hours, reflection, wellbeing

router = Router()
router.add_router("", hours.router)
router.add_router("", cases.router)
router.add_router("", wellbeing.router)
router.add_router("", reflection.router)
