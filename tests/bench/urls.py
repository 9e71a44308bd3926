"""The site's URLs plus a hello-world view: the ceiling a page is measured against, through
the same middleware in the same gunicorn."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Hello, world", content_type="text/plain")


urlpatterns = [
    path("bench/hello/", hello),
    path("", include("config.urls")),
]

handler404 = "glossary.views.page_not_found"
handler500 = "glossary.views.server_error"
