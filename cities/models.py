"""A city is a place: where it is, what it is called, which country it belongs to.

It knows nothing of the partnerships built on it; those live in `partnerships`.
"""

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from cities import search as city_search
from common.querysets import SearchQuerySet
from common.text import language_tag_validator, name_text_validator

wikidata_id_validator = RegexValidator(
    r"^Q[1-9][0-9]*$", "A Wikidata ID is a Q followed by digits, e.g. Q956."
)


class TextDirection(models.TextChoices):
    LTR = "ltr", "left to right"
    RTL = "rtl", "right to left"


class CityQuerySet(SearchQuerySet):
    # City search, everywhere (API ?search=, the pages, the admin, links and offices
    # found by their cities): words of any of its names, accents and case aside, with
    # a typo forgiven, ranked (cities/search.py says how).

    @classmethod
    def search_q(cls, term: str, prefix: str = "") -> Q:
        return city_search.search_q(term, prefix)

    def search(self, term: str | None):
        """The cities `term` finds, best first: an exact name, a name it begins, the
        rest; each by population (largest first), then name."""
        term = (term or "").strip()
        if not term:
            return self
        return (
            self.filter(self.search_q(term))
            .annotate(search_rank=city_search.rank(term))
            .order_by("search_rank", F("population").desc(nulls_last=True), "name", "pk")
        )


class City(models.Model):
    name = models.CharField(
        "name", max_length=200, validators=[name_text_validator], help_text="Common English name."
    )
    slug = models.SlugField("slug", max_length=220, unique=True, allow_unicode=False)
    native_name = models.CharField(
        "native name",
        max_length=200,
        blank=True,
        validators=[name_text_validator],
        help_text="Name in the local script.",
    )
    native_name_language = models.CharField(
        "native name language",
        max_length=16,
        blank=True,
        validators=[language_tag_validator],
        help_text="BCP 47 language tag of the native name, e.g. zh, he.",
    )
    native_name_direction = models.CharField(
        "native name direction",
        max_length=3,
        choices=TextDirection.choices,
        default=TextDirection.LTR,
    )
    country = CountryField("country", db_index=True)
    region = models.CharField(
        "region", max_length=200, blank=True, validators=[name_text_validator]
    )
    population = models.PositiveBigIntegerField("population", null=True, blank=True)
    latitude = models.DecimalField(
        "latitude",
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        "longitude",
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    wikidata_id = models.CharField(
        "Wikidata ID",
        max_length=20,
        blank=True,
        validators=[wikidata_id_validator],
        help_text="e.g. Q956 for Beijing. Unique when set.",
    )
    description = models.TextField("description", blank=True, max_length=20000)
    search_text = models.TextField(
        "search text",
        max_length=20000,
        blank=True,
        default="",
        editable=False,
        help_text="Every name of the city, folded for search (cities/search.py); kept by "
        "save() and the importer.",
    )
    created_at = models.DateTimeField("created", auto_now_add=True)
    updated_at = models.DateTimeField("updated", auto_now=True)

    history = HistoricalRecords(excluded_fields=["search_text"])
    objects = CityQuerySet.as_manager()

    class Meta:
        verbose_name = "city"
        verbose_name_plural = "cities"
        ordering = ["name", "country"]
        indexes = [
            models.Index(fields=["name"], name="city_name_idx"),
            # The ids of a country's cities from the index alone (a country's cities
            # in id order; its links read their own copy: partnerships/link_countries).
            models.Index(fields=["country", "id"], name="city_country_id_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["wikidata_id"],
                condition=~Q(wikidata_id=""),
                name="city_wikidata_id_unique",
                violation_error_message="Another city already has this Wikidata ID.",
                # Code "unique" makes full_clean() file the error under wikidata_id.
                violation_error_code="unique",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="city_latitude_in_range",
                violation_error_message="Latitude must be between -90 and 90.",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="city_longitude_in_range",
                violation_error_message="Longitude must be between -180 and 180.",
            ),
        ]

    def __str__(self) -> str:
        # The region tells namesakes apart: "Springfield, Illinois (US)".
        name = f"{self.name}, {self.region}" if self.region else self.name
        return f"{name} ({self.country.code})" if self.country else name

    def save(self, *args, **kwargs):
        other = list(self.names.values_list("name", flat=True)) if self.pk else []
        self.search_text = city_search.city_search_text(self, other)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("public:city-detail", kwargs={"slug": self.slug})

    @property
    def place_label(self) -> str:
        """Name with region or country, for lists where namesakes meet: 'London, England'."""
        if self.region:
            return f"{self.name}, {self.region}"
        return f"{self.name}, {self.country.name}" if self.country else self.name

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class CityName(models.Model):
    """A city's name in one language, from a named data set (or staff)."""

    city = models.ForeignKey(
        City, verbose_name="city", on_delete=models.CASCADE, related_name="names"
    )
    language = models.CharField(
        "language",
        max_length=16,
        validators=[language_tag_validator],
        help_text="BCP 47 language tag, e.g. zh, he, de.",
    )
    name = models.CharField("name", max_length=200, validators=[name_text_validator])
    source = models.CharField(
        "source", max_length=60, blank=True, help_text="Data set the name comes from."
    )

    class Meta:
        verbose_name = "city name"
        verbose_name_plural = "city names"
        ordering = ["city", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["city", "language"],
                name="city_name_one_per_language",
                violation_error_message="This city already has a name in this language.",
            )
        ]
        indexes = [models.Index(fields=["name"], name="city_name_name_idx")]

    def __str__(self) -> str:
        return f"{self.name} [{self.language}]"


class CityRedirect(models.Model):
    """An address a city used to have: an old slug, or the slug of a city merged into it."""

    old_slug = models.SlugField("old slug", max_length=220, unique=True)
    city = models.ForeignKey(
        City, verbose_name="city", on_delete=models.CASCADE, related_name="redirects"
    )
    reason = models.CharField("reason", max_length=200, blank=True)
    created_at = models.DateTimeField("created", auto_now_add=True)

    class Meta:
        verbose_name = "city redirect"
        verbose_name_plural = "city redirects"
        ordering = ["old_slug"]

    def __str__(self) -> str:
        return f"/{self.old_slug}/ → {self.city.slug}"


class DuplicateStatus(models.TextChoices):
    OPEN = "open", "to review"
    DISTINCT = "distinct", "different places"
    MERGED = "merged", "merged"


class PossibleDuplicate(models.Model):
    """Two cities the import could not tell apart or together: staff decide."""

    city_a = models.ForeignKey(
        City, verbose_name="city A", on_delete=models.CASCADE, related_name="+"
    )
    city_b = models.ForeignKey(
        City, verbose_name="city B", on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField("why", max_length=300)
    status = models.CharField(
        "status", max_length=10, choices=DuplicateStatus.choices, default=DuplicateStatus.OPEN
    )
    created_at = models.DateTimeField("created", auto_now_add=True)

    class Meta:
        verbose_name = "possible duplicate"
        verbose_name_plural = "possible duplicates"
        ordering = ["city_a__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["city_a", "city_b"],
                name="possible_duplicate_unique_pair",
                violation_error_message="This pair is already listed.",
            ),
            models.CheckConstraint(
                condition=Q(city_a__lt=models.F("city_b")),
                name="possible_duplicate_canonical_order",
                violation_error_message="A pair is stored with the lower city id first.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.city_a} / {self.city_b}"


def redirect_target(slug: str) -> City | None:
    """The city an old slug (renamed, or merged into another) now leads to."""
    found = CityRedirect.objects.filter(old_slug=slug).select_related("city").first()
    return found.city if found else None
