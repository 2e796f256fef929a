"""The recording forms (issue 12, "Recording"), in GOV.UK Design System patterns.

A form checks the shape of what was typed — a real date in three boxes, a choice from
its list, text of a sensible length — and hands the values to its action
(`casework.actions`), which checks them against the child's record and the SSDA903
rules; the action's refusals come back on the form's fields, which are named as the
action names them (the DfE column in lower case). Code lists are offered as used in the
current collection year, with their words; the action refuses a code not used in the
year of the date entered.

Each form is one class in FORMS, by the slug of its page (`record-<slug>/`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar, cast

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone

from carematters.services.recording import collection_year_of
from carematters.ssda903.codelists import code_list
from carematters.web.approvals import gatekeeping
from carematters.web.casework import actions
from carematters.web.casework.actions import Seen, day_in_words
from carematters.web.casework.models import Episode, MissingEpisode, RecordRow
from carematters.web.leaving import actions as leaving_actions
from carematters.web.people.access import Purpose
from carematters.web.people.models import User

PARTS = ("day", "month", "year")
TEXT_LIMIT = 2_000
"""The most characters a free-text answer (why not seen alone, why withdrawn) may have."""


# Fields ---------------------------------------------------------------------------------


class DayInput(forms.Widget):
    """GOV.UK's date input: day, month and year boxes, named `<name>-day` and so on."""

    govuk = "date"

    def value_from_datadict(self, data: Any, files: Any, name: str) -> dict[str, str]:
        return {part: str(data.get(f"{name}-{part}") or "").strip() for part in PARTS}

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False


class DayField(forms.Field):
    """A date typed in GOV.UK's three boxes, refused in GOV.UK's words ("must include a
    month", "must be a real date", and, as every date recorded is of something that
    has happened, "must be today or in the past"). `label` is the question; `called`
    the date in words for messages, as the action names it ("The date of the visit")."""

    widget = DayInput

    def __init__(self, *, label: str, called: str, hint: str = "", required: bool = True):
        super().__init__(
            label=label,
            required=required,
            help_text=hint or "For example, 27 3 2026",
            error_messages={"required": f"Enter {called[0].lower()}{called[1:]}"},
        )
        self.called = called

    def prepare_value(self, value: Any) -> dict[str, str]:
        """The three boxes' text for a date, for typed text, or for nothing."""
        if isinstance(value, date):
            return {"day": str(value.day), "month": str(value.month), "year": str(value.year)}
        if isinstance(value, Mapping):
            return {part: str(value.get(part) or "") for part in PARTS}
        return dict.fromkeys(PARTS, "")

    def to_python(self, value: Any) -> date | None:
        parts = self.prepare_value(value)
        if not any(parts.values()):
            return None
        if missing := [part for part in PARTS if not parts[part]]:
            raise ValidationError(
                f"{self.called} must include a {' and a '.join(missing)}", code="incomplete"
            )
        if not all(parts[part].isdigit() for part in PARTS):
            raise ValidationError(f"{self.called} must be a real date", code="invalid")
        if len(parts["year"]) != 4:
            raise ValidationError("Year must include 4 numbers", code="year")
        try:
            day = date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
        except (ValueError, OverflowError):  # 31 February; a day of twenty digits
            raise ValidationError(f"{self.called} must be a real date", code="invalid") from None
        if day > timezone.localdate():
            raise ValidationError(f"{self.called} must be today or in the past", code="future")
        return day


class ComingDayField(DayField):
    """A date in GOV.UK's three boxes that may be in the future (the day a stay in bed and
    breakfast will end; a decision's day)."""

    def to_python(self, value: Any) -> date | None:
        try:
            return super().to_python(value)
        except ValidationError as error:
            if error.code != "future":
                raise
        parts = self.prepare_value(value)
        return date(int(parts["year"]), int(parts["month"]), int(parts["day"]))


