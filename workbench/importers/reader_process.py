"""Reading a site list in a second process, so that on two cores it overlaps the writing (issue 12).

:func:`read_site_list` reads the file (calamine, the package guard, normalising, duplicate and
conflict detection: everything that depends only on the file's bytes and the options) and hands
each chunk's new sites to ``on_records``; storing them (storage/site_stream.py) runs in the
importing process. In one process both halves hold the interpreter lock almost all the time, so
a first import of 100,000 rows took the sum of the two (issue 12: 7.8 s reading + 5.5 s writing).
:func:`read_site_list_in_child` runs the same :func:`read_site_list` in a spawned child and
gives the caller exactly what the in-process call gives: the same progress reports and records,
in the same order, on the calling thread, the same result or the same error.

What crosses the process boundary is plain picklable data, one message per pickle: progress
reports, the records of each chunk (a :class:`SiteRecord` travels as its field values, rebuilt
with its constructor: half the cost of a dataclass's own pickling), the final
:class:`SiteListResult` (it holds no records when they were handed over) or the error.

Guarantees (tests/importers/test_reader_process.py):

- a cancel terminates the child at once, and :class:`Cancelled` is raised as in-process;
- an error in the child is raised again in the caller: an :class:`InputFileError` with the same
  message, file, row and column;
- a child killed from outside (kill -9, out of memory) or crashing raises
  :class:`ChildReadError` (Chinese, names the file); the caller stores nothing;
- the child never outlives the caller: it watches a pipe only the caller holds open and exits
  when that pipe closes, which the system does when the caller dies in any way.

Small files are read in-process (:func:`use_child`): starting a child costs more than it saves
for them. Very big ones too: the two processes each hold an interpreter and their half's per-site
state at the same time, which at 300,000 rows exceeds the import's memory budget (500 MB, issue
12), where one process stays under it (docs/decisions.md).
"""

from __future__ import annotations

import copyreg
import io
import logging
import os
import pickle
import threading
import traceback
from collections.abc import Callable
from operator import attrgetter
from pathlib import Path

from workbench.domain.progress import Progress, check_cancel
from workbench.domain.site import Domain, SiteRecord
from workbench.errors import WorkbenchError
from workbench.importers.rows import collector_paused
from workbench.importers.site_list import SiteListResult, read_site_list
from workbench.importers.xlsx_guard import DEFAULT_LIMITS, ReadLimits

#: Files of at least this many bytes on disk are read in a child process, smaller ones in-process.
#: A child costs ~0.25 s of CPU to start and import the readers, which the overlap repays from
#: about 1.5 MB (benchmarks/bench_import_child.py, alternating, medians of 3: 10,000 messy rows,
#: 1.4 MB: 1.54 s against 1.52 s in-process; 20,000 rows, 2.9 MB: 2.31 s against 2.60 s).
CHILD_MIN_BYTES = 2 << 20
#: Files bigger than this are read in-process: both processes' peaks together would exceed the
#: import's memory budget of 500 MB (issue 12). Measured on messy xlsx lists (sum of the two
#: processes' peaks, and of the multiprocessing resource tracker's): 14 MB / 100,000 rows 446-469
#: MB; 43 MB / 300,000 rows 661 MB, against 461 MB in one process.
CHILD_MAX_BYTES = 20 << 20
#: How long the caller waits for a message before it looks at ``cancel`` and the child again.
POLL_SECONDS = 0.05
#: How long a child that sent its result may take to exit before it is terminated.
EXIT_WAIT_SECONDS = 5.0

_RECORD_FIELDS = attrgetter(*SiteRecord.__dataclass_fields__)
log = logging.getLogger(__name__)


class ChildReadError(WorkbenchError):
    """The process reading the list ended without an answer (killed, out of memory, crashed)."""


def use_child(path: str | Path) -> bool:
    """True when ``path`` is to be read in a child process: from :data:`CHILD_MIN_BYTES` up to
    :data:`CHILD_MAX_BYTES`. A path that cannot be looked at is read in-process, which reports
    why it cannot be read."""
    try:
        return CHILD_MIN_BYTES <= os.path.getsize(path) <= CHILD_MAX_BYTES
    except OSError:
        return False


