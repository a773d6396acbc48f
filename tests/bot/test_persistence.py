"""Conversations and user data survive in the database as JSON."""

from __future__ import annotations

from bot.persistence import DatabasePersistence


async def test_what_is_stored_comes_back_in_a_new_instance(engine, clock):
    first = DatabasePersistence(engine, clock)
    await first.update_conversation("log_meeting", (1003, 1003), 4)
    await first.update_conversation("log_meeting", (1004, 1004), 7)
    await first.update_user_data(1003, {"log_draft": {"system": "group_meeting", "present": ["李会玲"]}})
    await first.update_chat_data(-100, {"a": 1})
    await first.update_bot_data({"b": [1, 2]})
    await first.update_conversation("log_meeting", (1004, 1004), None)  # ended

    second = DatabasePersistence(engine, clock)
    assert await second.get_conversations("log_meeting") == {(1003, 1003): 4}
    assert await second.get_conversations("amend_record") == {}
    assert await second.get_user_data() == {1003: {"log_draft": {"system": "group_meeting", "present": ["李会玲"]}}}
    assert await second.get_chat_data() == {-100: {"a": 1}}
    assert await second.get_bot_data() == {"b": [1, 2]}


async def test_dropped_user_data_is_gone(engine, clock):
    persistence = DatabasePersistence(engine, clock)
    await persistence.update_user_data(1, {"x": 1})
    await persistence.update_user_data(1, {"x": 2})
    assert await persistence.get_user_data() == {1: {"x": 2}}
    await persistence.drop_user_data(1)
    assert await persistence.get_user_data() == {}


async def test_empty_user_data_leaves_no_row(engine, clock):
    persistence = DatabasePersistence(engine, clock)
    await persistence.update_user_data(7, {})
    await persistence.update_user_data(8, {"log_draft": {}})
    await persistence.update_user_data(8, {})
    assert await persistence.get_user_data() == {}
