from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    """The child's record in the database: the care record's tables, recording and what
    is due."""

    name = "carematters.web.casework"
    label = "casework"
    verbose_name = "Casework"
