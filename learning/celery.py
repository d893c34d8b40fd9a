import os
from pathlib import Path

from celery import Celery
from celery.signals import beat_init, celeryd_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learning.settings.dev")

app = Celery("learning")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

_FOLDER_OPTIONS = (
    "data_folder_in",
    "data_folder_out",
    "processed_folder",
    "control_folder",
)


def make_broker_folders() -> list[Path]:
    """Make the file-system broker's folders, when that is the broker.

    Done by whoever starts (the worker, the beat, `prepare_site`), never by
    importing settings: production's settings write nothing to disk.
    """
    if not str(app.conf.broker_url).startswith("filesystem://"):
        return []
    options = app.conf.broker_transport_options or {}
    folders = [Path(options[key]) for key in _FOLDER_OPTIONS if options.get(key)]
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
    return folders


@celeryd_init.connect
@beat_init.connect
def _make_broker_folders_on_start(**_kwargs) -> None:
    make_broker_folders()
