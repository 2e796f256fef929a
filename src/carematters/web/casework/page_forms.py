"""The forms of the reading pages: the reason for opening a record outside one's
relationship to the child (break-glass), and a team manager's choice of a child's
social worker. Each field's error is worded for the GOV.UK error summary."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

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


class AllocationForm(forms.Form):
    """A social worker (one of `workers`), the day they take the child on (a GOV.UK date
    input: day, month and year apart) and DfE's reason for the change (one of
    `reasons`). `seen` carries the episodes the form was shown (`allocating.seen`)."""

    start_day = forms.CharField(required=False)
    start_month = forms.CharField(required=False)
    start_year = forms.CharField(required=False)
    seen = forms.CharField(required=False, widget=forms.HiddenInput)

    field_order = ("worker", "start_day", "start_month", "start_year", "reason", "seen")

    def __init__(
        self, *args: Any, workers: list[User], reasons: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.workers = {str(worker.pk): worker for worker in workers}
        self.fields["worker"] = forms.ChoiceField(
            choices=[(pk, str(worker)) for pk, worker in self.workers.items()],
            error_messages={
                "required": "Choose a social worker",
                "invalid_choice": "Choose a social worker in your team",
            },
        )
        self.fields["reason"] = forms.ChoiceField(
            choices=reasons,
            error_messages={
                "required": "Choose the reason for the change",
                "invalid_choice": "Choose the reason for the change",
            },
        )
        self.order_fields(self.field_order)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        parts = [cleaned.get(f"start_{part}", "").strip() for part in ("day", "month", "year")]
        if not all(parts):
            self.add_error("start_day", "Enter the date they take the child on")
            return cleaned
        try:
            day, month, year = (int(part) for part in parts)
            cleaned["start"] = date(year, month, day)
        except ValueError:
            self.add_error("start_day", "Date they take the child on must be a real date")
        return cleaned

    def chosen_worker(self) -> User:
        """The social worker chosen (after `is_valid`)."""
        return self.workers[self.cleaned_data["worker"]]
