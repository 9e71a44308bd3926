"""The production settings as `make bench` runs them under gunicorn (tests/bench/scale.py).

Two changes: static files are named as they are (the benchmark does not run collectstatic),
and the URLconf adds the hello-world view the term page is measured against.
"""

from config.settings.production import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ROOT_URLCONF = "tests.bench.urls"
