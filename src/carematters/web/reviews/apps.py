from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    """The Independent Reviewing Officer's work: the children they review, reviews held
    and postponed, what each child said before them, and escalations of a child's plan."""

    name = "carematters.web.reviews"
    label = "reviews"
    verbose_name = "Reviews"
