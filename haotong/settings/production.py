"""Production: every secret and host from the environment, HTTPS only."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import MIDDLEWARE

DEBUG = False
# Static files straight from the app server: intranets rarely have a CDN or a separate web tier.
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]
SECRET_KEY = os.environ.get("HAOTONG_SECRET_KEY", "")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("haotong-development"):
    raise ImproperlyConfigured(
        "HAOTONG_SECRET_KEY must be set to a random string of 50+ characters"
    )
SECURE_SSL_REDIRECT = os.environ.get("HAOTONG_SSL_REDIRECT", "1") == "1"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
