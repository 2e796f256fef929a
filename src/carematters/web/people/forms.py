"""The forms of the administrator's pages (users and teams) and of a child's restriction,
in GOV.UK Design System patterns (`casework.forms.GovukForm`: an error summary linking
to each field, an action's refusals shown on the fields they name).

A form checks the shape of what was typed; its action (`people.actions`) checks the
rest and refuses in words the form shows.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import CheckConstraint, UniqueConstraint
from django.utils.crypto import get_random_string

from carematters.web.casework.forms import (
    DayField,
    GovukForm,
    Radios,
    Select,
    Textarea,
    TextInput,
    choices_of,
    text_field,
)
from carematters.web.people.models import Team, User
from carematters.web.people.roles import Role

REASON_LIMIT = 1_000
"""The most characters a reason (restricting a record, lifting it) may have."""
MADE_CHARACTERS = "abcdefghjkmnpqrstuvwxyz23456789"
"""The characters of a made password: no 0 and o, 1 and l or i to mistake when read out."""
MADE_GROUPS = 4
"""A made password is 4 groups of 4 of those characters (about 79 bits), dash-separated."""


def made_password() -> str:
    """A new password to give someone once, e.g. "k7m2-xq9p-4hwn-b3tz": random, and long
    enough to pass the site's password rules."""
    return "-".join(get_random_string(4, MADE_CHARACTERS) for _ in range(MADE_GROUPS))


class PasswordInput(forms.PasswordInput):
    govuk = "password"


class Checkboxes(forms.CheckboxSelectMultiple):
    govuk = "checkboxes"


def _reason(label: str, hint: str, required_message: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        max_length=REASON_LIMIT,
        widget=Textarea,
        error_messages={
            "required": required_message,
            "max_length": f"The reason must be {REASON_LIMIT:,} characters or fewer",
        },
    )


def _password(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text="At least 12 characters, not a common password, not all numbers. Leave it "
        "blank to have one made for you: it is shown once, on the next page.",
        required=False,
        strip=False,
        widget=PasswordInput,
    )


def _role_field(label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=Role.choices,
        widget=Radios,
        error_messages={"required": "Choose a role", "invalid_choice": "Choose a role"},
    )


STAFF_ID_HINT = (
    "Social workers, team managers who hold cases, IROs and personal advisers only: the id "
    "the care record uses for them (SW_ID, IRO_ID or PA_ID)"
)


def _constraint_fields() -> dict[str, str]:
    """The message of each of User's constraints on one field, to that field: the action
    refuses them for the entry as a whole, the form shows them on the field."""
    found = {}
    for constraint in User._meta.constraints:
        if isinstance(constraint, UniqueConstraint) and len(constraint.fields) == 1:
            found[str(constraint.violation_error_message)] = constraint.fields[0]
        elif isinstance(constraint, CheckConstraint):  # a young person and their child id
            found[str(constraint.violation_error_message)] = "child"
    return found


class UserForm(GovukForm):
    """A form about a user: shows User's constraints on the fields they concern."""

    def refused(self, error: ValidationError) -> None:
        fields = _constraint_fields()
        if hasattr(error, "error_dict") and NON_FIELD_ERRORS in error.error_dict:
            for problem in error.error_dict.pop(NON_FIELD_ERRORS):
                field = fields.get(" ".join(problem.messages), NON_FIELD_ERRORS)
                error.error_dict.setdefault(field, []).append(problem)
        super().refused(error)


def _team_choices(first: str, teams: list[Team]) -> list[tuple[str, str]]:
    return [("", first), *((str(team.pk), team.name) for team in teams)]


