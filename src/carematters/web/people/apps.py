from django.apps import AppConfig


class PeopleConfig(AppConfig):
    """Staff and young people who sign in, their roles and teams, and who is allocated
    to which child."""

    name = "carematters.web.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        # The access rules are registered when the module loads; a template's test_rule
        # on a rule not yet registered would answer False, not fail.
        from carematters.web.people import access  # noqa: F401, PLC0415
