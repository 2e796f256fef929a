"""The IRO's forms, and the child's, in GOV.UK Design System patterns (the recording
forms' fields and error summary, `casework.forms`): each checks the shape of what was
typed and hands the values to its action (`reviews.actions`), whose refusals come back
on the fields they name."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import partial
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from carematters.web.casework.forms import (
    CodeField,
    DayField,
    GovukForm,
    Radios,
    Select,
    text_field,
)
from carematters.web.people.models import User
from carematters.web.reviews.actions import Heard
from carematters.web.reviews.escalations import Stage
from carematters.web.reviews.models import HeardFor, Outcome, PostponedBecause

YES_NO = [("yes", "Yes"), ("no", "No")]


class AnyDayField(DayField):
    """A date in GOV.UK's three boxes that may be in the future: a day something is due,
    or planned for."""

    def to_python(self, value: Any) -> date | None:
        try:
            return super().to_python(value)
        except ValidationError as refused:
            if refused.code != "future":
                raise
        parts = self.prepare_value(value)
        return date(int(parts["year"]), int(parts["month"]), int(parts["day"]))


_words = partial(text_field, long=True)
"""Text written in a box: what a child said, a concern, a decision."""


def _choice(label: str, choices: Sequence[tuple[str, str]], required: str, hint: str = "") -> Any:
    return forms.ChoiceField(
        label=label,
        help_text=hint,
        choices=choices,
        widget=Radios,
        error_messages={"required": required, "invalid_choice": required},
    )


def _yes(value: str) -> bool:
    return value == "yes"


# The child heard ------------------------------------------------------------------------

SEEN_ALONE = [
    ("yes", "Yes"),
    ("no", "No"),
    ("not-in-person", "They were not seen in person (for example, by phone or in writing)"),
]


class ChildViewForm(GovukForm):
    """A social worker or IRO records what a child said."""

    heard_on = DayField(label="When did you hear their views?", called="The date they were heard")
    purpose = _choice(
        "What were they asked about?", list(HeardFor.choices), "Select what they were asked about"
    )
    wishes = _words(
        "What did they say?",
        required="Enter what they said",
        called="What they said",
        hint="Their wishes and feelings, in their own words as far as you can",
    )
    seen_alone = _choice(
        "Did you see them alone?",
        SEEN_ALONE,
        "Select whether you saw them alone",
        hint="Away from their carers and family",
    )
    communication_needs = _words(
        "Does anything help them communicate?",
        called="What helps them communicate",
        hint="For example, an interpreter, signing, pictures, or a specialist the IRO brought "
        "in. Leave this empty if not",
    )
    advocate_offered = _choice(
        "Were they offered an advocate?", YES_NO, "Select whether they were offered an advocate"
    )
    advocate_took_part = _choice(
        "Did an advocate take part?", YES_NO, "Select whether an advocate took part"
    )
    independent_person = _words(
        "Did someone they chose take part?",
        called="The name of the person they chose",
        hint="The name of a person of their choosing who supported them, and who they are to "
        "them. Leave this empty if nobody did",
        long=False,
        limit=200,
    )

    def entry(self, today: date) -> dict[str, Any]:
        """What `actions.record_child_view` takes, from the answers (`today` unused: the
        person says when they heard the child)."""
        data = self.cleaned_data
        alone = data["seen_alone"]
        return {
            "heard_on": data["heard_on"],
            "wishes": data["wishes"],
            "purpose": HeardFor(data["purpose"]),
            "heard": Heard(
                seen_alone=None if alone == "not-in-person" else _yes(alone),
                communication_needs=data["communication_needs"],
                advocate_offered=_yes(data["advocate_offered"]),
                advocate_took_part=_yes(data["advocate_took_part"]),
                independent_person=data["independent_person"],
            ),
        }


OWN_PURPOSES = [
    (HeardFor.REVIEW, "My next review"),
    (HeardFor.DECISION, "A decision about me"),
    (HeardFor.OTHER, "Something else"),
]


class OwnViewForm(GovukForm):
    """A young person says what they think, on their own record."""

    wishes = _words(
        "What do you want to say?",
        required="Enter what you want to say",
        called="What you want to say",
        hint="What you want to happen, and how you feel about it",
    )
    purpose = _choice("What is it about?", OWN_PURPOSES, "Select what it is about")
    communication_needs = _words(
        "Is there anything that helps you say what you think?",
        called="What helps you say what you think",
        hint="For example, someone to sign for you, or pictures. Leave this empty if not",
    )
    advocate_took_part = _choice(
        "Did an advocate help you write this?", YES_NO, "Select whether an advocate helped you"
    )
    independent_person = _words(
        "Did someone else you chose help you?",
        called="The name of the person you chose",
        hint="Their name, and who they are to you. Leave this empty if nobody did",
        long=False,
        limit=200,
    )

    def entry(self, today: date) -> dict[str, Any]:
        """What `actions.record_child_view` takes: written `today`."""
        data = self.cleaned_data
        helped = _yes(data["advocate_took_part"])
        return {
            "heard_on": today,
            "wishes": data["wishes"],
            "purpose": HeardFor(data["purpose"]),
            # An advocate who helped was offered one: the young person is not asked twice.
            "heard": Heard(
                communication_needs=data["communication_needs"],
                advocate_offered=helped,
                advocate_took_part=helped,
                independent_person=data["independent_person"],
            ),
        }


# Reviews --------------------------------------------------------------------------------


class HoldReviewForm(GovukForm):
    """The IRO records a review they chaired."""

    review = DayField(label="When was the review?", called="The date of the review")
    review_code = CodeField(
        "review_participation",
        label="How did the child take part?",
        required_message="Select how the child took part in the review",
    )
    took_part = _words(
        "Who took part?",
        required="Enter who took part",
        called="Who took part",
        hint="For example, the child, their foster carer, their mother, the social worker and "
        "the designated teacher",
    )


class DecisionForm(GovukForm):
    """A decision made at a review."""

    decision = _words("What was decided?", required="Enter the decision", called="The decision")
    owner = _words(
        "Who will carry it out?",
        required="Enter who will carry it out",
        called="Who will carry it out",
        hint="For example, the social worker, or the foster carer",
        long=False,
        limit=200,
    )
    due = AnyDayField(label="By when?", called="The date it is due")


class PostponeForm(GovukForm):
    """The IRO postpones a child's next review."""

    until = AnyDayField(label="When will the review be held?", called="The new date")
    because = _choice(
        "Why is it postponed?", list(PostponedBecause.choices), "Select why it is postponed"
    )
    reason = _words(
        "Tell us more",
        required="Enter why the review is postponed",
        called="Why the review is postponed",
        hint="For example, which assessment or plan is missing, and who is to provide it",
    )


