"""The recording pages (issue 12, "Recording"): a form for each kind of entry, a page to
change an entry and one to withdraw it.

Thin, as WEB.md asks: each view checks access (the same "page not found" for a child
who does not exist and one the user may not record on; opening a form is audited as a
view of the record), hands the form's values to its action (`casework.actions`), shows
the action's refusals in the error summary, and after a save goes back to the child's
page with a notification banner (`messages`, shown by casework/entry_banner.html). A
form can instead be saved as a draft, to finish later (`?draft=<id>`): a new entry's, or
a correction's.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from carematters.ssda903.codelists import code_list
from carematters.web.casework import actions
from carematters.web.casework.actions import Seen, day_in_words
from carematters.web.casework.drafts import Draft
from carematters.web.casework.forms import (
    FORMS,
    LEAVING_CARE,
    PARTS,
    DayField,
    GovukForm,
    RecordingForm,
    WithdrawForm,
    form_for_entry,
)
from carematters.web.casework.models import Episode, Person, RecordRow
from carematters.web.casework.tables import MODELS
from carematters.web.people.access import (
    ALLOWED_BY,
    NOT_FOUND,
    Purpose,
    child_for,
    relationships_to,
    view_child,
)
from carematters.web.people.models import User

DRAFT = "draft"
"""The `action` a form sends to be saved as a draft, not recorded."""


def child_page(child: str, user: User | None = None) -> str:
    """The child's page, where a save returns to; for `user` who opens only the child's
    education section (the Virtual School Head, a designated teacher), that section."""
    if user is not None and not relationships_to(user, child) & ALLOWED_BY[Purpose.VIEW]:
        return reverse("child-education", args=[child])
    return reverse("child", args=[child])


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required lets only users in
    return user


def _opened(request: HttpRequest, child: str, what: str, table: str) -> User:
    """The user, if they may write to `table` on `child`'s record (Http404 if not). A
    form opened (GET) is a view of the record, audited as one."""
    user = _user(request)
    purpose = actions.purpose_of(table)
    if request.method == "GET":
        view_child(user, child, what, purpose)
    else:
        child_for(user, child, purpose)
    return user


def _name(child: str) -> str:
    """What the child is called, for the page's caption (their CHILD id if not known)."""
    person = Person.objects.current().filter(child=child).first()
    if person is None:
        return child
    given = person.preferred_name or person.given_name or ""
    return " ".join(part for part in (given, person.family_name or "") if part) or child


def _open_episode(child: str) -> Episode | None:
    return (
        Episode.objects.current()
        .filter(child=child, dec__isnull=True)
        .order_by("-decom", "-pk")
        .first()
    )


def _in_words(codes: str, code: str | None) -> str:
    found = code_list(codes).find(code or "")
    return found.label if found else (code or "Not recorded")


def _current_placement(episode: Episode | None) -> list[tuple[str, str]]:
    """The open episode in words, shown above a form that ends it."""
    if episode is None:
        return []
    return [
        ("Since", day_in_words(episode.decom) if episode.decom else "Not recorded"),
        ("Placement", _in_words("placement_type", episode.place)),
        ("Legal status", _in_words("legal_status", episode.ls)),
        ("Postcode", episode.pl_post or "Not recorded"),
    ]


def _context(form: GovukForm, child: str, user: User, **more: Any) -> dict[str, Any]:
    """What every recording page shows: the child, the form and its problems."""
    return {
        "form": form,
        "child": child,
        "name": _name(child),
        "problems": form.problems() if form.is_bound else [],
        "back": child_page(child, user),
        **more,
    }


