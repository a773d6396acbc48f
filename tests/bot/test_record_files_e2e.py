"""End to end: /meeting re-sends every file of a record the way it arrived, falls
back to the stored copy when Telegram refuses an id, and names what it cannot send."""

from __future__ import annotations

from sqlmodel import select

from storage.media import media_path
from storage.models import Attachment
from tests.auxil.harness import BotHarness, write_test_config
from tests.bot.chat import IDS, jpeg, log_meeting, press, say


async def _saved_with(fake_api, bot, **files):
    leader = fake_api.user(IDS["李会玲"], "李会玲")
    summary = await log_meeting(leader, system="党小组会", all_present=True, minutes=None, **files)
    assert "已保存" in (await press(leader, summary, "保存")).body
    return leader


def _kinds(messages) -> list[str]:
    return ["document" if "document" in m.message else "photo" if "photo" in m.message else "text" for m in messages]


async def test_photos_sent_as_files_come_back_as_files_next_to_the_album_of_photos(fake_api, db_url, tmp_path, clock):
    path = write_test_config(tmp_path, db_url, fake_api, telegram_ids=IDS)
    async with BotHarness(fake_api, path, clock=clock) as bot:
        leader = await _saved_with(fake_api, bot, photos=[jpeg(1), jpeg(2)], photo_documents=[jpeg(3), jpeg(4)])
        leader.skip_read()
        assert "照片：4 张" in (await say(leader, "/meeting 1")).body
        albums = await fake_api.wait_for("sendMediaGroup", 2, chat_id=leader.id)
        assert [[item["type"] for item in call.params["media"]] for call in albums] == [["photo", "photo"], ["document", "document"]]
        assert all(call.ok for call in albums)
        files = [m for m in leader.inbox[leader._read :] if m.kind == "media_group"]
        assert sorted(_kinds(files)) == ["document", "document", "photo", "photo"]


async def test_a_file_id_telegram_refuses_is_replaced_by_the_stored_copy(fake_api, db_url, tmp_path, clock):
    path = write_test_config(tmp_path, db_url, fake_api, telegram_ids=IDS)
    async with BotHarness(fake_api, path, clock=clock) as bot:
        leader = await _saved_with(fake_api, bot, photo_documents=[jpeg(7)])
        fake_api.fail_next("sendDocument", 400, description="Bad Request: wrong file identifier/HTTP URL specified")
        leader.skip_read()
        await say(leader, "/meeting 1")
        sent = await leader.next_message()
        assert sent.kind == "document"
        assert fake_api.file_bytes(sent.message["document"]["file_id"]) == jpeg(7)
        assert sent.message["document"]["file_name"] == "现场1.jpg"


async def test_a_file_neither_telegram_nor_the_storage_has_is_named_to_the_reader(fake_api, db_url, tmp_path, clock):
    path = write_test_config(tmp_path, db_url, fake_api, telegram_ids=IDS)
    async with BotHarness(fake_api, path, clock=clock) as bot:
        leader = await _saved_with(fake_api, bot, photos=[jpeg(1), jpeg(2)])
        with bot.context.session() as session:
            first = session.exec(select(Attachment).order_by(Attachment.id)).first()
        media_path(bot.context.config.media_dir, first.path).unlink()
        fake_api.fail_next("sendMediaGroup", 400, description="Bad Request: wrong file identifier/HTTP URL specified")
        fake_api.fail_next("sendPhoto", 400, description="Bad Request: wrong file identifier/HTTP URL specified")
        leader.skip_read()

        await say(leader, "/meeting 1")
        photo = await leader.next_message()
        assert photo.kind == "photo" and fake_api.file_bytes(photo.message["photo"][-1]["file_id"]) == jpeg(2)
        told = await leader.next_message()
        assert "无法发送" in told.body and first.sha256[:8] in told.body
