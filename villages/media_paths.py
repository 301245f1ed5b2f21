"""Move photos stored in doubled folders (``actions/actions/...``) to one folder per kind.

Until photo fields named their files through ``villages.images.PhotoPath``, the action
photo service passed a name that already began with the folder and the field's
``upload_to`` added it again: ``actions/actions/2026/11/<hex>.jpg`` and
``actions/thumbs/actions/thumbs/2026/11/<hex>.jpg``. ``undouble_model`` moves such files to
``actions/2026/11/<hex>.jpg`` and points the rows at the new names.

It works on any model whose file fields have a ``PhotoPath`` ``upload_to`` (the prefix
says what doubling looks like), so the data migrations of greenscore and tourism and the
``fix_media_paths`` command share it, with historical or live models alike. It is
idempotent and tolerant:

* a row whose name is not doubled is left alone (a second run changes nothing);
* the file is copied through the storage API (local disk or object storage alike), then
  the old one is deleted;
* if the old file is gone but the new one exists (an earlier run moved the file, then its
  transaction rolled back), only the row is updated;
* if neither exists, the row is left as it is and reported as missing, so a later run
  after the media is restored can still move it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from .images import PhotoPath


@dataclass
class MoveReport:
    moved: int = 0
    relinked: int = 0  # file already at the new name: row updated only
    missing: list[str] = field(default_factory=list)

    def add(self, other: MoveReport) -> None:
        self.moved += other.moved
        self.relinked += other.relinked
        self.missing.extend(other.missing)


def photo_fields(model) -> list:
    """The model's file fields whose files are named by a PhotoPath."""
    return [
        f
        for f in model._meta.get_fields()
        if hasattr(f, "upload_to") and isinstance(f.upload_to, PhotoPath)
    ]


def undoubled(name: str, prefix: str) -> str | None:
    """The single-folder name for a doubled one, else None."""
    doubled = f"{prefix}/{prefix}/"
    return f"{prefix}/{name[len(doubled) :]}" if name.startswith(doubled) else None


def undouble_model(model) -> MoveReport:
    """Move every doubled file of the model's photo fields; see the module docstring."""
    report = MoveReport()
    for f in photo_fields(model):
        prefix, storage = f.upload_to.prefix, f.storage
        rows = (
            model._default_manager.filter(**{f"{f.attname}__startswith": f"{prefix}/{prefix}/"})
            .order_by("pk")
            .values_list("pk", f.attname)
        )
        emptied = set()
        for pk, old in rows.iterator():
            new = undoubled(old, prefix)
            if storage.exists(old):
                if storage.exists(new):  # a copy from an interrupted run: replace it
                    storage.delete(new)
                with storage.open(old, "rb") as handle:
                    saved = storage.save(new, handle)
                if saved != new:  # the storage would not keep the name: do not lose the file
                    storage.delete(saved)
                    report.missing.append(old)
                    continue
                storage.delete(old)
                emptied.add(os.path.dirname(old))
                report.moved += 1
            elif storage.exists(new):
                report.relinked += 1
            else:
                report.missing.append(old)
                continue
            model._default_manager.filter(pk=pk).update(**{f.attname: new})
        _remove_empty_dirs(storage, emptied, below=prefix)
    return report


def _remove_empty_dirs(storage, dirs: set[str], *, below: str) -> None:
    """Remove the emptied doubled folders (inside ``below``) on a local disk; other
    storages have no folders."""
    try:
        root = storage.path("")
    except NotImplementedError:
        return
    top = os.path.join(root, below) + os.sep
    for d in sorted(dirs, key=len, reverse=True):
        path = os.path.join(root, d)
        while path.startswith(top) and os.path.isdir(path) and not os.listdir(path):
            os.rmdir(path)
            path = os.path.dirname(path)
