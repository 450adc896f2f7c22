"""The browsable API (text/html), with related fields as text inputs.

DRF renders a writable related field as a <select> of every record it could point
at: the event form listed 18,395 options (31 s, 1.3 MB) once the world's links were
loaded. A text input takes the slug or id the JSON body takes, at no cost; the raw
JSON form below it takes lists.
"""

from rest_framework.relations import ManyRelatedField, RelatedField
from rest_framework.renderers import BrowsableAPIRenderer


class ApiBrowsableAPIRenderer(BrowsableAPIRenderer):
    def render_form_for_serializer(self, serializer):
        for field in getattr(serializer, "fields", {}).values():
            if isinstance(field, RelatedField | ManyRelatedField) and not field.read_only:
                field.style = {**field.style, "base_template": "input.html"}
        return super().render_form_for_serializer(serializer)