class Radios(forms.RadioSelect):
    govuk = "radios"


class Select(forms.Select):
    govuk = "select"


class TextInput(forms.TextInput):
    govuk = "input"


class Textarea(forms.Textarea):
    govuk = "textarea"


def _year_codes(codes: str, left_out: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """The code list's codes used in the current collection year, with their words."""
    year = collection_year_of(timezone.localdate())
    return [
        (c.code, c.label)
        for c in code_list(codes).codes
        if c.valid_in(year) and c.code not in left_out
    ]


class CodeField(forms.ChoiceField):
    """A code from a code list: offered as used this year (with its words), accepted if
    the list ever had it — the action refuses a code not used in the date's year."""

    def __init__(
        self,
        codes: str,
        *,
        label: str,
        required_message: str,
        required: bool = True,
        radios: bool = True,
        hint: str = "",
        left_out: frozenset[str] = frozenset(),
        words: Mapping[str, str] | None = None,
    ) -> None:
        renamed = words or {}
        choices = [(code, renamed.get(code, text)) for code, text in _year_codes(codes, left_out)]
        super().__init__(
            choices=choices if radios else [("", "Select one"), *choices],
            label=label,
            help_text=hint,
            widget=Radios if radios else Select,
            required=required,
            error_messages={"required": required_message, "invalid_choice": required_message},
        )
        self.codes = codes

    def valid_value(self, value: str) -> bool:
        return code_list(self.codes).find(value) is not None

    def keep(self, value: Any) -> None:
        """Offer `value` too, if it is a code this year does not use (an old entry being
        changed shows what it holds)."""
        offered = choices_of(self)
        if not value or any(code == value for code, _ in offered):
            return
        found = code_list(self.codes).find(str(value))
        if found is not None:
            self.choices = [*offered, (found.code, f"{found.label} (no longer used)")]


def choices_of(field: forms.ChoiceField) -> list[tuple[str, str]]:
    """The field's choices (value, words), as a flat list."""
    return [(str(value), str(words)) for value, words in cast(Iterable[Any], field.choices)]


def text_field(
    label: str,
    *,
    hint: str = "",
    required: bool | str = False,
    long: bool = False,
    limit: int = TEXT_LIMIT,
    called: str = "",
) -> forms.CharField:
    """A free-text answer (a box, or with `long` a text area) of at most `limit`
    characters, refused in GOV.UK's words. `required`: False for an optional answer, True
    for one asked for as "Enter <what it is called>", or the message to refuse a blank
    with. `called` is the answer in words for messages, as a sentence starts it ("What
    they said", as `DayField` takes it); without it, the label (less any question mark)."""
    named = called or label.rstrip("?")
    blank = required if isinstance(required, str) else f"Enter {named[0].lower()}{named[1:]}"
    return forms.CharField(
        label=label,
        help_text=hint,
        required=bool(required),
        max_length=limit,
        widget=Textarea if long else TextInput,
        error_messages={
            "required": blank.rstrip("?"),
            "max_length": f"{named} must be {limit:,} characters or fewer",
        },
    )


# Forms ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One line of the error summary: the message, and the input it links to ('' for a
    problem with the entry as a whole)."""

    text: str
    href: str


class GovukForm(forms.Form):
    """A form whose problems show in GOV.UK's error summary, each linking to its input,
    and which shows an action's refusals on the fields they name."""

    def input_id(self, name: str) -> str:
        """The id of the field's first input, which the error summary links to."""
        return f"{name}-day" if isinstance(self.fields[name], DayField) else name

    def problems(self) -> list[Problem]:
        """Every problem, for the error summary: the entry's first, then each field's
        in the order the page shows them, each linking to its field."""
        found = [Problem(str(text), "") for text in self.errors.get(NON_FIELD_ERRORS, [])]
        for name in self.fields:
            found += [
                Problem(str(text), f"#{self.input_id(name)}") for text in self.errors.get(name, [])
            ]
        return found

    def refused(self, error: ValidationError) -> None:
        """Show an action's refusal: on the field it names, if the form has one."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, errors in error.error_dict.items():
            self.add_error(name if name in self.fields else None, errors)


class RecordingForm(GovukForm):
    """What every recording form has: its page, its words, the row it changes (`row`,
    `version`: as the person saw it) and the draft it was resumed from."""

    slug: ClassVar[str]
    """The page: /children/<CHILD>/record-<slug>/."""
    table: ClassVar[str]
    """The record table it writes an entry to."""
    what: ClassVar[str]
    """The entry in a word or two, as a sentence starts it: "Visit" (so the banners
    "Visit recorded", "Visit corrected", "Visit withdrawn")."""
    heading: ClassVar[str]
    """The page's heading for a new entry: "Record a visit"."""
    change_heading: ClassVar[str]
    ends_open_episode: ClassVar[bool] = False
    """Whether a new entry ends the child's open episode (which the form then carries)."""

    row = forms.IntegerField(required=False, widget=forms.HiddenInput)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    draft = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, child: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.child = child
        for name, field in self.fields.items():
            if isinstance(field, CodeField):
                field.keep(self.data.get(name) or self.initial.get(name))

    @classmethod
    def purpose(cls) -> Purpose:
        return actions.purpose_of(cls.table)

    # Inputs and problems --------------------------------------------------------------

    @classmethod
    def answers(cls) -> list[str]:
        """The fields a person answers (not the hidden ones), in the page's order."""
        return [name for name, field in cls.base_fields.items() if not field.widget.is_hidden]

    @classmethod
    def input_names(cls) -> frozenset[str]:
        """The names of the inputs a person fills in (a date's three boxes each): what a
        draft keeps."""
        names: set[str] = set()
        for name in cls.answers():
            if isinstance(cls.base_fields[name], DayField):
                names.update(f"{name}-{part}" for part in PARTS)
            else:
                names.add(name)
        return frozenset(names)

    # Saving ---------------------------------------------------------------------------

    def seen(self) -> Seen | None:
        """The row as the person saw it (`row`, `version`), if the form carries one."""
        row, version = self.cleaned_data.get("row"), self.cleaned_data.get("version")
        return None if row is None or version is None else Seen(row, version)

    def save(self, user: User, *, correcting: Seen | None) -> RecordRow:
        """Record the entry (or correct the one `correcting` names) through its action.
        Raises the action's ValidationError or Http404."""
        raise NotImplementedError

    @classmethod
    def initial_for(cls, row: RecordRow) -> dict[str, Any]:
        """The form's fields filled from an entry of its table, to change it."""
        values = actions.values_of(row)
        initial = {name: values.get(name.upper()) for name in cls.base_fields}
        return {**initial, "row": row.pk, "version": row.version}

    def summary(self) -> list[tuple[str, str]]:
        """The entry's answers in words (label, answer), for a page that shows it."""
        shown: list[tuple[str, str]] = []
        for name in self.answers():
            field, value = self.fields[name], self.initial.get(name)
            if isinstance(value, date):
                text = day_in_words(value)
            elif isinstance(field, forms.ChoiceField):
                words = dict(choices_of(field))
                text = words.get(str(value), str(value or ""))
            else:
                text = str(value or "")
            shown.append((str(field.label), text or "Not recorded"))
        return shown


