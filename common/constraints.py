"""Database checks whose Python half (Model.full_clean(), so forms, the admin and the
API) reports the error where a person fixes it, so clean() need not repeat them.

Django files a failed CheckConstraint under "__all__". `FieldCheckConstraint` files
it under `field` ("end_date", "city_b"). `StoredFormCheckConstraint` is a rule about
how a row is stored that clean() establishes itself (e.g. a link's canonical city
order): only the database checks it, for writes that bypass clean().

Neither changes the schema: `deconstruct()` gives what a plain CheckConstraint gives,
so migrations see the same constraint and none is needed.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models


class _SameSchemaCheckConstraint(models.CheckConstraint):
    def deconstruct(self):
        _path, args, kwargs = super().deconstruct()
        return "django.db.models.CheckConstraint", args, kwargs


class FieldCheckConstraint(_SameSchemaCheckConstraint):
    def __init__(self, *args, field: str, **kwargs):
        self.field = field
        super().__init__(*args, **kwargs)

    def clone(self):
        # Django clones a model's constraints (to format their names): keep the field.
        _path, args, kwargs = self.deconstruct()
        return type(self)(*args, field=self.field, **kwargs)

    def validate(self, model, instance, exclude=None, using=None, **kwargs):
        try:
            if using is None:
                super().validate(model, instance, exclude=exclude, **kwargs)
            else:
                super().validate(model, instance, exclude=exclude, using=using, **kwargs)
        except ValidationError as error:
            raise ValidationError({self.field: [error]}) from None


class StoredFormCheckConstraint(_SameSchemaCheckConstraint):
    def validate(self, model, instance, exclude=None, using=None, **kwargs):
        return None
