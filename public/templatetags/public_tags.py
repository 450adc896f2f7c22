"""Template helpers for the public pages: dates at their real precision, ordinals, links,
and names in the reader's language."""

from functools import lru_cache

from django import template
from django.contrib.humanize.templatetags.humanize import ordinal as humanize_ordinal
from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext

from cities import names as i18n_names
from common.dates import PartialDate, Precision
from public.countries import country_name as _country_name
from public.i18n_urls import canonical_path, language_versions

register = template.Library()


def localized_date(value: PartialDate) -> str:
    """A partial date in the active language, at its precision: "1998" / "1998年",
    "April 2018" / "2018年4月" / "אפריל 2018", "13 April 2018" / "2018年4月13日"."""
    if value.precision == Precision.YEAR:
        # Translators: a date known only to the year, e.g. "1998" (Chinese: "1998年").
        return pgettext("year-precision date", "%(year)s") % {"year": value.date.year}
    if value.precision == Precision.MONTH:
        return date_format(value.date, "YEAR_MONTH_FORMAT")
    return date_format(value.date, "DATE_FORMAT")


@register.filter
def partial(value: PartialDate | None, approximate: bool = False) -> str:
    """ "1998", "April 2018" or "13 April 2018"; "about 1998" when the source says "about"."""
    if value is None:
        return ""
    text = localized_date(value)
    # Translators: an approximate date, e.g. "about 1998".
    return gettext("about %(date)s") % {"date": text} if approximate else text


@register.filter
def partial_date(record, field: str) -> PartialDate | None:
    """{{ office|partial_date:"opened_on" }}: a record's date field with its precision."""
    return record.partial_date(field)


@register.simple_tag
def when(value: PartialDate | None, approximate: bool = False, unknown: str | None = None):
    """A <time> element whose machine-readable form has the same precision as the text.

    datetime="1998" (a valid HTML year) rather than "1998-01-01", so that neither a
    reader nor a crawler is told a day that nobody knows.
    """
    if value is None:
        return format_html(
            '<span class="unknown">{}</span>',
            gettext("not recorded") if unknown is None else unknown,
        )
    return format_html(
        '<time datetime="{}">{}</time>', value.isoformat(), partial(value, approximate)
    )


@register.filter
def country_name(code: str) -> str:
    """ "IL" -> "Israel", from a dict built once (public/countries.py says why)."""
    return _country_name(code)


@lru_cache(maxsize=32)
def _country_url_pattern(language: str | None, script_prefix: str) -> str:
    return reverse("public:country-detail", kwargs={"code": "zz"})


def country_url(code) -> str:
    """ "IL" -> "/countries/il/" (or /he/countries/il/): reversed once per language."""
    code = str(getattr(code, "code", code) or "")
    pattern = _country_url_pattern(translation.get_language(), get_script_prefix())
    return pattern.replace("/zz/", f"/{code.lower()}/")


@register.filter
def country_link(code) -> str:
    """{{ city.country|country_link }} or {{ "IL"|country_link }}: the country's name,
    linked to its page (every country name on the site leads there)."""
    code = str(getattr(code, "code", code) or "")
    if not code:
        return ""
    return format_html('<a href="{}">{}</a>', country_url(code), _country_name(code))


@register.filter
def ordinal(value) -> str:
    """11 -> "11th", 21 -> "21st", 112 -> "112th"; "第11" in Chinese, "ה־11" in Hebrew
    (humanize's own translations)."""
    if value in (None, ""):
        return ""
    return str(humanize_ordinal(value))


@register.simple_tag(takes_context=True)
def page_url(context, page_number: int) -> str:
    """The current URL's query string with only `page` replaced, so filters survive paging."""
    query = context["request"].GET.copy()
    query["page"] = page_number
    return "?" + query.urlencode()


@register.simple_tag(takes_context=True)
def sort_header(context, key: str, label: str, css_class: str = "", first: str = "") -> str:
    """A sortable column's <th>: a link that sorts by `key` (filters kept, back to page
    1), the other way round when the list is already sorted by it; aria-sort says the
    current order. `first="-"` sorts the column descending on the first click (links:
    most first)."""
    current = context.get("sort", "")
    query = context["request"].GET.copy()
    query.pop("page", None)
    if current == key:
        state, target = "ascending", f"-{key}"
    elif current == f"-{key}":
        state, target = "descending", key
    else:
        state, target = "", f"{first}{key}"
    query["sort"] = target
    hint = {
        "ascending": gettext("sorted ascending"),
        "descending": gettext("sorted descending"),
    }.get(state, "")
    return format_html(
        '<th scope="col"{}{}><a href="?{}">{}</a>{}</th>',
        format_html(' class="{}"', css_class) if css_class else "",
        format_html(' aria-sort="{}"', state) if state else "",
        query.urlencode(),
        label,
        format_html(' <span class="visually-hidden">({})</span>', hint) if hint else "",
    )


