from .claims import claim_approve, claim_assign, claim_reassign, claim_take, claim_unassign
from .comments import claim_comments
from .curation import (
    article_reextract,
    claim_add,
    claim_discard,
    claim_edit,
    claim_merge,
    claim_promote,
    claim_restore,
    claim_split,
    claims_bulk,
)
from .factsheets import factsheet_download
from .imports import (
    import_bulk,
    import_feed,
    import_files,
    import_paste,
    import_urls,
    item_new_version,
    job_detail,
    job_list,
    job_retry,
)
from .newsroom import health, newsroom_settings
from .notifications import (
    member_availability,
    my_availability,
    notification_open,
    notifications,
    notifications_read,
)
from .pages import article_detail, claim_history, dashboard, my_claims
from .people import people, person_edit, verdict_delete, verdict_edit, verdicts
from .reviews import review_edit

__all__ = [
    "member_availability",
    "my_availability",
    "claim_reassign",
    "claim_take",
    "claim_unassign",
    "notification_open",
    "notifications",
    "notifications_read",
    "article_reextract",
    "claim_add",
    "claim_discard",
    "claim_edit",
    "claim_merge",
    "claim_promote",
    "claim_restore",
    "claim_split",
    "claims_bulk",
    "article_detail",
    "claim_approve",
    "claim_assign",
    "claim_comments",
    "claim_history",
    "dashboard",
    "factsheet_download",
    "health",
    "import_paste",
    "import_files",
    "import_urls",
    "import_feed",
    "import_bulk",
    "job_list",
    "job_retry",
    "item_new_version",
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
