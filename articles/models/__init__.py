from .article import Article, ImportItem, ImportJob, content_hash, normalise_text
from .claim import LIFECYCLE, Assignment, Claim, Transition, TransitionError
from .comment import Comment
from .newsroom import NewsroomSettings
from .notification import Notification
from .review import Review, Source, Verdict

__all__ = [
    "LIFECYCLE",
    "Article",
    "Assignment",
    "Claim",
    "Comment",
    "ImportItem",
    "ImportJob",
    "NewsroomSettings",
    "Notification",
    "Review",
    "Source",
    "Transition",
    "TransitionError",
    "Verdict",
    "content_hash",
    "normalise_text",
]
