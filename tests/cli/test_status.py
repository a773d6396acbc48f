"""``zhibu status``: compliance from the database, as a table and as SPEC §6 JSON."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from bot.context import open_context
from scheduling.rules import AbsenceReason
from storage.models import ObligationState
from storage.records import create_record
from tests.conftest import SHANGHAI
from tests.storage.support import branch_config, zhibu

COMMITTEE = ("常天民", "郭谨瑜", "李会玲", "朱东方")
LEADERSHIP = ("常天民", "郭谨瑜", "陈永胜")


def _log(context, *, system, held_on, present, logged_at, group_key=None, standalone=None):
    attendance = {name: (name in present, None if name in present else AbsenceReason.OFFICIAL)
                  for name in (COMMITTEE if system == "committee_meeting" else LEADERSHIP)}
    with context.session() as session:
        return create_record(
            session, system=system, covers=(), group_key=group_key, held_on=held_on, topic="会议",
            standalone=standalone, attendance=attendance, minutes_text="纪要", minutes_deferred=False,
            photos_deferred=False, logged_by_name="常天民", now=logged_at, late=False,
        ).id


@pytest.fixture
def branch(tmp_path, db_url):
    """A config on disk and its database with three records of 2026."""
    config = branch_config(tmp_path, database_url=db_url)
    context = open_context(config)
    ids = {
        "january": _log(context, system="committee_meeting", held_on=date(2026, 1, 15), present=COMMITTEE[:3],
                        logged_at=datetime(2026, 1, 15, 18, tzinfo=SHANGHAI)),
        "february_no_quorum": _log(context, system="committee_meeting", held_on=date(2026, 2, 10),
                                   present=COMMITTEE[:1], logged_at=datetime(2026, 2, 10, 18, tzinfo=SHANGHAI)),
        "democratic_life": _log(context, system="democratic_life_meeting", held_on=date(2026, 11, 10),
                                present=LEADERSHIP[:2], standalone=True,
                                logged_at=datetime(2026, 11, 10, 20, tzinfo=SHANGHAI)),
    }
    context.close()
    return config, ids


def _status_json(capsys, config, at: str) -> dict[tuple, dict]:
    code, out, err = zhibu(capsys, "--config", str(config), "status", "--at", at, "--format", "json")
    assert (code, err) == (0, "")
    return {(item["system"], item["group"], item["period"]): item for item in json.loads(out)}


def test_the_json_has_exactly_the_fields_of_the_spec_for_every_obligation(capsys, branch):
    config, ids = branch
    status = _status_json(capsys, config, "2026-02-20")

    assert len(status) == 12 + 24 + 4 + 4 + 1 + 2 + 1  # committee, groups, assembly, lecture, yearly ones
    assert status["committee_meeting", None, "2026-01"] == {
        "system": "committee_meeting",
        "group": None,
        "period": "2026-01",
        "deadline": "2026-01-31",
        "responsible": ["郭谨瑜"],
        "status": "done",
        "reminders": ["2026-01-04", "2026-01-23", "2026-01-29"],
        "records": [ids["january"]],
    }


@pytest.mark.parametrize(
    ("at", "key", "expected"),
    [
        pytest.param("2026-02-20", ("committee_meeting", None, "2026-02"), "invalid", id="no-quorum-before-deadline"),
        pytest.param("2026-03-05", ("committee_meeting", None, "2026-02"), "overdue", id="no-quorum-after-deadline"),
        pytest.param("2026-02-20", ("group_meeting", "g1", "2026-01"), "overdue", id="nothing-logged-last-month"),
        pytest.param("2026-02-20", ("committee_meeting", None, "2026-03"), "upcoming", id="next-month"),
        pytest.param("2026-02-20", ("general_assembly", None, "2026-Q1"), "open", id="quarter-far-from-deadline"),
        pytest.param("2026-02-26", ("group_meeting", "g2", "2026-02"), "due_soon", id="within-the-last-offset"),
        pytest.param("2026-11-20", ("democratic_life_meeting", None, "2026"), "done", id="standalone-with-quorum"),
        pytest.param("2026-11-09", ("democratic_life_meeting", None, "2026"), "open", id="before-it-was-held"),
    ],
)
def test_each_obligation_has_its_status_at_the_given_day(capsys, branch, at, key, expected):
    config, _ = branch
    assert _status_json(capsys, config, at)[key]["status"] == expected


def test_an_invalid_record_is_listed_against_its_obligation(capsys, branch):
    config, ids = branch
    item = _status_json(capsys, config, "2026-03-05")["committee_meeting", None, "2026-02"]
    assert item["records"] == [ids["february_no_quorum"]]


def test_the_organizational_life_meeting_opens_the_workday_after_the_democratic_life_meeting_is_logged(
    capsys, branch
):
    config, _ = branch
    before = _status_json(capsys, config, "2026-11-09")["organizational_life_meeting", "g1", "2026"]
    after = _status_json(capsys, config, "2026-11-20")["organizational_life_meeting", "g1", "2026"]
    assert before["reminders"] == ["2026-12-01", "2026-12-21", "2026-12-28"]
    assert after["reminders"] == ["2026-11-11", "2026-12-01", "2026-12-21", "2026-12-28"]
    assert after["responsible"] == ["李会玲"]


def test_a_past_day_does_not_see_records_logged_later(capsys, branch):
    config, _ = branch
    # Held on 2026-01-15 but the view of 2026-01-14 must not know about it.
    assert _status_json(capsys, config, "2026-01-14")["committee_meeting", None, "2026-01"]["records"] == []


def test_the_table_names_systems_and_statuses_in_chinese(capsys, branch):
    config, ids = branch
    code, out, _ = zhibu(capsys, "--config", str(config), "status", "--at", "2026-02-20")
    assert code == 0
    lines = out.splitlines()
    assert "2026年2月20日" in lines[0]
    january = next(line for line in lines if "支部委员会" in line and "2026-01 " in line)
    assert "已完成" in january and f"#{ids['january']}" in january
    assert any("第一党小组" in line and "已逾期" in line for line in lines)


def test_the_table_shows_a_planned_date_until_the_meeting_is_logged(capsys, branch):
    config, _ = branch
    context = open_context(config)
    with context.session() as session:
        for key in ("committee_meeting:-:2026-03", "committee_meeting:-:2026-01"):
            session.add(ObligationState(obligation_key=key, planned_on=date(2026, 3, 20),
                                        updated_at=datetime(2026, 3, 2, tzinfo=SHANGHAI)))
    context.close()

    _, out, _ = zhibu(capsys, "--config", str(config), "status", "--at", "2026-03-05")

    march = next(line for line in out.splitlines() if "支部委员会" in line and "2026-03 " in line)
    january = next(line for line in out.splitlines() if "支部委员会" in line and "2026-01 " in line)
    assert march.endswith("2026-03-20") and "2026-03-20" not in january


def test_without_at_it_reports_the_current_year(capsys, tmp_path):
    config = branch_config(tmp_path)
    code, out, _ = zhibu(capsys, "--config", str(config), "status", "--format", "json")
    assert code == 0
    assert {item["period"][:4] for item in json.loads(out)} == {str(date.today().year)}


def test_a_bad_date_exits_2_with_one_line(capsys, tmp_path):
    config = branch_config(tmp_path)
    code, out, err = zhibu(capsys, "--config", str(config), "status", "--at", "2026-02-30")
    assert (code, out) == (2, "")
    assert len(err.strip().splitlines()) == 1 and "2026-02-30" in err
