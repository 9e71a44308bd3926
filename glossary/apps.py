from django.apps import AppConfig


class GlossaryConfig(AppConfig):
    name = "glossary"

    def ready(self) -> None:
        from django.core.signals import request_finished

        from . import signals
        from .middleware import forget_request_id

        signals.connect()

        request_finished.connect(forget_request_id, dispatch_uid="glossary.forget_request_id")
