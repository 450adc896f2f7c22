"""Readers' suggestion forms: no account, a source required, staff review before anything
changes. Abuse guards: CSRF (Django's middleware), a per-address limit in the shared
cache, a honeypot field, the model's length limits and an http(s)-only source URL."""

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import get_object_or_404, redirect, render

from cities.models import City
from partnerships.models import LiaisonOffice, Official, Partnership

from .forms import CorrectionForm, NewPartnershipForm
from .models import Action, Subject, Suggestion

RATE_WINDOW_SECONDS = 3600


def over_rate_limit(request) -> bool:
    """Count this submission against its address; True once over the hourly limit.

    REMOTE_ADDR only: X-Forwarded-For is whatever the client wants it to be. Behind a
    proxy, have the proxy set REMOTE_ADDR.
    """
    address = request.META.get("REMOTE_ADDR") or "unknown"
    key = f"suggestions:rate:{address}"
    cache.add(key, 0, timeout=RATE_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=RATE_WINDOW_SECONDS)
        count = 1
    return count > settings.SUGGESTIONS_PER_HOUR


def _suggest(request, *, subject, record, form_class, form_kwargs, action, context):
    if request.method == "POST":
        if over_rate_limit(request):
            return render(request, "suggestions/rate_limited.html", status=429)
        form = form_class(request.POST, **form_kwargs)
        if form.is_bot:
            # Say nothing a bot could learn from; store nothing.
            return redirect("suggestions:thanks")
        if form.is_valid():
            suggestion: Suggestion = form.save(commit=False)
            suggestion.subject = subject
            suggestion.action = action
            setattr(suggestion, subject, record)
            if action == Action.ADD_PARTNERSHIP:
                suggestion.partner_city = form.cleaned_data["partner"]
            suggestion.save()
            return redirect("suggestions:thanks")
    else:
        form = form_class(**form_kwargs)
    return render(
        request,
        "suggestions/suggest_form.html",
        {"form": form, "record": record, "action": action, **context},
    )


def _correct(request, subject, record, label):
    """A reader's correction of one record, on the form every subject shares."""
    return _suggest(
        request,
        subject=subject,
        record=record,
        form_class=CorrectionForm,
        form_kwargs={"subject": subject},
        action=Action.CORRECT,
        context={"record_label": label, "record_url": record.get_absolute_url()},
    )


def suggest_city(request, slug):
    city = get_object_or_404(City, slug=slug)
    return _correct(request, Subject.CITY, city, city.name)


def suggest_partnership_of(request, slug):
    city = get_object_or_404(City, slug=slug)
    return _suggest(
        request,
        subject=Subject.CITY,
        record=city,
        form_class=NewPartnershipForm,
        form_kwargs={"city": city},
        action=Action.ADD_PARTNERSHIP,
        context={"record_label": city.name, "record_url": city.get_absolute_url()},
    )


def suggest_partnership(request, pk):
    link = get_object_or_404(Partnership.objects.with_cities(), pk=pk)
    return _correct(request, Subject.PARTNERSHIP, link, f"{link.city_a.name} – {link.city_b.name}")


def suggest_office(request, slug):
    office = get_object_or_404(LiaisonOffice, slug=slug)
    return _correct(request, Subject.OFFICE, office, office.name)


def suggest_official(request, slug):
    official = get_object_or_404(Official, slug=slug)
    return _correct(request, Subject.OFFICIAL, official, official.name)


def thanks(request):
    return render(request, "suggestions/thanks.html")
