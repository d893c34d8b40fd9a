from .health import WorkerHeartbeat
from .people import User
from .places import Region, search_key

__all__ = ["Region", "User", "WorkerHeartbeat", "search_key"]
