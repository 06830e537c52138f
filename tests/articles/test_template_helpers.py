"""The small rendering helpers that replace slower Django built-ins on the busy list pages."""

from __future__ import annotations

import pytest
from django import forms
from django.template import Context, Template

from articles.forms import CompactSelect
from articles.templatetags.verify_tags import clip
from tests import factories


@pytest.mark.parametrize(
    ("text", "length", "expected"),
    [
        ("Short enough.", 20, "Short enough."),
        ("Exactly ten", 11, "Exactly ten"),
        ("Unemployment fell to 4.2% in March", 12, "Unemploymen…"),
        ("Cut at a space here", 8, "Cut at…"),  # no space before the ellipsis
    ],
)
def test_clip_cuts_long_text_to_the_length_with_an_ellipsis(text, length, expected):
    assert clip(text, length) == expected
    assert len(clip(text, length)) <= length


def test_clip_output_is_still_escaped_by_the_template():
    html = Template("{% load verify_tags %}{{ text|clip:50 }}").render(
        Context({"text": "<b>Bold</b> & claim"})
    )
    assert html == "&lt;b&gt;Bold&lt;/b&gt; &amp; claim"


@pytest.mark.django_db
def test_reviewer_options_lists_reviewers_escaped_marks_the_away_and_can_leave_one_out():
    amy = factories.UserFactory(username="amy", first_name="Amy <A>", last_name="Jones")
    bob = factories.UserFactory(username="bob")
    amy.available_today, bob.available_today = True, False
    template = Template(
        "{% load verify_tags %}[{% reviewer_options people %}][{% reviewer_options people mark_away=True %}]"
        "[{% reviewer_options people exclude=amy_id %}]"
    )
    html = template.render(Context({"people": [amy, bob], "amy_id": amy.pk}))
    all_, marked, without_amy = html[1:-1].split("][")
    assert all_ == f'<option value="{amy.pk}">{amy}</option><option value="{bob.pk}">{bob}</option>'.replace(
        "<A>", "&lt;A&gt;"
    )
    assert f'<option value="{bob.pk}">{bob} (away)</option>' in marked
    assert "(away)" not in marked.split(f'value="{bob.pk}"')[0]
    assert without_amy == f'<option value="{bob.pk}">{bob}</option>'


def test_compact_select_renders_like_select_with_the_value_selected_and_labels_escaped():
    class Filter(forms.Form):
        article = forms.TypedChoiceField(
            required=False, coerce=int, empty_value=None, widget=CompactSelect,
            choices=[("", "Any article"), (7, "Jobs & pay (2)"), (12, "Schools")],
        )  # fmt: skip

    form = Filter({"article": "12"})
    assert form.is_valid()
    assert str(form["article"]) == (
        '<select id="id_article" name="article"><option value="">Any article</option>'
        '<option value="7">Jobs &amp; pay (2)</option><option value="12" selected>Schools</option></select>'
    )
    assert '<option value="" selected>Any article</option>' in str(Filter({})["article"])
