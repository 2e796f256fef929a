from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    """Decisions that need approval before they change a child's life: who asked, who
    was consulted, what the child said, and who approved, refused or sent them back."""

    name = "carematters.web.approvals"
    label = "approvals"
    verbose_name = "Approvals"
