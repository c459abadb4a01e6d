"""An uploaded spreadsheet kept between preview and commit.

The bytes are stored server-side under a random token bound to the uploader, so
the commit re-reads exactly what was previewed and trusts nothing from the form."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PendingImport(models.Model):
    token = models.CharField(max_length=64, unique=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name=_("上传人")
    )
    file_name = models.CharField(_("文件名"), max_length=200)
    content = models.BinaryField(_("文件内容"))
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("待提交的导入")
        verbose_name_plural = _("待提交的导入")

    def __str__(self) -> str:
        return self.file_name
