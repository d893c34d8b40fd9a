"""What the magang admin screens share: records the admin only reads.

Who works there is `learning.scope.is_active_staff`.
"""

from django.urls import path


class ReadOnlyViewSetMixin:
    """A model viewset with only its index, its results and one page per record.

    Trainees write these records on the site; the admin reads and decides.
    """

    record_path = "<int:pk>/"

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            **{
                "add_url_name": None,
                "edit_url_name": None,
                "delete_url_name": None,
                "history_url_name": None,
                "usage_url_name": None,
                **kwargs,
            }
        )

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path(self.record_path, self.inspect_view, name="inspect"),
        ]
