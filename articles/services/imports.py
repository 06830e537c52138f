"""Import workflows: every channel becomes ImportItems processed by one service.

A job holds the input; each item is one article to import, processed by its
own Celery task (`articles.tasks.import_item`). Feeds and bulk files are
expanded into items inside a task (`expand_import`), never in the request.
Both tasks are safe to run twice and to be redelivered after a worker dies.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from simple_history.utils import bulk_create_with_history

from verify.accounts.models import User

from ..models import Article, ImportItem, ImportJob, content_hash
from .claims import store_extracted_claims
from .faults import MAX_ATTEMPTS, send

log = logging.getLogger(__name__)

BULK_FIELDS = ("title", "text", "url", "byline", "author", "published", "site_name")


class ImportProblem(Exception):
    """A permanent, explainable reason an item cannot be imported."""


class TransientImportProblem(Exception):
    """A temporary failure (network): the task retries with backoff."""


@dataclass(frozen=True)
class ArticleInput:
    title: str
    body: str
    url: str = ""
    canonical_url: str = ""
    byline: str = ""
    site_name: str = ""
    published_at: datetime | None = None
    language: str = ""
    sanitized_html: str = ""
    metadata: dict = field(default_factory=dict)


# --- starting jobs (called by views and the management command) ----------


def _new_job(*, source: str, label: str, submitted_by: User, **fields) -> ImportJob:
    job = ImportJob(source=source, label=label[:500], created_by=submitted_by, **fields)
    job._history_user = submitted_by
    job.save()
    return job


def _add_items(job: ImportJob, items: list[ImportItem], *, by: User) -> list[ImportItem]:
    for position, item in enumerate(items):
        item.job = job
        item.position = position
    return bulk_create_with_history(items, ImportItem, default_user=by, batch_size=500)


def _dispatch_items(job_id: int) -> None:
    """Send the job's queued items (after commit). With the broker away, the first failure stops
    the loop: the items stay queued and the sweeper sends them once it is back."""
    from ..tasks import import_item

    queued = ImportItem.objects.filter(job_id=job_id, status=ImportItem.Status.QUEUED)
    ids = list(queued.values_list("id", flat=True))
    queued.filter(pk__in=ids).update(dispatched_at=timezone.now())
    for item_id in ids:
        if not send(import_item, item_id):
            return


def _dispatch_expand(job_id: int) -> None:
    from ..tasks import expand_import

    ImportJob.objects.filter(pk=job_id).update(dispatched_at=timezone.now())
    send(expand_import, job_id)


def start_paste_import(*, title: str, text: str, submitted_by: User) -> ImportJob:
    """Queue a pasted article; a worker stores it after commit."""
    with transaction.atomic():
        job = _new_job(source=ImportJob.Source.PASTE, label=title or "Pasted text", submitted_by=submitted_by)
        _add_items(
            job,
            [ImportItem(kind=ImportItem.Kind.TEXT, label="Pasted text", title=title.strip(), text=text)],
            by=submitted_by,
        )
        transaction.on_commit(lambda: _dispatch_items(job.pk))
    return job


def start_file_import(*, files: list[UploadedFile], submitted_by: User) -> ImportJob:
    """Queue uploaded files, one item each; the bytes stay in storage until imported."""
    names = ", ".join(f.name for f in files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
    with transaction.atomic():
        job = _new_job(source=ImportJob.Source.FILES, label=names, submitted_by=submitted_by)
        items = []
        limit = settings.VERIFY_MAX_UPLOAD_BYTES
        for upload in files:
            item = ImportItem(kind=ImportItem.Kind.FILE, label=upload.name[:500])
            if upload.size == 0:
                item.status, item.error = ImportItem.Status.FAILED, "The file is empty."
            elif upload.size > limit:
                # Refused before storage; the other files of the job still import.
                item.status = ImportItem.Status.FAILED
                item.error = f"The file is {upload.size / 1e6:.1f} MB; the limit is {limit / 1e6:.0f} MB."
            else:
                item.upload.save(upload.name, upload, save=False)
            items.append(item)
        _add_items(job, items, by=submitted_by)
        finish_job_if_complete(job.pk)  # every file may have been refused already
        transaction.on_commit(lambda: _dispatch_items(job.pk))
    return job


def start_url_import(*, urls: list[str], submitted_by: User) -> ImportJob:
    with transaction.atomic():
        label = urls[0] + (f" and {len(urls) - 1} more" if len(urls) > 1 else "")
        job = _new_job(source=ImportJob.Source.URLS, label=label, submitted_by=submitted_by)
        _add_items(
            job, [ImportItem(kind=ImportItem.Kind.URL, label=u[:500], url=u) for u in urls], by=submitted_by
        )
        transaction.on_commit(lambda: _dispatch_items(job.pk))
    return job


def start_feed_import(*, feed_url: str, submitted_by: User) -> ImportJob:
    with transaction.atomic():
        job = _new_job(
            source=ImportJob.Source.FEED, label=feed_url, feed_url=feed_url, submitted_by=submitted_by
        )
        transaction.on_commit(lambda: _dispatch_expand(job.pk))
    return job


def start_bulk_import(*, upload: UploadedFile, submitted_by: User) -> ImportJob:
    with transaction.atomic():
        job = _new_job(source=ImportJob.Source.BULK, label=upload.name, submitted_by=submitted_by)
        job.upload.save(upload.name, upload, save=True)
        transaction.on_commit(lambda: _dispatch_expand(job.pk))
    return job


# --- expanding feeds and bulk files (in a task) ---------------------------


def expand_job(*, job_id: int) -> None:
    """Turn a feed or bulk file into items and send them; safe to run twice."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.items.exists():
        # Expanded already (this is a redelivery): just make sure the queued items are sent.
        _dispatch_items(job.pk)
        return
    # Counted like items' attempts: a file that kills the worker while it is read is failed as poison.
    taken = ImportJob.objects.filter(
        pk=job.pk, status__in=[ImportJob.Status.QUEUED, ImportJob.Status.RUNNING], attempts__lt=MAX_ATTEMPTS
    ).update(status=ImportJob.Status.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1)
    if not taken:
        if not job.is_finished:
            _fail_job(job, f"Stopped after crashing a worker {MAX_ATTEMPTS} times while reading the input.")
        return
    try:
        if job.source == ImportJob.Source.BULK:
            items = parse_bulk(job.upload.open("rb").read(), name=job.upload.name)
        elif job.source == ImportJob.Source.FEED:
            items = feed_items(job.feed_url)
        else:
            raise ImportProblem(f"A {job.get_source_display()} job has nothing to expand.")
        if not items:
            raise ImportProblem("The file or feed holds no articles.")
    except TransientImportProblem:
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.QUEUED, attempts=0)
        raise
    except ImportProblem as exc:
        _fail_job(job, str(exc))
        return
    except Exception as exc:  # a bug or a lost file: say so on the job instead of hanging
        log.exception("expanding import job %s failed", job_id)
        _fail_job(job, f"Unexpected error while reading the input ({exc.__class__.__name__}).")
        return
    with transaction.atomic():
        if ImportJob.objects.select_for_update().get(pk=job.pk).items.exists():
            return  # another delivery expanded it meanwhile
        _add_items(job, items, by=job.created_by)
        finish_job_if_complete(job.pk)  # every row may have failed already
        transaction.on_commit(lambda: _dispatch_items(job.pk))
    if job.upload:
        # The rows now live in the items: the bulk file is no longer needed.
        job.upload.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(upload="")


