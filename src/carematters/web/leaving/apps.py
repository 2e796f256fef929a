from django.apps import AppConfig


class LeavingConfig(AppConfig):
    """The personal adviser's work with care leavers: their caseload in leaving care's
    own terms (kind of care leaver, accommodation, activity, contact, pathway plan), and
    the facts a care leaver's record shows about leaving care."""

    name = "carematters.web.leaving"
    label = "leaving"
    verbose_name = "Leaving care"
