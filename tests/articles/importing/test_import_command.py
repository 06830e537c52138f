from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, ImportJob

pytestmark = pytest.mark.django_db


def test_imports_files_and_bulk_rows_recorded_as_the_user(tmp_path, editor):
    story = tmp_path / "story.txt"
    story.write_text("Officials said 12 bridges were closed in May for repairs.", encoding="cp1252")
    rows = tmp_path / "week.csv"
    rows.write_text(
        "title,text\nSchools,The ministry said 40 new schools opened in 2025.\n", encoding="utf-8"
    )
    out = StringIO()
    call_command("import_articles", str(story), str(rows), "--user", editor.username, "--inline", stdout=out)
    assert Article.objects.count() == 2
    assert set(ImportJob.objects.values_list("source", flat=True)) == {"files", "bulk"}
    article = Article.objects.get(title="Schools")
    assert article.history.first().history_user == editor
    assert "done 2" in out.getvalue()


def test_refuses_a_user_who_is_not_an_editor(tmp_path, reviewer):
    story = tmp_path / "story.txt"
    story.write_text("Officials said so.", encoding="utf-8")
    with pytest.raises(CommandError, match="not an editor"):
        call_command("import_articles", str(story), "--user", reviewer.username)


def test_reports_a_missing_file(editor):
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_articles", "/nonexistent/x.txt", "--user", editor.username)
