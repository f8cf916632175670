"""Find the candidate files in the source folder, fingerprint them, and decode plain texts.

Nothing here raises on bad input: a file that cannot be used is described by a
`FileProblem` (its reason), which the caller turns into one `raw.ingest_errors` row.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MB = 1024 * 1024
# A single .txt larger than this is refused unread: no article is that long, and it keeps
# one stray dump from exhausting memory. Bulk files may be larger (they are streamed).
MAX_FILE_BYTES = 20 * MB

FINGERPRINT_CHUNK = 1 * MB

KIND_TEXT = "text"
KIND_JSONL = "jsonl"
KIND_JSONL_GZ = "jsonl.gz"
KIND_HTML = "html"  # a saved web page, read by orchestration.ingest.html

# Magic numbers of binary formats people drop into folders by mistake.
BINARY_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or DOCX/XLSX/ODT)"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office document"),
    (b"{\\rtf", "RTF document"),
    (b"\x7fELF", "executable"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
)
WEBP_RIFF = (b"RIFF", b"WEBP")


@dataclass(frozen=True)
class Candidate:
    """A file the ingest would read: `problem` is set when it must not or cannot be read."""

    source_name: str  # POSIX path relative to the source folder
    path: Path
    kind: str | None  # KIND_* or None when refused before its type mattered
    problem: str | None = None


class FileProblem(Exception):
    """A file (or a part of one) that cannot be ingested; the message is the reason."""


def file_kind(name: str) -> str | None:
    lowered = name.lower()
    if lowered.endswith(".jsonl.gz"):
        return KIND_JSONL_GZ
    if lowered.endswith(".jsonl"):
        return KIND_JSONL
    if lowered.endswith(".txt"):
        return KIND_TEXT
    if lowered.endswith((".html", ".htm")):
        return KIND_HTML
    return None


def _is_inside(path: Path, root: Path) -> bool:
    try:
        return os.path.commonpath([str(path), str(root)]) == str(root)
    except ValueError:  # different drives
        return False


def _symlink_problem(path: Path, real_root: Path) -> str | None:
    """Why a symlink must not be followed (never opens the target), or None if it is fine."""
    try:
        target = Path(os.path.realpath(path))
    except OSError as err:
        return f"cannot resolve symbolic link: {err.strerror or err}"
    if not _is_inside(target, real_root):
        return "refused: symbolic link points outside the source folder"
    if not os.path.exists(target):
        return "broken symbolic link (its target does not exist)"
    return None


def _regular_file_problem(path: Path) -> str | None:
    try:
        mode = os.stat(path).st_mode
    except PermissionError:
        return "cannot read file: permission denied"
    except OSError as err:
        return f"cannot read file: {err.strerror or err}"
    if not stat.S_ISREG(mode):
        return "not a regular file (device, pipe or socket)"
    return None


def _candidate(source_dir: Path, real_root: Path, path: Path) -> Candidate | None:
    name = PurePosixPath(*path.relative_to(source_dir).parts).as_posix()
    kind = file_kind(path.name)
    if path.is_symlink():
        links_to_folder = os.path.isdir(path)  # a stat of the target, not a read
        if kind is None and not links_to_folder:
            return None  # unknown extension: ignored wherever it points
        problem = _symlink_problem(path, real_root)
        if problem is not None:
            return Candidate(name, path, kind, problem)
        if links_to_folder:
            return None  # a link to a folder inside the source: its files are walked there
    if kind is None:
        return None
    return Candidate(name, path, kind, _regular_file_problem(path))


def list_candidates(source_dir: Path, source_names: list[str] | None = None) -> list[Candidate]:
    """Candidate files sorted by source name; with `source_names`, only those files.

    Hidden files and folders (".git", ".DS_Store") are skipped; unknown extensions are
    ignored. Symbolic links are never followed out of the source folder: such a link is
    returned with its refusal as `problem` (so it shows up as an ingest error).
    """
    source_dir = Path(source_dir)
    real_root = Path(os.path.realpath(source_dir))
    if source_names is not None:
        return sorted(
            (_named_candidate(source_dir, real_root, name) for name in dict.fromkeys(source_names)),
            key=lambda c: c.source_name,
        )
    found: list[Candidate] = []
    for dirpath, dirnames, filenames in os.walk(source_dir, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        here = Path(dirpath)
        # os.walk lists symlinked folders among dirnames without descending: check them.
        for name in dirnames + sorted(filenames):
            path = here / name
            if name.startswith(".") or (name in dirnames and not path.is_symlink()):
                continue
            candidate = _candidate(source_dir, real_root, path)
            if candidate is not None:
                found.append(candidate)
    return sorted(found, key=lambda c: c.source_name)


def _named_candidate(source_dir: Path, real_root: Path, name: str) -> Candidate:
    relative = PurePosixPath(name)
    path = source_dir.joinpath(*relative.parts)
    if relative.is_absolute() or ".." in relative.parts:
        return Candidate(name, path, None, "refused: name is not a path inside the source folder")
    if not os.path.lexists(path):
        return Candidate(name, path, file_kind(name), "file not found (removed since the scan?)")
    if file_kind(name) is None and not path.is_symlink():
        return Candidate(name, path, None, "unsupported file type (expected .txt, .html, .htm, .jsonl, .jsonl.gz)")
    candidate = _candidate(source_dir, real_root, path)
    if candidate is None:
        return Candidate(name, path, None, "not a file")
    return candidate


def fingerprint(path: Path) -> tuple[int, str]:
    """(size in bytes, sha256 hex of the content), read in chunks; raises OSError."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(FINGERPRINT_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def problem_fingerprint(path: Path, problem: str) -> str:
    """A sha256 that stands for a file which must not or cannot be read: of the reason and of
    the entry itself (lstat, and a link's target path), never of the content.

    It stays the same while nothing about the entry changes, so a refresh does not re-read
    (and re-land) the same refusal every time; a fixed permission, a new link target or a
    replaced file changes it, and the file is looked at again."""
    parts = [problem]
    try:
        entry = os.lstat(path)
        parts += [str(entry.st_mode), str(entry.st_size), str(entry.st_mtime_ns), str(entry.st_ino)]
        if stat.S_ISLNK(entry.st_mode):
            parts.append(os.readlink(path))
    except OSError as err:  # gone or unreachable: the reason is all there is
        parts.append(f"lstat failed: {err.strerror or err}")
    return hashlib.sha256("\0".join(["attache: not read", *parts]).encode("utf-8", "surrogateescape")).hexdigest()


