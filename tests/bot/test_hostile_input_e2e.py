"""End to end: bad input gets a clear answer, and changes nothing."""

from __future__ import annotations

import pytest
from sqlmodel import select

from storage.models import Attachment, MeetingRecord
from tests.auxil.harness import BotHarness, write_test_config
from tests.bot.chat import IDS, jpeg, pdf, press, say


@pytest.fixture
async def bot(fake_api, db_url, tmp_path, clock):
    path = write_test_config(tmp_path, db_url, fake_api, telegram_ids=IDS)
    async with BotHarness(fake_api, path, clock=clock) as harness:
        yield harness


async def _at_the_date_step(user):
    message = await say(user, "/log")
    message = await press(user, message, "党小组会")
    assert "哪天" in message.body
    return message


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        pytest.param("2026-02-30", "没能识别", id="no-such-day"),
        # This year's 9 March is still ahead, so it means last year's, which is too old to log.
        pytest.param("3月9日", "120 天以内", id="ahead-this-year-too-old-last-year"),
        pytest.param("2026年3月9日", "不能晚于今天", id="future-with-year"),
        pytest.param("2025-10-01", "120 天以内", id="too-old"),
        pytest.param("2" * 500, "没能识别", id="overlong"),
    ],  # every other form is in test_dates.py
)
async def test_a_bad_date_is_refused_and_asked_again(bot, fake_api, typed, answer):
    leader = fake_api.user(IDS["李会玲"], "李会玲")
    await _at_the_date_step(leader)
    refused = await say(leader, typed)
    assert answer in refused.body
    accepted = await say(leader, "2026-03-01")
    assert "主题" in accepted.body


async def test_an_overlong_or_empty_topic_is_refused(bot, fake_api):
    leader = fake_api.user(IDS["李会玲"], "李会玲")
    message = await _at_the_date_step(leader)
    await press(leader, message, "今天")
    refused = await say(leader, "议" * 201)
    assert "1–200 字" in refused.body
    accepted = await say(leader, "议" * 200)
    assert "出席" in accepted.body


async def _at_the_photo_step(user):
    message = await _at_the_date_step(user)
    await press(user, message, "今天")
    message = await say(user, "主题")
    message = await press(user, message, "全部到会")
    return await say(user, "纪要")


async def test_a_file_of_the_wrong_type_is_refused_and_nothing_is_kept(bot, fake_api, tmp_path):
    leader = fake_api.user(IDS["李会玲"], "李会玲")
    await _at_the_photo_step(leader)
    leader.send_document(b"MZ\x90\x00" + bytes(200), "照片.jpg", "image/jpeg")
    refused = await leader.next_message()
    assert "文件类型不支持" in refused.body
    leader.send_document(pdf(), "纪要.pdf", "application/pdf")
    refused = await leader.next_message()
    assert "文件类型不支持" in refused.body  # a PDF is minutes, not a photo
    leader.send_photo(jpeg(1))
    accepted = await leader.next_message()
    assert "已收到 1 张" in accepted.body
    assert not list((tmp_path / "media").rglob("*.pdf"))


async def test_an_oversized_file_is_refused_before_it_is_downloaded(bot, fake_api):
    leader = fake_api.user(IDS["李会玲"], "李会玲")
    await _at_the_photo_step(leader)
    downloads = fake_api.downloads
    leader.send_photo(jpeg(2), reported_size=25 * 1024 * 1024)
    refused = await leader.next_message()
    assert "超过 20 MB" in refused.body
    assert fake_api.downloads == downloads
    done = await say(leader, "/cancel")
    assert "已取消" in done.body
    with bot.context.session() as session:
        assert session.exec(select(MeetingRecord)).all() == []
        assert session.exec(select(Attachment)).all() == []


async def test_minutes_may_be_a_document_checked_by_content(bot, fake_api):
    leader = fake_api.user(IDS["李会玲"], "李会玲")
    message = await _at_the_date_step(leader)
    await press(leader, message, "今天")
    message = await say(leader, "主题")
    message = await press(leader, message, "全部到会")
    assert "纪要" in message.body
    leader.send_document(b"\x00\x01binary", "纪要.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    refused = await leader.next_message()
    assert "文件类型不支持" in refused.body
    leader.send_document(pdf(), "纪要.pdf", "application/pdf")
    photos = await leader.next_message()
    assert "照片" in photos.body
    summary = await press(leader, photos, "稍后补充")
    assert "纪要：文件" in summary.body
    await press(leader, summary, "保存")
    with bot.context.session() as session:
        minutes = session.exec(select(Attachment)).one()
        assert minutes.kind == "minutes" and minutes.mime_type == "application/pdf" and minutes.original_name == "纪要.pdf"


async def test_text_that_means_nothing_gets_a_short_answer(bot, fake_api):
    member = fake_api.user(IDS["王晓明"], "王晓明")
    assert "/log" in (await say(member, "在吗")).body
    assert "没有理解" in (await say(member, "/nonsense")).body
    assert "没有进行中的操作" in (await say(member, "/cancel")).body
    assert "用法" in (await say(member, "/meeting abc")).body
    assert "没有这条记录" in (await say(member, "/meeting 999999999999")).body  # beyond a 32-bit id
    assert "没有这条记录" in (await say(member, "/meeting 7")).body
    assert "只能查看 2000–2100 年" in (await say(member, "/status 99999")).body
