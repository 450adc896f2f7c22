"""Readable slugs that stay unique when names repeat.

springfield, springfield-us, springfield-us-2, ...
"""

from django.utils.text import slugify

BASE_MAX_LENGTH = 200  # City.slug allows 220; leave room for "-us-12"


class SlugAllocator:
    def __init__(self, taken: set[str]):
        self.taken = set(taken)

    def allocate(self, *, name: str, country: str, qid: str) -> str:
        base = slugify(name)[:BASE_MAX_LENGTH].strip("-") or qid.lower()
        country_part = country.lower()
        candidates = [base, f"{base}-{country_part}"]
        for candidate in candidates:
            if candidate not in self.taken:
                self.taken.add(candidate)
                return candidate
        n = 2
        while f"{base}-{country_part}-{n}" in self.taken:
            n += 1
        slug = f"{base}-{country_part}-{n}"
        self.taken.add(slug)
        return slug
