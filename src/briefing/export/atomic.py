"""Atomic, no-clobber file writes: an export is either wholly there or not there at all.

The text goes to a temporary file in the target's own directory (so the final rename never
crosses a filesystem), is flushed and fsynced, and only then takes the target's name.  If the
writer fails — an exception, Ctrl-C, a full disk — the temporary file is removed and the old
file, if any, is untouched.  Without `force` an existing target is never replaced, even if it
appears while the export is being written (the final step is a hard link, which fails if the
name is taken, where the filesystem supports it).

On Linux the temporary file has no name at all while it is written (`O_TMPFILE`), so even a
writer killed with SIGKILL, which can clean nothing up, leaves nothing behind; it gets a name
only once it is complete.  Elsewhere a `.NAME.XXXX.tmp` file is used and removed on failure.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO


class TargetExists(FileExistsError):
    """The output file exists and overwriting was not asked for."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path} already exists; pass --force to overwrite it")


def check_target(path: Path, force: bool) -> None:
    """Refuse early (before any work) when the write could not succeed."""
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a directory; give a file name")
    parent = path.parent
    if not parent.is_dir():
        raise FileNotFoundError(f"{parent}: no such directory")
    if not force and (path.exists() or path.is_symlink()):
        raise TargetExists(path)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: str | os.PathLike[str], write: Callable[[TextIO], None], *, force: bool = False,
                 newline: str | None = "") -> None:
    """Call `write(file)` on a temporary file, then give it `path`'s name atomically.

    `newline=""` writes exactly the newlines the writer produced (csv wants `\\r\\n`).
    """
    path = Path(path)
    check_target(path, force)
    fd = _unnamed_file(path.parent)
    if fd is not None:
        with os.fdopen(fd, "w+", encoding="utf-8", newline=newline) as f:
            write(f)
            f.flush()
            try:
                _name_unnamed(f.fileno(), path, force)
                return
            except TargetExists:
                raise
            except OSError:  # /proc would not link it: fall back to a named temporary file
                f.seek(0)
                text = f.read()
        write = lambda out: out.write(text)  # noqa: E731
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        # mkstemp makes the file private (0600); an export gets the mode a new file would get,
        # or keeps the mode of the file it replaces.
        try:
            mode = stat.S_IMODE(path.stat().st_mode) if force and path.exists() else 0o666 & ~_umask()
            os.chmod(tmp, mode)
        except OSError:
            pass
        if force:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # fails if the name was taken meanwhile: never clobber
            except FileExistsError:
                raise TargetExists(path) from None
            except OSError:
                # no hard links here (some network and FAT filesystems): check, then rename
                if path.exists() or path.is_symlink():
                    raise TargetExists(path) from None
                os.replace(tmp, path)
            else:
                tmp.unlink()
        _fsync_dir(path.parent)
    except BaseException:
        try:
            tmp.unlink()
        except FileNotFoundError:
            pass
        raise


def _unnamed_file(directory: Path) -> int | None:
    """A file in directory with no name yet (Linux `O_TMPFILE`), or None where unsupported."""
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag or not os.path.isdir("/proc/self/fd"):  # naming it later goes through /proc
        return None
    try:
        return os.open(directory, flag | os.O_RDWR, 0o600)
    except OSError:  # a filesystem without O_TMPFILE
        return None


def _name_unnamed(fd: int, path: Path, force: bool) -> None:
    """Give the finished unnamed file `path`'s name: never over an existing file unless force."""
    mode = stat.S_IMODE(path.stat().st_mode) if force and path.exists() else 0o666 & ~_umask()
    os.fchmod(fd, mode)
    os.fsync(fd)
    source = f"/proc/self/fd/{fd}"
    dirfd = os.open(path.parent, os.O_RDONLY)
    try:
        # dst_dir_fd makes Python call linkat(..., AT_SYMLINK_FOLLOW), which links the file itself
        if not force:
            try:
                os.link(source, path.name, dst_dir_fd=dirfd, follow_symlinks=True)
            except FileExistsError:  # the name was taken meanwhile: never clobber
                raise TargetExists(path) from None
        else:  # a name for a moment, then renamed over the target: readers see old or new
            tmp = f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
            os.link(source, tmp, dst_dir_fd=dirfd, follow_symlinks=True)
            try:
                os.replace(tmp, path.name, src_dir_fd=dirfd, dst_dir_fd=dirfd)
            except BaseException:
                try:
                    os.unlink(tmp, dir_fd=dirfd)
                except FileNotFoundError:
                    pass
                raise
        try:
            os.fsync(dirfd)
        except OSError:
            pass
    finally:
        os.close(dirfd)


def _fsync_dir(directory: Path) -> None:
    """Make the rename itself durable (best effort: not every platform can open a directory)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
