from django.apps import AppConfig


class QuizConfig(AppConfig):
    name = "quiz"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from . import hooks, signals, views

        hooks.register()
        signals.connect()
        user_logged_in.connect(views.carry_over_visitor_attempts, dispatch_uid="quiz-visitor")
