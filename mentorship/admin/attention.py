"""The facilitator's attention list at the top of their admin dashboard."""

from wagtail.admin.ui.components import Component

from ..attention import Item, attention_items, is_facilitator


class AttentionPanel(Component):
    """The same list at the top of a facilitator's admin dashboard."""

    name = "magang_attention"
    template_name = "mentorship/admin/panels/attention.html"
    order = 80  # before the hours and cases waiting panels

    def __init__(self, items: list[Item]):
        self.items = items

    def get_context_data(self, parent_context=None):
        return {"items": self.items}


def add_attention_panel(request, panels) -> None:
    if is_facilitator(request.user):
        panels.append(AttentionPanel(attention_items(request.user)))