def read_site_list_in_child(
    path: str | Path,
    *,
    sheet: str | None = None,
    mapping: dict[int, str] | None = None,
    cancel: threading.Event | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
    on_records: Callable[[list[SiteRecord]], None] | None = None,
) -> SiteListResult:
    """:func:`~workbench.importers.site_list.read_site_list` run in a spawned child process.

    Arguments, result and errors as for ``read_site_list``: ``on_progress`` and ``on_records``
    are called on the calling thread, in the order the reader makes the calls; ``cancel`` is
    looked at between messages and at least every :data:`POLL_SECONDS`.

    Raises:
        InputFileError: as ``read_site_list`` (the child's error, with its file, row, column).
        Cancelled: ``cancel`` was set (the child is terminated).
        ChildReadError: the child ended without an answer (killed, out of memory, crashed).
        the child's other errors, with its traceback as their cause.
    """
    import multiprocessing  # only when a list is read this way (it costs ~5 ms to import)

    check_cancel(cancel)
    spawn = multiprocessing.get_context("spawn")
    answers, child_end = spawn.Pipe(duplex=False)
    watched, alive = spawn.Pipe(duplex=False)
    child = spawn.Process(target=_child, name="site-list-reader", daemon=True,
                          args=(child_end, watched, str(path), sheet, mapping, limits, on_records is not None))
    child.start()
    log.info("reading %s in child process %s", Path(path).name, child.pid)
    child_end.close()   # the child holds the only writing end: its exit is seen as the end of the pipe
    watched.close()     # and the caller the only one of this: the child exits when it closes
    finished = False
    try:
        # The records arrive faster than a collector would like (issue 12: as in read_site_list).
        with collector_paused():
            while True:
                check_cancel(cancel)
                if not answers.poll(POLL_SECONDS):
                    continue
                try:
                    kind, value = pickle.loads(answers.recv_bytes())
                except (EOFError, OSError):   # the pipe's end (a broken pipe on Windows)
                    raise _died(child, path) from None
                if kind == "records":
                    on_records(value)
                elif kind == "progress":
                    if on_progress is not None:
                        on_progress(value)
                elif kind == "result":
                    finished = True
                    return value
                else:   # "error"
                    finished = True
                    error, remote = value
                    raise error from _RemoteTraceback(remote)
    finally:
        alive.close()
        answers.close()
        if finished:
            child.join(EXIT_WAIT_SECONDS)
        if child.is_alive():
            child.terminate()
        child.join()
        child.close()


def _died(child, path: str | Path) -> ChildReadError:
    """The error for a child that ended without an answer."""
    child.join(EXIT_WAIT_SECONDS)
    code = child.exitcode
    how = (f"被结束（信号 {-code}）" if code is not None and code < 0
           else f"意外退出（退出码 {code}）")
    return ChildReadError(f"文件 {Path(path).name}：读取名单的进程{how}，可能是内存不足或被其他程序结束；"
                          "未导入任何内容，数据库保持原样，可以重新导入")


class _RemoteTraceback(Exception):
    """The traceback of an error raised in the child (shown as the cause of the error raised again)."""

    def __str__(self) -> str:
        return f"\n\"\"\"\n{self.args[0]}\"\"\"" if self.args else ""


def _record_reduce(record: SiteRecord):
    return SiteRecord, _RECORD_FIELDS(record)


def _domain_reduce(domain: Domain):
    return Domain, (domain.name, domain.ascii)


# A frozen slotted dataclass pickles by a __setstate__ in Python that calls fields() per object;
# its constructor is about half as dear (0.9 against 1.9 s of the importing process's time per
# 100,000 records, benchmarks/README.md).
_DISPATCH = {**copyreg.dispatch_table, SiteRecord: _record_reduce, Domain: _domain_reduce}


def _dumps(message: tuple) -> bytes:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _DISPATCH
    pickler.dump(message)
    return buffer.getvalue()


def _child(answers, watched, path: str, sheet, mapping, limits: ReadLimits, streamed: bool) -> None:
    """The child's work: read the list, sending each progress report and chunk as it comes, then
    the result or the error. Exits as soon as the caller's end of ``watched`` closes."""
    threading.Thread(target=_watch, args=(watched,), name="caller-watch", daemon=True).start()

    def send(kind: str, value) -> None:
        answers.send_bytes(_dumps((kind, value)))

    try:
        result = read_site_list(path, sheet=sheet, mapping=mapping, limits=limits,
                                on_progress=lambda p: send("progress", p),
                                on_records=(lambda records: send("records", records)) if streamed else None)
    except BaseException as err:   # handed to the caller, which raises it again
        remote = traceback.format_exc()
        try:
            message = _dumps(("error", (err, remote)))
        except Exception:   # an error that does not pickle goes as its text
            message = _dumps(("error", (RuntimeError(f"{type(err).__name__}: {err}"), remote)))
        try:
            answers.send_bytes(message)
        except OSError:   # the caller is gone (the watch thread ends the process too)
            os._exit(1)
        return
    send("result", result)


def _watch(watched) -> None:
    """In the child: end the process when the caller's end of ``watched`` closes (the caller
    closes it when done, and the system when the caller dies)."""
    try:
        watched.recv_bytes()
    except (EOFError, OSError):
        pass
    os._exit(1)
