"""The exit codes of every ``kyotei`` command, in one table.

A scheduled task or a script decides what to do from the exit code alone, so
one number means one thing whichever command returns it.  docs/reference.md
("Exit codes") shows the same table, and ``tests/test_exit_codes.py`` runs
every command into each code it documents.

Errors carry their code (:attr:`kyotei_docs.errors.KyoteiError.exit_code`),
so a command raises and the one handler in :mod:`kyotei_docs.commands.failures`
prints the message and exits with it.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """What a finished ``kyotei`` command tells its caller."""

    #: everything asked was done (or there was nothing to do)
    OK = 0
    #: findings (a proposal needs correction, a template has errors) or a refused request;
    #: nothing was changed
    FINDINGS = 1
    #: the command line is wrong (click's own convention): unknown option, missing argument, bad value
    USAGE = 2
    #: an input file (Form 1, proposal JSON, items file) cannot be read, or a file or folder named
    #: on the command line cannot be used (not found, no permission, a file where a folder is needed)
    UNREADABLE = 3
    #: the configuration file is missing or holds an invalid value
    CONFIG = 4
    #: the agreement registry cannot be used (missing, damaged, newer, busy, read-only, not ours)
    REGISTRY = 5
    #: documents could not be made: LibreOffice missing, a PDF conversion or a render failed
    #: (whatever could be done — the .docx, the registry change — is done)
    DOCUMENTS = 6
    #: some submissions of the drop folder wait for a retry (kept; retried on the next pass)
    RETRY = 7
    #: the drop folder or its journal cannot be used (missing, unreachable, no permission)
    FOLDER = 8
    #: another instance is processing the drop folder
    LOCKED = 9
    #: an unexpected error (a bug); ``--debug`` shows the traceback
    INTERNAL = 10
    #: stopped at once by a second Ctrl+C
    INTERRUPTED = 130


#: one line per code for ``docs/reference.md`` and the tests (English; docs/staff.md explains them to staff)
MEANINGS: dict[ExitCode, str] = {
    ExitCode.OK: "done (or nothing to do)",
    ExitCode.FINDINGS: "findings or refused; nothing changed",
    ExitCode.USAGE: "usage error (unknown option, missing argument, invalid value)",
    ExitCode.UNREADABLE: "an input file cannot be read, or a named file or folder cannot be used",
    ExitCode.CONFIG: "configuration file missing or invalid",
    ExitCode.REGISTRY: "registry unusable",
    ExitCode.DOCUMENTS: "documents not made: LibreOffice missing, a PDF or a render failed",
    ExitCode.RETRY: "some submissions wait for a retry",
    ExitCode.FOLDER: "drop folder or journal unusable",
    ExitCode.LOCKED: "another instance holds the drop folder",
    ExitCode.INTERNAL: "unexpected error (run again with --debug)",
    ExitCode.INTERRUPTED: "stopped at once by a second Ctrl+C",
}
