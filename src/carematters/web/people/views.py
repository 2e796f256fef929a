"""Signing in and out, the page each role starts from, the administrator's pages (users
and teams) and a child's restriction.

The administrator's pages (`access.manages_users`) list, add and change users and
teams; none of them shows a child's record. Every change goes through an action
(`people.actions`), audited, from a page that says what it will do: a form, or a
question to confirm. A child's restriction is for the director and the child's team
manager (`actions.may_restrict`); for anyone else it is "page not found", as for a
child who does not exist.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from carematters.web.audit.models import Event
from carematters.web.casework.models import IroAssignment, Person, SocialWorkerEpisode
from carematters.web.navigation import landing
from carematters.web.people import access, actions
from carematters.web.people.forms import (
    AddTeamForm,
    AddUserForm,
    LiftForm,
    ManagerForm,
    NamePeopleForm,
    OwnPasswordForm,
    PasswordForm,
    RestrictForm,
    RoleForm,
    TeamMoveForm,
    made_password,
)
from carematters.web.people.models import (
    Allocation,
    AllocationKind,
    Membership,
    Restriction,
    Team,
    User,
    current_on,
)
from carematters.web.people.roles import Role

USERS_PER_PAGE = 100
"""Users on one page of the list."""
HISTORY = 50
"""The newest changes shown on a user's or a team's page."""


class SignInView(auth_views.LoginView):
    template_name = "people/sign_in.html"
    redirect_authenticated_user = True


@login_required
def own_password(request: HttpRequest) -> HttpResponse:
    """Anyone signed in changes their own password: the one they have, then the new one
    twice. They stay signed in here and are signed out everywhere else."""
    user = request.user
    if not isinstance(user, User):
        raise Http404(access.NOT_FOUND)
    form = OwnPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        current = form.cleaned_data["current"]
        try:
            # Asked as signing in asks it, so that wrong guesses count towards the same
            # lock (django-axes): a session left open is no way round it.
            if authenticate(request, username=user.username, password=current) != user:
                raise ValidationError({"current": "Your current password is not right"})
            actions.change_own_password(user, current, form.cleaned_data["new"])
        except ValidationError as refused:
            form.refused(refused)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, "Your password was changed.")
            return redirect("own-password")
    return render(request, "people/own_password.html", {"form": form, "problems": form.problems()})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Where a user lands after signing in: their role's start page (navigation.LANDING),
    or this page for a role that has none yet."""
    if (start := landing(request)) is not None:
        return redirect(start)
    return render(request, "people/home.html")


def _user(request: HttpRequest) -> User:
    """The signed-in person (every view here requires one)."""
    user = request.user
    if not isinstance(user, User):
        raise Http404(access.NOT_FOUND)
    return user


# The administrator's pages --------------------------------------------------------------


def _administrator(request: HttpRequest) -> User:
    """The signed-in administrator; Http404 for anyone else, as for a page that is not."""
    user = _user(request)
    if not access.manages_users.test(user):
        raise Http404(access.NOT_FOUND)
    return user


def _person(username: str) -> User:
    return get_object_or_404(User, username=username)


