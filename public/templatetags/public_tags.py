"""Template helpers for the public pages: dates at their real precision, ordinals, links."""

from django import template
from django.contrib.humanize.templatetags.humanize import ordinal as humanize_ordinal
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from common.dates import PartialDate
from public.countries import country_name as _country_name

register = template.Library()


@register.filter
def partial(value: PartialDate | None, approximate: bool = False) -> str:
    """ "1998", "April 2018" or "13 April 2018"; "about 1998" when the source says "about"."""
    return "" if value is None else value.display(approximate)


@register.filter
def partial_date(record, field: str) -> PartialDate | None:
    """{{ office|partial_date:"opened_on" }}: a record's date field with its precision."""
    return record.partial_date(field)


@register.simple_tag
def when(value: PartialDate | None, approximate: bool = False, unknown: str = "not recorded"):
    """A <time> element whose machine-readable form has the same precision as the text.

    datetime="1998" (a valid HTML year) rather than "1998-01-01", so that neither a
    reader nor a crawler is told a day that nobody knows.
    """
    if value is None:
        return format_html('<span class="unknown">{}</span>', unknown)
    return format_html(
        '<time datetime="{}">{}</time>', value.isoformat(), partial(value, approximate)
    )


@register.filter
def country_name(code: str) -> str:
    """ "IL" -> "Israel", from a dict built once (public/countries.py says why)."""
    return _country_name(code)


@register.filter
def ordinal(value) -> str:
    """11 -> "11th", 21 -> "21st", 112 -> "112th" (English suffix rules, via humanize)."""
    if value in (None, ""):
        return ""
    return str(humanize_ordinal(value))


@register.simple_tag(takes_context=True)
def page_url(context, page_number: int) -> str:
    """The current URL's query string with only `page` replaced, so filters survive paging."""
    query = context["request"].GET.copy()
    query["page"] = page_number
    return "?" + query.urlencode()


_PARTNER_ROW = (
    '<tr><th scope="row" data-label="Partner"><a href="{}">{}</a>{}</th>'
    '<td data-label="Country">{}</td><td data-label="Kind">{}</td>'
    '<td data-label="Since">{}</td>'
    '<td data-label="Status"><span class="status status--{}">{}</span>{}</td></tr>'
)
_ONE_SIDED = mark_safe(
    ' <span class="tag tag--warn" title="Only one of the two cities states this link">'
    "one-sided</span>"
)


@register.simple_tag
def partner_rows(rows) -> str:
    """The <tr>s of a city's partner table (rows: selectors.PartnerRow).

    Built in Python because a city can have hundreds of partners: the template engine
    spends tens of microseconds a row resolving variables, this a few. format_html
    escapes every value that is not already safe, exactly as the template would.
    """
    return format_html_join(
        "\n",
        _PARTNER_ROW,
        (
            (
                row["url"],
                row["name"],
                _ONE_SIDED if row["one_sided"] else "",
                row["country"],
                row["kind"],
                when(row["since"], row["since_is_approximate"], "—"),
                row["status"],
                row["status_label"],
                format_html(' <span class="muted">(until {})</span>', partial(row["until"]))
                if row["until"]
                else "",
            )
            for row in rows
        ),
    )