class AddUserForm(UserForm):
    """A new user: who they are, their role and what goes with it (staff id, team, child
    id), and a password (or none, to have one made)."""

    username = text_field(
        "Username",
        limit=150,
        hint="What they sign in with, for example sam.okafor",
        required="Enter a username",
    )
    first_name = text_field("First name", limit=150, required="Enter their first name")
    last_name = text_field("Last name", limit=150, required="Enter their last name")
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        max_length=254,
        widget=TextInput,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com"
        },
    )
    role = _role_field("Role")
    staff_id = text_field("Staff ID (optional)", limit=12, hint=STAFF_ID_HINT)
    team = forms.ChoiceField(
        label="Team (optional)",
        help_text="The team a social worker or personal adviser works in, or the team a team "
        "manager manages",
        required=False,
        widget=Select,
    )
    child = text_field(
        "Child ID (young people only)",
        limit=50,
        hint="A young person signs in to see their own record: the child ID it has",
    )
    password = _password("Password (optional)")

    def __init__(self, *args: Any, teams: list[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.teams = {str(team.pk): team for team in teams}
        team = cast(forms.ChoiceField, self.fields["team"])
        team.choices = _team_choices("No team", teams)
        team.error_messages["invalid_choice"] = "Choose a team from the list"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        role, child = cleaned.get("role"), cleaned.get("child")
        if role == Role.YOUNG_PERSON and not child and "child" not in self.errors:
            self.add_error("child", "Enter the young person's child ID")
        elif child and role and role != Role.YOUNG_PERSON:
            self.add_error("child", "Only a young person has a child ID: leave it blank")
        return cleaned

    def chosen_team(self) -> Team | None:
        """The team chosen (after `is_valid`), or None."""
        return self.teams.get(self.cleaned_data["team"])


class RoleForm(UserForm):
    """A user's new role and staff id."""

    role = _role_field("New role")
    staff_id = text_field("Staff ID", limit=12, hint=STAFF_ID_HINT)


class TeamMoveForm(GovukForm):
    """The team a social worker or personal adviser moves to (one of `teams`), from a day."""

    team = forms.ChoiceField(label="New team", widget=Radios)
    start = DayField(
        label="First day in the new team",
        called="The first day in the new team",
    )

    def __init__(self, *args: Any, teams: list[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.teams = {str(team.pk): team for team in teams}
        team = cast(forms.ChoiceField, self.fields["team"])
        team.choices = [(pk, t.name) for pk, t in self.teams.items()]
        team.error_messages.update(
            required="Choose their new team", invalid_choice="Choose their new team"
        )

    def chosen_team(self) -> Team:
        """The team chosen (after `is_valid`)."""
        return self.teams[self.cleaned_data["team"]]


class PasswordForm(GovukForm):
    """A new password, or none, to have one made."""

    password = _password("New password (optional)")


def _secret(label: str, required: str, autocomplete: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        strip=False,
        widget=PasswordInput(attrs={"autocomplete": autocomplete}),
        error_messages={"required": required},
    )


class OwnPasswordForm(GovukForm):
    """A person's own password: the one they have, and the new one twice."""

    current = _secret("Current password", "Enter your current password", "current-password")
    new = _secret(
        "New password",
        "Enter a new password",
        "new-password",
        "At least 12 characters, not a common password, not all numbers.",
    )
    again = _secret("Confirm new password", "Enter your new password again", "new-password")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("new") and cleaned.get("again") and cleaned["new"] != cleaned["again"]:
            self.add_error("again", "The passwords do not match")
        return cleaned


def _manager_field(first: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Manager",
        required=False,
        widget=Select,
        help_text="Only team managers who can sign in are listed",
        choices=[("", first)],
    )


class _ManagerChoice(GovukForm):
    """A choice of manager among `managers` (team managers), or none."""

    def __init__(self, *args: Any, managers: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.managers = {str(manager.pk): manager for manager in managers}
        manager = cast(forms.ChoiceField, self.fields["manager"])
        manager.choices = [
            *choices_of(manager),
            *((pk, f"{m} ({m.username})") for pk, m in self.managers.items()),
        ]
        manager.error_messages["invalid_choice"] = "Choose a team manager from the list"

    def chosen_manager(self) -> User | None:
        """The manager chosen (after `is_valid`), or None."""
        return self.managers.get(self.cleaned_data["manager"])


class AddTeamForm(_ManagerChoice):
    name = text_field("Team name", limit=100, required="Enter the team's name")
    manager = _manager_field("No manager yet")


class ManagerForm(_ManagerChoice):
    manager = _manager_field("No manager")


# A child's restriction ------------------------------------------------------------------


class NamePeopleForm(GovukForm):
    """People to name on a restriction: some of `offered` (users, with why each is
    offered: "Social worker") and, or, someone else by their username."""

    needs_someone = True
    """Whether the form is wrong with nobody chosen."""

    people = forms.MultipleChoiceField(
        label="Who else may see it?",
        help_text="The people who work with the child now",
        required=False,
        widget=Checkboxes,
    )
    username = text_field(
        "Someone else (optional)",
        limit=150,
        hint="Their username, for example sam.okafor",
    )

    def __init__(self, *args: Any, offered: list[tuple[User, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offered = {str(user.pk): user for user, _ in offered}
        people = cast(forms.MultipleChoiceField, self.fields["people"])
        people.choices = [(str(user.pk), f"{user}, {why}") for user, why in offered]
        people.error_messages["invalid_choice"] = "Choose people from the list"

    def clean_username(self) -> User | None:
        username = self.cleaned_data.get("username", "").strip()
        if not username:
            return None
        found = User.objects.filter(username=username).first()
        if found is None:
            raise ValidationError(f"There is no user called {username}")
        return found

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.needs_someone and not self.errors and not self.chosen():
            if self.offered:
                self.add_error("people", "Choose who to name, or enter someone's username")
            else:
                self.add_error("username", "Enter the username of the person to name")
        return cleaned

    def chosen(self) -> list[User]:
        """The people chosen (after `is_valid`)."""
        chosen = [self.offered[pk] for pk in self.cleaned_data.get("people", [])]
        if (someone := self.cleaned_data.get("username")) is not None and someone not in chosen:
            chosen.append(someone)
        return chosen


class RestrictForm(NamePeopleForm):
    """Restricting a record: why, and who else (besides the person restricting) may see it."""

    reason = _reason(
        "Why is this record restricted?",
        "For example, sealed after adoption, or the child of a member of staff",
        "Enter why this record is restricted",
    )
    field_order = ("reason", "people", "username")
    needs_someone = False


class LiftForm(GovukForm):
    reason = _reason(
        "Why is the restriction lifted?",
        "For example, the adoption order was not made",
        "Enter why the restriction is lifted",
    )
