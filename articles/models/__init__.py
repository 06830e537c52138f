from .article import Article, ImportItem, ImportJob, content_hash, normalise_text
from .claim import LIFECYCLE, Assignment, Claim, Transition, TransitionError
from .comment import Comment
from .newsroom import NewsroomSettings
from .notification import Notification
from .publication import ExportJob, Publication, PublicationVersion
from .review import Review, Source, Verdict
from .worker import WorkerHeartbeat

__all__ = [
    "LIFECYCLE",
    "Article",
    "Assignment",
    "Claim",
    "Comment",
    "ExportJob",
    "ImportItem",
    "ImportJob",
    "NewsroomSettings",
    "Notification",
    "Publication",
    "PublicationVersion",
    "Review",
    "Source",
    "Transition",
    "TransitionError",
    "Verdict",
    "WorkerHeartbeat",
    "content_hash",
    "normalise_text",
]