def _fail_job(job: ImportJob, message: str) -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.FAILED, error=message, finished_at=timezone.now()
    )


def parse_bulk(data: bytes, *, name: str = "") -> list[ImportItem]:
    """Items from a CSV (header row) or JSON Lines file; bad rows become failed items."""
    limit = settings.VERIFY_BULK_MAX_ROWS
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportProblem("The bulk file is not UTF-8 text; save it as UTF-8 CSV or JSON Lines.") from None
    stripped = text.lstrip()
    if not stripped:
        raise ImportProblem("The bulk file is empty.")
    rows: list[tuple[str, dict | None, str]] = []  # (label, row, error)
    if name.lower().endswith((".jsonl", ".ndjson", ".json")) or stripped.startswith("{"):
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                rows.append((f"line {number}", None, f"Line {number} is not valid JSON ({exc.msg})."))
                continue
            if not isinstance(row, dict):
                rows.append((f"line {number}", None, f"Line {number} is not a JSON object."))
                continue
            rows.append((f"line {number}", row, ""))
    else:
        try:
            reader = csv.DictReader(io.StringIO(text))
            if not reader.fieldnames or not {"text", "url"} & {f.strip().lower() for f in reader.fieldnames}:
                raise ImportProblem("The CSV needs a header row with a 'text' or 'url' column.")
            for number, row in enumerate(reader, 2):
                clean = {(k or "").strip().lower(): (v or "") for k, v in row.items() if k is not None}
                rows.append((f"row {number}", clean, ""))
        except csv.Error as exc:
            raise ImportProblem(f"The CSV cannot be read: {exc}.") from None
    if len(rows) > limit:
        raise ImportProblem(f"The file has {len(rows):,} rows; the limit is {limit:,} per job.")
    return [_bulk_item(label, row, error) for label, row, error in rows]


