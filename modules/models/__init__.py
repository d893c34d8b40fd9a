from .booklets import Booklet
from .directory import ReferralService
from .offline import OfflinePackage
from .pages import (
    InfoPage,
    LessonPage,
    ModuleIndexPage,
    ModulePage,
    ResourceIndexPage,
    ResourcePage,
    TrainingHomePage,
)
from .progress import LessonProgress, ModuleCompletion, ReflectionAnswer
from .sample import SampleContent, SampleKind
from .stamp import ContentStamp

__all__ = [
    "Booklet",
    "ContentStamp",
    "InfoPage",
    "LessonPage",
    "LessonProgress",
    "ModuleCompletion",
    "ModuleIndexPage",
    "ModulePage",
    "OfflinePackage",
    "ReferralService",
    "ReflectionAnswer",
    "ResourceIndexPage",
    "ResourcePage",
    "SampleContent",
    "SampleKind",
    "TrainingHomePage",
]
