"""The data directory, walked honestly: every record file, and a problem for all it could not read.

Why a module of its own: "ok: 0 events" for a folder that could not be read is a lie the
loader must not be able to tell.  So a folder that cannot be listed, a link that points
nowhere, a path too long for the system, a FIFO, device or socket named like a record file
(never opened: a FIFO would block every command) are each a `Problem` naming the path, and
the caller refuses the data (exit 2) unless told to skip invalid input.

A symbolic link to a folder is followed once: a folder reached a second time (a loop, or
two links to one folder) is a problem, not a second copy of its records.  Record files
are `*.toml` and ACLED `*.csv`, matched without regard to case; hidden entries (`.git`,
editor swap files) are left alone, as before.
"""

from __future__ import annotations

import os
import stat

from briefing.datadir import pathstr
from briefing.problems import Problem, show_path

MAX_PATH_BYTES = 4096  # PATH_MAX on Linux: a longer path cannot be opened in one go
_KINDS = {stat.S_IFIFO: "a FIFO", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device", stat.S_IFSOCK: "a socket"}


def record_suffix(name: str) -> str | None:
    """`.toml` or `.csv` for a record file name (any case), else None."""
    low = name.lower()
    if low.endswith(".toml"):
        return ".toml"
    if low.endswith(".csv"):
        return ".csv"
    return None


def _not_regular(mode: int) -> str:
    return _KINDS.get(stat.S_IFMT(mode), "not a regular file")


# A name that is not UTF-8 (bytes a Latin-1 or Windows system wrote): the store keeps names as
# text, and SQLite's text is UTF-8, so such a file is reported, never read half-way.
NOT_UTF8 = "the name is not UTF-8 (its bytes are shown as \\x..): rename it to read it"


def _utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def walk(root: str | os.PathLike[str]) -> tuple[list[str], list[Problem]]:
    """(record files under root in a stable order, problems met on the way).

    root may itself be one record file.  CSV files count only when their header is
    ACLED's (`acled.sniff`); other CSV files are left alone, and one whose ACLED header sits
    below its first line is a problem.  The paths start with the folder's real path (absolute,
    `..` and a link to the folder resolved): a store names its files by path, and one data
    folder named once as `data` and once as `/home/me/data` (the `$ briefing …` line writes
    that), or through `..` or a link, was two sets of files, each start after a switch
    importing them all again (QA s13).  Problems show them relative to the working directory
    again (`problems.show_path`)."""
    root = pathstr(root)
    if _utf8(root) and os.path.exists(root):
        try:  # the root's own path resolved (`..`, a link to it); the links inside it are walked as links
            root = os.path.realpath(root)
        except OSError:  # the working directory is gone: the path as given
            pass
    files: list[str] = []
    problems: list[Problem] = []
    if not _utf8(root):
        problems.append(Problem(root, None, NOT_UTF8))
        return files, problems
    try:
        st = os.stat(root)
    except OSError as exc:
        if os.path.lexists(root):
            problems.append(Problem(root, None, f"cannot read: {exc.strerror or exc}"))
        else:
            problems.append(Problem(root, None, "no such data directory"))
        return files, problems
    if not stat.S_ISDIR(st.st_mode):
        _file(root, st, files, problems)
        return files, problems
    _folder(root, files, problems, {(st.st_dev, st.st_ino): root})
    from briefing.ledger import CSV_NAME, SUBDIR, missing_export

    if why := missing_export(root):  # a synced export gone: no "ok: 0 events" (QA s16)
        problems.append(Problem(pathstr(os.path.join(root, SUBDIR, CSV_NAME)), None, why))
    return files, problems


def _folder(path: str, files: list[str], problems: list[Problem], seen: dict[tuple[int, int], str]) -> None:
    try:
        with os.scandir(path) as it:
            entries = sorted((e for e in it if not e.name.startswith(".")), key=lambda e: e.name)
    except OSError as exc:
        problems.append(Problem(path, None, f"cannot read folder: {exc.strerror or exc}"))
        return
    for entry in entries:
        full = pathstr(os.path.join(path, entry.name))
        if not _utf8(entry.name):
            if entry.is_dir() or record_suffix(entry.name):
                problems.append(Problem(full, None, NOT_UTF8))
            continue
        if len(os.fsencode(full)) > MAX_PATH_BYTES:
            problems.append(Problem(full, None, f"path is longer than {MAX_PATH_BYTES} bytes: cannot be read"))
            continue
        link = entry.is_symlink()
        try:
            est = os.stat(full)  # follows a link: what it points at
        except OSError as exc:
            why = "broken link" if link else "cannot read"
            problems.append(Problem(full, None, f"{why}: {exc.strerror or exc}"))
            continue
        if stat.S_ISDIR(est.st_mode):
            key = (est.st_dev, est.st_ino)
            if key in seen:
                why = "link loop" if link else "folder reached twice"
                problems.append(Problem(full, None, f"{why}: already read as {show_path(seen[key])}"))
                continue
            seen[key] = full
            _folder(full, files, problems, seen)
        elif record_suffix(entry.name):
            _file(full, est, files, problems)


def _file(path: str, st: os.stat_result, files: list[str], problems: list[Problem]) -> None:
    if not stat.S_ISREG(st.st_mode):
        if record_suffix(os.path.basename(path)):
            problems.append(Problem(path, None, f"{_not_regular(st.st_mode)}, not a regular file: not opened"))
        return
    if record_suffix(path) == ".csv":
        from briefing.acled import header_trouble, sniff

        if st.st_size == 0:  # other CSV files are left alone; an empty one is a download cut short
            problems.append(Problem(path, None, "empty file: no ACLED header (an export cut short?)"))
            return

        try:
            header = sniff(path)
        except OSError as exc:
            problems.append(Problem(path, None, f"cannot read: {exc.strerror or exc}"))
            return
        if not header:
            return
        trouble = header_trouble(header)
        if trouble is not None:
            problems.append(Problem(path, *trouble))
            return
    files.append(path)
