"""Partnerships between cities and the records that document them.

Integrity lives in the database first (constraints, PROTECT), then in each
model's clean(), which forms, the admin and the API all call. Many-to-many
links use explicit through models so that removing an area, a source or an
official that a record cites is refused by the database, not cascaded away.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from cities.models import City, CityQuerySet
from common.constraints import FieldCheckConstraint, StoredFormCheckConstraint
from common.dates import PartialDate, PartialDatesMixin, Precision, precision_check, precision_field
from common.querysets import SearchQuerySet
from common.text import name_text_validator

from .choices import (
    EventKind,
    FigureComparator,
    LiaisonOfficeStatus,
    OrganizationKind,
    PartnershipKind,
    PartnershipStatus,
)


def _not_before(later: str, earlier: str, name: str, message: str) -> FieldCheckConstraint:
    """`later` is empty, `earlier` is empty, or later >= earlier; a failure is
    reported under `later`."""
    return FieldCheckConstraint(
        condition=Q(**{f"{later}__isnull": True})
        | Q(**{f"{earlier}__isnull": True})
        | Q(**{f"{later}__gte": F(earlier)}),
        name=name,
        violation_error_message=message,
        field=later,
    )


class SourceQuerySet(SearchQuerySet):
    search_fields = ("publisher", "title")


class Source(models.Model):
    publisher = models.CharField("publisher", max_length=200, validators=[name_text_validator])
    title = models.CharField("title", max_length=500, validators=[name_text_validator])
    url = models.URLField("URL", max_length=1000, blank=True)
    published_on = models.DateField("published on", null=True, blank=True)
    note = models.TextField(
        "note",
        blank=True,
        max_length=5000,
        help_text="How the source was obtained or what it cites.",
    )
    dataset_key = models.CharField(
        "data set key",
        max_length=40,
        blank=True,
        editable=False,
        help_text="Set on the Source of an imported data set: how the import finds it again "
        "whatever staff change in its text.",
    )

    history = HistoricalRecords()
    objects = SourceQuerySet.as_manager()

    class Meta:
        verbose_name = "source"
        verbose_name_plural = "sources"
        ordering = ["-published_on", "publisher", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["dataset_key"],
                condition=~Q(dataset_key=""),
                name="source_dataset_key_unique",
                violation_error_message="Another source is already this data set.",
            )
        ]

    def __str__(self) -> str:
        when = f", {self.published_on.isoformat()}" if self.published_on else ""
        return f"{self.publisher}: {self.title}{when}"


class CooperationAreaQuerySet(SearchQuerySet):
    search_fields = ("name",)


class CooperationArea(models.Model):
    name = models.CharField("name", max_length=100, unique=True, validators=[name_text_validator])
    slug = models.SlugField("slug", max_length=120, unique=True)
    description = models.TextField("description", blank=True, max_length=5000)

    history = HistoricalRecords()
    objects = CooperationAreaQuerySet.as_manager()

    class Meta:
        verbose_name = "cooperation area"
        verbose_name_plural = "cooperation areas"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganizationQuerySet(SearchQuerySet):
    search_fields = ("name", "short_name", "nickname")


class Organization(models.Model):
    Kind = OrganizationKind

    name = models.CharField("name", max_length=300, validators=[name_text_validator])
    slug = models.SlugField("slug", max_length=220, unique=True)
    short_name = models.CharField(
        "short name", max_length=100, blank=True, validators=[name_text_validator]
    )
    nickname = models.CharField(
        "also known as",
        max_length=200,
        blank=True,
        validators=[name_text_validator],
        help_text='e.g. "China\'s Silicon Valley".',
    )
    kind = models.CharField("kind", max_length=20, choices=Kind.choices, default=Kind.OTHER)
    city = models.ForeignKey(
        City,
        verbose_name="city",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
    )
    description = models.TextField("description", blank=True, max_length=20000)
    website = models.URLField("website", max_length=500, blank=True)

    history = HistoricalRecords()
    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = "organization"
        verbose_name_plural = "organizations"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OrganizationKind.values), name="organization_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.short_name})" if self.short_name else self.name


class OrganizationFigure(models.Model):
    """A sourced figure about an organisation, e.g. a year's turnover."""

    Comparator = FigureComparator

    organization = models.ForeignKey(
        Organization,
        verbose_name="organization",
        on_delete=models.CASCADE,
        related_name="figures",
    )
    metric = models.CharField("metric", max_length=300)
    year = models.PositiveSmallIntegerField("year", null=True, blank=True)
    comparator = models.CharField(
        "comparator", max_length=5, choices=Comparator.choices, default=Comparator.EXACT
    )
    value = models.DecimalField("value", max_digits=24, decimal_places=2)
    unit = models.CharField("unit", max_length=20, help_text="Currency code or unit, e.g. CNY.")
    as_reported = models.CharField(
        "as reported", max_length=500, blank=True, help_text="The figure in the source's words."
    )
    source = models.ForeignKey(
        Source,
        verbose_name="source",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="figures",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "organization figure"
        verbose_name_plural = "organization figures"
        ordering = ["organization", "-year", "metric"]

    def __str__(self) -> str:
        year = f" ({self.year})" if self.year else ""
        return f"{self.organization}: {self.metric}{year}"


class OfficialQuerySet(SearchQuerySet):
    search_fields = ("name", "title")

    @classmethod
    def search_q(cls, term: str, prefix: str = "") -> Q:
        # Or the city it acts for (the city search rule).
        return super().search_q(term, prefix) | CityQuerySet.search_q(term, f"{prefix}city__")


class Official(PartialDatesMixin, models.Model):
    PARTIAL_DATES = {"term_start": "term_start_precision", "term_end": "term_end_precision"}
    PERIOD_ENDS = frozenset({"term_end"})

    name = models.CharField("name", max_length=200, validators=[name_text_validator])
    slug = models.SlugField("slug", max_length=220, unique=True)
    title = models.CharField(
        "title",
        max_length=200,
        validators=[name_text_validator],
        help_text="e.g. Vice Mayor, Deputy Mayor.",
    )
    city = models.ForeignKey(
        City, verbose_name="city", on_delete=models.PROTECT, related_name="officials"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name="organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officials",
    )
    term_start = models.DateField("term start", null=True, blank=True)
    term_start_precision = precision_field("term start precision")
    term_end = models.DateField("term end", null=True, blank=True)
    term_end_precision = precision_field("term end precision")

    history = HistoricalRecords()
    objects = OfficialQuerySet.as_manager()

    class Meta:
        verbose_name = "official"
        verbose_name_plural = "officials"
        ordering = ["name"]
        constraints = [
            _not_before(
                "term_end",
                "term_start",
                "official_term_end_not_before_start",
                "The term cannot end before it starts.",
            ),
            precision_check("term_start_precision", "official_term_start_precision_valid"),
            precision_check("term_end_precision", "official_term_end_precision_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("public:official-detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        # Before the constraints are checked: an end is compared as the last day of
        # its period (see common.dates).
        self.normalize_partial_dates()


class PartnershipQuerySet(SearchQuerySet):
    search_fields = ("description",)

    @classmethod
    def search_q(cls, term: str, prefix: str = "") -> Q:
        """A link matches when either of its cities does (the city search rule), or
        its description does."""
        return (
            CityQuerySet.search_q(term, f"{prefix}city_a__")
            | CityQuerySet.search_q(term, f"{prefix}city_b__")
            | super().search_q(term, prefix)
        )

    def with_cities(self):
        return self.select_related("city_a", "city_b")

    def involving(self, city):
        return self.filter(Q(city_a=city) | Q(city_b=city))

    def in_country(self, country_code):
        """Links with a city of this country (a code, or a list of codes) on either side.

        Read from the link's own copy of its cities' countries (country_a / country_b,
        kept by the database: partnerships/link_countries.py), two indexed columns,
        so the database answers it, and the COUNT(*) of a paginated list, from two
        index scans (31,239 links, 5,261 touching DE on PostgreSQL: 13 ms through the
        ids of the country's cities, 1.7 ms from the copy).
        """
        codes = _codes(country_code)
        return self.filter(Q(country_a__in=codes) | Q(country_b__in=codes))

    def between_countries(self, countries, partner_countries):
        """Links with a city of `countries` on one side and of `partner_countries` on the
        other, whichever side each was stored on (DE with FR: every German-French link)."""
        ours, theirs = _codes(countries), _codes(partner_countries)
        return self.filter(
            Q(country_a__in=ours, country_b__in=theirs)
            | Q(country_a__in=theirs, country_b__in=ours)
        )

    def domestic(self, within: bool = True):
        """Links between two cities of one country (within=False: of two countries)."""
        same = Q(country_a=F("country_b"))
        return self.filter(same if within else ~same)

    def stated_by(self, dataset_key: str):
        """Links that this data set (Source.dataset_key, e.g. "wikidata") states."""
        return self.filter(
            Exists(
                PartnershipSource.objects.filter(
                    partnership_id=OuterRef("pk"), source__dataset_key=dataset_key
                )
            )
        )


def _codes(country_codes) -> list[str]:
    return [country_codes] if isinstance(country_codes, str) else list(country_codes)


class Partnership(PartialDatesMixin, models.Model):
    """The link between two cities, stored once in canonical order (city_a.pk < city_b.pk)."""

    PARTIAL_DATES = {"start_date": "start_precision", "end_date": "end_precision"}
    PERIOD_ENDS = frozenset({"end_date"})

    Kind = PartnershipKind

    Status = PartnershipStatus

    city_a = models.ForeignKey(
        City, verbose_name="city A", on_delete=models.PROTECT, related_name="partnerships_as_a"
    )
    city_b = models.ForeignKey(
        City, verbose_name="city B", on_delete=models.PROTECT, related_name="partnerships_as_b"
    )
    kind = models.CharField("kind", max_length=12, choices=Kind.choices, default=Kind.TWIN)
    status = models.CharField(
        "status", max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    start_date = models.DateField("start date", null=True, blank=True)
    start_precision = precision_field("start precision")
    start_is_approximate = models.BooleanField(
        "start is approximate", default=False, help_text='The source says "about" or "some".'
    )
    end_date = models.DateField("end date", null=True, blank=True)
    end_precision = precision_field("end precision")
    one_sided = models.BooleanField(
        "one-sided",
        default=False,
        help_text="Only one of the two cities states this link (e.g. in Wikidata).",
    )
    areas = models.ManyToManyField(
        CooperationArea,
        verbose_name="areas of cooperation",
        through="PartnershipArea",
        related_name="partnerships",
        blank=True,
    )
    sources = models.ManyToManyField(
        Source,
        verbose_name="sources",
        through="PartnershipSource",
        related_name="partnerships",
        blank=True,
    )
    description = models.TextField("description", blank=True, max_length=20000)
    # The countries of city_a and city_b, written by the database's triggers and by
    # nothing else (partnerships/link_countries.py): what a country's links are read by.
    country_a = models.CharField("country of city A", max_length=2, default="", editable=False)
    country_b = models.CharField("country of city B", max_length=2, default="", editable=False)
    created_at = models.DateTimeField("created", auto_now_add=True)
    updated_at = models.DateTimeField("updated", auto_now=True)

    history = HistoricalRecords(excluded_fields=["country_a", "country_b"])
    objects = PartnershipQuerySet.as_manager()

    class Meta:
        verbose_name = "partnership"
        verbose_name_plural = "partnerships"
        ordering = ["city_a__name", "city_b__name", "kind"]
        constraints = [
            FieldCheckConstraint(
                condition=~Q(city_a=F("city_b")),
                name="partnership_not_self_link",
                violation_error_message="A city cannot be linked to itself.",
                field="city_b",
            ),
            # clean() and save() put the cities in this order themselves.
            StoredFormCheckConstraint(
                condition=Q(city_a__lt=F("city_b")),
                name="partnership_cities_canonical_order",
                violation_error_message="A link is stored with the lower city id first.",
            ),
            models.UniqueConstraint(
                fields=["city_a", "city_b", "kind"],
                name="partnership_unique_pair_kind",
                violation_error_message="These two cities already have a link of this kind.",
            ),
            _not_before(
                "end_date",
                "start_date",
                "partnership_end_not_before_start",
                "A link cannot end before it starts.",
            ),
            precision_check("start_precision", "partnership_start_precision_valid"),
            precision_check("end_precision", "partnership_end_precision_valid"),
            models.CheckConstraint(
                condition=Q(kind__in=PartnershipKind.values),
                name="partnership_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=PartnershipStatus.values),
                name="partnership_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["city_b", "city_a"], name="partnership_city_b_idx"),
            models.Index(fields=["kind", "status"], name="partnership_kind_status_idx"),
            models.Index(fields=["start_date"], name="partnership_start_idx"),
            # A country's links from the index alone, in the lists' id order.
            models.Index(fields=["country_a", "id"], name="partnership_country_a_idx"),
            models.Index(fields=["country_b", "id"], name="partnership_country_b_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.city_a.name} – {self.city_b.name} ({self.get_kind_display()})"

    def save(self, *args, **kwargs):
        self.put_in_canonical_order()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("public:partnership-detail", kwargs={"pk": self.pk})

    @property
    def start(self) -> PartialDate | None:
        return self.partial_date("start_date")

    @property
    def end(self) -> PartialDate | None:
        return self.partial_date("end_date")

    def other_city(self, city):
        return self.city_b if city.pk == self.city_a_id else self.city_a

    def put_in_canonical_order(self) -> None:
        if self.city_a_id and self.city_b_id and self.city_a_id > self.city_b_id:
            self.city_a, self.city_b = self.city_b, self.city_a

    def clean(self):
        super().clean()
        # The self-link and the end before the start are the constraints' to report.
        self.normalize_partial_dates()
        if self.city_a_id and self.city_b_id and self.city_a_id != self.city_b_id:
            self.put_in_canonical_order()
            duplicate = (
                Partnership.objects.filter(
                    city_a_id=self.city_a_id, city_b_id=self.city_b_id, kind=self.kind
                )
                .exclude(pk=self.pk)
                .first()
            )
            if duplicate is not None:
                # Says more than the unique constraint can: which link, in either order.
                raise ValidationError(
                    {
                        "city_b": f"{duplicate.city_a.name} and {duplicate.city_b.name} "
                        f"already have a {duplicate.get_kind_display()} link "
                        f"(#{duplicate.pk}), in either order."
                    }
                )


class PartnershipArea(models.Model):
    partnership = models.ForeignKey(
        Partnership, verbose_name="partnership", on_delete=models.CASCADE
    )
    area = models.ForeignKey(CooperationArea, verbose_name="area", on_delete=models.PROTECT)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "area of a partnership"
        verbose_name_plural = "areas of partnerships"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "area"], name="partnership_area_unique")
        ]

    def __str__(self) -> str:
        return f"{self.area} ({self.partnership_id})"


class PartnershipSource(models.Model):
    partnership = models.ForeignKey(
        Partnership, verbose_name="partnership", on_delete=models.CASCADE
    )
    source = models.ForeignKey(Source, verbose_name="source", on_delete=models.PROTECT)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "source of a partnership"
        verbose_name_plural = "sources of partnerships"
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "source"], name="partnership_source_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} ({self.partnership_id})"


class LiaisonOfficeQuerySet(SearchQuerySet):
    search_fields = ("name",)

    @classmethod
    def search_q(cls, term: str, prefix: str = "") -> Q:
        """Its own name, its organisation's, or either city (the city search rule)."""
        return (
            super().search_q(term, prefix)
            | Q(**{f"{prefix}organization__name__icontains": term})
            | Q(**{f"{prefix}organization__short_name__icontains": term})
            | CityQuerySet.search_q(term, f"{prefix}home_city__")
            | CityQuerySet.search_q(term, f"{prefix}host_city__")
        )

    def with_related(self):
        return self.select_related("organization", "home_city", "host_city", "partnership")

    def in_country(self, country_code: str):
        """Offices whose home or host city is in this country (indexed IN-subqueries)."""
        city_ids = City.objects.filter(country=country_code).values("pk")
        return self.filter(Q(home_city__in=city_ids) | Q(host_city__in=city_ids))


class LiaisonOffice(PartialDatesMixin, models.Model):
    PARTIAL_DATES = {
        "announced_on": "announced_precision",
        "opened_on": "opened_precision",
        "closed_on": "closed_precision",
    }
    PERIOD_ENDS = frozenset({"closed_on"})

    Status = LiaisonOfficeStatus

    name = models.CharField("name", max_length=300, validators=[name_text_validator])
    slug = models.SlugField("slug", max_length=220, unique=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name="organization",
        on_delete=models.PROTECT,
        related_name="liaison_offices",
        help_text="Who opens the office.",
    )
    home_city = models.ForeignKey(
        City, verbose_name="home city", on_delete=models.PROTECT, related_name="offices_sent"
    )
    host_city = models.ForeignKey(
        City, verbose_name="host city", on_delete=models.PROTECT, related_name="offices_hosted"
    )
    partnership = models.ForeignKey(
        Partnership,
        verbose_name="partnership served",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="liaison_offices",
    )
    status = models.CharField(
        "status", max_length=10, choices=Status.choices, default=Status.ANNOUNCED
    )
    announced_on = models.DateField("announced on", null=True, blank=True)
    announced_precision = precision_field("announced precision")
    opened_on = models.DateField("opened on", null=True, blank=True)
    opened_precision = precision_field("opened precision")
    closed_on = models.DateField("closed on", null=True, blank=True)
    closed_precision = precision_field("closed precision")
    focus_areas = models.ManyToManyField(
        CooperationArea,
        verbose_name="focus areas",
        through="LiaisonOfficeFocusArea",
        related_name="liaison_offices",
        blank=True,
    )
    purpose = models.TextField("purpose", blank=True, max_length=10000)
    network_ordinal = models.PositiveSmallIntegerField(
        "place in the organisation's network",
        null=True,
        blank=True,
        help_text="1 for its first office abroad, 11 for its eleventh.",
    )
    description = models.TextField("description", blank=True, max_length=20000)
    sources = models.ManyToManyField(
        Source,
        verbose_name="sources",
        through="LiaisonOfficeSource",
        related_name="liaison_offices",
        blank=True,
    )

    history = HistoricalRecords()
    objects = LiaisonOfficeQuerySet.as_manager()

    class Meta:
        verbose_name = "liaison office"
        verbose_name_plural = "liaison offices"
        ordering = ["name"]
        constraints = [
            _not_before(
                "closed_on",
                "opened_on",
                "liaison_office_closed_not_before_opened",
                "An office cannot close before it opens.",
            ),
            FieldCheckConstraint(
                condition=~Q(home_city=F("host_city")),
                name="liaison_office_abroad",
                violation_error_message="An office's host city must differ from its home city.",
                field="host_city",
            ),
            models.CheckConstraint(
                condition=Q(network_ordinal__isnull=True) | Q(network_ordinal__gte=1),
                name="liaison_office_ordinal_positive",
            ),
            models.CheckConstraint(
                condition=Q(status__in=LiaisonOfficeStatus.values),
                name="liaison_office_status_valid",
            ),
            precision_check("announced_precision", "liaison_office_announced_precision_valid"),
            precision_check("opened_precision", "liaison_office_opened_precision_valid"),
            precision_check("closed_precision", "liaison_office_closed_precision_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("public:office-detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        self.normalize_partial_dates()


class LiaisonOfficeFocusArea(models.Model):
    liaison_office = models.ForeignKey(
        LiaisonOffice, verbose_name="liaison office", on_delete=models.CASCADE
    )
    area = models.ForeignKey(CooperationArea, verbose_name="area", on_delete=models.PROTECT)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "focus area of a liaison office"
        verbose_name_plural = "focus areas of liaison offices"
        constraints = [
            models.UniqueConstraint(
                fields=["liaison_office", "area"], name="liaison_office_area_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.area} ({self.liaison_office_id})"


class LiaisonOfficeSource(models.Model):
    liaison_office = models.ForeignKey(
        LiaisonOffice, verbose_name="liaison office", on_delete=models.CASCADE
    )
    source = models.ForeignKey(Source, verbose_name="source", on_delete=models.PROTECT)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "source of a liaison office"
        verbose_name_plural = "sources of liaison offices"
        constraints = [
            models.UniqueConstraint(
                fields=["liaison_office", "source"], name="liaison_office_source_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} ({self.liaison_office_id})"


class EventQuerySet(SearchQuerySet):
    search_fields = ("title", "summary")

    @classmethod
    def search_q(cls, term: str, prefix: str = "") -> Q:
        """Its title or summary, or the city where it took place (the city search rule)."""
        return super().search_q(term, prefix) | CityQuerySet.search_q(term, f"{prefix}city__")


class Event(PartialDatesMixin, models.Model):
    PARTIAL_DATES = {"date": "date_precision"}

    Kind = EventKind

    date = models.DateField("date")
    date_precision = precision_field("date precision")
    kind = models.CharField("kind", max_length=20, choices=Kind.choices)
    title = models.CharField("title", max_length=300, validators=[name_text_validator])
    summary = models.TextField("summary", blank=True, max_length=20000)
    city = models.ForeignKey(
        City,
        verbose_name="where",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )
    partnership = models.ForeignKey(
        Partnership,
        verbose_name="partnership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )
    liaison_office = models.ForeignKey(
        LiaisonOffice,
        verbose_name="liaison office",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )
    participants = models.ManyToManyField(
        Official,
        verbose_name="participants",
        through="EventParticipant",
        related_name="events",
        blank=True,
    )
    sources = models.ManyToManyField(
        Source, verbose_name="sources", through="EventSource", related_name="events", blank=True
    )

    history = HistoricalRecords()
    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = "event"
        verbose_name_plural = "events"
        ordering = ["-date", "title"]
        constraints = [
            precision_check("date_precision", "event_date_precision_valid"),
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="event_kind_valid"),
        ]
        indexes = [models.Index(fields=["-date"], name="event_date_idx")]

    def __str__(self) -> str:
        return f"{self.partial_date('date')}: {self.title}"

    @property
    def when(self) -> PartialDate | None:
        return self.partial_date("date")

    def clean(self):
        super().clean()
        self.normalize_partial_dates()


class EventParticipant(models.Model):
    event = models.ForeignKey(Event, verbose_name="event", on_delete=models.CASCADE)
    official = models.ForeignKey(Official, verbose_name="official", on_delete=models.PROTECT)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "participant"
        verbose_name_plural = "participants"
        constraints = [
            models.UniqueConstraint(fields=["event", "official"], name="event_participant_unique")
        ]

    def __str__(self) -> str:
        return f"{self.official} at {self.event_id}"


class EventSource(models.Model):
    event = models.ForeignKey(Event, verbose_name="event", on_delete=models.CASCADE)
    source = models.ForeignKey(Source, verbose_name="source", on_delete=models.PROTECT)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "source of an event"
        verbose_name_plural = "sources of events"
        constraints = [
            models.UniqueConstraint(fields=["event", "source"], name="event_source_unique")
        ]

    def __str__(self) -> str:
        return f"{self.source} ({self.event_id})"


class Quote(models.Model):
    official = models.ForeignKey(
        Official, verbose_name="speaker", on_delete=models.PROTECT, related_name="quotes"
    )
    event = models.ForeignKey(
        Event,
        verbose_name="event",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quotes",
    )
    text = models.TextField("text", max_length=10000)
    source = models.ForeignKey(
        Source,
        verbose_name="source",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quotes",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "quote"
        verbose_name_plural = "quotes"
        ordering = ["event", "pk"]

    def __str__(self) -> str:
        excerpt = self.text if len(self.text) <= 60 else self.text[:57] + "..."
        return f"{self.official.name}: “{excerpt}”"


__all__ = [
    "CooperationArea",
    "Event",
    "EventParticipant",
    "EventSource",
    "LiaisonOffice",
    "LiaisonOfficeFocusArea",
    "LiaisonOfficeSource",
    "Official",
    "Organization",
    "OrganizationFigure",
    "Partnership",
    "PartnershipArea",
    "PartnershipSource",
    "Precision",
    "Quote",
    "Source",
]