class VisitForm(RecordingForm):
    slug, table = "visit", "visits"
    what = "Visit"
    heading, change_heading = "Record a visit", "Change a visit"

    visit_date = DayField(label="When was the visit?", called="The date of the visit")
    seen_alone = CodeField(
        "seen_alone",
        label="Was the child seen alone?",
        required_message="Select yes if the child was seen alone",
        words={"Y": "Yes", "N": "No"},
    )
    not_alone_reason = text_field(
        "If they were not seen alone, why not?",
        hint="For example, they did not want to be, or they are too young to be",
        long=True,
    )

    def save(self, user: User, *, correcting: Seen | None) -> RecordRow:
        data = self.cleaned_data
        return actions.record_visit(
            self.child,
            visit_date=data["visit_date"],
            seen_alone=data["seen_alone"],
            not_alone_reason=data["not_alone_reason"],
            acting_user=user,
            correcting=correcting,
        )


class ReviewForm(RecordingForm):
    slug, table = "review", "reviews"
    what = "Review"
    heading, change_heading = "Record a review", "Change a review"

    review = DayField(label="When was the review?", called="The date of the review")
    review_code = CodeField(
        "review_participation",
        label="How did the child take part?",
        required_message="Select how the child took part in the review",
    )

    def save(self, user: User, *, correcting: Seen | None) -> RecordRow:
        data = self.cleaned_data
        return actions.record_review(
            self.child,
            review=data["review"],
            review_code=data["review_code"],
            acting_user=user,
            correcting=correcting,
        )


