"""Folder and file names that every file system accepts, and stay unique."""

from __future__ import annotations

import pytest

from bot.export.naming import MAX_NAME, UniqueNames, safe_name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("2026-03-28_党小组会_第一党小组", "2026-03-28_党小组会_第一党小组", id="ordinary-name-unchanged"),
        pytest.param("a/b\\c:d*e?f\"g<h>i|j", "a_b_c_d_e_f_g_h_i_j", id="windows-illegal-characters"),
        pytest.param("行1\n行2\t\x00\x7f", "行1_行2___", id="control-characters"),
        pytest.param("  名字. . ", "名字", id="trailing-dots-and-spaces"),
        pytest.param("CON", "_CON", id="reserved-device-name"),
        pytest.param("lpt1.txt", "_lpt1.txt", id="reserved-device-name-with-extension"),
        pytest.param("..", "_", id="dots-only"),
        pytest.param("", "_", id="empty"),
        pytest.param("e\u0301", "\u00e9", id="unicode-normalized-nfc"),
    ],
)
def test_safe_name(text, expected):
    assert safe_name(text) == expected


def test_a_very_long_name_is_cut():
    assert len(safe_name("党" * 500)) == MAX_NAME


def test_unique_names_number_the_repeats_case_insensitively():
    names = UniqueNames()

    assert [names.claim("照片", ".jpg"), names.claim("照片", ".jpg"), names.claim("Photo"), names.claim("photo")] == [
        "照片.jpg", "照片_2.jpg", "Photo", "photo_2"
    ]
