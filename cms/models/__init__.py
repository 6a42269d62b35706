"""The public site's page types. One module per part of the site."""

from .fund import FundPage
from .home import HomePage
from .information import StandardPage
from .mistakes import MistakeArchivePage, MistakeYearPage
from .stories import LessonIndexPage, LessonPage, ResultIndexPage, ResultPage

__all__ = [
    "FundPage",
    "HomePage",
    "LessonIndexPage",
    "LessonPage",
    "MistakeArchivePage",
    "MistakeYearPage",
    "ResultIndexPage",
    "ResultPage",
    "StandardPage",
]
