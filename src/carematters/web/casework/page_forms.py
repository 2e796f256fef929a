"""The forms of the reading pages: the reason for opening a record outside one's
relationship to the child (break-glass), and a team manager's choice of a child's
social worker. Each field's error is worded for the GOV.UK error summary."""

from __future__ import annotations

from typing import Any

from django import forms

from carematters.web.casework.forms import DayField, GovukForm, Radios, Select
from carematters.web.people.models import User

REASON_LIMIT = 1_000
"""The most characters a break-glass reason may have: room for a paragraph."""


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        max_length=REASON_LIMIT,
        strip=True,
        error_messages={
            "required": "Enter why you need to open this record",
            "max_length": f"Reason must be {REASON_LIMIT:,} characters or fewer",
        },
    )


class AllocationForm(GovukForm):
    """A social worker (one of `workers`), the day they take the child on and DfE's
    reason for the change (one of `reasons`), drawn by the recording forms' GOV.UK fields
    (casework/record_field.html). `seen` carries the episodes the form was shown
    (`allocating.seen`)."""

    seen = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, workers: list[User], reasons: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.workers = {str(worker.pk): worker for worker in workers}
        worker = forms.ChoiceField(
            label="New social worker",
            choices=[(pk, str(worker)) for pk, worker in self.workers.items()],
            widget=Radios,
            error_messages={
                "required": "Choose a social worker",
                "invalid_choice": "Choose a social worker in your team",
            },
        )
        worker.nothing_to_choose = "Your team has no social workers to choose from."  # type: ignore[attr-defined]
        self.fields["worker"] = worker
        self.fields["start"] = DayField(
            label="Date they take the child on",
            called="The date they take the child on",
            hint="For example, 27 3 2026. It cannot be in the future.",
        )
        self.fields["reason"] = forms.ChoiceField(
            label="Reason for the change",
            choices=[("", "Choose a reason"), *reasons],
            widget=Select,
            error_messages={
                "required": "Choose the reason for the change",
                "invalid_choice": "Choose the reason for the change",
            },
        )
        self.order_fields(("worker", "start", "reason", "seen"))

    def chosen_worker(self) -> User:
        """The social worker chosen (after `is_valid`)."""
        return self.workers[self.cleaned_data["worker"]]
