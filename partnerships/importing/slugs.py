"""Readable slugs that stay unique when names repeat.

Letters that Django's slugify drops are transliterated first (Łódź → lodz,
Helsingør → helsingor). The first place to claim a name gets the plain slug (the
import hands out slugs best-known first); the others carry their region, then their
country, then a number: london, london-ontario, springfield-us, springfield-us-2.
"""

from django.utils.text import slugify
from unidecode import unidecode

BASE_MAX_LENGTH = 200  # City.slug allows 220; leave room for "-us-12"


def plain_slug(text: str) -> str:
    return slugify(unidecode(text or ""))[:BASE_MAX_LENGTH].strip("-")


def legacy_slug(text: str) -> str:
    """What slugify alone made of a name (before transliteration)."""
    return slugify(text or "")[:BASE_MAX_LENGTH].strip("-")


class SlugAllocator:
    def __init__(self, taken: set[str]):
        self.taken = set(taken)

    def _take(self, slug: str) -> str:
        self.taken.add(slug)
        return slug

    def allocate(self, *, name: str, country: str, qid: str, region: str = "") -> str:
        base = plain_slug(name) or plain_slug(qid) or "city"
        country_part = country.lower()
        candidates = [base]
        region_part = plain_slug(region)[:60].strip("-")
        if region_part and region_part != base:
            candidates.append(f"{base}-{region_part}")
        candidates.append(f"{base}-{country_part}")
        for candidate in candidates:
            if candidate not in self.taken:
                return self._take(candidate)
        n = 2
        while f"{base}-{country_part}-{n}" in self.taken:
            n += 1
        return self._take(f"{base}-{country_part}-{n}")
