from django.urls import path

from . import views

app_name = "quiz"

urlpatterns = [
    path("", views.quiz_list, name="list"),
    path("<slug:slug>/start/", views.start, name="start"),
    path("attempts/<int:attempt_id>/", views.attempt_detail, name="attempt"),
    path("attempts/<int:attempt_id>/questions/<int:position>/", views.question, name="question"),
    path("attempts/<int:attempt_id>/results/", views.results, name="results"),
    path("try/<slug:slug>/", views.try_scenario, name="try"),
]
