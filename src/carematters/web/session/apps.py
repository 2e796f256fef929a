from django.apps import AppConfig


class SessionConfig(AppConfig):
    """Signing out after the idle time (settings.SESSION_COOKIE_AGE), with a warning first:
    the warning dialog on every signed-in page, the keep-alive it calls, and the page a
    person sees once signed out."""

    name = "carematters.web.session"
    label = "session"
    verbose_name = "Session"
