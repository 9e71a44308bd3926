from django.urls import path

from . import views

app_name = "learner"

urlpatterns = [
    path("", views.me, name="me"),
    path("assignments/<int:assignment_id>/start/", views.start_assignment, name="start"),
]