@register.filter
def page_numbers(page):
    """The numbers a pager shows: the first and last, two either side of the current
    page, and Paginator.ELLIPSIS for each gap (1 … 4 5 6 7 8 … 110)."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)


_PARTNER_ROW = (
    '<tr><th scope="row" data-label="{}"><a href="{}">{}</a>{}{}</th>'
    '<td data-label="{}"><a href="{}">{}</a></td><td data-label="{}">{}</td>'
    '<td data-label="{}">{}</td>'
    '<td data-label="{}"><span class="status status--{}">{}</span>{}</td></tr>'
)


def one_sided_tag() -> str:
    return format_html(
        ' <span class="tag tag--warn" title="{}">{}</span>',
        gettext("Only one of the two cities states this link"),
        gettext("one-sided"),
    )


@register.simple_tag
def partner_rows(rows) -> str:
    """The <tr>s of a city's partner table (rows: selectors.PartnerRow).

    Built in Python because a city can have hundreds of partners: the template engine
    spends tens of microseconds a row resolving variables, this a few. format_html
    escapes every value that is not already safe, exactly as the template would.
    The labels are translated once per table, not once per row.
    """
    partner, country, kind, since, status = (
        gettext("Partner"),
        gettext("Country"),
        gettext("Kind"),
        gettext("Since"),
        gettext("Status"),
    )
    one_sided = one_sided_tag()
    until = gettext("until %(date)s")
    page_language = translation.get_language()
    return format_html_join(
        "\n",
        _PARTNER_ROW,
        (
            (
                partner,
                row["url"],
                name_markup(row["name"], row["name_language"], page_language),
                format_html('<span class="muted">, {}</span>', row["region"])
                if row["region"]
                else "",
                one_sided if row["one_sided"] else "",
                country,
                country_url(row["country_code"]),
                row["country"],
                kind,
                row["kind"],
                since,
                when(row["since"], row["since_is_approximate"], "—"),
                status,
                row["status"],
                row["status_label"],
                format_html(
                    ' <span class="muted">({})</span>', until % {"date": partial(row["until"])}
                )
                if row["until"]
                else "",
            )
            for row in rows
        ),
    )


# ---------------------------------------------------------------- names and languages


def name_markup(text: str, name_language: str, page_language: str | None = None) -> str:
    """A place name ready for the page: as it is when it is in the page's language,
    else isolated and tagged (<bdi lang="en">Beijing</bdi> on a Hebrew page), so a
    Latin name keeps its order inside right-to-left text and is read in its language."""
    page_language = page_language or translation.get_language() or ""
    if not name_language or i18n_names.language_matches(name_language, page_language):
        return format_html("{}", text)
    return format_html('<bdi lang="{}">{}</bdi>', name_language, text)


@register.filter
def local_name(city) -> str:
    """{{ city|local_name }}: the city's name in the reader's language, as plain text
    (for titles, descriptions and attributes)."""
    if city is None:
        return ""
    return i18n_names.display_name(city)


@register.filter
def place(city) -> str:
    """{{ city|place }}: the city's name in the reader's language, marked up for the
    page (see name_markup)."""
    if city is None:
        return ""
    text, tag = i18n_names.display_name_and_language(city)
    return name_markup(text, tag)


@register.simple_tag
def other_name(city, css_class: str = "") -> str:
    """The city's other name beside the one shown (its native name, or its English name
    when the native one is shown), in a span with its language and direction."""
    text, tag = i18n_names.secondary_name(city)
    if not text:
        return ""
    direction = city.native_name_direction if text == city.native_name else "ltr"
    return format_html(
        '<span{} lang="{}" dir="{}">{}</span>',
        format_html(' class="{}"', css_class) if css_class else "",
        tag,
        direction,
        text,
    )


class CaptureNode(template.Node):
    def __init__(self, nodelist, name: str):
        self.nodelist = nodelist
        self.name = name

    def render(self, context) -> str:
        # Rendered once, kept as plain text (tags stripped, entities kept escaped).
        context[self.name] = mark_safe(" ".join(strip_tags(self.nodelist.render(context)).split()))
        return ""


@register.tag
def capture(parser, token):
    """{% capture page_title %}{% block title %}…{% endblock %}{% endcapture %}: a block
    rendered once and used in several places (<title>, og:title, twitter:title); a
    child template's block still overrides it."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("capture takes one variable name")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[1])


@register.simple_tag(takes_context=True)
def language_links(context):
    """The current page in each language: [LanguageVersion], for the switch and hreflang."""
    request = context.get("request")
    return language_versions(request) if request is not None else []


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    request = context.get("request")
    return request.build_absolute_uri(canonical_path(request)) if request is not None else ""


@register.simple_tag(takes_context=True)
def absolute(context, url: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(url) if request is not None else url
