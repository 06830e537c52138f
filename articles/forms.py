from __future__ import annotations

from django import forms
from django.conf import settings
from django.db.models import Q
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from verify.accounts.models import User

from .models import Article, NewsroomSettings, Source, Verdict
from .models.review import http_url_validator
from .services import desk
from .services.queue import DUE_CHOICES, OPEN_STATUSES, QueueArticle


class PasteImportForm(forms.Form):
    title = forms.CharField(
        max_length=500, required=False, help_text="Optional: the first line is used when empty."
    )
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 16}), strip=False)

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        if not text.strip():
            raise forms.ValidationError("Paste the article text: it is empty.")
        limit = settings.VERIFY_MAX_PASTE_CHARS
        if len(text) > limit:
            raise forms.ValidationError(
                f"The text is {len(text):,} characters long; the limit is {limit:,}. "
                "Split the article or import it as a file."
            )
        return text.replace("\r\n", "\n")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; per-file checks happen in the import service."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            raise forms.ValidationError("Choose at least one file.")
        limit = settings.VERIFY_MAX_UPLOAD_FILES
        if len(files) > limit:
            raise forms.ValidationError(f"{len(files)} files chosen; the limit is {limit} per import.")
        return files


class FileImportForm(forms.Form):
    files = MultipleFileField(
        help_text="Text (.txt, .md), web pages (.html), Word (.docx) or PDF; several at once."
    )


def _http_url(value: str) -> str:
    value = value.strip()
    http_url_validator(value)
    return value


class UrlImportForm(forms.Form):
    urls = forms.CharField(
        label="Web page addresses", widget=forms.Textarea(attrs={"rows": 4}), help_text="One URL per line."
    )

    def clean_urls(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["urls"].splitlines() if line.strip()]
        if not lines:
            raise forms.ValidationError("Enter at least one URL.")
        limit = settings.VERIFY_MAX_URLS_PER_JOB
        if len(lines) > limit:
            raise forms.ValidationError(f"{len(lines)} URLs; the limit is {limit} per import.")
        bad = []
        for line in lines:
            try:
                _http_url(line)
            except forms.ValidationError:
                bad.append(line)
        if bad:
            raise forms.ValidationError(
                "Only http:// and https:// web addresses can be imported: " + ", ".join(bad[:5])
            )
        return list(dict.fromkeys(lines))


class FeedImportForm(forms.Form):
    feed_url = forms.CharField(label="Feed URL (RSS or Atom)", max_length=2000)

    def clean_feed_url(self) -> str:
        try:
            return _http_url(self.cleaned_data["feed_url"])
        except forms.ValidationError:
            raise forms.ValidationError("Enter an http:// or https:// feed address.") from None


class BulkImportForm(forms.Form):
    file = forms.FileField(
        label="CSV or JSON Lines file",
        help_text="Columns or keys: title, text or url (text wins when both are given), "
        "optional byline, published, site_name.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.VERIFY_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1e6:.1f} MB; the limit is "
                f"{settings.VERIFY_MAX_UPLOAD_BYTES / 1e6:.0f} MB. Split it into several jobs."
            )
        return upload


class AssignForm(forms.Form):
    reviewer = forms.ModelChoiceField(queryset=User.objects.none(), empty_label="Choose a reviewer")
    due_at = forms.DateTimeField(
        required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), label="Due"
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewer_queryset()


class AvailabilityForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["is_available", "unavailable_until"]
        labels = {"is_available": "Available for new claims", "unavailable_until": "Away until (back on)"}
        widgets = {"unavailable_until": forms.DateInput(attrs={"type": "date"})}
        help_texts = {"unavailable_until": "Leave empty when away until further notice."}

    def clean(self) -> dict:
        data = super().clean()
        if data.get("is_available"):
            data["unavailable_until"] = None
        return data