def _bulk_item(label: str, row: dict | None, error: str) -> ImportItem:
    if row is None:
        return ImportItem(
            kind=ImportItem.Kind.TEXT, label=label, status=ImportItem.Status.FAILED, error=error
        )
    values = {k: str(v).strip() if v is not None else "" for k, v in row.items()}
    metadata = {k: values[k] for k in ("byline", "author", "published", "site_name") if values.get(k)}
    extra = {k: v for k, v in values.items() if k not in BULK_FIELDS and v}
    if extra:
        metadata["extra"] = extra
    title, text, url = values.get("title", ""), row.get("text") or "", values.get("url", "")
    text = str(text)
    if text.strip():  # text wins when both are given; the URL is kept as its source
        return ImportItem(
            kind=ImportItem.Kind.TEXT,
            label=f"{label}: {title or url}"[:500],
            title=title,
            text=text,
            url=url,
            metadata=metadata,
        )
    if url:
        return ImportItem(
            kind=ImportItem.Kind.URL, label=f"{label}: {url}"[:500], title=title, url=url, metadata=metadata
        )
    return ImportItem(
        kind=ImportItem.Kind.TEXT,
        label=label,
        status=ImportItem.Status.FAILED,
        error=f"{label.capitalize()} has neither text nor url.",
    )


def feed_items(feed_url: str) -> list[ImportItem]:
    from .reading import read_feed

    return [
        ImportItem(
            kind=ImportItem.Kind.URL,
            label=entry.link[:500],
            title=entry.title,
            url=entry.link,
            metadata=entry.metadata,
        )
        for entry in read_feed(feed_url)
    ]


# --- processing one item (in a task) ---------------------------------------


def claim_item(item_id: int, *, worker: str = "") -> bool:
    """Take the item for this worker. False when it is finished or poisoned.

    The conditional UPDATE lets a redelivered message take an item left
    `running` by a dead worker, while `attempts` counts such takes.
    """
    now = timezone.now()
    changed = ImportItem.objects.filter(
        Q(status=ImportItem.Status.QUEUED) | Q(status=ImportItem.Status.RUNNING),
        pk=item_id,
        attempts__lt=MAX_ATTEMPTS,
    ).update(status=ImportItem.Status.RUNNING, attempts=F("attempts") + 1, started_at=now, worker=worker)
    if changed:
        ImportJob.objects.filter(items__pk=item_id, status=ImportJob.Status.QUEUED).update(
            status=ImportJob.Status.RUNNING, started_at=now
        )
    return changed == 1


def process_item(*, item_id: int, final_attempt: bool = True, worker: str = "") -> None:
    """Import one item; safe to run twice. Raises TransientImportProblem to retry."""
    if not claim_item(item_id, worker=worker):
        item = ImportItem.objects.filter(pk=item_id).first()
        if item is not None and not item.is_finished and item.attempts >= MAX_ATTEMPTS:
            _finish_item(
                item_id,
                ImportItem.Status.FAILED,
                error=f"Stopped after crashing a worker {MAX_ATTEMPTS} times; this item is not retried "
                "automatically.",
            )
        return
    item = ImportItem.objects.select_related("job__created_by").get(pk=item_id)
    user = item.job.created_by
    try:
        data = read_item(item)
    except TransientImportProblem as exc:
        if final_attempt:
            _finish_item(item_id, ImportItem.Status.FAILED, error=f"{exc} (gave up after several tries)")
            return
        ImportItem.objects.filter(pk=item_id).update(
            status=ImportItem.Status.QUEUED, attempts=0, error=str(exc)
        )
        raise
    except ImportProblem as exc:
        _finish_item(item_id, ImportItem.Status.FAILED, error=str(exc))
        return
    except Exception as exc:  # a bug or a library failure: fail the item, keep the worker
        log.exception("import item %s failed", item_id)
        _finish_item(
            item_id,
            ImportItem.Status.FAILED,
            error=f"Unexpected error while reading this item ({exc.__class__.__name__}).",
        )
        return
    try:
        store_item_article(item=item, data=data, by=user)
    except OperationalError as exc:  # the database went away or a lock timed out: try again later
        if final_attempt:
            _finish_item(
                item_id, ImportItem.Status.FAILED, error="The database was unavailable; retry the item."
            )
            return
        ImportItem.objects.filter(pk=item_id).update(status=ImportItem.Status.QUEUED, attempts=0)
        raise TransientImportProblem(f"Database unavailable: {exc.__class__.__name__}") from exc
    except Exception as exc:
        log.exception("storing import item %s failed", item_id)
        _finish_item(
            item_id,
            ImportItem.Status.FAILED,
            error=f"Unexpected error while storing this article ({exc.__class__.__name__}).",
        )


