"""Placeholder public views; the public-pages issue replaces them."""

from django.http import HttpResponse


def home(request):
    return HttpResponse("City partnerships")


def city_detail(request, slug):
    return HttpResponse(slug)


def partnership_detail(request, pk):
    return HttpResponse(str(pk))


def office_detail(request, slug):
    return HttpResponse(slug)


def official_detail(request, slug):
    return HttpResponse(slug)
