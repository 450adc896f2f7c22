"""Domain-free building blocks every app stands on; this package imports no app of the project.

- `data_version`: "the data changed" and "the data version", the one token every cache
  of answers (API responses, the network graph, the home map) is keyed on;
- `dates`: dates that carry their precision (`PartialDate`) and the model helpers for them;
- `querysets`: the text-search base of the apps' QuerySets;
- `constraints`: database checks that report their error under a field, so a model's
  clean() need not repeat them;
- `admin`: the admin base with edit history, the country list filter, partial-date columns.
"""
