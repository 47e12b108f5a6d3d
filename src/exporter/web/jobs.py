"""Jobs: one clerk's upload in a private folder, its conversion state, expiry and removal."""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import shutil
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: What a job id looks like (``secrets.token_urlsafe(16)``); anything else is not looked up.
_JOB_ID = re.compile(r"[A-Za-z0-9_-]{22}")
#: Windows reserved characters and path separators, never kept in a download name.
_UNSAFE = re.compile(r'[\\/:*?"<>|]')


@dataclass
class Input:
    """One uploaded file: its own folder (so a Markdown image can only be looked up beside it)."""

    index: int
    #: The client's file name, shown and used for download names only: never a path.
    name: str
    path: Path
    found: dict[str, Any] = field(default_factory=dict)
    result: dict[str, Any] | None = None
    preview: dict[str, Any] | None = None

    @property
    def folder(self) -> Path:
        return self.path.parent

    @property
    def stem(self) -> str:
        return download_stem(self.name)


@dataclass
class Job:
    """A clerk's files and what was made of them; bound to the browser session that made it."""

    id: str
    session: str
    folder: Path
    inputs: list[Input] = field(default_factory=list)
    state: str = "reading"  # reading (the upload) | new | queued | running | done | failed
    stage: str = ""  # converting (the one stage a worker reports so far)
    current: int = 0  # the input being worked on (1-based; 0: none)
    steps_done: int = 0
    steps_total: int = 0
    error: str = ""
    formats: list[str] = field(default_factory=list)
    zip_name: str = ""
    report: dict[str, Any] | None = None
    started: float = 0.0
    finished: float = 0.0
    touched: float = field(default_factory=time.monotonic)
    #: Bumped at every change of state or progress; a status request may wait for the next.
    version: int = 0
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    packing: asyncio.Lock = field(default_factory=asyncio.Lock)

    def bump(self) -> None:
        """Mark a change: wake the status requests waiting for one."""
        self.version += 1
        self.changed.set()
        self.changed = asyncio.Event()

    @property
    def busy(self) -> bool:
        return self.state in ("reading", "queued", "running")


class JobStore:
    """Every job's folder under one private root (0700), which is removed at shutdown."""

    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self.root = Path(tempfile.mkdtemp(prefix=PREFIX))  # created 0700
        os.chmod(self.root, 0o700)
        (self.root / OWNER).write_text(str(os.getpid()))
        self.jobs: dict[str, Job] = {}
        remove_orphans(self.root.parent)

    def create(self, session: str) -> Job:
        job_id = secrets.token_urlsafe(16)
        folder = self.root / job_id
        folder.mkdir(mode=0o700)
        job = Job(job_id, session, folder)
        self.jobs[job_id] = job
        return job

    def add_input(self, job: Job, name: str, suffix: str, data: bytes) -> Input:
        """Store an upload as ``<job>/<n>/input<suffix>``: the server names every path."""
        index = len(job.inputs) + 1
        folder = job.folder / str(index)
        folder.mkdir(mode=0o700)
        path = folder / f"input{suffix}"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        item = Input(index, name, path)
        job.inputs.append(item)
        return item

    def get(self, job_id: str, session: str) -> Job | None:
        """The job, if the id is well formed and the session is the one that made it."""
        if not _JOB_ID.fullmatch(job_id):
            return None
        job = self.jobs.get(job_id)
        if job is None or not secrets.compare_digest(job.session, session):
            return None
        job.touched = time.monotonic()
        return job

    def remove(self, job: Job) -> None:
        self.jobs.pop(job.id, None)
        shutil.rmtree(job.folder, ignore_errors=True)

    def expire(self, now: float | None = None) -> list[str]:
        """Remove the jobs idle longer than the time to live (a running one waits); their ids."""
        now = time.monotonic() if now is None else now
        gone = [j for j in self.jobs.values() if not j.busy and now - j.touched > self.ttl]
        for job in gone:
            self.remove(job)
        return [j.id for j in gone]

    def close(self) -> None:
        self.jobs.clear()
        shutil.rmtree(self.root, ignore_errors=True)


#: The root folder's name prefix, and the file in it naming the server process that owns it.
PREFIX = "exporter-serve-"
OWNER = "server.pid"


def remove_orphans(folder: Path) -> None:
    """Remove the job roots in ``folder`` left by servers that were killed (SIGKILL, a power
    cut): this user's, whose owner process is gone."""
    for root in folder.glob(PREFIX + "*"):
        try:
            if root.stat().st_uid != os.getuid() or not root.is_dir():
                continue
            pid = int((root / OWNER).read_text())
            os.kill(pid, 0)
        except ProcessLookupError:
            shutil.rmtree(root, ignore_errors=True)
        except (OSError, ValueError):
            continue  # not ours, being created, or its owner is alive (PermissionError)


def client_name(raw: str | None) -> str:
    """A client's file name for display: its last path part, without control characters."""
    name = re.split(r"[\\/]", raw or "")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    return name[:200]


def download_stem(name: str) -> str:
    """The stem a download is named by: the client's name without its suffix or unsafe marks."""
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    stem = _UNSAFE.sub("_", stem).strip(" .")
    return stem[:120] or "document"
