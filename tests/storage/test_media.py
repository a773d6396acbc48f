"""Media files: typed by content, at most 20 MB, named by sha256, stored once, never half-written."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest

from storage.media import MediaRejected, RejectReason, media_path, store_file

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200


def _zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


DOCX = _zip("[Content_Types].xml", "word/document.xml")
ZIP = _zip("payload.bin")
TEXT = "会议纪要：学习党章。\n出席 7 人。\n".encode()


def _files(root) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.mark.parametrize(
    ("content", "allowed", "mime"),
    [
        pytest.param(JPEG, {"photo"}, "image/jpeg", id="jpeg-photo"),
        pytest.param(PNG, {"photo"}, "image/png", id="png-photo"),
        pytest.param(PDF, {"document"}, "application/pdf", id="pdf-minutes"),
        pytest.param(
            DOCX, {"document"}, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", id="docx"
        ),
        pytest.param(TEXT, {"document"}, "text/plain", id="utf8-text"),
        pytest.param(JPEG, {"document"}, "image/jpeg", id="scanned-minutes-as-jpeg"),
    ],
)
def test_accepted_content_is_stored_under_its_sha256(tmp_path, content, allowed, mime):
    stored = store_file(tmp_path, content, allowed=allowed)

    sha = hashlib.sha256(content).hexdigest()
    assert stored.sha256 == sha and stored.mime_type == mime and stored.size == len(content)
    assert stored.relative_path.startswith(f"{sha[:2]}/{sha}.")
    assert (tmp_path / stored.relative_path).read_bytes() == content


@pytest.mark.parametrize(
    ("content", "allowed"),
    [
        pytest.param(ZIP, {"photo"}, id="zip-sent-as-a-photo"),
        pytest.param(EXE, {"photo", "document"}, id="exe-named-jpg"),
        pytest.param(ZIP, {"document"}, id="zip-sent-as-minutes"),
        pytest.param(PDF, {"photo"}, id="pdf-sent-as-a-photo"),
        pytest.param(TEXT, {"photo"}, id="text-sent-as-a-photo"),
        pytest.param(b"\x00\x01\x02binary\xff", {"document"}, id="unknown-binary"),
    ],
)
def test_content_of_the_wrong_type_is_rejected_and_nothing_is_written(tmp_path, content, allowed):
    with pytest.raises(MediaRejected) as error:
        store_file(tmp_path, content, allowed=allowed)
    assert error.value.reason is RejectReason.WRONG_TYPE
    assert _files(tmp_path) == []


def test_content_over_the_limit_is_rejected_before_anything_is_written(tmp_path):
    with pytest.raises(MediaRejected) as error:
        store_file(tmp_path, JPEG + b"\x00" * 1024, allowed={"photo"}, max_bytes=1024)
    assert error.value.reason is RejectReason.TOO_LARGE
    assert _files(tmp_path) == []


def test_the_default_limit_is_twenty_megabytes(tmp_path):
    exactly = JPEG + b"\x00" * (20 * 1024 * 1024 - len(JPEG))
    assert store_file(tmp_path, exactly, allowed={"photo"}).size == 20 * 1024 * 1024
    with pytest.raises(MediaRejected):
        store_file(tmp_path, exactly + b"\x00", allowed={"photo"})


def test_empty_content_is_rejected(tmp_path):
    with pytest.raises(MediaRejected) as error:
        store_file(tmp_path, b"", allowed={"document"})
    assert error.value.reason is RejectReason.EMPTY


def test_identical_content_is_stored_once(tmp_path):
    first = store_file(tmp_path, JPEG, allowed={"photo"})
    second = store_file(tmp_path, JPEG, allowed={"photo"})
    assert first == second
    assert _files(tmp_path) == [first.relative_path]


def test_a_failed_write_leaves_no_partial_file(tmp_path, monkeypatch):
    def crash(*_args):
        raise OSError("disk full")

    monkeypatch.setattr("storage.media.os.replace", crash)
    with pytest.raises(OSError):
        store_file(tmp_path, PNG, allowed={"photo"})
    assert _files(tmp_path) == []


def test_a_stored_path_cannot_leave_the_media_folder(tmp_path):
    stored = store_file(tmp_path, PDF, allowed={"document"})
    assert media_path(tmp_path, stored.relative_path).read_bytes() == PDF
    with pytest.raises(ValueError):
        media_path(tmp_path, "../../etc/passwd")
