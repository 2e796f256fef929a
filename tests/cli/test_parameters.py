"""`carematters parameters`: the law's numbers as they stood on a day, with their source."""

from tests.cli import carematters


def test_the_adviser_to_25_is_shown_from_the_day_the_law_began():
    before = carematters("parameters", "leaving_care.adviser_on", "--on", "2018-03-31")
    after = carematters("parameters", "leaving_care.adviser_on", "--on", "2018-04-01")
    assert before.returncode == after.returncode == 0, before.stderr + after.stderr
    assert before.stdout.startswith(
        "leaving_care.adviser_on_request_until_age: not in force on 31/03/2018\n"
    )
    assert after.stdout.startswith("leaving_care.adviser_on_request_until_age: age 25\n")
    assert "https://www.legislation.gov.uk/ukpga/2017/16/section/3" in after.stdout


def test_each_value_is_written_in_its_unit_and_policy_choices_say_so():
    shown = carematters("parameters", "--on", "2025-04-01").stdout
    assert "reviews.first: 20 working days\n" in shown
    assert "entitlements.pupil_premium_plus: £2,630\n" in shown
    assert "duties.due_soon: 14 days (a carematters policy choice)\n" in shown


def test_an_unknown_name_says_so():
    run = carematters("parameters", "no_such")
    assert run.returncode == 2
    assert "no parameter's name starts with no_such" in run.stderr
