"""Refuse uploads that are not small, honest .xlsx files before openpyxl sees them.

An .xlsx is a zip archive. ``zipfile`` never inflates a member past the size its
central directory declares, so checking the declared sizes and ratios bounds the
memory openpyxl can be made to use (a zip bomb declares its true, huge size or is
cut short at the small one it claims). XML entities are handled by defusedxml,
which openpyxl uses whenever it is installed (``openpyxl.xml.DEFUSEDXML``).
"""

from __future__ import annotations

import io
import zipfile

from django.utils.translation import gettext as _

# A district project list is a few hundred rows; these limits leave a wide margin.
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_MEMBER_RATIO = 200  # xml compresses ~10-30x; bombs compress 1000x and more
MAX_MEMBERS = 500
_RATIO_APPLIES_ABOVE = 1024 * 1024
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls / encrypted workbooks


class UploadRefused(ValueError):
    """The whole file is refused; ``str(err)`` is a Chinese message for the user."""


def check_upload(*, file_name: str, size: int, content: bytes, max_bytes: int) -> None:
    """Raise UploadRefused unless the bytes are an .xlsx that is safe to open."""
    if size > max_bytes or len(content) > max_bytes:
        raise UploadRefused(
            _("文件「%(name)s」大小为 %(size).1f MB，超过上限 %(max).1f MB")
            % {"name": file_name, "size": size / 1048576, "max": max_bytes / 1048576}
        )
    if not content:
        raise UploadRefused(_("文件「%(name)s」是空文件") % {"name": file_name})
    if content.startswith(_OLE_MAGIC):
        raise UploadRefused(
            _("文件「%(name)s」是旧版 .xls 或加密的工作簿，请在 Excel 中另存为 .xlsx 后再上传")
            % {"name": file_name}
        )
    not_xlsx = UploadRefused(
        _("文件「%(name)s」不是 Excel 工作簿（.xlsx），请使用导入模板") % {"name": file_name}
    )
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise not_xlsx from exc
    with archive:
        members = archive.infolist()
        names = {m.filename for m in members}
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise not_xlsx
        _check_sizes(file_name, members)


def _check_sizes(file_name: str, members: list[zipfile.ZipInfo]) -> None:
    bomb = UploadRefused(
        _("文件「%(name)s」解压后异常庞大（疑似压缩炸弹），已拒绝。请上传普通的 Excel 文件")
        % {"name": file_name}
    )
    if len(members) > MAX_MEMBERS:
        raise bomb
    total = 0
    for member in members:
        if member.flag_bits & 0x1:
            raise UploadRefused(
                _("文件「%(name)s」已加密，请去掉密码后再上传") % {"name": file_name}
            )
        total += member.file_size
        if total > MAX_UNCOMPRESSED_BYTES:
            raise bomb
        if member.file_size > _RATIO_APPLIES_ABOVE and member.file_size > MAX_MEMBER_RATIO * max(
            member.compress_size, 1
        ):
            raise bomb
