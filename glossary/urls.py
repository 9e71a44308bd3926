from django.urls import path, re_path

from . import preview, views

app_name = "glossary"

urlpatterns = [
    path("terms/", views.term_index, name="index"),
    path("terms.json", views.terms_json, name="export"),
    # Before the term page: "client-vs-customer" is a comparison, not a slug.
    re_path(r"^terms/(?P<first>[-\w]+?)-vs-(?P<second>[-\w]+)/$", views.compare, name="compare"),
    path("terms/<slug:slug>/", views.term_detail, name="term"),
    # Editors only: unpublished content as it will look once published.
    path("preview/terms/<slug:slug>/", preview.term, name="preview-term"),
    path("preview/distinctions/<int:pk>/", preview.distinction, name="preview-distinction"),
]
