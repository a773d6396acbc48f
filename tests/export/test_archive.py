"""The archive: unzipped, every checksum holds, and every sitting has its folder with
minutes, photos and attendance; large archives split into self-contained parts."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import zipfile
from datetime import date, datetime

import pytest

from bot.export.archive import Entry, plan_parts
from tests.export.conftest import G1, G2, make_branch
from tests.export.support import run_export, verify_manifest, verify_zip

LEDGER = "机关党支部_2026年台账.xlsx"
ARCHIVE = "机关党支部_2026年会议档案.zip"


def _members(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_every_file_in_the_archive_matches_its_checksum(busy_branch_on_each_backend):
    result = run_export(busy_branch_on_each_backend)

    (archive,) = result.archives
    assert archive.name == ARCHIVE
    names = verify_zip(archive)
    assert LEDGER in names and names[-1] == "manifest.sha256"


def test_the_folder_beside_the_outputs_has_a_manifest_of_the_ledger_and_archive(busy_branch):
    result = run_export(busy_branch)

    listed = verify_manifest(result.manifest.read_text(encoding="utf-8"), lambda p: (busy_branch.out / p).read_bytes())
    assert listed == [LEDGER, ARCHIVE]


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="needs coreutils' sha256sum")
def test_an_inspector_can_check_the_unzipped_archive_with_sha256sum(busy_branch, tmp_path):
    (archive,) = run_export(busy_branch).archives
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(unpacked)

    check = subprocess.run(["sha256sum", "--check", "--strict", "manifest.sha256"], cwd=unpacked,
                           capture_output=True, text=True, check=False)

    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.count(": OK") == len(list(unpacked.rglob("*.*"))) - 1  # all but the manifest


def test_every_sitting_has_a_folder_with_minutes_photos_and_attendance(busy_branch):
    members = _members(run_export(busy_branch).archives[0])

    folders = sorted({name.split("/")[0] for name in members if "/" in name})
    assert folders == [
        "2026-01-15_支部委员会",
        "2026-01-20_党小组会_第一党小组",
        "2026-02-10_党小组会_第二党小组",
        "2026-02-26_支部党员大会",
    ]
    g1 = "2026-01-20_党小组会_第一党小组/"
    assert members[g1 + "会议记录.txt"].decode("utf-8") == "会议纪要：传达学习文件精神。"
    assert members[g1 + "照片01.jpg"][:3] == members[g1 + "照片02.jpg"][:3] == b"\xff\xd8\xff"
    assert members["2026-02-26_支部党员大会/会议记录.pdf"].startswith(b"%PDF")
    attendance = members[g1 + "出席情况.csv"].decode("utf-8-sig").splitlines()
    assert attendance == ["姓名,出席情况,缺席原因", *(f"{name},出席," for name in G1)]


def test_a_sitting_folder_says_what_was_decided_and_what_is_missing(busy_branch):
    members = _members(run_export(busy_branch).archives[0])

    committee = members["2026-01-15_支部委员会/会议信息.txt"].decode("utf-8")
    assert "认定：支部委员会：不计入，未达到法定人数（出席 1 人，应到 4 人，至少需 3 人）" in committee
    late = members["2026-02-10_党小组会_第二党小组/会议信息.txt"].decode("utf-8")
    assert "会议记录：待补" in late and "（补录）" in late
    assert not any(name.startswith("2026-02-10_党小组会_第二党小组/会议记录") for name in members)
    combined = members["2026-02-26_支部党员大会/会议信息.txt"].decode("utf-8")
    assert "同时作为：党课" in combined and "认定：支部党员大会：计入；党课：计入" in combined


def test_a_photo_missing_from_the_media_folder_is_reported_not_fatal(busy_branch):
    for photo in busy_branch.media_dir.rglob("*.jpg"):
        photo.unlink()

    members = _members(run_export(busy_branch).archives[0])

    info = members["2026-01-20_党小组会_第一党小组/会议信息.txt"].decode("utf-8")
    assert "缺失文件（存储目录中找不到）：照片01.jpg、照片02.jpg" in info
    assert not any(name.endswith(".jpg") for name in members)


def test_the_same_data_exports_to_the_same_bytes(busy_branch):
    first = run_export(busy_branch)
    digests = [hashlib.sha256(p.read_bytes()).hexdigest() for p in first.files]

    second = run_export(busy_branch)

    assert [hashlib.sha256(p.read_bytes()).hexdigest() for p in second.files] == digests


def test_an_empty_year_still_has_a_ledger_and_manifest(branch):
    result = run_export(branch, 2025)

    (archive,) = result.archives
    assert sorted(verify_zip(archive)) == ["manifest.sha256", "机关党支部_2025年台账.xlsx"]


@pytest.mark.parametrize(
    ("group_name", "folder"),
    [
        pytest.param("第一/党:小组?*", "2026-01-09_党小组会_第一_党_小组__", id="slash-colon-question-star"),
        pytest.param('A<B>C"D|E\\F', "2026-01-09_党小组会_A_B_C_D_E_F", id="angle-quote-pipe-backslash"),
        pytest.param("小组\t一\n", "2026-01-09_党小组会_小组_一", id="control-characters"),
        pytest.param("小组. ", "2026-01-09_党小组会_小组", id="trailing-dot-and-space"),
    ],
)
def test_names_illegal_in_file_systems_become_safe_folder_names(tmp_path, clock, group_name, folder):
    branch = make_branch(tmp_path, f"sqlite:///{tmp_path / 'zhibu.db'}", clock, groups=[{"key": "g1", "name": group_name, "leader": "李会玲"},
                                                          {"key": "g2", "name": "第二党小组", "leader": "陈永胜"}])
    try:
        branch.log("odd", system="group_meeting", group="g1", held_on=date(2026, 1, 9), present=G1, expected=G1,
                   topic="主题含 / : ? * 等字符", photos=1)
        (archive,) = run_export(branch).archives
    finally:
        branch.context.close()

    names = verify_zip(archive)
    assert {name.split("/")[0] for name in names if "/" in name} == {folder}
    assert all(not set(part) & set('\\:*?"<>|') for name in names for part in name.split("/"))


def test_two_sittings_that_would_share_a_folder_get_distinct_ones(branch):
    for key in ("morning", "afternoon"):
        branch.log(key, system="group_meeting", group="g2", held_on=date(2026, 2, 3), present=G2, expected=G2)

    names = verify_zip(run_export(branch).archives[0])

    folders = sorted({name.split("/")[0] for name in names if "/" in name})
    assert folders == ["2026-02-03_党小组会_第二党小组", "2026-02-03_党小组会_第二党小组_2"]


def test_a_large_archive_is_split_into_self_contained_parts_below_the_limit(branch):
    limit = 100_000  # stands in for Telegram's 50 MB
    for day in range(1, 7):  # six sittings of 5 photos of ~5.4 KB: ~30 KB each
        branch.log(f"s{day}", system="group_meeting", group="g1", held_on=date(2026, 1, day), present=G1, expected=G1,
                   photos=5)
    whole = verify_zip(run_export(branch).archives[0])

    result = run_export(branch, part_limit=limit)

    assert len(result.archives) >= 3
    assert [p.name for p in result.archives][0] == f"机关党支部_2026年会议档案_第1卷（共{len(result.archives)}卷）.zip"
    seen: list[str] = []
    for part in result.archives:
        assert part.stat().st_size <= limit
        names = verify_zip(part)
        assert LEDGER in names  # each part is complete in itself
        seen += [n for n in names if "/" in n]
    assert sorted(seen) == sorted(n for n in whole if "/" in n)  # nothing lost, nothing twice
    folders_per_part = [{n.split("/")[0] for n in verify_zip(p) if "/" in n} for p in result.archives]
    assert sum(len(f) for f in folders_per_part) == 6  # a sitting is never cut in two
    assert not (branch.out / ARCHIVE).exists()  # the unsplit archive of the first run is gone
    listed = verify_manifest(result.manifest.read_text(encoding="utf-8"), lambda p: (branch.out / p).read_bytes())
    assert listed == [LEDGER, *(p.name for p in result.archives)]


def _entry(name: str, size: int) -> Entry:
    return Entry(name, size, datetime(2026, 1, 1), data=b"")


@pytest.mark.parametrize(
    ("sizes", "files_per_part"),
    [
        pytest.param([[1000], [1000], [1000]], [3], id="all-fit-in-one"),
        pytest.param([[6000], [6000]], [1, 1], id="one-sitting-per-part"),
        pytest.param([[1000], [4000, 4000, 4000]], [3, 1], id="an-oversized-sitting-is-cut-by-file"),
        pytest.param([[1000], [50_000], [1000]], [1, 1, 1], id="a-file-larger-than-a-part-goes-alone"),
        pytest.param([], [0], id="nothing-to-pack"),
    ],
)
def test_planning_parts(sizes, files_per_part):
    sittings = [[_entry(f"s{i}/f{j}.jpg", size) for j, size in enumerate(sitting)] for i, sitting in enumerate(sizes)]

    parts = plan_parts(sittings, fixed=0, limit=10_000)

    assert [len(part) for part in parts] == files_per_part
