from django.apps import AppConfig


class AuditConfig(AppConfig):
    """Who viewed which child's record and who changed what: append-only."""

    name = "carematters.web.audit"
    label = "audit"
    verbose_name = "Audit"
