from django.apps import AppConfig


class PeopleConfig(AppConfig):
    """Staff and young people who sign in, their roles and teams, and who is allocated
    to which child."""

    name = "carematters.web.people"
    label = "people"
    verbose_name = "People"
