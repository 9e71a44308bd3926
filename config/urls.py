from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from quiz import views as quiz_views
from quiz.urls import learner_patterns, quiz_patterns, trainer_patterns

urlpatterns = [
    # The admin login's "Forgotten your password?" link: the same reset as the site's.
    path(
        "admin/password_reset/",
        auth_views.PasswordResetView.as_view(),
        name="admin_password_reset",
    ),
    path("admin/", admin.site.urls),
    path("favicon.ico", RedirectView.as_view(url="/static/img/favicon.svg", permanent=True)),
    # Before Django's own: the login lands each role where its work is.
    path("accounts/login/", quiz_views.LoginView.as_view(), name="login"),
    # A GET asks to confirm, so that pages link to it instead of carrying a CSRF token.
    path("accounts/logout/", quiz_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("quiz/", include((quiz_patterns, "quiz"))),
    path("me/", include((learner_patterns, "learner"))),
    path("trainer/", include((trainer_patterns, "trainer"))),
    # The home page shows terms and a learner's assignments, so it belongs to the upper layer.
    path("", quiz_views.home, name="home"),
    # Editors only: a scenario as it will look once published (the glossary's are below).
    path("preview/scenarios/<slug:slug>/", quiz_views.preview_scenario, name="preview-scenario"),
    path("", include("glossary.urls")),
]

handler404 = "glossary.views.page_not_found"
handler500 = "glossary.views.server_error"