def _form_page(request: HttpRequest, form: RecordingForm, *, changing: bool) -> HttpResponse:
    episode = _open_episode(form.child) if form.ends_open_episode and not changing else None
    context = _context(
        form,
        form.child,
        _user(request),
        heading=form.change_heading if changing else form.heading,
        changing=changing,
        current_placement=_current_placement(episode),
    )
    return render(request, "casework/record_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def record(request: HttpRequest, child: str, kind: str) -> HttpResponse:
    """A new entry's form: GET shows it (as a draft left it, with `?draft=<id>`); POST
    records the entry, or (`action=draft`) keeps the form as it stands as a draft."""
    form_class = FORMS.get(kind)
    if form_class is None:
        raise Http404(NOT_FOUND)
    user = _opened(request, child, form_class.heading, form_class.table)
    if request.method == "GET":
        initial = _initial_for_new(form_class, child)
        if "draft" in request.GET:
            draft = _draft(user, child, kind, request.GET["draft"])
            initial |= _draft_initial(form_class, child, draft)
        return _form_page(request, form_class(child=child, initial=initial), changing=False)
    form = form_class(request.POST, child=child)
    if request.POST.get("action") == DRAFT:
        return _keep_draft(request, user, child, form_class)
    if form.is_valid():
        try:
            form.save(user, correcting=None)
        except ValidationError as error:
            form.refused(error)
        else:
            return _saved(request, user, form, "recorded")
    return _form_page(request, form, changing=False)


def _number(given: str | None) -> int | None:
    return int(given) if given and given.isdigit() else None


def _keep_draft(
    request: HttpRequest,
    user: User,
    child: str,
    form_class: type[RecordingForm],
    *,
    entry: str = "",
    correcting: int | None = None,
) -> HttpResponse:
    """Keep the form as typed as the user's draft (of a correction of the row
    `correcting` of `entry`, from the version the form carries), then go back to the
    child's page."""
    typed = {name: request.POST[name] for name in form_class.input_names() & set(request.POST)}
    version = _number(request.POST.get("version"))
    seen = None if correcting is None or version is None else Seen(correcting, version)
    actions.save_draft(
        user,
        child,
        form_class.slug,
        typed,
        table=form_class.table,
        draft=_number(request.POST.get("draft")),
        entry=entry,
        correcting=seen,
    )
    messages.success(request, "Your draft has been saved")
    return HttpResponseRedirect(child_page(child, user))


def _saved(request: HttpRequest, user: User, form: RecordingForm, done: str) -> HttpResponse:
    """After an entry is saved: its draft, if it was finished from one, goes; the child's
    page says what was done."""
    if draft_id := form.cleaned_data.get("draft"):
        actions.discard_draft(user, draft_id)
    messages.success(request, f"{form.what} {done}")
    return HttpResponseRedirect(child_page(form.child, user))


def _initial_for_new(form_class: type[RecordingForm], child: str) -> dict[str, Any]:
    """A new entry's form as it opens: one that ends the open episode carries it (as
    it is now) and, for a move, its legal status."""
    episode = _open_episode(child) if form_class.ends_open_episode else None
    if episode is None:
        return {}
    return {"row": episode.pk, "version": episode.version, "ls": episode.ls}


def _draft(user: User, child: str, kind: str, given: str, row: int | None = None) -> Draft:
    """The user's draft `given` (its id, as the URL has it) of this form for this child
    (a correction of `row`, or a new entry); Http404 if there is none (or it is someone
    else's)."""
    draft = (
        Draft.objects.filter(pk=int(given), user=user, child=child, kind=kind, row=row).first()
        if given.isdigit()
        else None
    )
    if draft is None:
        raise Http404(NOT_FOUND)
    return draft


def _draft_initial(form_class: type[RecordingForm], child: str, draft: Draft) -> dict[str, Any]:
    """The answers as the draft kept them (each as typed), and the draft's id."""
    typed = form_class(draft.data, child=child)
    return {name: typed[name].data for name in form_class.answers()} | {"draft": draft.pk}


def _table(entry: str) -> str:
    """The record table of `entry` (a table recording writes, or LEAVING_CARE); Http404
    for any other."""
    table = "episodes" if entry == LEAVING_CARE else entry
    if table not in actions.DAY_COLUMNS:
        raise Http404(NOT_FOUND)
    return table


def _entry(request: HttpRequest, child: str, entry: str, pk: int) -> RecordRow:
    """The child's row `pk` of `entry`: in force, to open a page on it; withdrawn too,
    on a POST or to finish a draft begun on it, so that saving can say someone else
    changed it. Http404 if none."""
    rows = MODELS[_table(entry)].objects.filter(pk=pk, child=child)
    in_force_only = request.method == "GET" and "draft" not in request.GET
    row = (rows.current() if in_force_only else rows).first()
    if row is None:
        raise Http404(NOT_FOUND)
    return row


def _entry_form(entry: str, row: RecordRow) -> type[RecordingForm]:
    form_class = form_for_entry(entry, row)
    if form_class is None:
        raise Http404(NOT_FOUND)
    return form_class


@login_required
@require_http_methods(["GET", "POST"])
def change(request: HttpRequest, child: str, entry: str, pk: int) -> HttpResponse:
    """Correct an entry: its form, filled in with it; saving keeps the old row (withdrawn
    as corrected) beside the new one, and a save from an older version than the
    database's is refused (STALE)."""
    table = _table(entry)
    user = _opened(request, child, f"Change: {actions.TITLES[table]}", table)
    row = _entry(request, child, entry, pk)
    form_class = _entry_form(entry, row)
    if request.method == "GET":
        initial = form_class.initial_for(row)
        if "draft" in request.GET:
            draft = _draft(user, child, form_class.slug, request.GET["draft"], row=pk)
            initial |= _draft_initial(form_class, child, draft) | {"version": draft.version}
        return _form_page(request, form_class(child=child, initial=initial), changing=True)
    form = form_class(request.POST, child=child)
    if request.POST.get("action") == DRAFT:
        return _keep_draft(request, user, child, form_class, entry=entry, correcting=pk)
    if form.is_valid():
        version = form.cleaned_data.get("version")
        try:
            if version is None:
                raise ValidationError(actions.STALE, code="stale")
            form.save(user, correcting=Seen(pk, version))
        except ValidationError as error:
            form.refused(error)
        else:
            return _saved(request, user, form, "corrected")
    return _form_page(request, form, changing=True)


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, child: str, entry: str, pk: int) -> HttpResponse:
    """Withdraw an entry, giving a reason (required): it is kept, no longer in force."""
    table = _table(entry)
    user = _opened(request, child, f"Withdraw: {actions.TITLES[table]}", table)
    row = _entry(request, child, entry, pk)
    form_class = _entry_form(entry, row)
    if request.method == "GET":
        form = WithdrawForm(initial={"version": row.version})
    else:
        form = WithdrawForm(request.POST)
        if form.is_valid():
            try:
                actions.withdraw_entry(
                    child,
                    table,
                    Seen(pk, form.cleaned_data["version"]),
                    reason=form.cleaned_data["reason"],
                    acting_user=user,
                    leaving_care=entry == LEAVING_CARE,
                )
            except ValidationError as error:
                form.refused(error)
            else:
                messages.success(request, f"{form_class.what} withdrawn")
                return HttpResponseRedirect(child_page(child, user))
    shown = form_class(child=child, initial=form_class.initial_for(row))
    context = _context(form, child, user, what=form_class.what, summary=shown.summary())
    return render(request, "casework/entry_withdraw.html", context)