class HealthAssessmentForm(RecordingForm):
    slug, table = "health-assessment", "health_assessments"
    heading, change_heading = "Record a health assessment", "Change a health assessment"
    what = "Health assessment"

    assessment_date = DayField(
        label="When was the assessment?", called="The date of the assessment"
    )
    kind = CodeField(
        "health_assessment_kind",
        label="What kind of assessment was it?",
        required_message="Select the kind of assessment",
    )

    def save(self, user: User, *, correcting: Seen | None) -> RecordRow:
        data = self.cleaned_data
        return actions.record_health_assessment(
            self.child,
            assessment_date=data["assessment_date"],
            kind=data["kind"],
            acting_user=user,
            correcting=correcting,
        )


class PepForm(RecordingForm):
    slug, table = "pep", "peps"
    heading, change_heading = "Record a personal education plan", "Change a PEP meeting"
    what = "PEP"

    pep_date = DayField(label="When was the PEP meeting?", called="The date of the PEP meeting")

    def save(self, user: User, *, correcting: Seen | None) -> RecordRow:
        return actions.record_pep(
            self.child,
            pep_date=self.cleaned_data["pep_date"],
            acting_user=user,
            correcting=correcting,
        )


class PlanForm(RecordingForm):
    slug, table = "plan", "care_plans"
    what = "Plan"
    heading, change_heading = "Record a plan", "Change a plan"

    plan_date = DayField(label="When was the plan made or reviewed?", called="The date of the plan")
    kind = CodeField(
        "care_plan_kind",
        label="What kind of plan is it?",
        required_message="Select the kind of plan",
    )

    def save(self, user: User, *, correcting: Seen | None) -> RecordRow:
        data = self.cleaned_data
        return actions.record_plan(
            self.child,
            plan_date=data["plan_date"],
            kind=data["kind"],
            acting_user=user,
            correcting=correcting,
        )


YES_OR_NO = [("yes", "Yes"), ("no", "No")]
"""A yes-or-no question's answers, as the placement-move form asks them."""


