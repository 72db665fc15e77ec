"""An email's HTML part made safe to show the coordinator: sanitised, and served in a sandbox of its own.

Our emails' HTML is made from templates, but it carries what people typed (objective titles, progress),
and an outbox row may have been written by an older version or by hand: treat it as hostile. nh3 keeps
the layout tags and the inline styles our emails use, drops scripts, event handlers, forms, frames and
images (an external image is a tracking pixel), and makes every link open a new tab without a referrer.
The page that shows it puts it in a sandboxed iframe, and the response itself carries a policy that
allows no script, no fetch and no image from anywhere, so a tag nh3 let through could still do nothing.
"""

import nh3

# Layout and text only: no img (tracking pixels), no form, no iframe, no style or link elements.
TAGS = {
    "a", "b", "blockquote", "br", "caption", "code", "dd", "div", "dl", "dt", "em", "h1", "h2", "h3", "h4",
    "hr", "i", "li", "ol", "p", "pre", "small", "span", "strong", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "u", "ul",
}
# Dropped with everything inside them: their content is code or metadata, never the message.
DROPPED_WITH_CONTENT = {"script", "style", "head", "title", "noscript", "template", "iframe", "object"}
ATTRIBUTES = {"*": {"style"}, "a": {"href"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan", "scope"}}
# The properties our email templates use; anything that loads (background, content: url(...)) is left out.
STYLE_PROPERTIES = {
    "border", "border-bottom", "border-left", "border-top", "border-right", "border-collapse", "color",
    "font-family", "font-size", "font-style", "font-weight", "line-height", "margin", "margin-bottom",
    "margin-left", "margin-right", "margin-top", "padding", "padding-bottom", "padding-left", "padding-right",
    "padding-top", "text-align", "text-decoration", "vertical-align", "width", "white-space", "display",
    "background-color",
}

# The policy of the HTML part's own response: nothing runs or loads; inline styles only; the Emails page
# of this site is the only one that may frame it.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'self'; sandbox allow-popups allow-popups-to-escape-sandbox"
)
# What the iframe on the Emails page allows: links may open a new tab, nothing else (no script, no forms,
# no same-origin access to the page around it).
IFRAME_SANDBOX = "allow-popups allow-popups-to-escape-sandbox"

_PAGE = (
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Email</title></head>'
    '<body style="font-family: Arial, sans-serif; font-size: 16px; line-height: 1.5; color: #0b0c0c; '
    'margin: 8px;">{}</body></html>'
)


def _no_loading_styles(tag: str, attribute: str, value: str) -> str | None:
    """Drop a style that could fetch or compute (url(), expression(), image-set()) whatever its property."""
    if attribute == "style" and any(word in value.lower() for word in ("url(", "expression(", "image", "\\")):
        return None
    return value


def safe_html(html: str) -> str:
    """The HTML part's body with nothing in it that runs, loads or submits."""
    return nh3.clean(
        html,
        tags=TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        set_tag_attribute_values={"a": {"target": "_blank"}},
        filter_style_properties=STYLE_PROPERTIES,
        strip_comments=True,
        attribute_filter=_no_loading_styles,
    )


def safe_page(html: str) -> str:
    """A whole document around the sanitised HTML part, to be served on its own."""
    return _PAGE.format(safe_html(html))
