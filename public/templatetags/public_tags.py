"""Template helpers for the public pages: dates at their real precision, ordinals, links."""

from django import template
from django.contrib.humanize.templatetags.humanize import ordinal as humanize_ordinal
from django.utils.html import format_html

from partnerships.dates import PartialDate
from public.countries import country_name as _country_name

register = template.Library()


@register.filter
def partial(value: PartialDate | None, approximate: bool = False) -> str:
    """ "1998", "April 2018" or "13 April 2018"; "about 1998" when the source says "about"."""
    if value is None:
        return ""
    text = value.display()
    return f"about {text}" if approximate else text


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
