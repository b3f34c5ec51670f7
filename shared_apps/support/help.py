"""The help centre: short guides per role (sign in, activate an account, justify an absence, take
a register…), written by the region's operators, searched in French (PostgreSQL full-text search:
stemming, accents and stop words of the ``french`` configuration), open to anyone, signed in or
not. Linked from every page's footer and from the sign-in page."""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext as _

from mbn_platform.kernel.actors import Actor, actor_id
from mbn_platform.kernel.audit import audit_changes, audit_record
from mbn_platform.kernel.errors import ValidationFailed
from shared_apps.support.models import HelpAudience, HelpGuide

SEARCH_VECTOR = SearchVector("title", weight="A", config="french") + SearchVector(
    "summary", "body", weight="B", config="french"
)


def help_guides(*, query: str = "", include_drafts: bool = False) -> QuerySet[HelpGuide]:
    """Published guides (every guide for their editors), the best matches first when searched."""
    guides = HelpGuide.objects.all() if include_drafts else HelpGuide.objects.filter(published=True)
    if not query:
        return guides.order_by("audience", "title")
    search = SearchQuery(query, config="french", search_type="websearch")
    return (
        guides.annotate(rank=SearchRank(SEARCH_VECTOR, search))
        .filter(rank__gt=0)
        .order_by(F("rank").desc(), "title")
    )


@transaction.atomic
def help_guide_save(
    *,
    actor: Actor | None,
    guide: HelpGuide | None,
    title: str,
    summary: str,
    body: str,
    audience: str,
    published: bool,
) -> HelpGuide:
    """Write a guide (a new one when ``guide`` is None); its address comes from its title."""
    title, summary, body = title.strip(), summary.strip(), body.strip()
    errors: dict[str, list[str]] = {}
    if not 3 <= len(title) <= 150:
        errors["title"] = [_("A title of 3 to 150 characters.")]
    if not body:
        errors["body"] = [_("Write the guide.")]
    if audience not in HelpAudience.values:
        errors["audience"] = [_("Choose who it is for.")]
    if errors:
        raise ValidationFailed(fields=errors)
    before = (
        {}
        if guide is None
        else {"title": guide.title, "audience": guide.audience, "published": guide.published}
    )
    if guide is None:
        base = slugify(title)[:70] or "guide"
        slug, n = base, 1
        while HelpGuide.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        guide = HelpGuide(slug=slug)
    guide.title, guide.summary, guide.body = title, summary[:300], body
    guide.audience, guide.published, guide.updated_by_id = audience, published, actor_id(actor)
    guide.save()
    audit_record(
        actor=actor,
        action="support.help_guide_saved",
        target=guide,
        details=audit_changes(before, {"title": title, "audience": audience, "published": published}),
    )
    return guide
