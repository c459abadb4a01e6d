import io
import zipfile

import pytest

from haotong.imports.safety import MAX_UNCOMPRESSED_BYTES, UploadRefused, check_upload
from tests.imports.conftest import xlsx

LIMIT = 5 * 1024 * 1024


def _check(content: bytes, *, size: int | None = None, max_bytes: int = LIMIT) -> None:
    check_upload(
        file_name="清单.xlsx",
        size=len(content) if size is None else size,
        content=content,
        max_bytes=max_bytes,
    )


def test_a_real_workbook_passes():
    _check(xlsx([["1", "项目", "五接镇", "1亿"]]))


def test_openpyxl_parses_xml_through_defusedxml():
    from openpyxl import xml

    assert xml.DEFUSEDXML is True


def test_it_refuses_bytes_that_are_not_a_workbook():
    with pytest.raises(UploadRefused, match="不是 Excel 工作簿"):
        _check("项目名称,总投资\n康辉,125亿元\n".encode())


def test_it_refuses_a_zip_that_is_not_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(UploadRefused, match="不是 Excel 工作簿"):
        _check(buffer.getvalue())


def test_it_refuses_a_legacy_xls_with_advice():
    with pytest.raises(UploadRefused, match=r"另存为 \.xlsx"):
        _check(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)


def test_it_refuses_an_oversized_upload_before_reading():
    with pytest.raises(UploadRefused, match="超过上限"):
        _check(b"", size=LIMIT + 1)


def zip_bomb() -> bytes:
    """A valid-looking workbook whose sheet inflates to more than the limit."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(MAX_UNCOMPRESSED_BYTES // len(chunk) + 2):
                sheet.write(chunk)
    return buffer.getvalue()


def test_it_refuses_a_zip_bomb_disguised_as_xlsx():
    bomb = zip_bomb()
    assert len(bomb) < LIMIT  # small on the wire…
    with pytest.raises(UploadRefused, match="压缩炸弹"):
        _check(bomb)


def test_it_refuses_a_highly_compressed_member_under_the_total_limit():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/sharedStrings.xml", b"a" * (20 * 1024 * 1024))
    with pytest.raises(UploadRefused, match="压缩炸弹"):
        _check(buffer.getvalue())