@login_required
def users(request: HttpRequest) -> HttpResponse:
    """Every team with its manager and members, and everyone who signs in with their
    role and team, found by name or username and by role: for the administrator."""
    _administrator(request)
    query = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    people = User.objects.order_by("last_name", "first_name", "username").prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.current().select_related("team"),
            to_attr="teams_now",
        ),
        "managed_teams",
    )
    for word in query.split():
        people = people.filter(
            Q(username__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
        )
    if role in Role.values:
        people = people.filter(role=role)
    teams = Team.objects.select_related("manager").annotate(
        members=Count("memberships", filter=Q(memberships__end__isnull=True))
    )
    searched = {key: value for key, value in (("q", query), ("role", role)) if value}
    # The query string the pages of a search keep ("&q=smith&role=iro").
    extra = f"&{urlencode(searched)}" if searched else ""
    return render(
        request,
        "people/users.html",
        {
            "people": Paginator(people, USERS_PER_PAGE).get_page(request.GET.get("page")),
            "teams": list(teams),
            "query": query,
            "role": role,
            "roles": Role.choices,
            "searched": bool(searched),
            "extra": extra,
        },
    )


@login_required
@never_cache
def user_add(request: HttpRequest) -> HttpResponse:
    """Add a user: who they are, their role, staff id, team or child id, and a password,
    set here or made and shown once (on this response only, never stored in a message)."""
    administrator = _administrator(request)
    form = AddUserForm(request.POST or None, teams=list(Team.objects.all()))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        made = "" if data["password"] else made_password()
        try:
            with transaction.atomic():  # a user whose team is refused is not added either
                person = actions.create_user(
                    data["username"],
                    data["role"],
                    data["password"] or made,
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                    staff_id=data["staff_id"],
                    child=data["child"],
                    acting_user=administrator,
                )
                if (team := form.chosen_team()) is not None:
                    actions.place_in_team(
                        person, team.name, timezone.localdate(), acting_user=administrator
                    )
        except ValidationError as refused:
            form.refused(refused)
        else:
            if made:
                return render(
                    request,
                    "people/password_made.html",
                    {"person": person, "password": made, "added": True},
                )
            messages.success(request, f"{person} was added. They can sign in now.")
            return redirect("user", person.username)
    return render(request, "people/user_add.html", {"form": form, "problems": form.problems()})


def _allocated(person: User, today: date) -> list[tuple[str, int]]:
    """How many children are allocated to `person` today, by what they are to them: the
    counts their role can have (a few queries, one a count)."""
    counts = []
    if person.role in {Role.SOCIAL_WORKER, Role.TEAM_MANAGER} and person.staff_id:
        episodes = SocialWorkerEpisode.objects.current().filter(
            current_on("sw_decom", "sw_dec", today), sw_id=person.staff_id
        )
        counts.append(
            ("Children they are social worker for", episodes.values("child").distinct().count())
        )
    if person.role == Role.IRO and person.staff_id:
        named = IroAssignment.objects.current().filter(
            current_on("start_date", "end_date", today), iro_id=person.staff_id
        )
        counts.append(("Children they are IRO for", named.values("child").distinct().count()))
    for kind, words in (
        (AllocationKind.PERSONAL_ADVISER, "Care leavers they are personal adviser for"),
        (AllocationKind.DESIGNATED_TEACHER, "Pupils they are designated teacher for"),
    ):
        if person.role == actions.ALLOCATED_AS[kind]:
            mine = Allocation.objects.current(today).filter(user=person, kind=kind)
            counts.append((words, mine.count()))
    return counts


def _time_in_teams(memberships: QuerySet[Membership]) -> list[dict[str, Any]]:
    """Each membership, newest first, as a page shows it: the team, the first day, and
    the last (None while still in it; a membership's `end` is the first day after it)."""
    return [
        {
            "team": m.team,
            "user": m.user,
            "start": m.start,
            "last_day": m.end - timedelta(days=1) if m.end else None,
        }
        for m in memberships.select_related("team", "user").order_by("-start", "-pk")
    ]


def _locked_out(person: User) -> bool:
    """Whether too many wrong passwords for `person`'s username have locked a sign-in."""
    attempts = AccessAttempt.objects.filter(
        username=person.username, failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    )
    return bool(attempts.exists())


HISTORY_KEYS = {
    "account": "Username",
    "name": "Name",
    "email": "Email address",
    "role": "Role",
    "staff_id": "Staff ID",
    "child": "Child ID",
    "team": "Team",
    "manager": "Manager",
    "start": "First day",
    "end": "Left on",
    "can_sign_in": "Can sign in",
}
"""The words for each value an audit row of a user or a team keeps (actions._account)."""


def _shown(key: str, value: Any) -> Any:
    """An audit row's value in words: a role's name, Yes or No, a date as pages write it."""
    if key == "role" and value in Role.values:
        return Role(value).label
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if key in {"start", "end"} and isinstance(value, str):
        day = date.fromisoformat(value)
        return f"{day.day} {day:%B %Y}"
    return value


def _history(events: QuerySet[Event]) -> list[dict[str, Any]]:
    """Audit rows as a page shows them, newest first: when, who made the change, what it
    was, whose account it was about (`subject`, a username, or None) and each value
    changed (its words, before and after)."""
    shown = []
    for event in events.select_related("user").order_by("-at", "-id")[:HISTORY]:
        was = event.before if isinstance(event.before, dict) else {}
        now = event.after if isinstance(event.after, dict) else {}
        keys = [*was, *(key for key in now if key not in was)]
        shown.append(
            {
                "at": event.at,
                "user": event.user,
                "what": event.what,
                "subject": now.get("account") or was.get("account"),
                "changes": [
                    (
                        HISTORY_KEYS.get(key, key),
                        _shown(key, was.get(key)),
                        _shown(key, now.get(key)),
                    )
                    for key in keys
                    if was.get(key) != now.get(key) and (was.get(key) or now.get(key))
                ],
            }
        )
    return shown


@login_required
def user_detail(request: HttpRequest, username: str) -> HttpResponse:
    """A user: who they are, their role, their teams over time, the children allocated
    to them (counted, never named), whether they can sign in, what can be changed, and
    the changes made to them."""
    administrator = _administrator(request)
    person = _person(username)
    about_them = Q(after__account=person.username) | Q(before__account=person.username)
    return render(
        request,
        "people/user.html",
        {
            "person": person,
            "memberships": _time_in_teams(person.memberships.all()),
            "managed": list(Team.objects.filter(manager=person)),
            "allocated": _allocated(person, timezone.localdate()),
            "in_teams": person.role in actions.IN_TEAMS,
            "locked_out": _locked_out(person),
            "themselves": person == administrator,
            "history": _history(Event.objects.filter(about_them, child__in=["", person.child])),
        },
    )


@login_required
def user_role(request: HttpRequest, username: str) -> HttpResponse:
    """Change a user's role (and staff id): someone leaving a role that works in a team
    leaves their team today."""
    administrator = _administrator(request)
    person = _person(username)
    form = RoleForm(
        request.POST or None, initial={"role": person.role, "staff_id": person.staff_id}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_role(
                person,
                form.cleaned_data["role"],
                staff_id=form.cleaned_data["staff_id"],
                acting_user=administrator,
            )
        except ValidationError as refused:
            form.refused(refused)
        else:
            messages.success(request, f"{person} is now a {person.get_role_display().lower()}.")
            return redirect("user", person.username)
    return render(
        request,
        "people/user_role.html",
        {
            "person": person,
            "form": form,
            "problems": form.problems(),
            "team_now": Membership.objects.current()
            .filter(user=person)
            .select_related("team")
            .first(),
        },
    )


@login_required
def user_team(request: HttpRequest, username: str) -> HttpResponse:
    """Move a social worker or personal adviser to another team from a day: their time
    in the team they are in ends that day (kept, with its end)."""
    administrator = _administrator(request)
    person = _person(username)
    if person.role not in actions.IN_TEAMS:
        raise Http404(access.NOT_FOUND)
    now = Membership.objects.current().filter(user=person).select_related("team").first()
    teams = list(Team.objects.exclude(pk=now.team.pk) if now else Team.objects.all())
    form = TeamMoveForm(request.POST or None, teams=teams, initial={"start": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            actions.join_team(
                person, form.chosen_team(), form.cleaned_data["start"], acting_user=administrator
            )
        except ValidationError as refused:
            form.refused(refused)
        else:
            messages.success(request, f"{person} is in {form.chosen_team()} now.")
            return redirect("user", person.username)
    return render(
        request,
        "people/user_team.html",
        {"person": person, "form": form, "problems": form.problems(), "now": now},
    )


@login_required
def user_active(request: HttpRequest, username: str, active: bool) -> HttpResponse:
    """Deactivate a user (they cannot sign in; nothing they did is removed) or reactivate
    them: a question, then the change. Nobody deactivates themselves (the page says so,
    and offers no button; the action refuses a change sent all the same)."""
    administrator = _administrator(request)
    person = _person(username)
    refused = active is False and person == administrator
    if request.method == "POST" and not refused:
        actions.set_active(person, active, acting_user=administrator)
        done = "can sign in again" if active else "cannot sign in now"
        messages.success(request, f"{person} {done}.")
        return redirect("user", person.username)
    return render(
        request,
        "people/user_active.html",
        {
            "person": person,
            "active": active,
            "refused": refused,
            "allocated": [row for row in _allocated(person, timezone.localdate()) if row[1]],
            "managed": list(Team.objects.filter(manager=person)),
        },
    )


@login_required
@never_cache
def user_password(request: HttpRequest, username: str) -> HttpResponse:
    """Give a user a new password, set here or made and shown once: their other sessions
    end, and a lock from wrong passwords is lifted."""
    administrator = _administrator(request)
    person = _person(username)
    form = PasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        made = "" if form.cleaned_data["password"] else made_password()
        try:
            actions.set_password(
                person, form.cleaned_data["password"] or made, acting_user=administrator
            )
        except ValidationError as refused:
            form.refused(refused)
        else:
            if person == administrator:  # stay signed in on this page
                update_session_auth_hash(request, person)
            if made:
                return render(
                    request, "people/password_made.html", {"person": person, "password": made}
                )
            messages.success(request, f"{person}'s password was changed.")
            return redirect("user", person.username)
    return render(
        request,
        "people/user_password.html",
        {"person": person, "form": form, "problems": form.problems()},
    )


@login_required
def user_unlock(request: HttpRequest, username: str) -> HttpResponse:
    """Let a user locked out by too many wrong passwords try again now: a question, then
    the change."""
    administrator = _administrator(request)
    person = _person(username)
    if request.method == "POST":
        actions.unlock(person, acting_user=administrator)
        messages.success(request, f"{person} can try to sign in again now.")
        return redirect("user", person.username)
    return render(
        request, "people/user_unlock.html", {"person": person, "locked_out": _locked_out(person)}
    )


def _managers() -> list[User]:
    return list(
        User.objects.filter(role=Role.TEAM_MANAGER, is_active=True).order_by(
            "last_name", "first_name", "username"
        )
    )


@login_required
def team_add(request: HttpRequest) -> HttpResponse:
    """Add a team, with its manager (or none yet)."""
    administrator = _administrator(request)
    form = AddTeamForm(request.POST or None, managers=_managers())
    if request.method == "POST" and form.is_valid():
        try:
            team = actions.add_team(
                form.cleaned_data["name"], form.chosen_manager(), acting_user=administrator
            )
        except ValidationError as refused:
            form.refused(refused)
        else:
            messages.success(request, f"{team} was added.")
            return redirect("team-detail", team.pk)
    return render(request, "people/team_add.html", {"form": form, "problems": form.problems()})


@login_required
def team_detail(request: HttpRequest, team: int) -> HttpResponse:
    """A team: its manager, its members now and before, and the changes made to it."""
    _administrator(request)
    found = get_object_or_404(Team.objects.select_related("manager"), pk=team)
    today = timezone.localdate()
    times = _time_in_teams(found.memberships.all())
    about_it = Q(after__team=found.name) | Q(before__team=found.name)
    return render(
        request,
        "people/team.html",
        {
            "team": found,
            "members": sorted(
                (t for t in times if t["last_day"] is None or t["last_day"] >= today),
                key=lambda t: (t["user"].last_name, t["user"].first_name, t["user"].username),
            ),
            "former": sorted(
                (t for t in times if t["last_day"] is not None and t["last_day"] < today),
                key=lambda t: t["last_day"],
                reverse=True,
            ),
            "history": _history(Event.objects.filter(about_it, child="")),
        },
    )


@login_required
def team_manager(request: HttpRequest, team: int) -> HttpResponse:
    """Change a team's manager (or leave it with none)."""
    administrator = _administrator(request)
    found = get_object_or_404(Team.objects.select_related("manager"), pk=team)
    form = ManagerForm(
        request.POST or None,
        managers=_managers(),
        initial={"manager": str(found.manager.pk) if found.manager else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_team_manager(found, form.chosen_manager(), acting_user=administrator)
        except ValidationError as refused:
            form.refused(refused)
        else:
            manager = form.chosen_manager()
            messages.success(
                request,
                f"{manager} manages {found} now." if manager else f"{found} has no manager now.",
            )
            return redirect("team-detail", found.pk)
    return render(
        request,
        "people/team_manager.html",
        {"team": found, "form": form, "problems": form.problems()},
    )


# A child's restriction ------------------------------------------------------------------

RESTRICTION = "Restriction"
"""The restriction page's title, as the access log names a view of it."""


def _restricting(request: HttpRequest, child: str) -> User:
    """The signed-in user, who may restrict `child`'s record; Http404 for anyone else and
    for no such child, as for a record they cannot see."""
    user = _user(request)
    if not actions.may_restrict.test(user, child):
        raise Http404(access.NOT_FOUND)
    return user


def _child_name(child: str) -> str:
    """The child's name as the record has it, or '' (a page names the child by it)."""
    person = Person.objects.current().filter(child=child).order_by("-pk").first()
    if person is None:
        return ""
    return " ".join(part for part in (person.given_name, person.family_name) if part)


def _working_with(child: str, today: date) -> list[tuple[User, str]]:
    """The people who work with `child` today, with what they are to them: their social
    worker, IRO, personal adviser and designated teacher, their team's manager, and the
    directors; each once (the first thing they are), in that order. A few queries."""
    sw_ids = (
        SocialWorkerEpisode.objects.current()
        .filter(current_on("sw_decom", "sw_dec", today), child=child)
        .values("sw_id")
    )
    iro_ids = (
        IroAssignment.objects.current()
        .filter(current_on("start_date", "end_date", today), child=child)
        .values("iro_id")
    )
    allocations = list(Allocation.objects.current(today).filter(child=child).select_related("user"))
    workers = list(
        User.objects.filter(staff_id__in=sw_ids, role__in=[Role.SOCIAL_WORKER, Role.TEAM_MANAGER])
    )
    # A team's children are its social workers' and personal advisers'.
    in_teams = [*workers, *(a.user for a in allocations)]
    teams = Membership.objects.current(today).filter(user__in=in_teams).values("team")
    found: list[tuple[User, str]] = [
        *((user, "social worker") for user in workers),
        *((user, "IRO") for user in User.objects.filter(staff_id__in=iro_ids, role=Role.IRO)),
        *((a.user, a.get_kind_display().lower()) for a in allocations),
        *(
            (user, "team manager")
            for user in User.objects.filter(managed_teams__in=teams).distinct()
        ),
        *((user, "director") for user in User.objects.filter(role=Role.DIRECTOR)),
    ]
    once: dict[int, tuple[User, str]] = {}
    for user, why in found:
        if user.is_active:
            once.setdefault(user.pk, (user, why))
    return list(once.values())


def _restriction_page(
    request: HttpRequest, child: str, user: User, form: NamePeopleForm | None = None
) -> HttpResponse:
    access.view_child(user, child, RESTRICTION)
    restriction = Restriction.objects.filter(child=child).select_related("by").first()
    named = list(restriction.allowed.order_by("last_name", "first_name")) if restriction else []
    offered = [
        (person, why)
        for person, why in _working_with(child, timezone.localdate())
        if person != user and person not in named
    ]
    if form is None:
        form = (NamePeopleForm if restriction else RestrictForm)(offered=offered)
    return render(
        request,
        "people/restriction.html",
        {
            "child": child,
            "name": _child_name(child),
            "restriction": restriction,
            "named": named,
            "form": form,
            "problems": form.problems(),
        },
    )


@login_required
def child_restriction(request: HttpRequest, child: str) -> HttpResponse:
    """A child's restriction: restrict the record to the people named, with a reason;
    or, once restricted, see who is named, and name more people."""
    user = _restricting(request, child)
    if request.method != "POST":
        return _restriction_page(request, child, user)
    restricted = Restriction.objects.filter(child=child).exists()
    offered = _working_with(child, timezone.localdate())
    form = (NamePeopleForm if restricted else RestrictForm)(request.POST, offered=offered)
    if form.is_valid():
        try:
            if restricted:
                actions.name_in_restriction(child, form.chosen(), acting_user=user)
            else:
                actions.restrict(
                    child, form.cleaned_data["reason"], form.chosen(), acting_user=user
                )
        except ValidationError as refused:
            form.refused(refused)
        else:
            messages.success(
                request,
                "More people are named now." if restricted else "The record is restricted now.",
            )
            return redirect("child-restriction", child)
    return _restriction_page(request, child, user, form)


@login_required
@require_POST
def child_restriction_remove(request: HttpRequest, child: str) -> HttpResponse:
    """Remove someone from a child's restriction: they no longer see the record."""
    user = _restricting(request, child)
    person = get_object_or_404(User, username=request.POST.get("username", ""))
    try:
        actions.remove_from_restriction(child, person, acting_user=user)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, f"{person} is no longer named.")
    return redirect("child-restriction", child)


@login_required
def child_restriction_lift(request: HttpRequest, child: str) -> HttpResponse:
    """Lift a child's restriction, with a reason: a question, then the change."""
    user = _restricting(request, child)
    if not Restriction.objects.filter(child=child).exists():
        return redirect("child-restriction", child)
    form = LiftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.lift_restriction(child, form.cleaned_data["reason"], acting_user=user)
        except ValidationError as refused:
            form.refused(refused)
        else:
            messages.success(request, "The restriction is lifted.")
            return redirect("child-restriction", child)
    access.view_child(user, child, RESTRICTION)
    return render(
        request,
        "people/restriction_lift.html",
        {"child": child, "name": _child_name(child), "form": form, "problems": form.problems()},
    )
