"""``zhibu export`` and ``zhibu audit`` from the command line: exit codes, one-line
errors that change nothing, and what they print."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.conftest import SHANGHAI
from tests.export.support import verify_manifest, verify_zip
from tests.storage.support import zhibu


def test_export_writes_ledger_archive_and_manifest(capsys, busy_branch, tmp_path):
    out = tmp_path / "新建文件夹" / "2026"  # made on demand, Chinese names welcome

    code, stdout, stderr = zhibu(capsys, "--config", str(busy_branch.config_path), "export", "--year", "2026",
                                 "--out", str(out))

    assert (code, stderr) == (0, "")
    assert stdout.splitlines()[0] == "2026 年度：共 4 次会议，已写出："
    assert sorted(p.name for p in out.iterdir()) == [
        "manifest.sha256", "机关党支部_2026年会议档案.zip", "机关党支部_2026年台账.xlsx"
    ]
    verify_manifest((out / "manifest.sha256").read_text(encoding="utf-8"), lambda p: (out / p).read_bytes())
    verify_zip(out / "机关党支部_2026年会议档案.zip")


@pytest.mark.parametrize(
    "year",
    [pytest.param("26", id="two-digits"), pytest.param("1999", id="too-early"), pytest.param("二〇二六", id="not-digits"),
     pytest.param("2101", id="too-late")],
)
def test_a_bad_year_is_one_line_and_exit_2(capsys, busy_branch, tmp_path, year):
    out = tmp_path / "out"

    code, stdout, stderr = zhibu(capsys, "--config", str(busy_branch.config_path), "export", "--year", year,
                                 "--out", str(out))

    assert (code, stdout) == (2, "")
    assert stderr.count("\n") == 1 and stderr.startswith("zhibu: ") and "--year" in stderr
    assert not out.exists()


def test_an_out_dir_that_cannot_be_written_is_one_line_and_exit_2(capsys, busy_branch, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")

    code, stdout, stderr = zhibu(capsys, "--config", str(busy_branch.config_path), "export", "--year", "2026",
                                 "--out", str(blocker / "out"))

    assert (code, stdout) == (2, "")
    assert stderr.count("\n") == 1
    assert stderr.startswith("zhibu: export: --out: ") and str(blocker / "out") in stderr
    assert blocker.read_text() == "not a folder"


def test_export_needs_year_and_out(capsys, busy_branch):
    code, _, stderr = zhibu(capsys, "--config", str(busy_branch.config_path), "export", "--year", "2026")

    assert code == 2 and "--out" in stderr and stderr.count("\n") == 1


def test_audit_lists_every_change_in_the_branch_zone(capsys, busy_branch):
    code, stdout, stderr = zhibu(capsys, "--config", str(busy_branch.config_path), "audit")

    assert (code, stderr) == (0, "")
    header, *lines = stdout.splitlines()
    assert header.split() == ["时间", "操作人", "记录", "操作", "字段", "修改前", "修改后"]
    amendment = next(line for line in lines if "修改 " in line)
    assert amendment.split() == [
        "2026-01-22", "09:15", "李会玲", f"#{busy_branch.ids['g1_january']}", "2026-01-20", "党小组会",
        "修改", "主题", "学习党章", "学习党章（第一章）",
    ]
    assert len(lines) == 4 + 3 + 1 + 1  # four sittings logged, three photos, a PDF, one amendment


def test_audit_since_a_day_starts_at_midnight_in_the_branch_zone(capsys, busy_branch):
    busy_branch.amend_topic("committee_january", "新主题", by="常天民",
                            at=datetime(2026, 3, 1, 0, 30, tzinfo=SHANGHAI))  # 2026-02-28 16:30 UTC

    code, stdout, _ = zhibu(capsys, "--config", str(busy_branch.config_path), "audit", "--since", "2026-03-01")

    assert code == 0
    header, *lines = stdout.splitlines()
    assert len(lines) == 1 and "新主题" in lines[0] and lines[0].startswith("2026-03-01 00:30")


def test_audit_with_nothing_to_show_says_so(capsys, branch):
    code, stdout, _ = zhibu(capsys, "--config", str(branch.config_path), "audit", "--since", "2026-01-01")

    assert (code, stdout) == (0, "没有修改记录。\n")


def test_audit_rejects_a_bad_date_in_one_line(capsys, branch):
    code, stdout, stderr = zhibu(capsys, "--config", str(branch.config_path), "audit", "--since", "2026-13-01")

    assert (code, stdout) == (2, "")
    assert stderr.count("\n") == 1 and "--since" in stderr
