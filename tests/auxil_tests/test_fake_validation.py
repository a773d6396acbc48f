"""A call Telegram would reject is answered 400 and recorded, so that a test fails
on it; what the fake itself produces is well-formed by the same schema."""

from __future__ import annotations

import pytest
from telegram import (
    Bot,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    ReplyParameters,
)
from telegram.error import BadRequest

from tests.auxil.api_schema import load_schema
from tests.auxil.fake_bot_api import FakeBotApi

SCHEMA = load_schema()
# do_api_request is the way to send a raw (even malformed) call; its advice to use the typed method is noise here.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBUserWarning")


def make_bot(fake: FakeBotApi) -> Bot:
    return Bot(fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url)


def keyboard(data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton("按钮", callback_data=data)]])


MALFORMED = [
    pytest.param("frobnicate", {}, "unknown method", id="unknown-method"),
    pytest.param("sendMessage", {"chat_id": 1}, "missing required parameter 'text'", id="missing-required"),
    pytest.param("sendMessage", {"chat_id": 1, "text": "x", "colour": "red"}, "unknown parameter 'colour'",
                 id="unknown-parameter"),
    pytest.param("sendMessage", {"chat_id": 1, "text": ""}, "text must be 1-4096", id="empty-text"),
    pytest.param("sendMessage", {"chat_id": 1, "text": "长" * 4097}, "text must be 1-4096", id="text-4097-chars"),
    pytest.param("sendMessage", {"chat_id": 1, "text": "x", "reply_markup": keyboard("x" * 65)},
                 "callback_data must be 1-64 bytes", id="callback-data-65-bytes"),
    pytest.param("sendMessage", {"chat_id": 1, "text": "x", "reply_markup": keyboard("会" * 22)},
                 "callback_data must be 1-64 bytes, is 66", id="callback-data-22-chinese-chars"),
    pytest.param("sendMessage", {"chat_id": 1, "text": "x",
                                 "reply_markup": {"inline_keyboard": [[{"text": "a", "callback": "b"}]]}},
                 "unknown field 'callback'", id="unknown-field-in-keyboard"),
    pytest.param("answerCallbackQuery", {"callback_query_id": "1", "text": "长" * 201},
                 "longer than 200", id="callback-answer-201-chars"),
    pytest.param("setMyCommands", {"commands": [{"command": "Status", "description": "状态"}]},
                 "a-z, 0-9", id="command-with-capital"),
    pytest.param("deleteMessage", {"chat_id": 1, "message_id": "one"}, "expected Integer", id="wrong-type"),
]


@pytest.mark.parametrize(("method", "params", "problem"), MALFORMED)
async def test_a_malformed_call_is_refused_and_recorded(fake_api, method, params, problem):
    async with make_bot(fake_api) as bot:
        with pytest.raises(BadRequest):
            await bot.do_api_request(method, api_kwargs=params)
    violations = fake_api.take_violations()
    assert any(problem in v for v in violations), violations
    assert fake_api.sent_to(1) == []


WELL_FORMED = [
    pytest.param("sendMessage", {"chat_id": 1, "text": "长" * 4096}, id="text-4096-chars"),
    pytest.param("sendMessage", {"chat_id": 1, "text": "<b>" + "长" * 4096 + "</b>", "parse_mode": "HTML"},
                 id="html-tags-not-counted"),
    pytest.param("sendMessage", {"chat_id": 1, "text": "x", "reply_markup": keyboard("会" * 21)},
                 id="callback-data-63-bytes"),
    pytest.param("sendMessage", {"chat_id": 1, "text": "x", "reply_markup": ReplyKeyboardMarkup(
        [["今天", "昨天"]], resize_keyboard=True, one_time_keyboard=True)}, id="reply-keyboard"),
    pytest.param("sendMessage", {"chat_id": 1, "text": "x", "reply_markup": ReplyKeyboardRemove()},
                 id="reply-keyboard-removed"),
    pytest.param("sendMessage", {"chat_id": 1, "text": "x", "reply_markup": ForceReply(
        input_field_placeholder="会议主题")}, id="force-reply"),
    pytest.param("sendMessage", {"chat_id": 1, "text": "x", "reply_parameters": ReplyParameters(1),
                                 "link_preview_options": LinkPreviewOptions(is_disabled=True)},
                 id="reply-parameters-and-link-preview"),
    pytest.param("sendChatAction", {"chat_id": 1, "action": "typing"}, id="chat-action"),
    pytest.param("getMyCommands", {}, id="no-parameters"),
    pytest.param("setMyDescription", {"description": "支部通"}, id="generic-method-answers-true"),
]


@pytest.mark.parametrize(("method", "params"), WELL_FORMED)
async def test_a_well_formed_call_is_accepted(fake_api, method, params):
    async with make_bot(fake_api) as bot:
        await bot.do_api_request(method, api_kwargs=params)
    assert fake_api.violations == []


async def test_a_bad_call_fails_the_fixture_teardown_unless_taken(fake_api):
    async with make_bot(fake_api) as bot:
        with pytest.raises(BadRequest):
            await bot.do_api_request("sendMessage", api_kwargs={"chat_id": 1})
    with pytest.raises(AssertionError, match="missing required parameter 'text'"):
        fake_api.assert_no_violations()
    fake_api.take_violations()


def user_actions(fake: FakeBotApi) -> list[dict]:
    member = fake.user(1001, "李会玲", username="lhl")
    group = fake.group(-1001234, "党支部群")
    member.send_text("你好")
    first = member.send_command("/start ABC")
    member.send_album([b"one", b"two"], caption="两张")
    member.send_document(b"%PDF", "纪要.pdf", "application/pdf", caption="纪要")
    member.edit_text(first, "/start DEF")
    group.send_text(member, "/status")
    return fake.updates


async def test_every_update_the_fake_builds_is_well_formed(fake_api):
    updates = user_actions(fake_api)
    async with make_bot(fake_api) as bot:
        sent = await bot.send_message(1001, "选择", reply_markup=keyboard("yes"))
    fake_api.user(1001, "李会玲").press(fake_api.sent_to(1001)[0], "yes")
    kinds = [next(k for k in u if k != "update_id") for u in updates]
    assert kinds == ["message"] * 5 + ["edited_message", "message", "callback_query"]
    for update in updates:
        assert SCHEMA.object_problems(update, "Update") == [], update
    assert SCHEMA.object_problems(sent.to_dict(), "Message") == []


async def test_every_message_the_fake_answers_is_well_formed(fake_api):
    async with make_bot(fake_api) as bot:
        await bot.send_message(1001, "x", reply_markup=keyboard("a"))
        await bot.send_photo(1001, b"photo", caption="c")
        await bot.send_document(1001, b"%PDF", filename="a.pdf")
    assert [m.kind for m in fake_api.sent_to(1001)] == ["text", "photo", "document"]
    for sent in fake_api.sent_to(1001):
        assert SCHEMA.object_problems(sent.message, "Message") == [], sent.message
