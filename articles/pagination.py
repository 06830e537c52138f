"""Pages of long lists that stay cheap deep into the archive."""

from __future__ import annotations

from django.db.models import Model, QuerySet


def rows_in_order(queryset: QuerySet, ids: list[int]) -> list[Model]:
    """The rows of `queryset` with these primary keys, in the order of `ids` (one query)."""
    rows = {row.pk: row for row in queryset.filter(pk__in=ids).order_by()}
    return [rows[pk] for pk in ids if pk in rows]


class IdsFirst:
    """An ordered queryset for a Paginator that reads a page's ids before its rows.

    `OFFSET 18000` over the full rows makes PostgreSQL fetch and throw away 18,000
    rows; over the ids alone it walks the ordering index without touching the table
    (an index-only scan), and the page's rows are then read by primary key. Two
    queries per page instead of one, the same at page 1 and page 400.
    """

    def __init__(self, queryset: QuerySet) -> None:
        self.queryset = queryset

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, page: slice) -> list[Model]:
        return rows_in_order(self.queryset, list(self.queryset.values_list("pk", flat=True)[page]))
