"""``zhibu simulate``: the engine on a virtual clock over the database, printed in
order; nothing sent, nothing stored; a year in well under a second."""

from __future__ import annotations

import json
import time
from datetime import date

import pytest

from bot.cli import main
from bot.commands.simulate import messages_between
from bot.context import load_context, open_database
from storage.db import make_engine
from tests.auxil.config_writer import write_test_config
from tests.engine.fakes import log_committee_meeting, log_meeting, rows
from tests.engine.helpers import CALENDAR, at

KINDS = {"reminder", "escalation", "digest", "absence_warning", "follow_up"}


@pytest.fixture
def config_path(tmp_path, db_url):
    return write_test_config(tmp_path, db_url, "http://127.0.0.1:9", overrides={"branch": {"superior_chat_id": 42}})


def _simulate(capsys, config_path, *args: str) -> list[dict]:
    assert main(["--config", str(config_path), "simulate", *args, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_an_empty_year_prints_exactly_the_planned_reminders(capsys, config_path):
    assert main(["--config", str(config_path), "plan", "--year", "2026", "--format", "json"]) == 0
    plan = json.loads(capsys.readouterr().out)
    messages = _simulate(capsys, config_path, "--from", "2026-01-01", "--to", "2026-12-31")
    expected = {
        (o["system"], o["group"], o["period"], name, f"{day}T09:00:00+08:00")
        for o in plan
        for name in o["responsible"]
        for day in o["reminders"]
    }
    found = {(m["system"], m["group"], m["period"], m["recipient"], m["at"]) for m in messages if m["kind"] == "reminder"}
    assert found == expected


def test_every_message_has_the_fields_of_the_spec_in_send_order(capsys, config_path):
    messages = _simulate(capsys, config_path, "--from", "2026-09-01", "--to", "2026-10-31")
    assert messages and all(set(m) == {"at", "kind", "level", "system", "group", "period", "recipient"} for m in messages)
    assert {m["kind"] for m in messages} <= KINDS
    assert [m["at"] for m in messages] == sorted(m["at"] for m in messages)
    levels = {m["level"] for m in messages if m["kind"] == "escalation"}
    assert levels == {1, 2, 3}
    assert {m["recipient"] for m in messages if m["level"] == 3} == {"superior"}
    assert all(m["period"] is None and m["system"] is None for m in messages if m["kind"] == "digest")
    # National Day: the Q3 obligations escalate on Oct 8 (levels 1 and 2) and Oct 15 (level 3).
    q3 = {
        (m["level"], m["at"][:10])
        for m in messages
        if m["period"] == "2026-Q3" and m["system"] == "party_lecture" and m["kind"] == "escalation"
    }
    assert q3 == {(1, "2026-10-08"), (2, "2026-10-08"), (3, "2026-10-15")}


def test_a_logged_meeting_silences_its_reminders_and_nothing_is_stored(capsys, config_path):
    context = open_database(load_context(config_path))
    engine = context.engine
    log_committee_meeting(engine, date(2026, 2, 10), at(date(2026, 2, 10), 18))
    messages = _simulate(capsys, config_path, "--from", "2026-02-01", "--to", "2026-03-31")
    february = [m for m in messages if m["system"] == "committee_meeting" and m["period"] == "2026-02"]
    assert [m["at"][:10] for m in february] == ["2026-02-02"]  # only the opening notice, before the meeting
    assert rows(engine) == []
    context.close()


def test_a_late_record_in_the_database_ends_the_escalation_in_the_simulation(capsys, config_path):
    context = open_database(load_context(config_path))
    log_committee_meeting(context.engine, date(2026, 2, 27), at(date(2026, 3, 4), 10))
    context.close()
    messages = _simulate(capsys, config_path, "--from", "2026-03-01", "--to", "2026-03-31")
    february = [(m["at"], m["level"]) for m in messages if m["period"] == "2026-02" and m["system"] == "committee_meeting"]
    assert {level for _, level in february} == {1}  # level 1 on Mar 2; the 补录 on Mar 4 ends it
    assert all(at_.startswith("2026-03-02T09:00") for at_, _ in february)


def _records_logged_at_odd_hours(engine) -> None:
    """王晓明 attends in January, then never again; sittings and deferred minutes are
    logged in the afternoon, in the evening and on a Saturday."""
    log_meeting(engine, "group_meeting", date(2026, 1, 9), at(date(2026, 1, 9), 15, 30), group="g1")
    for held_on, logged in [
        (date(2026, 4, 8), at(date(2026, 4, 10), 15)),  # reveals his absence a day after the 3 months
        (date(2026, 7, 10), at(date(2026, 7, 11), 20, 45)),  # a Saturday evening
        (date(2026, 10, 9), at(date(2026, 10, 12), 16, 5)),
    ]:
        log_meeting(engine, "group_meeting", held_on, logged, group="g1", absent=("王晓明",))
    log_committee_meeting(engine, date(2026, 2, 27), at(date(2026, 3, 4), 10, 17))  # a 补录
    log_committee_meeting(engine, date(2026, 6, 12), at(date(2026, 6, 13), 10), minutes_deferred=True)


def test_every_message_goes_out_at_send_time_on_a_workday(capsys, config_path):
    context = open_database(load_context(config_path))
    _records_logged_at_odd_hours(context.engine)
    context.close()
    messages = _simulate(capsys, config_path, "--from", "2026-01-01", "--to", "2026-12-31")
    assert {"absence_warning", "follow_up"} <= {m["kind"] for m in messages}
    odd = [m for m in messages if not m["at"].endswith("T09:00:00+08:00")]
    assert odd == []
    assert not [m for m in messages if not CALENDAR.is_workday(date.fromisoformat(m["at"][:10]))]
    assert all(m["level"] in (1, 2, 3) for m in messages if m["kind"] == "escalation")


def test_someone_who_never_attended_is_named_in_a_simulation_of_the_past(capsys, config_path):
    # The roster was synced today (the database is new): that is not when these
    # members joined. The streak counts from the first sitting in the simulated span
    # (Jan 9, after --from): the warning is due on Apr 9.
    context = open_database(load_context(config_path))
    for month in range(1, 7):
        log_meeting(context.engine, "group_meeting", date(2026, month, 9), at(date(2026, month, 9), 18),
                    group="g1", absent=("王晓明",))
    context.close()
    messages = _simulate(capsys, config_path, "--from", "2026-01-01", "--to", "2026-06-30")
    warned = {(m["at"][:10], m["recipient"]) for m in messages if m["kind"] == "absence_warning"}
    assert warned == {("2026-04-09", "常天民"), ("2026-04-09", "李会玲")}


def test_a_year_simulates_in_well_under_a_second(config_path):
    context = open_database(load_context(config_path))
    try:
        started = time.perf_counter()
        messages = messages_between(context, date(2026, 1, 1), date(2026, 12, 31))
        elapsed = time.perf_counter() - started
    finally:
        context.close()
    assert len(messages) > 300
    assert elapsed < 0.5, f"a year took {elapsed:.2f} s"


def test_the_table_names_systems_and_people_in_chinese(capsys, config_path):
    assert main(["--config", str(config_path), "simulate", "--from", "2026-03-02", "--to", "2026-03-02"]) == 0
    out = capsys.readouterr().out
    assert "支部委员会" in out and "督办" in out and "常天民" in out and "模拟" in out


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["--from", "2026-03-02", "--to", "2026-03-01"], "before"),
        (["--from", "2026-01-01", "--to", "2037-01-01"], "longer"),
        (["--from", "2026-13-01", "--to", "2026-03-01"], "not a date"),
    ],
    ids=["reversed", "too-long", "bad-date"],
)
def test_bad_dates_get_one_line_and_exit_2(capsys, config_path, args, problem):
    assert main(["--config", str(config_path), "simulate", *args]) == 2
    err = capsys.readouterr().err.strip()
    assert problem in err and "\n" not in err


