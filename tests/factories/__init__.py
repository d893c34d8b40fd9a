from .people import UserFactory, user_with_roles

__all__ = ["UserFactory", "user_with_roles"]