class PlacementMoveForm(RecordingForm):
    slug, table = "placement-move", "episodes"
    heading, change_heading = "Record a placement move", "Change a placement move"
    what = "Placement move"
    ends_open_episode = True

    decom = DayField(label="When did they move?", called="The date of the placement move")
    place = CodeField(
        "placement_type",
        label="Type of placement",
        required_message="Select the type of placement",
        radios=False,
    )
    place_provider = CodeField(
        "placement_provider",
        label="Who provides the placement?",
        required_message="Select who provides the placement",
        hint="Leave this empty for a temporary move or an other placement: they have no "
        "provider of their own",
        required=False,
    )
    pl_post = text_field("Postcode of the placement", required=True)
    urn = text_field(
        "Ofsted unique reference number (URN)",
        hint="Leave this empty if the placement has none, for example a foster placement",
    )
    reason_place_change = CodeField(
        "reason_place_change",
        label="Why did the placement change?",
        required_message="Select why the placement changed",
        hint="Leave this empty for a move to or from a temporary placement",
        required=False,
    )
    ls = CodeField(
        "legal_status",
        label="Legal status from the day of the move",
        required_message="Select their legal status",
        radios=False,
        hint="Change this only if their legal status changed on the same day",
    )

    # What the episode's columns cannot say, asked for the decision gates (approvals).
    bed_and_breakfast = forms.ChoiceField(
        label="Is the child moving into bed and breakfast accommodation?",
        choices=YES_OR_NO,
        widget=Radios,
        required=False,
    )
    until = ComingDayField(
        label="If it is bed and breakfast, when will they leave it?",
        called="The day they will leave bed and breakfast",
        required=False,
    )
    separates_siblings = forms.ChoiceField(
        label="Does this move separate the child from brothers or sisters they live with?",
        choices=YES_OR_NO,
        widget=Radios,
        required=False,
    )
    independent_living = forms.ChoiceField(
        label="Is this a move to independent living?",
        help_text="For example a flat of their own, lodgings or supported accommodation",
        choices=YES_OR_NO,
        widget=Radios,
        required=False,
    )
    ASKED_FOR_THE_GATES: ClassVar[tuple[str, ...]] = (
        "bed_and_breakfast",
        "until",
        "separates_siblings",
        "independent_living",
    )
    """The questions the record does not keep: asked for the move's decision gates
    (`approvals.gatekeeping.Declared`), and not shown in the entry's summary."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        decom, until = data.get("decom"), data.get("until")
        if data.get("bed_and_breakfast") == "yes" and until is None and "until" not in self.errors:
            self.add_error("until", "Enter the day they will leave bed and breakfast")
        elif until is not None and decom is not None and until < decom:
            self.add_error("until", "The day they leave must be on or after the day of the move")
        return data

    def declared(self) -> gatekeeping.Declared:
        """The answers the decision gates need beyond the episode's columns."""
        data = self.cleaned_data
        bed_and_breakfast = data.get("bed_and_breakfast") == "yes"
        return gatekeeping.Declared(
            bed_and_breakfast=bed_and_breakfast,
            until=data.get("until") if bed_and_breakfast else None,
            separates_siblings=data.get("separates_siblings") == "yes",
            independent_living=data.get("independent_living") == "yes",
        )

    def summary(self) -> list[tuple[str, str]]:
        labels = {str(self.fields[name].label) for name in self.ASKED_FOR_THE_GATES}
        return [(label, text) for label, text in super().summary() if label not in labels]

    @classmethod
    def initial_for(cls, row: RecordRow) -> dict[str, Any]:
        """The move as recorded: its episode, and the reason kept on the one it ended."""
        assert isinstance(row, Episode)  # noqa: S101 - form_for_entry gives it episodes
        return super().initial_for(row) | {"reason_place_change": actions.reason_for_move(row)}

    def save(self, user: User, *, correcting: Seen | None) -> RecordRow:
        data = self.cleaned_data
        # The gates this form's own questions add (bed and breakfast, brothers and
        # sisters, independent living); the action checks those the columns say.
        given = {"PLACE": data["place"], "PL_POST": data["pl_post"]}
        if refused := gatekeeping.declared_move_refused(
            self.child,
            data["decom"],
            given,
            self.declared(),
            correcting=correcting.id if correcting else None,
        ):
            raise ValidationError({"decom": [refused]}, code="approval")
        return actions.record_placement_move(
            self.child,
            decom=data["decom"],
            place=data["place"],
            place_provider=data["place_provider"],
            pl_post=data["pl_post"],
            reason_place_change=data["reason_place_change"],
            ls=data["ls"],
            urn=data["urn"],
            acting_user=user,
            ending=None if correcting else self.seen(),
            correcting=correcting,
        )


