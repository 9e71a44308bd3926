"""The quiz's pages, in three namespaces: the quizzes themselves ("quiz", under /quiz/), a
learner's own page ("learner", /me/) and the trainers' pages ("trainer", /trainer/)."""

from django.urls import path

from . import trainer_views, views

quiz_patterns = [
    path("", views.quiz_list, name="list"),
    path("<slug:slug>/start/", views.start, name="start"),
    path("attempts/<int:attempt_id>/", views.attempt_detail, name="attempt"),
    path("attempts/<int:attempt_id>/questions/<int:position>/", views.question, name="question"),
    path("attempts/<int:attempt_id>/results/", views.results, name="results"),
    path("try/<slug:slug>/", views.try_scenario, name="try"),
]

learner_patterns = [
    path("", views.me, name="me"),
    path("assignments/<int:assignment_id>/start/", views.start_assignment, name="start"),
]

ASSIGNMENT = "assignments/<int:assignment_id>/"
trainer_patterns = [
    path("", trainer_views.index, name="index"),
    path("assignments/new/", trainer_views.assignment_create, name="new"),
    path(ASSIGNMENT, trainer_views.assignment_report, name="assignment"),
    path(f"{ASSIGNMENT}edit/", trainer_views.assignment_edit, name="edit"),
    path(f"{ASSIGNMENT}archive/", trainer_views.assignment_archive, name="archive"),
    path(
        f"{ASSIGNMENT}learners.csv",
        trainer_views.assignment_learners_csv,
        name="assignment_learners_csv",
    ),
    path(
        f"{ASSIGNMENT}responses.csv",
        trainer_views.assignment_responses_csv,
        name="assignment_responses_csv",
    ),
    path(
        f"{ASSIGNMENT}learners/<int:user_id>/",
        trainer_views.assignment_learner,
        name="assignment_learner",
    ),
    path(
        f"{ASSIGNMENT}attempts/<int:attempt_id>/questions/<int:position>/",
        trainer_views.assignment_asked_question,
        name="assignment_asked",
    ),
    path(
        f"{ASSIGNMENT}questions/<int:scenario_id>/",
        trainer_views.assignment_question,
        name="assignment_question",
    ),
    path("quizzes/<slug:slug>/", trainer_views.quiz_report, name="quiz"),
    path(
        "quizzes/<slug:slug>/learners/<int:user_id>/",
        trainer_views.quiz_learner,
        name="quiz_learner",
    ),
    path(
        "quizzes/<slug:slug>/attempts/<int:attempt_id>/questions/<int:position>/",
        trainer_views.quiz_asked_question,
        name="quiz_asked",
    ),
    path(
        "quizzes/<slug:slug>/questions/<int:scenario_id>/",
        trainer_views.quiz_question,
        name="quiz_question",
    ),
    path(
        "quizzes/<slug:slug>/learners.csv",
        trainer_views.quiz_learners_csv,
        name="quiz_learners_csv",
    ),
    path(
        "quizzes/<slug:slug>/responses.csv",
        trainer_views.quiz_responses_csv,
        name="quiz_responses_csv",
    ),
]