def test_the_database_is_not_touched_beyond_migration(config_path, db_url):
    main(["--config", str(config_path), "simulate", "--from", "2026-03-02", "--to", "2026-03-31"])
    engine = make_engine(db_url)
    try:
        assert rows(engine) == []
    finally:
        engine.dispose()


SMALL_ROSTER = {
    "groups": [{"key": "a", "name": "甲组", "leader": "乙"}],
    "members": [
        {"name": "甲", "roles": ["secretary"], "group": "a"},
        {"name": "乙", "roles": ["member"], "group": "a"},
    ],
    # Replaces each system's table of the example (whose responsible persons are not here).
    "systems": {
        "general_assembly": {"responsible": ["甲"]},
        "committee_meeting": {"responsible": ["甲"], "offsets": [10]},
        "group_meeting": {"responsible": ["乙"]},
        "party_lecture": {"responsible": ["甲"], "enabled": False},
        "democratic_life_meeting": {"responsible": ["甲"]},
        "organizational_life_meeting": {"responsible": ["乙"]},
        "member_evaluation": {"responsible": ["甲", "乙"]},
    },
    "escalation": {"committee_after_days": 3, "superior_after_days": 20},
}


def test_any_roster_and_a_year_without_official_holidays(capsys, tmp_path, db_url):
    path = write_test_config(tmp_path, db_url, "http://127.0.0.1:9", overrides=SMALL_ROSTER)
    assert main(["--config", str(path), "plan", "--year", "2027", "--format", "json"]) == 0
    plan = json.loads(capsys.readouterr().out)
    messages = _simulate(capsys, path, "--from", "2027-01-01", "--to", "2027-12-31")
    expected = {
        (o["system"], o["group"], o["period"], name, f"{day}T09:00:00+08:00")
        for o in plan
        for name in o["responsible"]
        for day in o["reminders"]
    }
    found = {(m["system"], m["group"], m["period"], m["recipient"], m["at"]) for m in messages if m["kind"] == "reminder"}
    assert found == expected
    assert not any(m["system"] == "party_lecture" for m in messages)
    assert not any(m["level"] in (2, 3) for m in messages)  # nobody on the committee, no superior
    assert {m["recipient"] for m in messages if m["level"] == 1} <= {"甲", "乙"}