class LegalStatusForm(RecordingForm):
    slug, table = "legal-status", "episodes"
    heading, change_heading = "Record a change of legal status", "Change a change of legal status"
    what = "Change of legal status"
    ends_open_episode = True

    decom = DayField(
        label="When did their legal status change?", called="The date of the change of legal status"
    )
    ls = CodeField(
        "legal_status",
        label="What is their legal status now?",
        required_message="Select their legal status",
    )

    def save(self, user: User, *, correcting: Seen | None) -> RecordRow:
        data = self.cleaned_data
        return actions.record_legal_status(
            self.child,
            decom=data["decom"],
            ls=data["ls"],
            acting_user=user,
            ending=None if correcting else self.seen(),
            correcting=correcting,
        )


class MissingForm(RecordingForm):
    slug, table = "missing", "missing"
    heading, change_heading = "Record a missing episode", "Change a missing episode"
    what = "Missing episode"

    missing = CodeField(
        "missing_type",
        label="Were they missing, or away without permission?",
        required_message="Select whether they were missing or away",
    )
    mis_start = DayField(label="When did they go missing?", called="The date they went missing")
    mis_end = DayField(
        label="When did they come back?",
        called="The date they came back",
        hint="Leave this empty if they have not come back yet. For example, 27 3 2026",
        required=False,
    )

    def save(self, user: User, *, correcting: Seen | None) -> RecordRow:
        data = self.cleaned_data
        return actions.record_missing(
            self.child,
            missing=data["missing"],
            mis_start=data["mis_start"],
            mis_end=data["mis_end"],
            acting_user=user,
            correcting=correcting,
        )


