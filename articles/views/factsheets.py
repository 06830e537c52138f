from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from ..exporters import EXPORTERS
from ..models import Article
from ..permissions import Rule, access
from ..services.factsheets import build_factsheet
from ..types import AuthedRequest


@access(Rule.WORK)
@require_GET
def factsheet_download(request: AuthedRequest, article_id: int, fmt: str) -> HttpResponse:
    exporter = EXPORTERS.get(fmt)
    if exporter is None:
        raise Http404("Unknown format.")
    article = get_object_or_404(Article, pk=article_id)
    filename, content_type, body = exporter.render(build_factsheet(article=article))
    response = HttpResponse(body, content_type=content_type)
    # The HTML sheet opens in the tab as a preview (the app's CSP still applies); the rest download.
    disposition = "inline" if exporter.inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