class BulkAssignForm(forms.Form):
    """Ticked claims to one reviewer, or spread by workload (no reviewer), with an optional due date."""

    reviewer = forms.ModelChoiceField(queryset=User.objects.none(), required=False)
    due_at = forms.DateTimeField(required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewer_queryset()


SELECTED = mark_safe(" selected")


class CompactSelect(forms.Select):
    """A flat <select> rendered in Python, for long lists of choices.

    Django's Select renders one template per option (about 50 µs each); the article
    filter of My claims lists every article of a reviewer's queue, hundreds on a busy
    desk. Same markup as Select for flat choices; option groups are not supported.
    """

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((v, SELECTED if str(v) in selected else "", label) for v, label in self.choices),
        )
        attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        return format_html("<select{}>{}</select>", flatatt(attrs), options)


class QueueFilterForm(forms.Form):
    """The filters of My claims: a GET form, so a stale or unknown value filters nothing."""

    status = forms.ChoiceField(required=False)
    due = forms.ChoiceField(required=False, choices=[("", "Any due date"), *DUE_CHOICES])
    article = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, widget=CompactSelect)

    def __init__(self, data, *, articles: list[QueueArticle]) -> None:
        super().__init__(data)
        self.fields["status"].choices = [("", "Any status")] + [(s.value, s.label) for s in OPEN_STATUSES]
        # The choices are the articles already loaded for the page: checking a value costs no query.
        self.fields["article"].choices = [("", "Any article")] + [
            (a.id, f"{a.title} ({a.open_count})") for a in articles
        ]

    def filters(self) -> dict:
        """The valid filters, as keyword arguments for `services.queue.queue_assignments`."""
        self.is_valid()  # invalid fields drop out of cleaned_data
        data = self.cleaned_data
        return {
            "status": data.get("status", ""),
            "due": data.get("due", ""),
            "article_id": data.get("article"),
        }


def reviewer_queryset():
    return User.objects.filter(is_active=True, groups__name="Reviewer").distinct().order_by("username")


CONFIDENCE_STEPS = [(20, "low"), (50, "moderate"), (70, "high"), (90, "very high")]


class DeskFilterForm(forms.Form):
    """The desk's filters, read from the query string; an invalid one is reported and ignored."""

    article = forms.ModelChoiceField(
        queryset=Article.objects.only("id", "title"),
        required=False,
        widget=forms.NumberInput(attrs={"min": 1, "placeholder": "Article #"}),
        error_messages={"invalid_choice": "There is no article with that number."},
    )
    reviewer = forms.ChoiceField(required=False)
    status = forms.ChoiceField(required=False)
    due = forms.ChoiceField(required=False, choices=[("", "Any due date"), *desk.DUE_CHOICES])

    def __init__(self, data, *, reviewers: list[User]) -> None:
        super().__init__(data)
        self.fields["reviewer"].choices = [
            ("", "Any reviewer"),
            (desk.UNASSIGNED, "Unassigned"),
            *((str(user.pk), str(user)) for user in reviewers),
        ]
        self.fields["status"].choices = [
            ("", "Open work"),
            *((str(s), s.label) for s in (*desk.OPEN_WORK, *desk.DONE_WORK)),
        ]

    def filters(self) -> dict:
        """Keyword arguments for `desk.desk_claims`: the valid filters only."""
        self.is_valid()
        cleaned = {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}
        article = cleaned.pop("article", None)
        filters = {key: value for key, value in cleaned.items() if value}
        if article is not None:
            filters["article_id"] = article.pk
        return filters


class ReviewForm(forms.Form):
    verdict = forms.ModelChoiceField(
        queryset=Verdict.objects.filter(archived=False), required=False, empty_label="No verdict yet"
    )
    confidence = forms.IntegerField(
        min_value=0,
        max_value=100,
        required=False,
        help_text="0-100: " + ", ".join(f"{n} {label}" for n, label in CONFIDENCE_STEPS) + ".",
        widget=forms.NumberInput(attrs={"list": "confidence-steps", "step": 1}),
    )
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text="The explanation readers will see on the fact sheet.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, current_verdict: Verdict | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if current_verdict is not None and current_verdict.archived:
            # An archived verdict stays selectable on the review that already uses it.
            self.fields["verdict"].queryset = Verdict.objects.filter(
                Q(archived=False) | Q(pk=current_verdict.pk)
            )