def read_item(item: ImportItem) -> ArticleInput:
    from . import reading

    if item.kind == ImportItem.Kind.TEXT:
        return reading.from_text(item)
    if item.kind == ImportItem.Kind.FILE:
        return reading.from_file(item)
    return reading.from_url(item)


def store_item_article(*, item: ImportItem, data: ArticleInput, by: User) -> None:
    """Store the article once: duplicate text or URL, and changed URL, are reported instead."""
    limit = settings.VERIFY_MAX_PASTE_CHARS
    if not data.body.strip():
        _finish_item(item.pk, ImportItem.Status.FAILED, error="No article text was found.")
        return
    if len(data.body) > limit:
        _finish_item(
            item.pk,
            ImportItem.Status.FAILED,
            error=f"The text is {len(data.body):,} characters long; the limit is {limit:,}.",
        )
        return
    for _ in range(2):  # a lost race with another item is resolved on the second pass
        try:
            with transaction.atomic():
                locked = ImportItem.objects.select_for_update().get(pk=item.pk)
                if locked.is_finished:
                    return  # another delivery got here first
                outcome = _store(locked, data, by)
                _finish_item(item.pk, *outcome)
                return
        except IntegrityError:
            continue
    _finish_item(
        item.pk, ImportItem.Status.FAILED, error="Another import of the same article kept colliding."
    )


def _store(item: ImportItem, data: ArticleInput, by: User) -> tuple[str, str, Article | None]:
    digest = content_hash(data.body)
    same_text = Article.objects.filter(content_hash=digest).first()
    if same_text is not None:
        return (ImportItem.Status.DUPLICATE, f"Already imported as “{same_text.title}”.", same_text)
    key_url = data.canonical_url or data.url
    if key_url:
        same_url = Article.objects.filter(
            Q(canonical_url=key_url) | Q(source_url=key_url), is_superseded=False
        ).first()
        if same_url is not None:
            # Keep the new text on the item so an editor can import it as a new version.
            ImportItem.objects.filter(pk=item.pk).update(
                title=data.title[:500], text=data.body, metadata=_metadata(data)
            )
            return (
                ImportItem.Status.CHANGED,
                f"This URL was imported before as “{same_url.title}” and its text has changed since.",
                same_url,
            )
    article = create_article(data, by=by)
    return (ImportItem.Status.DONE, "", article)


def _metadata(data: ArticleInput) -> dict:
    return {
        **data.metadata,
        "url": data.url,
        "canonical_url": data.canonical_url,
        "byline": data.byline,
        "site_name": data.site_name,
        "published": data.published_at.isoformat() if data.published_at else "",
        "language": data.language,
    }


def create_article(data: ArticleInput, *, by: User, supersedes: Article | None = None) -> Article:
    article = Article(
        title=(data.title or _title_from(data.body))[:500],
        body=data.body,
        content_hash=content_hash(data.body),
        source_url=data.url,
        canonical_url=data.canonical_url or data.url,
        byline=data.byline[:500],
        site_name=data.site_name[:300],
        published_at=data.published_at,
        language=data.language,
        sanitized_html=data.sanitized_html,
        supersedes=supersedes,
        created_by=by,
    )
    article._history_user = by
    article.save()
    store_extracted_claims(article=article, by=by)
    return article