def drafts_listed(user: User, child: str) -> list[dict[str, str]]:
    """`user`'s drafts for `child`, latest first, for the child's page to list: each
    with `title` ("Visit of 3 March 2026 (a correction)": the entry, the first date typed
    in it if it makes one, and whether it corrects an entry), `saved` ("3 March 2026 at
    14:02"), `href` (its form, filled in as it was left) and `discard` (where to post to
    throw it away). One query."""
    listed = []
    for draft in Draft.objects.filter(user=user, child=child):
        form_class = FORMS.get(draft.kind)
        if form_class is None:
            continue
        saved = timezone.localtime(draft.updated_at)
        day = _first_day_typed(form_class, draft.data)
        title = form_class.what + (f" of {day_in_words(day)}" if day else "")
        listed.append(
            {
                "title": title + (" (a correction)" if draft.row else ""),
                "saved": f"{day_in_words(saved.date())} at {saved:%H:%M}",
                "href": draft.get_absolute_url(),
                "discard": reverse("draft-discard", args=[child, draft.pk]),
            }
        )
    return listed


def _first_day_typed(form_class: type[RecordingForm], typed: dict[str, str]) -> date | None:
    """The first date of the form as a draft kept it (its three boxes), if they make one:
    how a person tells two drafts of the same form apart."""
    days = [
        name for name in form_class.answers() if isinstance(form_class.base_fields[name], DayField)
    ]
    if not days:
        return None
    parts = [typed.get(f"{days[0]}-{part}", "").strip() for part in PARTS]
    if not all(part.isdecimal() for part in parts):
        return None
    day, month, year = (int(part) for part in parts)
    try:
        return date(year, month, day)
    except ValueError:
        return None
