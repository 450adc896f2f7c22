"""A city is a place: where it is, what it is called, which country it belongs to.

It knows nothing of the partnerships built on it; those live in `partnerships`.
"""

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from common.querysets import SearchQuerySet

wikidata_id_validator = RegexValidator(
    r"^Q[1-9][0-9]*$", "A Wikidata ID is a Q followed by digits, e.g. Q956."
)


class TextDirection(models.TextChoices):
    LTR = "ltr", "left to right"
    RTL = "rtl", "right to left"


class CityQuerySet(SearchQuerySet):
    # City search, everywhere (API ?search=, the pages, the admin, links and offices
    # found by their cities): a part of the name, the native name or the slug.
    search_fields = ("name", "native_name", "slug")


class City(models.Model):
    name = models.CharField("name", max_length=200, help_text="Common English name.")
    slug = models.SlugField("slug", max_length=220, unique=True, allow_unicode=False)
    native_name = models.CharField(
        "native name", max_length=200, blank=True, help_text="Name in the local script."
    )
    native_name_language = models.CharField(
        "native name language",
        max_length=16,
        blank=True,
        help_text="BCP 47 language tag of the native name, e.g. zh, he.",
    )
    native_name_direction = models.CharField(
        "native name direction",
        max_length=3,
        choices=TextDirection.choices,
        default=TextDirection.LTR,
    )
    country = CountryField("country", db_index=True)
    region = models.CharField("region", max_length=200, blank=True)
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
    created_at = models.DateTimeField("created", auto_now_add=True)
    updated_at = models.DateTimeField("updated", auto_now=True)

    history = HistoricalRecords()
    objects = CityQuerySet.as_manager()

    class Meta:
        verbose_name = "city"
        verbose_name_plural = "cities"
        ordering = ["name", "country"]
        indexes = [models.Index(fields=["name"], name="city_name_idx")]
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
        return f"{self.name} ({self.country.code})" if self.country else self.name

    def get_absolute_url(self) -> str:
        return reverse("public:city-detail", kwargs={"slug": self.slug})

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None