def _finish_item(item_id: int, status: str, error: str = "", article: Article | None = None) -> None:
    with transaction.atomic():
        ImportItem.objects.filter(pk=item_id).update(
            status=status, error=error, article=article, attempts=0, finished_at=timezone.now()
        )
        item = ImportItem.objects.only("job_id", "upload").get(pk=item_id)
        if status != ImportItem.Status.FAILED and item.upload:
            # The file has served its purpose; failed items keep theirs for a retry.
            path = item.upload.name
            ImportItem.objects.filter(pk=item_id).update(upload="")
            transaction.on_commit(lambda: item.upload.storage.delete(path))
        # After commit, not inside: two items finishing at once on PostgreSQL would
        # each see the other still pending and neither would close the job. Checked
        # after each commit, the last item to commit always sees all the others.
        job_id = item.job_id
        transaction.on_commit(lambda: finish_job_if_complete(job_id))


def finish_job_if_complete(job_id: int) -> None:
    """Mark the job done once it has items and none is queued or running."""
    items = ImportItem.objects.filter(job_id=job_id)
    pending = items.filter(status__in=[ImportItem.Status.QUEUED, ImportItem.Status.RUNNING]).exists()
    if not pending and items.exists():
        ImportJob.objects.filter(
            pk=job_id, status__in=[ImportJob.Status.QUEUED, ImportJob.Status.RUNNING]
        ).update(status=ImportJob.Status.DONE, finished_at=timezone.now())


def _title_from(text: str) -> str:
    first = text.strip().split("\n", 1)[0]
    return first[:120] or "Untitled article"


def parse_published(value: str) -> datetime | None:
    if not value:
        return None
    parsed = parse_datetime(value)
    if parsed is None:
        try:
            parsed = datetime.fromisoformat(value[:10])
        except ValueError:
            return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, timezone.get_current_timezone())
    return parsed


# --- editors' follow-up actions --------------------------------------------


def retry_failed_items(*, job: ImportJob, by: User) -> int:
    """Queue the job's failed items again; returns how many were queued."""
    with transaction.atomic():
        retryable = (
            job.items.filter(status=ImportItem.Status.FAILED)
            .exclude(kind=ImportItem.Kind.FILE, upload="")
            .filter(~Q(kind=ImportItem.Kind.TEXT) | ~Q(text=""))
        )
        count = retryable.update(status=ImportItem.Status.QUEUED, attempts=0, error="", finished_at=None)
        if count:
            ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, finished_at=None)
            log.info("%s queued %s failed items of job %s again", by, count, job.pk)
            transaction.on_commit(lambda: _dispatch_items(job.pk))
    return count


def import_changed_version(*, item: ImportItem, by: User) -> Article:
    """Import a changed page as a new article that supersedes the earlier one."""
    with transaction.atomic():
        item = ImportItem.objects.select_for_update().get(pk=item.pk)
        if item.status != ImportItem.Status.CHANGED or item.article is None:
            raise ImportProblem("Only an item reported as changed since import can become a new version.")
        old = Article.objects.select_for_update().get(pk=item.article_id)
        if old.is_superseded:
            raise ImportProblem("A newer version of this article exists already.")
        old.is_superseded = True
        old._history_user = by
        old._change_reason = "superseded by a newer import"
        old.save()
        meta = item.metadata or {}
        data = ArticleInput(
            title=item.title or old.title,
            body=item.text,
            url=meta.get("url") or item.url,
            canonical_url=meta.get("canonical_url", ""),
            byline=meta.get("byline", ""),
            site_name=meta.get("site_name", ""),
            published_at=parse_published(meta.get("published", "")),
            language=meta.get("language", ""),
        )
        article = create_article(data, by=by, supersedes=old)
        ImportItem.objects.filter(pk=item.pk).update(status=ImportItem.Status.DONE, article=article, error="")
        return article


def purge_old_uploads(*, older_than_days: int | None = None) -> int:
    """Delete kept upload files of items and jobs older than the retention period.

    Failed items keep their file so that a retry can read it again; after the
    retention period the file goes and the item says so if retried.
    """
    days = settings.VERIFY_IMPORT_RETENTION_DAYS if older_than_days is None else older_than_days
    cutoff = timezone.now() - timezone.timedelta(days=days)
    removed = 0
    for item in ImportItem.objects.filter(job__created_at__lt=cutoff).exclude(upload="").only("id", "upload"):
        item.upload.delete(save=False)
        ImportItem.objects.filter(pk=item.pk).update(upload="")
        removed += 1
    for job in ImportJob.objects.filter(created_at__lt=cutoff).exclude(upload="").only("id", "upload"):
        job.upload.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(upload="")
        removed += 1
    return removed
