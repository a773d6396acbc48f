"""``/export`` end to end over the fake Bot API: the secretary gets the ledger and the
archive as documents (in parts when large); nobody else gets anything."""

from __future__ import annotations

import io
import zipfile

import pytest

from bot.handlers import export as export_handler
from tests.auxil.fixtures import fake_api  # noqa: F401
from tests.auxil.harness import BotHarness, write_test_config
from tests.bot.chat import IDS, jpeg, log_meeting, press, say
from tests.export.support import as_dicts, verify_manifest, workbook


@pytest.fixture
def config(tmp_path, fake_api):
    # SQLite only: the storage queries behind /export run on both backends in test_ledger.
    return write_test_config(tmp_path, f"sqlite:///{tmp_path / 'zhibu.db'}", fake_api, telegram_ids=IDS)


async def _group_meeting_with_photos(fake_api, photos: int = 2) -> None:
    """李会玲 logs her group's meeting in chat; the secretary's note about it is read."""
    leader = fake_api.user(IDS["李会玲"], "李会玲")
    secretary = fake_api.user(IDS["常天民"], "常天民")
    summary = await log_meeting(leader, system="党小组会", all_present=True,
                                photos=[jpeg(seed, size=3000) for seed in range(photos)])
    saved = await press(leader, summary, "保存")
    assert "已保存" in saved.body
    assert "登记了会议" in (await secretary.next_message()).body


def _documents(fake_api, chat_id: int, since: int) -> list[tuple[str, bytes, str]]:
    """(file name, bytes, caption) of every document sent to ``chat_id`` after ``since``."""
    found = []
    for message in fake_api.sent_to(chat_id):
        if message.kind == "document" and message.call_seq > since:
            document = message.message["document"]
            found.append((document["file_name"], fake_api.file_bytes(document["file_id"]), message.caption or ""))
    return found


async def test_the_secretary_receives_the_ledger_and_the_archive(fake_api, config, clock):
    async with BotHarness(fake_api, config, clock=clock):
        await _group_meeting_with_photos(fake_api)
        secretary = fake_api.user(IDS["常天民"], "常天民")
        mark = fake_api.mark()

        working = await say(secretary, "/export 2026")
        await fake_api.wait_for("sendDocument", 2, chat_id=IDS["常天民"], since=mark, timeout=20)

    assert "正在生成 2026 年度台账" in working.body
    (ledger_name, ledger, ledger_caption), (zip_name, archive, zip_caption) = _documents(fake_api, IDS["常天民"], mark)
    assert (ledger_name, zip_name) == ("机关党支部_2026年台账.xlsx", "机关党支部_2026年会议档案.zip")
    assert "共 1 次会议" in ledger_caption and "manifest.sha256" in zip_caption
    (sitting,) = as_dicts(workbook(ledger)["党小组会"])
    assert (sitting["党小组"], sitting["认定"], sitting["照片数"], sitting["登记人"]) == ("第一党小组", "计入", 2, "李会玲")
    with zipfile.ZipFile(io.BytesIO(archive)) as zipped:
        names = verify_manifest(zipped.read("manifest.sha256").decode(), zipped.read)
        assert zipped.read(ledger_name) == ledger
    folder = "2026-03-02_党小组会_第一党小组/"
    assert {folder + "照片01.jpg", folder + "照片02.jpg", folder + "会议记录.txt", folder + "出席情况.csv"} <= set(names)


async def test_a_large_archive_arrives_in_parts(fake_api, config, clock, monkeypatch):
    monkeypatch.setattr(export_handler, "PART_LIMIT", 30_000)  # stands in for 45 MB
    async with BotHarness(fake_api, config, clock=clock):
        for _ in range(2):
            await _group_meeting_with_photos(fake_api, photos=3)
        secretary = fake_api.user(IDS["常天民"], "常天民")
        mark = fake_api.mark()

        await say(secretary, "/export")  # this year by default
        await fake_api.wait_for("sendDocument", 3, chat_id=IDS["常天民"], since=mark, timeout=20)

    documents = _documents(fake_api, IDS["常天民"], mark)
    parts = [(name, data, caption) for name, data, caption in documents if name.endswith(".zip")]
    assert len(parts) >= 2 and len(documents) == len(parts) + 1
    for number, (name, data, caption) in enumerate(parts, start=1):
        assert name == f"机关党支部_2026年会议档案_第{number}卷（共{len(parts)}卷）.zip"
        assert f"第 {number} 卷，共 {len(parts)} 卷" in caption
        assert len(data) <= 30_000
        with zipfile.ZipFile(io.BytesIO(data)) as zipped:
            verify_manifest(zipped.read("manifest.sha256").decode(), zipped.read)


@pytest.mark.parametrize(
    "who",
    [
        pytest.param("郭谨瑜", id="committee-and-leadership"),
        pytest.param("李会玲", id="group-leader"),
        pytest.param("王晓明", id="member"),
    ],
)
async def test_nobody_but_the_secretary_may_export(fake_api, config, clock, who):
    async with BotHarness(fake_api, config, clock=clock):
        person = fake_api.user(IDS[who], who)
        mark = fake_api.mark()

        refused = await say(person, "/export 2026")

    assert "没有权限" in refused.body
    assert fake_api.calls("sendDocument", since=mark) == []


@pytest.mark.parametrize(
    "argument",
    [
        pytest.param("2027", id="next-year"),
        pytest.param("1999", id="too-early"),
        pytest.param("二〇二六", id="chinese-numerals"),
        pytest.param("2026 2025", id="two-years"),
        pytest.param("２０２６", id="full-width-digits"),
    ],
)
async def test_a_year_that_makes_no_sense_gets_a_clear_answer(fake_api, config, clock, argument):
    async with BotHarness(fake_api, config, clock=clock):
        secretary = fake_api.user(IDS["常天民"], "常天民")
        mark = fake_api.mark()

        answer = await say(secretary, f"/export {argument}")

    assert "年份不对" in answer.body and "/export 2026" in answer.body
    assert fake_api.calls("sendDocument", since=mark) == []