def describe_os_error(err: OSError) -> str:
    if isinstance(err, PermissionError):
        return "cannot read file: permission denied"
    return f"cannot read file: {err.strerror or err}"


def read_text_file(path: Path) -> str:
    """Read and decode one plain-text article; raises FileProblem with the reason."""
    return decode_text(read_capped(path, MAX_FILE_BYTES, "a .txt"))


def read_capped(path: Path, limit: int, what: str) -> bytes:
    """The bytes of a file of at most `limit` bytes (`what` names the kind in the reason);
    a larger file is refused by its size, unread. Raises FileProblem."""
    try:
        size = os.stat(path).st_size
    except OSError as err:
        raise FileProblem(describe_os_error(err)) from err
    if size > limit:
        raise FileProblem(f"file too large: {size:,} bytes (limit {limit:,} for {what})")
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as err:
        raise FileProblem(describe_os_error(err)) from err
    if len(data) > limit:  # grew since the stat
        raise FileProblem(f"file too large: over {limit:,} bytes (limit for {what})")
    return data


def decode_text(data: bytes) -> str:
    """Decode a text file's bytes: UTF-8 (with or without BOM), or UTF-16/32 with a BOM.

    Raises FileProblem for empty, whitespace-only, binary and non-UTF-8 content.
    """
    if not data:
        raise FileProblem("empty file")
    text = _decode_with_bom(data)
    if text is None:
        binary = _binary_kind(data)
        if binary is not None:
            raise FileProblem(f"binary content ({binary}), not text")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as err:
            raise FileProblem(
                f"not UTF-8: invalid byte 0x{data[err.start]:02x} at offset {err.start} "
                "(save the file as UTF-8)"
            ) from err
    if "\x00" in text:
        raise FileProblem("binary content (NUL characters), not text")
    if not text.strip():
        raise FileProblem("file contains only whitespace")
    return text


def _decode_with_bom(data: bytes) -> str | None:
    """Text decoded by its byte-order mark, or None when there is none."""
    # UTF-32 first: its little-endian BOM begins with UTF-16's.
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec)
            except UnicodeDecodeError as err:
                label = codec.upper().removesuffix("-LE").removesuffix("-BE")
                raise FileProblem(
                    f"not valid {label} despite its byte-order mark (bad bytes at offset "
                    f"{err.start + len(bom)})"
                ) from err
    return None


def _binary_kind(data: bytes) -> str | None:
    for magic, label in BINARY_MAGIC:
        if data.startswith(magic):
            return label
    if data[:4] == WEBP_RIFF[0] and data[8:12] == WEBP_RIFF[1]:
        return "WebP image"
    if b"\x00" in data:
        return "NUL bytes; UTF-16 text needs a byte-order mark"
    return None
