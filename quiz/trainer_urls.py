from django.urls import path

from . import trainer_views as views

app_name = "trainer"

urlpatterns = [
    path("", views.index, name="index"),
    path("assignments/new/", views.assignment_create, name="new"),
    path("assignments/<int:assignment_id>/", views.assignment_report, name="assignment"),
    path("assignments/<int:assignment_id>/edit/", views.assignment_edit, name="edit"),
    path("assignments/<int:assignment_id>/archive/", views.assignment_archive, name="archive"),
    path(
        "assignments/<int:assignment_id>/learners.csv",
        views.assignment_learners_csv,
        name="assignment_learners_csv",
    ),
    path(
        "assignments/<int:assignment_id>/responses.csv",
        views.assignment_responses_csv,
        name="assignment_responses_csv",
    ),
    path("quizzes/<slug:slug>/", views.quiz_report, name="quiz"),
    path("quizzes/<slug:slug>/learners.csv", views.quiz_learners_csv, name="quiz_learners_csv"),
    path("quizzes/<slug:slug>/responses.csv", views.quiz_responses_csv, name="quiz_responses_csv"),
]
