"""Document-level entities: mentions of one thing grouped, persons' job titles attached."""

from .grouping import group_mentions, mention_key
from .titles import TitleSpan, find_titles

__all__ = ["group_mentions", "mention_key", "find_titles", "TitleSpan", "EntitiesComponent"]


def __getattr__(name: str):
    if name == "EntitiesComponent":
        from .component import EntitiesComponent

        return EntitiesComponent
    raise AttributeError(name)
