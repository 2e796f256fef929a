"""The permission matrix (tests/web/permissions.py) asked of the access functions, and what
the matrix cannot show: lists agree with single checks, dates bound relationships,
break-glass and restrictions behave as promised."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from carematters.web.audit.models import Action, Event
from carematters.web.casework.models import SocialWorkerEpisode
from carematters.web.people import access, actions
from carematters.web.people.access import Purpose, Relationship
from carematters.web.people.models import AllocationKind, BreakGlass, Membership, Team, User
from carematters.web.people.roles import Role
from tests.web.permissions import (
    CHILDREN,
    MATRIX,
    PAGES,
    ROLES,
    World,
    ask,
    build_world,
    page_cases,
)

pytestmark = pytest.mark.django_db

CASES = [(row, role) for row in MATRIX for role in ROLES]


@pytest.fixture
def world() -> World:
    return build_world()


@pytest.mark.parametrize(("row", "role"), CASES, ids=[f"{row}-{role}" for row, role in CASES])
def test_the_matrix(world, row, role):
    assert ask(row.question, world.users[role], row.child) is row.expected[role]


@pytest.mark.parametrize("purpose", list(Purpose))
@pytest.mark.parametrize("role", list(ROLES))
def test_the_list_holds_exactly_the_children_each_may_open(world, role, purpose):
    user = world.users[role]
    listed = set(access.children_visible_to(user, purpose).values_list("child", flat=True))
    one_by_one = {child for child in CHILDREN.values() if ask(purpose.value, user, child)}
    assert listed == one_by_one


@pytest.mark.parametrize("role", list(ROLES))
def test_what_a_page_may_offer_agrees_with_each_check(world, role):
    user = world.users[role]
    for child in CHILDREN.values():
        allowed = {p for p in Purpose if ask(p.value, user, child)}
        for way_in in Purpose:
            try:
                opened = access.child_for(user, child, way_in)
            except Http404:
                assert way_in not in allowed, child
                continue
            assert {p for p in Purpose if opened.may(p)} == allowed, child


def test_the_list_is_one_query_however_many_relationships(world):
    with CaptureQueriesContext(connection) as queries:
        listed = list(access.children_visible_to(world.users["sw"]))
    assert len(queries) == 1
    assert {h.child for h in listed} == {CHILDREN["ALLOCATED"], CHILDREN["TEAM"]}


def test_the_team_managers_list_names_the_whole_team(world):
    listed = access.team_children(world.users["tm"]).values_list("child", flat=True)
    assert set(listed) == {CHILDREN["ALLOCATED"], CHILDREN["TEAM"], CHILDREN["SEALED"]}
    # The social worker sees the team, but not the restricted record they are not named on.
    listed = access.team_children(world.users["sw"]).values_list("child", flat=True)
    assert set(listed) == {CHILDREN["ALLOCATED"], CHILDREN["TEAM"]}


def test_the_answer_names_the_relationship(world):
    allocated = access.child_for(world.users["sw"], CHILDREN["ALLOCATED"])
    assert allocated.relationship is Relationship.ALLOCATED
    assert allocated.break_glass is None
    assert access.child_for(world.users["sw"], CHILDREN["TEAM"]).relationship is (
        Relationship.TEAM_MEMBER
    )
    assert access.child_for(world.users["yp"], CHILDREN["ALLOCATED"]).relationship is (
        Relationship.OWN
    )


def test_not_allowed_and_not_there_are_the_same_not_found(world):
    with pytest.raises(Http404) as not_allowed:
        access.child_for(world.users["sw"], CHILDREN["OTHER"])
    with pytest.raises(Http404) as not_there:
        access.child_for(world.users["sw"], CHILDREN["NOBODY"])
    assert str(not_allowed.value) == str(not_there.value) == "Page not found"


def test_a_new_social_worker_takes_over_on_the_day_the_last_one_ends(world):
    today = world.today
    child = CHILDREN["OTHER"]
    SocialWorkerEpisode.objects.filter(child=child).update(sw_dec=today)
    SocialWorkerEpisode.objects.create(child=child, sw_id="SW1", sw_decom=today)
    assert ask("record", world.users["sw"], child)
    assert not ask("view", User.objects.get(username="other-worker"), child)


def test_an_episode_ending_today_is_over_and_one_starting_tomorrow_has_not_begun(world):
    today, child, sw = world.today, CHILDREN["OTHER"], world.users["sw"]
    SocialWorkerEpisode.objects.create(child=child, sw_id="SW1", sw_decom=today + timedelta(days=1))
    assert not ask("view", sw, child)
    SocialWorkerEpisode.objects.create(
        child=child, sw_id="SW1", sw_decom=today - timedelta(days=9), sw_dec=today
    )
    assert not ask("view", sw, child)


def test_a_withdrawn_episode_gives_no_access(world):
    episode = SocialWorkerEpisode.objects.get(child=CHILDREN["ALLOCATED"])
    SocialWorkerEpisode.objects.filter(pk=episode.pk).update(
        withdrawn_at=timezone.now(), withdrawn_reason="Recorded against the wrong child"
    )
    assert not ask("record", world.users["sw"], CHILDREN["ALLOCATED"])
    assert not ask("view", world.users["sw"], CHILDREN["ALLOCATED"])


def test_moving_team_moves_what_a_worker_sees(world):
    sw = world.users["sw"]
    team_b = Team.objects.get(name="Team B")
    actions.join_team(sw, team_b, world.today)
    assert not ask("view", sw, CHILDREN["TEAM"])
    assert ask("view", sw, CHILDREN["OTHER"])
    assert Membership.objects.filter(user=sw).count() == 2  # the old one ended, not removed


def test_an_inactive_user_sees_nothing(world):
    director = world.users["dcs"]
    director.is_active = False
    assert not ask("view", director, CHILDREN["OTHER"])
    assert not access.children_visible_to(director).exists()


# Break-glass -----------------------------------------------------------------------


def test_breaking_glass_opens_the_record_to_read_until_midnight_with_its_audit_row(world):
    sw, child = world.users["sw"], CHILDREN["OTHER"]
    glass = actions.break_glass(sw, child, "  Missing overnight; the duty team needs the plan ")
    assert glass.reason == "Missing overnight; the duty team needs the plan"
    assert timezone.localtime(glass.until).date() == world.today + timedelta(days=1)
    assert timezone.localtime(glass.until).time().isoformat() == "00:00:00"
    opened = access.child_for(sw, child)
    assert opened.relationship is Relationship.BREAK_GLASS
    assert opened.break_glass == glass
    assert not ask("record", sw, child)
    assert child in set(access.children_visible_to(sw).values_list("child", flat=True))
    event = Event.objects.get(action=Action.BROKE_GLASS)
    assert (event.user, event.child, event.reason) == (sw, child, glass.reason)


def test_break_glass_ends_at_its_time(world):
    sw, child = world.users["sw"], CHILDREN["OTHER"]
    glass = actions.break_glass(sw, child, "Police enquiry out of hours")
    access.child_for(sw, child)  # open until its time, then not, however it is asked
    # A second ago: the database's clock, which judges it, counts in milliseconds.
    BreakGlass.objects.filter(pk=glass.pk).update(until=timezone.now() - timedelta(seconds=1))
    assert not ask("view", sw, child)
    assert access.relationships_to(sw, child) == frozenset()
    with pytest.raises(Http404):
        access.child_for(sw, child)
    assert child not in set(access.children_visible_to(sw).values_list("child", flat=True))


def test_every_view_through_break_glass_is_audited_with_its_reason(world):
    sw, child = world.users["sw"], CHILDREN["OTHER"]
    actions.break_glass(sw, child, "Police enquiry out of hours")
    access.view_child(sw, child, "Chronology")
    viewed = Event.objects.get(action=Action.VIEWED)
    assert (viewed.what, viewed.reason) == ("Chronology", "Police enquiry out of hours")


def test_break_glass_needs_a_reason(world):
    with pytest.raises(ValidationError) as error:
        actions.break_glass(world.users["sw"], CHILDREN["OTHER"], "   ")
    assert error.value.message_dict == {"reason": ["Enter why you need to open this record."]}
    assert not BreakGlass.objects.exists()


@pytest.mark.parametrize(
    "reason",
    [
        "Curious",  # 7 letters
        "..........!!!!",  # 14 characters, no letter
        "  x y z 1 2 3 4 5 6  ",  # 9 letters and digits among spaces
        "Urgent!!!!",  # 10 characters, 6 of them letters
    ],
)
@pytest.mark.parametrize("child", ["OTHER", "NOBODY"])
def test_a_reason_with_fewer_than_10_letters_or_digits_is_refused_alike(world, reason, child):
    with pytest.raises(ValidationError) as error:
        actions.break_glass(world.users["sw"], CHILDREN[child], reason)
    assert error.value.message_dict == {
        "reason": ["Enter a reason of at least 10 letters or numbers"]
    }
    assert not BreakGlass.objects.exists()
    assert not Event.objects.filter(action=Action.BROKE_GLASS).exists()


def test_a_reason_of_10_letters_or_digits_is_enough(world):
    glass = actions.break_glass(world.users["sw"], CHILDREN["OTHER"], "Police call")
    assert glass.reason == "Police call"  # p-o-l-i-c-e c-a-l-l: 10 letters, the space not


def test_the_least_a_reason_may_be_is_a_setting(world, settings):
    settings.BREAK_GLASS_REASON_LEAST = 20
    with pytest.raises(ValidationError) as error:
        actions.break_glass(world.users["sw"], CHILDREN["OTHER"], "Police call tonight")  # 17
    assert error.value.message_dict == {
        "reason": ["Enter a reason of at least 20 letters or numbers"]
    }


@pytest.mark.parametrize("role", ["lm", "adm", "yp", "dt"])
def test_break_glass_by_a_role_that_never_may_is_not_found_and_writes_nothing(world, role):
    with pytest.raises(Http404):
        actions.break_glass(world.users[role], CHILDREN["OTHER"], "I would like to look")
    assert not BreakGlass.objects.exists()
    assert not Event.objects.filter(action=Action.BROKE_GLASS).exists()


@pytest.mark.parametrize("child", ["SEALED", "NOBODY"])
def test_a_reason_for_no_child_or_a_restricted_one_opens_nothing_and_is_audited(world, child):
    sw = world.users["sw"]
    with pytest.raises(Http404) as refused:
        actions.break_glass(sw, CHILDREN[child], "I would like to look")
    assert str(refused.value) == "Page not found"
    assert not BreakGlass.objects.exists()
    assert not ask("view", sw, CHILDREN[child])
    event = Event.objects.get(action=Action.BROKE_GLASS)
    assert (event.user, event.child, event.what, event.reason) == (
        sw,
        CHILDREN[child],
        "Asked to open the record without a relationship to the child: not opened",
        "I would like to look",
    )


def test_the_lists_pages_read_are_the_lists_access_gives(world):
    # The caseload, team and IRO pages read CHILD ids by SQL built once per user and day;
    # it must give each user exactly the children of the query it was built from.
    for user in world.users.values():
        for purpose in Purpose:
            listed = access.children_visible_to(user, purpose).values_list("child", flat=True)
            assert sorted(access.child_ids_visible_to(user, purpose)) == sorted(listed)
        team = access.team_children(user).values_list("child", flat=True)
        assert sorted(access.team_child_ids(user)) == sorted(team)


def test_a_list_read_again_follows_a_worker_moving_team(world):
    manager_a, manager_b = world.users["tm"], User.objects.get(username="manager-b")
    assert CHILDREN["TEAM"] in access.team_child_ids(manager_a)
    assert CHILDREN["TEAM"] not in access.team_child_ids(manager_b)
    # The child's social worker (SW2) moves to Team B today: the same built query, asked
    # again, reads who works in which team as it now is.
    actions.join_team(
        User.objects.get(username="colleague"),
        Team.objects.get(name="Team B"),
        timezone.localdate(),
    )
    assert CHILDREN["TEAM"] not in access.team_child_ids(manager_a)
    assert CHILDREN["TEAM"] in access.team_child_ids(manager_b)


def test_the_team_manager_is_shown_break_glass_on_their_teams_children_only(world):
    iro = world.users["iro"]
    on_team = actions.break_glass(iro, CHILDREN["TEAM"], "Covering for a colleague")
    actions.break_glass(iro, CHILDREN["OTHER"], "Covering for a colleague")
    team = access.team_children(world.users["tm"]).values_list("child", flat=True)
    children = [child for child in team if child]
    with CaptureQueriesContext(connection) as queries:
        shown = [(g, g.user.username) for g in access.broken_glass_on(children)]
    assert shown == [(on_team, "iro")]
    assert len(queries) == 1


# Restricted records ----------------------------------------------------------------


def test_a_restricted_record_is_left_out_of_every_list_but_its_named_peoples(world):
    sealed = CHILDREN["SEALED"]
    for role in ("sw", "iro", "po"):
        listed = access.children_visible_to(world.users[role]).values_list("child", flat=True)
        assert sealed not in set(listed), role
    for role in ("tm", "dcs"):
        listed = access.children_visible_to(world.users[role]).values_list("child", flat=True)
        assert sealed in set(listed), role


def test_restricting_is_audited_and_names_the_person_restricting(world):
    restricted = Event.objects.get(action=Action.RESTRICTED)
    assert restricted.child == CHILDREN["SEALED"]
    assert restricted.after == {"allowed": ["director", "team-manager"]}


def test_only_the_director_or_the_childs_team_manager_may_restrict(world):
    with pytest.raises(Http404):
        actions.restrict(CHILDREN["OTHER"], "Staff child", [], acting_user=world.users["tm"])
    with pytest.raises(ValidationError):
        actions.restrict(CHILDREN["SEALED"], "Again", [], acting_user=world.users["dcs"])


def test_every_question_of_the_matrix_has_its_page_or_none_yet():
    assert {row.question for row in MATRIX} == set(PAGES)
    assert ("/children/1000005/", "tm", True) in page_cases()
    assert ("/children/1999999/access-log/", "dcs", False) in page_cases()


def test_a_new_personal_adviser_takes_over_and_the_old_one_no_longer_sees(world):
    leaver, old = CHILDREN["LEAVER"], world.users["pa"]
    new = User.objects.create_user("new-adviser", role=Role.PERSONAL_ADVISER)
    actions.allocate(
        AllocationKind.PERSONAL_ADVISER, new, {leaver: world.today}, acting_user=world.users["tm"]
    )
    assert ask("advise", new, leaver)
    assert not ask("view", old, leaver)
    handover = Event.objects.filter(child=leaver, what="Personal adviser").first()
    assert handover.before["user"] == "personal-adviser"
    assert handover.after == {"user": "new-adviser", "start": world.today.isoformat()}
    with pytest.raises(ValidationError):
        actions.allocate(
            AllocationKind.PERSONAL_ADVISER, old, {leaver: world.today}, acting_user=None
        )
