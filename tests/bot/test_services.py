"""The service functions the chat handlers call, on a real database (no Telegram)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot import services
from bot.config import load_config
from storage.db import session_scope
from storage.roster import sync_roster
from tests.bot.chat import IDS
from tests.conftest import EXAMPLE_CONFIG

CONFIG = load_config(EXAMPLE_CONFIG)
RULESET = CONFIG.ruleset()
NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


@pytest.fixture
def session(engine):
    with session_scope(engine) as session:
        sync_roster(session, CONFIG, now=NOW)
        yield session


def _person(session, name):
    from storage.roster import member_by_name

    member = member_by_name(session, name)
    member.telegram_id = IDS[name]
    session.add(member)
    session.flush()
    return services.person_for(session, RULESET, member.telegram_id)


def _save(session, person, system, held_on, present, *, group=None, standalone=None, covers=(), today=date(2026, 3, 2)):
    expected = RULESET.roster.expected_attendees(RULESET.system(system), group)
    return services.save_record(
        session, RULESET, person=person, system=system, group=group, held_on=held_on, topic="主题",
        attendance={n: (n in present, None if n in present else "personal") for n in expected},
        standalone=standalone, covers=covers, minutes_text="纪要", minutes_file=None, minutes_deferred=False,
        photos=[], photos_deferred=True, now=NOW, today=today,
    )


def test_a_committee_meeting_below_quorum_is_kept_and_says_why(session):
    secretary = _person(session, "常天民")
    saved = _save(session, secretary, "committee_meeting", date(2026, 3, 1), {"常天民", "郭谨瑜"})
    (verdict,) = saved.verdicts
    text = services.verdict_text(RULESET, verdict, None, date(2026, 3, 1))
    assert text.startswith("✗ 不计入 2026年3月 的支部委员会")
    assert "出席 2 人，应到 4 人，未超过半数" in text
    assert not saved.late


def test_a_late_entry_is_marked_and_counts_for_the_month_held(session):
    leader = _person(session, "陈永胜")
    saved = _save(session, leader, "group_meeting", date(2026, 2, 27), {"陈永胜"}, group="g2")
    assert saved.late and saved.obligation.key == "group_meeting:g2:2026-02"
    statuses = services.year_statuses(session, RULESET, year=2026, today=date(2026, 3, 2))
    (february,) = [s for s in statuses if s.obligation.key == "group_meeting:g2:2026-02"]
    assert february.status.value == "done"


def test_overdue_keeps_last_years_obligations_only_while_they_can_still_be_logged(session):
    late = services.overdue(session, RULESET, today=date(2026, 1, 20))
    keys = {s.obligation.key for s in late}
    assert "committee_meeting:-:2025-12" in keys and "democratic_life_meeting:-:2025" in keys
    assert "committee_meeting:-:2025-08" not in keys  # more than 120 days ago


def test_my_plan_lists_only_what_i_answer_for_within_60_days_and_not_done(session):
    lecturer = _person(session, "朱东方")
    plan = services.my_plan(session, RULESET, lecturer, today=date(2026, 3, 2))
    assert [s.obligation.key for s in plan] == ["party_lecture:-:2026-Q1"]
    _save(session, lecturer, "party_lecture", date(2026, 3, 1), {"朱东方"})
    assert services.my_plan(session, RULESET, lecturer, today=date(2026, 3, 2)) == []


def test_records_are_visible_by_scope(session):
    leader = _person(session, "陈永胜")
    member_g1 = _person(session, "王晓明")
    committee = _person(session, "郭谨瑜")
    saved = _save(session, leader, "group_meeting", date(2026, 3, 1), {"陈永胜"}, group="g2")
    assert [r.id for r in services.visible_records(session, RULESET, leader)] == [saved.record_id]
    assert [r.id for r in services.visible_records(session, RULESET, committee)] == [saved.record_id]
    assert services.visible_records(session, RULESET, member_g1) == []
    assert services.open_record(session, RULESET, member_g1, saved.record_id) is None
    assert not services.amend(session, RULESET, member_g1, record_id=saved.record_id, now=NOW, topic="改")
    assert services.amend(session, RULESET, leader, record_id=saved.record_id, now=NOW, topic="改")
