from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

from django.core.management import call_command

SAMPLE = Path(__file__).resolve().parents[3] / "articles" / "fixtures" / "russia-foreign-recruits.txt"


def run(*args) -> list[dict]:
    out = StringIO()
    call_command("extract_claims", *args, stdout=out, stderr=StringIO())
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_prints_one_json_object_per_claim_with_offsets_and_no_tail_lines():
    text = SAMPLE.read_text(encoding="utf-8")
    claims = run(str(SAMPLE))
    assert len(claims) >= 15
    for claim in claims:
        assert set(claim) == {"text", "start", "end", "score", "type", "attribution", "via", "highlights"}
        assert text[claim["start"] : claim["end"]] == claim["text"]
    assert not any("Rashford" in c["text"] or "You may also like" in c["text"] for c in claims)
    cnn = next(c for c in claims if c["text"].startswith("CNN reported"))
    assert (cnn["attribution"], cnn["via"]) == ("Ukrainian intelligence assessment", "CNN")


def test_a_higher_threshold_gives_fewer_claims():
    assert len(run(str(SAMPLE), "--threshold", "0.99")) < len(run(str(SAMPLE), "--threshold", "0.1"))


def test_sentences_mode_scores_each_line_in_order(tmp_path):
    path = tmp_path / "lines.txt"
    path.write_text("Unemployment fell to 4.1% in 2024.\nWhat a lovely day it is!\n", encoding="utf-8")
    rows = run(str(path), "--sentences")
    assert [r["text"] for r in rows] == ["Unemployment fell to 4.1% in 2024.", "What a lovely day it is!"]
    assert rows[0]["score"] > rows[1]["score"]
    assert rows[0]["is_claim"] is True and rows[1]["is_claim"] is False
