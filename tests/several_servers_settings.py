"""The production settings as tests/test_several_servers.py runs them under gunicorn.

One change: static files are named as they are, without collectstatic's manifest, because
the test does not run collectstatic (a deploy step with nothing to do with several servers).
Everything else, the cache and sessions included, is config.settings.production as the
environment sets it.
"""

from config.settings.production import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
