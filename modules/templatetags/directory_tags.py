"""What templates may show of a referral service, through `modules.directory`."""

from django import template

from .. import directory
from ..models import ReferralService

register = template.Library()


@register.simple_tag
def public_contact(service: ReferralService) -> directory.PublicContact:
    """`{% public_contact service as contact %}`: the one rule, for templates."""
    return directory.public_contact(service)


@register.simple_tag
def service_label(service: ReferralService) -> directory.ServiceLabel:
    """`{% service_label service as label %}`: name, kind and sample mark once each."""
    return directory.service_label(service)


@register.filter
def area_served(service: ReferralService) -> str:
    return directory.area_served(service)
