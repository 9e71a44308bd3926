from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("favicon.ico", RedirectView.as_view(url="/static/img/favicon.svg", permanent=True)),
    path("accounts/", include("django.contrib.auth.urls")),
    path("quiz/", include("quiz.urls")),
    path("me/", include("quiz.learner_urls")),
    path("trainer/", include("quiz.trainer_urls")),
    path("", include("glossary.urls")),
]

handler404 = "glossary.views.page_not_found"
