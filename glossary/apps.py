from django.apps import AppConfig


class GlossaryConfig(AppConfig):
    name = "glossary"

    def ready(self) -> None:
        from django.core.signals import request_finished

        from . import page_cache, signals
        from .middleware import forget_request_id
        from .models import Alias, Distinction, Source, Term

        signals.connect()
        page_cache.watch(Term, Alias, Source, Distinction)

        request_finished.connect(forget_request_id, dispatch_uid="glossary.forget_request_id")
