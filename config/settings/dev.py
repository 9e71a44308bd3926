from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = "dev-only-secret-key-not-for-production"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

# Serve static files straight from the app folders, no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
