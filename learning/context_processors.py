from django.conf import settings


def site(request) -> dict:
    return {"QUICK_EXIT_URL": settings.QUICK_EXIT_URL}
