"""Where attachments' bytes live: the data folder on one machine, S3-compatible object storage on many.

Settings pick the backend (`STORAGES["attachments"]`); code reaches the bytes only through Django's
storage API, so a file uploaded on one app server is read by every other server and worker.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.files.storage import FileSystemStorage, Storage, storages


def attachment_storage() -> Storage:
    return storages["attachments"]


class ContentAddressedStorage(FileSystemStorage):
    """Local disk for blobs named by their content's hash.

    A name is written whole or not at all (temporary file, then `os.replace`), so a reader never sees half a
    file; writing a name that exists replaces it with the same bytes instead of inventing a second name, so
    concurrent uploads of one screenshot end as one file.
    """

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        return name

    def _save(self, name: str, content: Any) -> str:
        path = Path(self.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in content.chunks():
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return name