class SourceForm(forms.ModelForm):
    """One source. Its fields sit inside the review form, so the browser must not require them there."""

    use_required_attribute = False
    url = forms.CharField(label="URL", max_length=2000, validators=[http_url_validator])

    class Meta:
        model = Source
        fields = ["url", "title", "publisher", "excerpt", "accessed_on", "stance", "kind"]
        widgets = {
            "excerpt": forms.Textarea(attrs={"rows": 2}),
            "accessed_on": forms.DateInput(attrs={"type": "date"}),
        }

    def clean_url(self) -> str:
        url = self.cleaned_data["url"].strip()
        if not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError("Sources must be http:// or https:// links.")
        return url


SourceFormSet = forms.formset_factory(SourceForm, extra=1, max_num=50, can_delete=True)


class NewsroomSettingsForm(forms.ModelForm):
    class Meta:
        model = NewsroomSettings
        fields = [
            "name",
            "logo",
            "base_url",
            "claim_threshold",
            "self_assignment_allowed",
            "two_person_rule",
            "show_reviewer_names",
        ]

    def clean_claim_threshold(self) -> float:
        value = self.cleaned_data["claim_threshold"]
        if not 0 <= value <= 1:
            raise forms.ValidationError("The threshold is a score between 0 and 1.")
        return value


ROLE_CHOICES = [("Admin", "Admin"), ("Editor", "Editor"), ("Reviewer", "Reviewer")]


class MemberForm(forms.Form):
    username = forms.RegexField(regex=r"^[\w.@+-]+$", max_length=150)
    email = forms.EmailField()
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    roles = forms.MultipleChoiceField(
        choices=ROLE_CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )
    is_active = forms.BooleanField(required=False, initial=True, label="Active")

    def __init__(self, *args, instance: User | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance = instance
        if instance is not None:
            self.fields["username"].disabled = True
        else:
            del self.fields["is_active"]

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if self.instance is None and User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("That username is taken.")
        return username


class VerdictForm(forms.ModelForm):
    class Meta:
        model = Verdict
        fields = ["name", "rating_value", "colour", "description", "no_evidence_needed", "archived"]
        widgets = {
            "colour": forms.TextInput(attrs={"type": "color"}),
            "description": forms.Textarea(attrs={"rows": 2}),
        }


class ExportForm(forms.Form):
    """A bulk export: ticked or numbered articles, or those published in a date range, in chosen formats."""

    articles = forms.CharField(
        required=False,
        label="Article numbers",
        help_text="Separated by commas or spaces; or leave empty and give a date range.",
        widget=forms.TextInput(attrs={"placeholder": "12, 15, 40"}),
    )
    published_from = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    published_to = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    formats = forms.MultipleChoiceField(choices=(), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from .exporters import EXPORTERS

        self.fields["formats"].choices = [(key, e.label) for key, e in EXPORTERS.items()]

    def clean_articles(self) -> list[int]:
        raw = self.cleaned_data["articles"].replace(",", " ").split()
        try:
            return [int(x.lstrip("#")) for x in raw]
        except ValueError:
            raise forms.ValidationError("Give article numbers only, e.g. 12, 15, 40.") from None

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("articles") and not (data.get("published_from") or data.get("published_to")):
            raise forms.ValidationError("Give article numbers or a date range of publication.")
        return data


class PublishForm(forms.Form):
    partial = forms.BooleanField(
        required=False, label="Publish as partial (some claims are still being checked; the sheet says so)"
    )
    correction_note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required for every version after the first: what changed and why.",
    )
