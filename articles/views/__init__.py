from .claims import claim_approve, claim_assign
from .factsheets import factsheet_download
from .imports import import_paste, job_detail
from .newsroom import health, newsroom_settings
from .pages import article_detail, claim_history, dashboard, my_claims
from .people import people, person_edit, verdict_delete, verdict_edit, verdicts
from .reviews import review_edit

__all__ = [
    "article_detail",
    "claim_approve",
    "claim_assign",
    "claim_history",
    "dashboard",
    "factsheet_download",
    "health",
    "import_paste",
    "job_detail",
    "my_claims",
    "newsroom_settings",
    "review_edit",
    "people",
    "person_edit",
    "verdicts",
    "verdict_edit",
    "verdict_delete",
]
