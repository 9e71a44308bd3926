from django.apps import AppConfig


class QuizConfig(AppConfig):
    name = "quiz"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from glossary import page_cache

        from . import hooks, signals, views
        from .models import Choice, Quiz, QuizScenario, Scenario

        hooks.register()
        signals.connect()
        # What the quiz shows on public pages (a term page's "Test yourself" box).
        page_cache.watch(Scenario, Choice, Quiz, QuizScenario)
        user_logged_in.connect(views.carry_over_visitor_attempts, dispatch_uid="quiz-visitor")
