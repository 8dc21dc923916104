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

What is at the path decides how it is written (`target_kind`): a FIFO, a character device
(`/dev/null`, a terminal) or a descriptor name (`/dev/stdout`, `/dev/fd/63` from a shell's
`>(gzip)`) is a stream, written into and never replaced; a symlink is followed and the file it
names is replaced (so the link stays a link); anything else that is not a regular file (a
socket, a block device) is refused.
"""

from __future__ import annotations

import io
import os
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO


class TargetExists(FileExistsError):
    """The output file exists and overwriting was not asked for."""

    def __init__(self, path: Path, dangling: bool = False) -> None:
        self.path = path
        self.dangling = dangling
        super().__init__(f"{self.what}; pass --force to {'write there' if dangling else 'overwrite it'}")

    @property
    def what(self) -> str:
        """What is at the name, said the same by the CLI and the TUI's dialog: a link to no file
        leads somewhere, it does not "exist" (QA s12, s15)."""
        if self.dangling:
            return f"{self.path} is a link to {_final(self.path)}, which does not exist"
        return f"{self.path} already exists"


_STREAM_NAMES = ("/dev/stdin", "/dev/stdout", "/dev/stderr")
_FD_DIRS = ("/dev/fd/", "/proc/self/fd/")
#: room for `.` + a random part + `.tmp` in a 255-byte file name
_NAME_ROOM = 255 - 32


class NotAFile(OSError):
    """The path names something an export must not replace: a socket, a block device."""


def _descriptor(path: Path) -> int | None:
    """The descriptor number a `/dev/stdout`-style name stands for, else None."""
    name = os.path.normpath(os.path.abspath(path))
    if name in _STREAM_NAMES:
        return _STREAM_NAMES.index(name)
    for prefix in _FD_DIRS:
        if name.startswith(prefix) and name[len(prefix) :].isdigit():
            return int(name[len(prefix) :])
    return None


def target_kind(path: Path, force: bool) -> str:
    """How an export reaches `path`: "stream" (write into it), "new" or "replace".

    Raises (before any work, so nothing is computed for nothing) when it could not succeed:
    a directory, a missing parent, a socket or block device, or an existing file without force.
    """
    if _descriptor(path) is not None:
        return "stream"
    try:
        st = path.stat()  # follows symlinks: what the name leads to
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise OSError(f"{path}: {exc.strerror or exc}") from None
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(f"{path} is a directory; give a file name")
        if stat.S_ISFIFO(st.st_mode) or stat.S_ISCHR(st.st_mode):
            return "stream"
        if not stat.S_ISREG(st.st_mode):
            raise NotAFile(f"{path} is not a regular file, pipe or terminal; refusing to write there")
    parent = _final(path).parent
    if not parent.is_dir():  # first: `--force` would not help (QA s15: a link into a missing folder)
        if path.is_symlink():  # ... said as a link: the folder named is not the one typed
            raise FileNotFoundError(f"{path} is a link to {_final(path)}, whose folder {parent} does not exist")
        raise FileNotFoundError(f"{parent}: no such directory")
    if not force and (st is not None or path.is_symlink()):
        raise TargetExists(path, dangling=st is None)
    return "new" if st is None else "replace"


def _final(path: Path) -> Path:
    """The name a write lands on: a symlink's target (followed to the end), else path itself."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def _temp_prefix(name: str) -> str:
    """`.NAME.`, with NAME cut so that the temporary name stays within 255 bytes."""
    raw = name.encode("utf-8", "surrogateescape")
    if len(raw) > _NAME_ROOM:
        name = raw[:_NAME_ROOM].decode("utf-8", "ignore")
    return f".{name}."


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(
    path: str | os.PathLike[str], write: Callable[[TextIO], object], *, force: bool = False, newline: str | None = ""
) -> None:
    """Call `write(file)` on a temporary file, then give it `path`'s name atomically.

    `newline=""` writes exactly the newlines the writer produced (csv wants `\\r\\n`).
    """
    path = Path(path)
    if target_kind(path, force) == "stream":
        _write_stream(path, write, newline)
        return
    path = _final(path)
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
    fd, tmp_name = tempfile.mkstemp(prefix=_temp_prefix(path.name), suffix=".tmp", dir=path.parent)
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


def write_stdout(write: Callable[[TextIO], object], newline: str | None = "") -> None:
    """Call `write` on standard output as UTF-8, whatever the locale says stdout's encoding is.

    Exports are UTF-8 documents: under `PYTHONIOENCODING=ascii` (or a Latin-1 terminal setting)
    writing through `sys.stdout` would fail at the first non-ASCII name, half-way through a
    JSON document.  A closed stdout (`briefing export >&-`) is an OSError, said as one.
    """
    stdout = sys.stdout
    if stdout is None:
        raise OSError("standard output is closed")
    if getattr(stdout, "buffer", None) is None:  # a text stream (an embedder's StringIO): no bytes to choose
        write(stdout)
        stdout.flush()
        return
    stdout.flush()
    out = io.TextIOWrapper(stdout.buffer, encoding="utf-8", newline=newline)
    try:
        write(out)
        out.flush()
    finally:
        out.detach()  # leave sys.stdout's buffer open


def _write_stream(path: Path, write: Callable[[TextIO], object], newline: str | None) -> None:
    """Write into a pipe, terminal or device: it cannot be replaced, only written to."""
    number = _descriptor(path)
    if number is not None:  # the descriptor the shell gave us, as it is (no reopening, no truncation)
        try:
            fd = os.dup(number)
        except OSError as exc:
            raise OSError(f"{path}: {exc.strerror or exc}") from None
    else:
        fd = os.open(path, os.O_WRONLY | os.O_NOCTTY)
    with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as f:
        write(f)


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
            tmp = f"{_temp_prefix(path.name)}{os.getpid()}.{os.urandom(4).hex()}.tmp"
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
