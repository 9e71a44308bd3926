from django.apps import AppConfig, apps


class GlossaryConfig(AppConfig):
    name = "glossary"

    def ready(self) -> None:
        from django.core.signals import request_finished

        from . import page_cache, signals
        from .backends import watch_accounts
        from .middleware import forget_request_id
        from .models import Alias, Distinction, Source, Term

        signals.connect()
        page_cache.watch(Term, Alias, Source, Distinction)
        watch_accounts()

        request_finished.connect(forget_request_id, dispatch_uid="glossary.forget_request_id")

        # Django's en-GB translation leaves this heading of the admin in American spelling.
        if apps.is_installed("django.contrib.auth"):
            apps.get_app_config("auth").verbose_name = "Authentication and authorisation"
