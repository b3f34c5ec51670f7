"""Rich text people write (a lesson's content, homework instructions): sanitised once, when it is
saved, by nh3 (the Ammonia sanitiser) to a small set of tags, so that what is stored may be served
as it is. Scripts, styles, event handlers and ``javascript:`` links never survive."""

from __future__ import annotations

import nh3

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup", "ul", "ol", "li",
        "h3", "h4", "blockquote", "code", "pre", "a", "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}


def rich_text_clean(html: str) -> str:
    """The HTML with only the allowed tags and attributes (links get ``rel="noopener noreferrer"``,
    only http, https and mailto addresses), stripped of surrounding blanks."""
    return nh3.clean(
        html or "",
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


def rich_text_is_empty(html: str) -> bool:
    return not nh3.clean(html or "", tags=set()).strip()
