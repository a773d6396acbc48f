"""The fake Bot API as python-telegram-bot sees it: a plain ``telegram.Bot`` pointed
at it sends, uploads, downloads and long-polls as it would against Telegram."""

from __future__ import annotations

import asyncio

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputMediaPhoto, Update
from telegram.error import BadRequest, InvalidToken

from tests.auxil.fake_bot_api import FakeBotApi

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def make_bot(fake: FakeBotApi, token: str | None = None, **kwargs) -> Bot:
    return Bot(token or fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url, **kwargs)


async def test_get_me_answers_a_bot_user(fake_api):
    async with make_bot(fake_api) as bot:
        assert bot.username == "zhibu_test_bot"
        assert bot.bot.is_bot
    assert [c.method for c in fake_api.calls()] == ["getMe"]


async def test_a_wrong_token_is_answered_unauthorized(fake_api):
    bot = make_bot(fake_api, token="42:not-the-token")
    with pytest.raises(InvalidToken):
        await bot.initialize()
    assert fake_api.calls("getMe")[0].status == 401


async def test_sent_messages_are_recorded_per_chat_with_increasing_ids(fake_api):
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("登记会议", callback_data="log:1")]])
    async with make_bot(fake_api) as bot:
        first = await bot.send_message(1001, "你好", reply_markup=keyboard)
        second = await bot.send_message(1001, "再见")
        other = await bot.send_message(1002, "别人")
    assert (first.message_id, second.message_id, other.message_id) == (1, 2, 1)
    assert [m.text for m in fake_api.sent_to(1001)] == ["你好", "再见"]
    assert fake_api.sent_to(1001)[0].buttons == [("登记会议", "log:1")]
    assert first.reply_markup == keyboard


async def test_edits_change_the_recorded_message_and_an_identical_edit_is_refused(fake_api):
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("保存", callback_data="save")]])
    async with make_bot(fake_api) as bot:
        sent = await bot.send_message(1001, "草稿", reply_markup=keyboard)
        await bot.edit_message_text("已保存", chat_id=1001, message_id=sent.message_id)
        with pytest.raises(BadRequest, match="(?i)not modified"):
            await bot.edit_message_text("已保存", chat_id=1001, message_id=sent.message_id)
        with pytest.raises(BadRequest, match="(?i)not found"):
            await bot.edit_message_text("x", chat_id=1001, message_id=99)
        await bot.delete_message(1001, sent.message_id)
    assert fake_api.sent_to(1001) == []
    [edited] = fake_api.sent_to(1001, include_deleted=True)
    assert (edited.text, edited.reply_markup, edited.edits) == ("已保存", None, 1)


async def test_an_uploaded_photo_can_be_fetched_back_by_its_file_id(fake_api):
    async with make_bot(fake_api) as bot:
        message = await bot.send_photo(1001, PNG, caption="会议照片")
        file = await bot.get_file(message.photo[-1].file_id)
        assert file.file_size == len(PNG)
        assert bytes(await file.download_as_bytearray()) == PNG
        again = await bot.send_photo(1001, message.photo[-1].file_id)  # re-sending by file id
    assert again.photo[-1].file_id == message.photo[-1].file_id
    assert fake_api.sent_to(1001)[0].caption == "会议照片"


async def test_a_media_group_is_sent_as_messages_sharing_a_group_id(fake_api):
    async with make_bot(fake_api) as bot:
        messages = await bot.send_media_group(1001, [InputMediaPhoto(PNG), InputMediaPhoto(PNG[::-1])])
        downloaded = [await (await bot.get_file(m.photo[-1].file_id)).download_as_bytearray() for m in messages]
    assert len({m.media_group_id for m in messages}) == 1
    assert [bytes(d) for d in downloaded] == [PNG, PNG[::-1]]
    assert [m.kind for m in fake_api.sent_to(1001)] == ["media_group", "media_group"]


async def test_a_user_s_document_downloads_with_its_real_size(fake_api):
    member = fake_api.user(1001, "李会玲")
    message = member.send_document(b"%PDF-1.4 minutes", "纪要.pdf", "application/pdf")
    async with make_bot(fake_api) as bot:
        file = await bot.get_file(message["document"]["file_id"])
        assert file.file_size == len(b"%PDF-1.4 minutes")
        assert bytes(await file.download_as_bytearray()) == b"%PDF-1.4 minutes"
    assert fake_api.downloads == 1


async def test_a_file_reported_over_20_mb_cannot_be_fetched(fake_api):
    member = fake_api.user(1001, "李会玲")
    message = member.send_document(b"small", "big.pdf", "application/pdf", reported_size=21 * 1024 * 1024)
    assert message["document"]["file_size"] == 21 * 1024 * 1024
    async with make_bot(fake_api) as bot:
        with pytest.raises(BadRequest, match="(?i)file is too big"):
            await bot.get_file(message["document"]["file_id"])


async def test_commands_round_trip(fake_api):
    async with make_bot(fake_api) as bot:
        await bot.set_my_commands([("status", "合规状态"), ("log", "登记会议")])
        commands = await bot.get_my_commands()
    assert [(c.command, c.description) for c in commands] == [("status", "合规状态"), ("log", "登记会议")]


async def test_answering_a_callback_query_twice_is_refused(fake_api):
    member = fake_api.user(1001, "李会玲")
    async with make_bot(fake_api) as bot:
        await bot.send_message(1001, "选择", reply_markup=InlineKeyboardMarkup(
            [[InlineKeyboardButton("是", callback_data="yes")]]))
        query_id = member.press(fake_api.sent_to(1001)[0], "yes")
        assert await bot.answer_callback_query(query_id, text="好")
        with pytest.raises(BadRequest, match="(?i)query is too old"):
            await bot.answer_callback_query(query_id)


async def test_wait_for_fails_with_what_it_saw(fake_api):
    with pytest.raises(AssertionError, match="1 x sendMessage"):
        await fake_api.wait_for("sendMessage", timeout=0.05)


async def test_wait_for_returns_once_the_call_arrives(fake_api):
    async with make_bot(fake_api) as bot:
        waiting = asyncio.create_task(fake_api.wait_for("sendMessage", chat_id=1001))
        await bot.send_message(1002, "not this chat")
        assert not waiting.done()
        await bot.send_message(1001, "this one")
        [call] = await waiting
    assert call.params["text"] == "this one"


async def test_updates_the_fake_builds_are_parsed_by_python_telegram_bot(fake_api):
    member = fake_api.user(1001, "李会玲", username="lhl")
    member.send_command("/start ABC")
    async with make_bot(fake_api) as bot:
        [update] = await bot.get_updates(timeout=0)
    assert isinstance(update, Update)
    assert update.effective_user.id == 1001
    assert update.message.text == "/start ABC"
    assert update.message.entities[0].type == "bot_command"


async def test_methods_without_their_own_handler_answer_what_they_return(fake_api):
    async with make_bot(fake_api) as bot:
        chat = await bot.get_chat(-1001234)
        copied = await bot.copy_message(1001, from_chat_id=1002, message_id=1)
        member = await bot.get_chat_member(-1001234, 1001)
        link = await bot.create_chat_invite_link(-1001234)
        location = await bot.send_location(1001, latitude=39.9, longitude=116.4)
        admins = await bot.get_chat_administrators(-1001234)
    assert chat.id == -1001234
    assert copied.message_id >= 1
    assert member.user is not None and link.invite_link
    assert location.chat.id == 1001 and fake_api.sent_to(1001)[0].kind == "sendLocation"
    assert admins == ()
