"""Admin building blocks that know no domain, for every app's admin.

- `HistoryAdmin`: the base of every admin here; each edit is kept with who made it
  and why ("Changed name in the admin."), can be reverted by those who may change
  the record, and a record with no history (loaded by `loaddata` or a bulk import)
  gets its state as stored as a first version before its first edit;
- `PartialDateColumnsMixin`: a list column and a "reads" line for each of the
  model's partial dates (its PARTIAL_DATES), at their real precision;
- `country_filter()`: a list filter on one or several country fields;
- `QuerySetSearchMixin`: the admin's search box runs the model's QuerySet.search(),
  the rule the API and the pages use.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import get_text_list
from django_countries import countries
from simple_history.admin import SimpleHistoryAdmin

from common.dates import PartialDate, PartialDateSpec


class HistoryAdmin(SimpleHistoryAdmin):
    """Base of every admin here: each edit is kept with who made it, and can be reverted."""

    class Media:
        css = {"all": ("admin-extra/admin.css",)}
        js = ("admin-extra/admin.js",)

    def get_changelist_instance(self, request):
        # Django's date hierarchy turns ?published_on__year=<30 digits> into
        # datetime(int(...)), whose OverflowError it does not catch (a 500): answer
        # it as the changelist answers any bad lookup, with the list and ?e=1.
        try:
            return super().get_changelist_instance(request)
        except OverflowError as exc:
            raise IncorrectLookupParameters(exc) from exc

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple_history saves a POSTed revert after checking only the *view*
        # permission; a viewer may look at old versions but must not restore one.
        if request.method == "POST" and not self.has_change_permission(request):
            raise PermissionDenied
        # The revert form starts from the old version, so its changed_data is empty
        # even though the save changes the record: name the revert in the history.
        request.reverting_to_version = version_id
        # Django's change and add views run in one transaction; simple_history's revert
        # view does not. Run it in one too, so the revert is saved whole or not at all
        # and the stale-form check may lock the row (SELECT ... FOR UPDATE is refused
        # outside a transaction on PostgreSQL).
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        if change:
            record_state_before_first_edit(obj)
        # The history list's "change reason" column, in the words of Django's own log.
        version = getattr(request, "reverting_to_version", None)
        obj._change_reason = (
            f"Reverted to version {version} in the admin."
            if version is not None
            else describe_edit(form, change)
        )
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            if inline_form.instance.pk is not None and inline_form.has_changed():
                record_state_before_first_edit(inline_form.instance)
        super().save_formset(request, form, formset, change)


def describe_edit(form, change: bool) -> str:
    if not change:
        return "Added in the admin."
    labels = [str(form.fields[name].label or name).lower() for name in form.changed_data]
    if not labels:
        return "Saved in the admin, no field changed."
    return f"Changed {get_text_list(labels, 'and')} in the admin."


def record_state_before_first_edit(obj) -> None:
    """Give a record that has no history a first version: its state as stored now.

    simple_history skips raw saves, so rows from `loaddata` (the seed) or a bulk
    import have no history; without this, the first admin edit could not be
    undone. The version has no author: nobody made it through the admin.
    """
    if obj.history.exists():
        return
    stored = type(obj)._default_manager.filter(pk=obj.pk).first()
    if stored is None:
        return
    historical = obj.history.model
    historical.objects.create(
        history_type="+",
        history_date=timezone.now(),
        history_user=None,
        history_change_reason="as stored before its first recorded edit",
        **{field.attname: getattr(stored, field.attname) for field in historical.tracked_fields},
    )


def country_filter(*paths: str, title: str = "country", parameter_name: str = "country"):
    """A list filter on one or several country fields (OR), offering only countries in use.

    `country_filter("city_a__country", "city_b__country")` matches a link
    whichever side the country is on.
    """

    class CountryFilter(admin.SimpleListFilter):
        def lookups(self, request, model_admin):
            rows = model_admin.model._default_manager.order_by()
            used = rows.values_list(paths[0], flat=True).distinct()
            for path in paths[1:]:
                # UNION (not UNION ALL) de-duplicates: one query for every side.
                used = used.union(rows.values_list(path, flat=True).distinct())
            codes = {code for code in used if code}
            return sorted(((code, countries.name(code)) for code in codes), key=lambda c: c[1])

        def queryset(self, request, queryset):
            code = self.value()
            if not code:
                return queryset
            code = code.upper()
            if code not in countries:
                raise IncorrectLookupParameters(f"{code!r} is not an ISO 3166-1 country code.")
            either = Q()
            for path in paths:
                either |= Q(**{path: code})
            return queryset.filter(either)

    # Up to ~190 countries: a dropdown, not a column of links 5,000 px long.
    CountryFilter.template = "admin/dropdown_filter.html"
    CountryFilter.title = title
    CountryFilter.parameter_name = parameter_name
    return CountryFilter


def partial_date_text(record, spec: PartialDateSpec) -> str:
    """A record's partial date as a person reads it ("1998", "about 1998"), "—" if none."""
    value = record.partial_date(spec.date_field)
    if value is None:
        return "—"
    approximate = bool(spec.approximate_field and getattr(record, spec.approximate_field))
    return value.display(approximate)


