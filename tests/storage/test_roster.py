"""Roster sync: the config decides who is active; nobody is ever deleted."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from scheduling.rules import AbsenceReason
from storage.db import session_scope
from storage.models import Branch, Member, PartyGroup
from storage.records import create_record, record_detail
from storage.roster import active_members, member_by_name, member_by_telegram_id, sync_roster
from tests.storage.conftest import member_toml


def _sync(engine, config, clock):
    with session_scope(engine) as session:
        return sync_roster(session, config, now=clock.now())


def _members(engine) -> dict[str, Member]:
    with session_scope(engine) as session:
        return {m.name: m for m in session.exec(select(Member))}


def test_it_creates_branch_groups_and_members_from_the_config(engine, example_config, clock):
    changes = _sync(engine, example_config, clock)

    members = _members(engine)
    assert set(members) == {m.name for m in example_config.members}
    assert changes.added == [m.name for m in example_config.members]
    assert members["常天民"].role_set == {"secretary", "committee", "leadership"}
    assert members["陈永胜"].group_key == "g2"
    assert all(m.active for m in members.values())
    with session_scope(engine) as session:
        branch = session.get(Branch, 1)
        assert (branch.name, branch.timezone) == ("机关党支部", "Asia/Shanghai")
        groups = {g.key: g for g in session.exec(select(PartyGroup))}
    assert groups["g2"].leader_name == "陈永胜"


def test_a_second_sync_of_the_same_config_changes_nothing(engine, example_config, clock):
    _sync(engine, example_config, clock)
    changes = _sync(engine, example_config, clock)
    assert not changes.changed
    assert len(_members(engine)) == len(example_config.members)


def test_a_removed_member_is_deactivated_not_deleted_and_keeps_records(engine, write_config, clock):
    _sync(engine, write_config(member_toml("王晓明")), clock)
    with session_scope(engine) as session:
        record = create_record(
            session, system="group_meeting", covers=(), group_key="g1", held_on=date(2026, 2, 20), topic="学习",
            standalone=None, attendance={"常天民": (True, None), "王晓明": (False, AbsenceReason.SICK)},
            minutes_text="纪要", minutes_deferred=False, photos_deferred=False, logged_by_name="常天民",
            now=clock.now(), late=False,
        )

    changes = _sync(engine, write_config(""), clock)

    assert changes.deactivated == ["王晓明"]
    members = _members(engine)
    assert members["王晓明"].active is False
    with session_scope(engine) as session:
        assert [m.name for m in active_members(session)] == ["常天民"]
        detail = record_detail(session, record.id)
    assert [(line.name, line.present) for line in detail.attendance] == [("常天民", True), ("王晓明", False)]


def test_a_rename_deactivates_the_old_name_and_adds_the_new_one(engine, write_config, clock):
    _sync(engine, write_config(member_toml("刘芳")), clock)
    changes = _sync(engine, write_config(member_toml("刘芳芳")), clock)
    assert (changes.added, changes.deactivated) == (["刘芳芳"], ["刘芳"])
    members = _members(engine)
    assert members["刘芳"].active is False and members["刘芳芳"].active is True


def test_a_member_added_back_is_reactivated_with_the_same_row(engine, write_config, clock):
    _sync(engine, write_config(member_toml("赵磊")), clock)
    first_id = _members(engine)["赵磊"].id
    _sync(engine, write_config(""), clock)
    changes = _sync(engine, write_config(member_toml("赵磊", group=None)), clock)
    assert changes.reactivated == ["赵磊"]
    member = _members(engine)["赵磊"]
    assert (member.id, member.active, member.group_key) == (first_id, True, None)


def test_a_removed_group_is_deactivated_and_comes_back(engine, write_config, clock):
    two_groups = '[[groups]]\nkey = "g2"\nname = "第二党小组"\nleader = "陈永胜"\n' + member_toml("陈永胜", group="g2")
    _sync(engine, write_config(two_groups), clock)
    changes = _sync(engine, write_config(member_toml("陈永胜", group=None)), clock)
    assert changes.groups_deactivated == ["g2"]
    _sync(engine, write_config(two_groups), clock)
    with session_scope(engine) as session:
        assert all(g.active for g in session.exec(select(PartyGroup)))


def test_a_telegram_id_in_the_config_binds_directly(engine, write_config, clock):
    _sync(engine, write_config(member_toml("王晓明", telegram_id=5551)), clock)
    with session_scope(engine) as session:
        assert member_by_telegram_id(session, 5551).name == "王晓明"


def test_a_binding_made_in_chat_survives_a_config_without_telegram_id(engine, write_config, clock):
    config = write_config(member_toml("王晓明"))
    _sync(engine, config, clock)
    with session_scope(engine) as session:
        member = member_by_name(session, "王晓明")
        member.telegram_id = 777
        session.add(member)
    _sync(engine, config, clock)
    assert _members(engine)["王晓明"].telegram_id == 777


def test_a_telegram_id_the_config_gives_to_someone_else_moves_to_them(engine, write_config, clock):
    _sync(engine, write_config(member_toml("王晓明", telegram_id=42) + member_toml("刘芳")), clock)
    _sync(engine, write_config(member_toml("王晓明") + member_toml("刘芳", telegram_id=42)), clock)
    members = _members(engine)
    assert (members["王晓明"].telegram_id, members["刘芳"].telegram_id) == (None, 42)


def test_a_deactivated_member_is_not_found_by_telegram_id(engine, write_config, clock):
    _sync(engine, write_config(member_toml("王晓明", telegram_id=99)), clock)
    _sync(engine, write_config(""), clock)
    with session_scope(engine) as session:
        assert member_by_telegram_id(session, 99) is None
        assert member_by_name(session, "王晓明").active is False
