"""Uploads bounded while they arrive, on every path that parses multipart (web form, replies, API, admin).

Django spools a large file to a temporary file, but a view that reads it whole afterwards (`f.read()`) brings
all of it into memory: one 300 MB POST grew a worker by 500 MB. This handler, first in
FILE_UPLOAD_HANDLERS, counts each file's bytes as they stream in and drops a file the moment it passes
the limit (the rest of the request is read and discarded, never kept); the view then answers with the
same refusal, and the same error code, as for a file it had read.
"""
from __future__ import annotations

from typing import Any

from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest

from fankui.tickets.attachments import UploadRejected, max_upload_bytes, max_upload_files, sanitize_filename


class BoundedUploadHandler(FileUploadHandler):
    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.files_started = 0
        self.received = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.files_started += 1
        self.received = 0
        if self.files_started > max_upload_files():
            self._refuse(UploadRejected("too_many_files", f"一份报告最多附 {max_upload_files()} 个文件。"))

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        limit = max_upload_bytes()
        if self.received > limit:
            name = sanitize_filename(self.file_name or "")
            self._refuse(UploadRejected("file_too_large", f"“{name}”太大，单个文件不能超过 {limit // (1024 * 1024)} MB。"))
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handlers store the file

    def _refuse(self, refusal: UploadRejected) -> None:
        refused = upload_refusals(self.request)
        if all(r.code != refusal.code for r in refused):
            refused.append(refusal)
        raise SkipFile


def upload_refusals(request: HttpRequest | None) -> list[UploadRejected]:
    """The files this request's upload dropped, with why (empty when none were)."""
    if request is None:
        return []
    if not hasattr(request, "_fankui_upload_refusals"):
        request._fankui_upload_refusals = []  # type: ignore[attr-defined]
    return request._fankui_upload_refusals  # type: ignore[attr-defined,no-any-return]
