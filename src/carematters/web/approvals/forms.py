"""The forms of decisions that need approval, in GOV.UK Design System patterns
(`casework.forms.GovukForm`: an error summary linking to each field, an action's
refusals shown on the fields they name, which are the names the actions use).

The forms of one request's page have fields of different names, so that each can show
its own problems on the page that holds them all.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from carematters.duties.decisions import Decision
from carematters.web.approvals.models import Consulted, Did, Outcome
from carematters.web.approvals.safeguards import OWN_ANSWER
from carematters.web.casework.forms import (
    CodeField,
    ComingDayField,
    DayField,
    GovukForm,
    Radios,
    text_field,
)
from carematters.web.people.models import User

YES_NO = [("yes", "Yes"), ("no", "No")]


def _choice(
    label: str, choices: list[tuple[str, str]], message: str, *, hint: str = ""
) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        help_text=hint,
        choices=choices,
        widget=Radios,
        error_messages={"required": message, "invalid_choice": message},
    )


def _yes_no(label: str, *, hint: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, help_text=hint, choices=YES_NO, widget=Radios, required=False
    )


class AskForm(GovukForm):
    """A social worker's request for a decision that needs approval."""

    decision = _choice(
        "What is the decision?",
        [
            (Decision.PLACEMENT_MOVE.value, "A move to a new placement"),
            (Decision.CEASE_CARE.value, "Ending their care: they stop being looked after"),
        ],
        "Select what the decision is",
    )
    on = ComingDayField(label="When would it happen?", called="The date it would happen")
    to_placement = CodeField(
        "placement_type",
        label="The type of placement",
        required_message="Select the type of placement",
        required=False,
        radios=False,
    )
    to_postcode = text_field("The postcode of the new placement")
    bed_and_breakfast = _yes_no("Is it bed and breakfast?")
    until = ComingDayField(
        label="If it is bed and breakfast, the day they will leave",
        called="The day they will leave",
        required=False,
    )
    separates_siblings = _yes_no(
        "Is it a permanent placement that would separate them from a brother or sister?"
    )
    independent_living = _yes_no(
        "Is this a move to independent living?",
        hint="For example a flat of their own, lodgings or supported accommodation, whatever "
        "the type of placement",
    )
    # Required by the action, which says so with the move's other problems at once.
    why = text_field(
        "Why is this the right decision for them?",
        hint="Where the law allows it only in exceptional circumstances (a move in the GCSE "
        "years, bed and breakfast), say what they are",
        long=True,
    )


class ConsultationForm(GovukForm):
    """Someone consulted about a request, and what they said, as the social worker records
    it: not the IRO nor the designated teacher, who answer for themselves (`AnswerForm`)."""

    who = _choice(
        "Who was consulted?",
        [(c.value, c.label) for c in Consulted if c not in OWN_ANSWER],
        "Select who was consulted",
        hint="Their IRO and the designated teacher give their own answer on this page",
    )
    name = text_field(
        "Their name", hint="For the authority where they would live, its name", required=True
    )
    on = DayField(label="When were they consulted?", called="The date they were consulted")
    said = text_field("What did they say?", long=True, required=True)
    agrees = _yes_no(
        "Do they agree with the proposal?",
        hint="For the young person: do they understand it and positively agree to it? They "
        "must say",
    )


class AnswerForm(GovukForm):
    """The child's IRO or designated teacher answering a request, for themselves."""

    answer = text_field("Your answer", long=True, required=True)
    answer_agrees = _choice(
        "Do you agree with the proposal?", YES_NO, "Select whether you agree with it"
    )


class DecideForm(GovukForm):
    """The approver's answer to a request, and their reasons."""

    did = _choice(
        "What do you decide?",
        [
            (Did.APPROVED.value, "Approve it"),
            (Did.REFUSED.value, "Refuse it"),
            (Did.RETURNED.value, "Return it to the social worker for more information"),
        ],
        "Select approve, refuse or return",
    )
    reason = text_field("Your reasons", long=True, required=True)
    version = forms.IntegerField(widget=forms.HiddenInput)


class SendAgainForm(GovukForm):
    """A returned request sent back to its approver, with what was added."""

    added = text_field("What have you added or changed?", long=True, required=True)
    version = forms.IntegerField(widget=forms.HiddenInput)


class DisputeForm(GovukForm):
    """The young person disputing a decision, in their words, and who will look at it
    again (`holders`: a manager or the director, never who approved it)."""

    words = text_field(
        "What does the young person disagree with?",
        hint="In their own words, as far as you can",
        long=True,
        required="Enter what the young person disagrees with",
    )
    held_by = _choice(
        "Who will look at the decision again?",
        [],
        "Select who will look at the decision again",
        hint="Someone other than the person who approved it",
    )

    def __init__(self, *args: Any, holders: Sequence[User] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["held_by"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = [
            (str(person.pk), f"{person}, {person.get_role_display().lower()}") for person in holders
        ]


class EndDisputeForm(GovukForm):
    """How the authority's dispute resolution ended."""

    outcome = _choice(
        "How did the dispute end?",
        [(o.value, o.label) for o in Outcome],
        "Select how the dispute ended",
    )
    resolution = text_field(
        "How was it resolved?",
        hint="Why the decision stands or is withdrawn, as you would explain it to the young person",
        long=True,
        required=True,
    )


def answered_yes(form: forms.Form, name: str) -> bool | None:
    """A yes/no question's answer (after `is_valid`): True, False, or None if not given."""
    answer = form.cleaned_data.get(name)
    return None if not answer else answer == "yes"