# Escalations ----------------------------------------------------------------------------


def _stage_choices(stages: tuple[Stage, ...], after: int) -> list[tuple[str, str]]:
    return [
        (str(s.number), f"Stage {s.number}: {s.name} (answers within {s.timescale})")
        for s in stages
        if s.number > after
    ]


def _holder_field(people: list[User]) -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Who holds it at this stage?",
        choices=[
            ("", "Select one"),
            *((str(p.pk), f"{p}, {p.get_role_display()}") for p in people),
        ],
        widget=Select,
        error_messages={
            "required": "Select who holds the concern at this stage",
            "invalid_choice": "Select who holds the concern at this stage",
        },
    )


class _StagedForm(GovukForm):
    """A form that chooses a stage (after `after`) and who holds it, from `people`."""

    def __init__(
        self, *args: Any, stages: tuple[Stage, ...], after: int, people: list[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.people = {str(p.pk): p for p in people}
        stage = self.fields["stage"]
        assert isinstance(stage, forms.ChoiceField)  # noqa: S101 - declared below
        stage.choices = _stage_choices(stages, after)
        self.fields["holder"] = _holder_field(people)

    def chosen_holder(self) -> User | None:
        return self.people.get(self.cleaned_data.get("holder") or "")


class RaiseForm(_StagedForm):
    """An IRO raises a concern about a child's plan."""

    concern = _words(
        "What is your concern about their plan?",
        required="Enter your concern about their plan",
        called="Your concern",
        hint="What the authority has not done, or should not do, and how it affects the child",
    )
    stage = _choice(
        "Which stage do you raise it at?",
        [],
        "Select a stage",
        hint="Usually the first. You can go straight to a later stage if the concern needs it",
    )
    holder = forms.ChoiceField()


class MoveForm(_StagedForm):
    """An IRO takes a concern on to a later stage."""

    response = _words(
        "What answer did you have at the stage it is at now?",
        called="The answer you had",
        hint="Leave this empty if none came",
    )
    stage = _choice("Which stage does it go to now?", [], "Select a stage")
    holder = forms.ChoiceField()
    seen_stage = forms.IntegerField(widget=forms.HiddenInput)


class CloseForm(GovukForm):
    """An IRO records how a concern ended: resolved, or referred to Cafcass."""

    outcome = _choice(
        "How did it end?",
        [(Outcome.RESOLVED, "Resolved"), (Outcome.CAFCASS, "I referred the case to Cafcass")],
        "Select how it ended",
    )
    closed_on = DayField(
        label="When did it end?",
        called="The date it ended",
        hint="The day it was resolved, or you referred the case. For example, 27 3 2026",
    )
    resolution = _words(
        "What happened?",
        required="Enter what happened",
        called="What happened",
        hint="What was agreed and done, or why you referred the case",
    )
    cafcass_reference = _words(
        "Cafcass reference",
        called="The Cafcass reference",
        hint="Only if you referred the case to Cafcass",
        long=False,
        limit=100,
    )
    response = _words(
        "What answer did you have at the stage it ended at?",
        hint="Leave this empty if none came",
        called="The answer you had",
    )
    seen_stage = forms.IntegerField(widget=forms.HiddenInput)