class PartialDateField(forms.CharField):
    """One box for a partial date, typed as the API writes it: "1998", "1998-06" or
    "1998-06-15". Cleans to a PartialDate (the date and its precision together)."""

    def __init__(self, *, required: bool = False, **kwargs):
        kwargs.setdefault(
            "help_text", "Type 1998, 1998-06 or 1998-06-15: as precise as the source is."
        )
        super().__init__(required=required, **kwargs)
        self.widget.attrs.update({"placeholder": "YYYY-MM-DD", "size": 12, "maxlength": 10})

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        try:
            return PartialDate.parse(text)
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None

    def has_changed(self, initial, data):
        try:
            typed = self.to_python(data)
        except forms.ValidationError:
            return True
        return (typed.isoformat() if typed else "") != (initial or "")


class PartialDateColumnsMixin:
    """For each partial date of the model (PARTIAL_DATES), two read-only displays named
    after it: `<name>` ("start", "opened_on", "date") for list_display, sorted by the
    date, and `<name>_shown` ("start reads: about 1998") for the change form, beside
    the date. A method the admin defines itself is left alone.

    On the form each partial date is one box (PartialDateField): the precision is what
    was typed, so its select is not shown."""

    def _partial_date_specs(self):
        return list(getattr(self.model, "partial_date_specs", list)())

    def get_fieldsets(self, request, obj=None):
        precisions = {spec.precision_field for spec in self._partial_date_specs()}

        def keep(fields):
            kept = []
            for field in fields:
                if isinstance(field, list | tuple):
                    row = tuple(f for f in field if f not in precisions)
                    if row:
                        kept.append(row if len(row) > 1 else row[0])
                elif field not in precisions:
                    kept.append(field)
            return kept

        return [
            (name, {**options, "fields": keep(options["fields"])})
            for name, options in super().get_fieldsets(request, obj)
        ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        for spec in self._partial_date_specs():
            if db_field.name == spec.date_field:
                return PartialDateField(
                    required=not db_field.blank, label=str(db_field.verbose_name).capitalize()
                )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        specs = [spec for spec in self._partial_date_specs() if spec.date_field in form.base_fields]
        if not specs:
            return form

        class PartialDateForm(form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                for spec in specs:
                    if spec.date_field not in self.initial or self.instance.pk is None:
                        continue
                    value = self.instance.partial_date(spec.date_field)
                    self.initial[spec.date_field] = value.isoformat() if value else None

            def _post_clean(self):
                # Before the instance is built from cleaned_data (whatever clean() said).
                for spec in specs:
                    value = self.cleaned_data.get(spec.date_field)
                    if isinstance(value, PartialDate):
                        self.cleaned_data[spec.date_field] = value.date
                        setattr(self.instance, spec.precision_field, value.precision)
                super()._post_clean()

        PartialDateForm.__name__ = form.__name__
        return PartialDateForm

    def __init__(self, model, admin_site):
        for spec in getattr(model, "partial_date_specs", list)():
            for name, description, ordering in (
                (spec.name, spec.label, spec.date_field),
                (f"{spec.name}_shown", f"{spec.label} reads", None),
            ):
                if not hasattr(self, name):
                    setattr(self, name, self._partial_date_display(spec, description, ordering))
        super().__init__(model, admin_site)

    @staticmethod
    def _partial_date_display(spec: PartialDateSpec, description: str, ordering: str | None):
        def display(record):
            return partial_date_text(record, spec)

        return admin.display(description=description, ordering=ordering)(display)


class QuerySetSearchMixin:
    """The search box (and autocomplete) runs the model's QuerySet.search(term), so the
    admin finds what the API's ?search= and the site's search find.
    `search_fields` stays set: the admin shows its search box only then."""

    def extra_search_q(self, term: str) -> Q | None:
        """What the admin also finds beyond the shared rule (e.g. an exact ID)."""
        return None

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        match = queryset.search_q(term)
        extra = self.extra_search_q(term)
        return queryset.filter(match if extra is None else match | extra), False