class ReturnInterviewForm(RecordingForm):
    slug, table = "return-interview", "return_interviews"
    heading, change_heading = "Record a return interview offer", "Change a return interview offer"
    what = "Return interview offer"

    mis_start = forms.ChoiceField(
        label="Which missing episode was it offered after?",
        widget=Radios,
        error_messages={
            "required": "Select the missing episode the offer followed",
            "invalid_choice": "Select the missing episode the offer followed",
        },
    )
    offer_date = DayField(
        label="When was the interview offered?", called="The date the interview was offered"
    )

    def __init__(self, *args: Any, child: str, **kwargs: Any) -> None:
        super().__init__(*args, child=child, **kwargs)
        episodes = MissingEpisode.objects.current().filter(child=child, mis_start__isnull=False)
        field = self.fields["mis_start"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = [
            (e.mis_start.isoformat(), _missing_words(e))  # type: ignore[union-attr]
            for e in episodes.order_by("-mis_start")
        ]
        field.nothing_to_choose = "No missing episode is recorded for them: record that first."  # type: ignore[attr-defined]
        if isinstance(self.initial.get("mis_start"), date):
            self.initial["mis_start"] = self.initial["mis_start"].isoformat()

    def save(self, user: User, *, correcting: Seen | None) -> RecordRow:
        data = self.cleaned_data
        return actions.record_return_interview(
            self.child,
            mis_start=date.fromisoformat(data["mis_start"]),
            offer_date=data["offer_date"],
            acting_user=user,
            correcting=correcting,
        )


def _missing_words(episode: MissingEpisode) -> str:
    """A missing episode as a choice: "3 March 2026 to 5 March 2026"."""
    start = day_in_words(episode.mis_start)  # type: ignore[arg-type]
    if episode.mis_end is None:
        return f"From {start} (not back yet)"
    return f"{start} to {day_in_words(episode.mis_end)}"


class LeavingCareForm(RecordingForm):
    slug, table = "leaving-care", "episodes"
    heading, change_heading = "Record leaving care", "Change when and why they left care"
    what = "Leaving care"
    ends_open_episode = True

    dec = DayField(label="When did they leave care?", called="The date they left care")
    rec = CodeField(
        "reason_episode_ceased",
        label="Why did they leave care?",
        required_message="Select why they left care",
        left_out=frozenset({actions.NEW_EPISODE_SAME_DAY}),
    )

    def save(self, user: User, *, correcting: Seen | None) -> RecordRow:
        data = self.cleaned_data
        return actions.record_leaving_care(
            self.child,
            dec=data["dec"],
            rec=data["rec"],
            acting_user=user,
            ending=None if correcting else self.seen(),
            correcting=correcting,
        )


class PaContactForm(RecordingForm):
    """A personal adviser's contact with a care leaver (`leaving.actions`)."""

    slug, table = "contact", "pa_contacts"
    heading, change_heading = "Record a contact", "Change a contact"
    what = "Contact"

    contact_date = DayField(
        label="When were you in touch with them?",
        called="The date of the contact",
        hint="The day you spoke to them or saw them. For example, 27 3 2026",
    )

    def save(self, user: User, *, correcting: Seen | None) -> RecordRow:
        return leaving_actions.record_pa_contact(
            self.child,
            contact_date=self.cleaned_data["contact_date"],
            acting_user=user,
            correcting=correcting,
        )


class PathwayPlanForm(RecordingForm):
    """A needs assessment, pathway plan or its review (`leaving.actions`)."""

    slug, table = "pathway-plan", "pathway_plans"
    heading, change_heading = "Record a pathway plan or its review", "Change a pathway plan"
    what = "Pathway plan"

    event_date = DayField(
        label="When was it done?", called="The date", hint="For example, 27 3 2026"
    )
    kind = CodeField(
        "pathway_event_kind",
        label="What was done?",
        required_message="Select whether it was an assessment, a plan or a review",
        words={
            "ASSESSMENT": "Needs assessment for leaving care",
            "PLAN": "Pathway plan made",
            "REVIEW": "Pathway plan reviewed",
        },
    )

    def save(self, user: User, *, correcting: Seen | None) -> RecordRow:
        data = self.cleaned_data
        return leaving_actions.record_pathway_plan(
            self.child,
            event_date=data["event_date"],
            kind=data["kind"],
            acting_user=user,
            correcting=correcting,
        )


class WithdrawForm(GovukForm):
    """Withdrawing an entry: why (required), and the version the person saw."""

    reason = forms.CharField(
        label="Why are you withdrawing this entry?",
        help_text="For example, it was recorded on the wrong child's record",
        max_length=TEXT_LIMIT,
        widget=Textarea,
        error_messages={
            "required": "Enter why you are withdrawing this entry",
            "max_length": f"The reason must be {TEXT_LIMIT:,} characters or fewer",
        },
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


FORMS: dict[str, type[RecordingForm]] = {
    form.slug: form
    for form in (
        VisitForm,
        ReviewForm,
        HealthAssessmentForm,
        PepForm,
        PlanForm,
        PlacementMoveForm,
        LegalStatusForm,
        MissingForm,
        ReturnInterviewForm,
        LeavingCareForm,
        PaContactForm,
        PathwayPlanForm,
    )
}
"""Every recording form, by the slug of its page."""

LEAVING_CARE = "leaving-care"
"""The entry name (in place of a table) of the end of care recorded on an episode."""


def form_for_entry(entry: str, row: RecordRow) -> type[RecordingForm] | None:
    """The form that changes `row`, an entry of `entry` (a record table, or LEAVING_CARE
    for the end of care on an episode); None where recording cannot change it (an
    episode that began a period of care, or leaving care on one that did not end so)."""
    if entry == LEAVING_CARE:
        return LeavingCareForm if isinstance(row, Episode) and actions.left_care(row) else None
    if isinstance(row, Episode):
        if row.rne == actions.LEGAL_STATUS_ONLY:
            return LegalStatusForm
        return PlacementMoveForm if row.rne in actions.CHANGED_EPISODE else None
    return next((form for form in FORMS.values() if form.table == entry), None)
