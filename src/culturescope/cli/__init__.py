"""The ``culturescope`` command line: the same core as the desktop app.

Each command group lives in its own module with a ``register(subparsers)`` function;
``COMMAND_MODULES`` lists them in the order ``--help`` shows them.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from culturescope import __version__

if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence

COMMAND_MODULES = [
    "culturescope.cli.gui_command",
    "culturescope.cli.demo_command",
    "culturescope.cli.instruments_command",
    "culturescope.cli.campaign_command",
    "culturescope.cli.import_command",
    "culturescope.cli.imports_command",
    "culturescope.cli.bundle_command",
    "culturescope.cli.score_command",
    "culturescope.cli.policies_command",
    "culturescope.cli.signals_command",
    "culturescope.cli.report_command",
    "culturescope.cli.docs_command",
]


def build_parser() -> argparse.ArgumentParser:
    import argparse
    import importlib

    parser = argparse.ArgumentParser(
        prog="culturescope",
        description="Measure safety culture offline and detect safety washing. "
        "With no command, opens the desktop app.",
        epilog="The user guides (importing, signals, JSON formats, confidentiality...) come "
        "with CultureScope: 'culturescope docs' lists them.",
    )
    parser.add_argument("--version", action="version", version=VERSION_LINE)
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        help="database file or SQLAlchemy URL (default: $CULTURESCOPE_DB or the user data folder)",
    )
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="no progress on stderr (nor the 'new database at' notice)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        # No try/except: a misspelt or missing command module must fail here, loudly,
        # rather than drop its commands from the CLI without a word.
        importlib.import_module(name).register(sub)
    return parser


# Files the app opens when given alone: a double-click in the file manager runs
# ``culturescope FILE`` (see packaging/).
DOCUMENT_SUFFIXES = (".cskiosk", ".csbundle")

VERSION_LINE = f"culturescope {__version__}"

#: The thread-count settings of the linear-algebra libraries numpy may be built with
#: (OpenBLAS, as in numpy's wheels; OpenMP builds; MKL; Apple's Accelerate).
BLAS_THREAD_VARIABLES = (
    "OPENBLAS_NUM_THREADS",
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
)


def one_blas_thread() -> None:
    """Let numpy's linear algebra run on one thread unless the user chose otherwise.

    CultureScope's matrices are small (a dimension's items) or reduced once (the item
    covariances): a pool of threads started at numpy's import, spinning between calls,
    cost a cold ``score`` about 0.3 s of CPU and saved it no wall time on 2 CPUs. The libraries read these variables once, when numpy is
    first imported, so this runs first; a variable the user set is kept
    (docs/design/performance.md, "One BLAS thread").
    """
    if "numpy" in sys.modules:  # too late to matter (e.g. main() called from Python)
        return
    for name in BLAS_THREAD_VARIABLES:
        os.environ.setdefault(name, "1")


def main(argv: Sequence[str] | None = None) -> int:
    one_blas_thread()
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv == ["--version"]:
        # What argparse prints for it, without importing argparse and every command module
        # (the frozen bundle and the installed command are timed by benchmarks/).
        print(VERSION_LINE)
        return 0
    if len(argv) == 1 and argv[0].lower().endswith(DOCUMENT_SUFFIXES) and os.path.isfile(argv[0]):
        argv = ["gui", "--open", argv[0]]
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        if "culturescope.cli.gui_command" in sys.modules:
            args = parser.parse_args([*argv, "gui"])
        else:
            parser.print_help()
            return 0
    # After parsing: --version and --help need no log file (nor logging.handlers).
    from culturescope import Cancelled, CultureScopeError
    from culturescope.cli.context import Context
    from culturescope.logs import install_excepthook, log_unexpected, setup_logging

    log_file = setup_logging()
    install_excepthook()
    creates = getattr(args, "creates_database", False)
    ctx = Context(db=args.db, quiet=args.quiet, creates_database=creates)
    # A command that fails removes the database file it started (Context.close).
    failed = True
    try:
        code = int(args.func(args, ctx) or 0)
        failed = code != 0
        sys.stdout.flush()  # a reader that went away shows here, not as noise at exit
        return code
    except Cancelled:
        print("culturescope: cancelled; nothing was changed", file=sys.stderr)
        return 130
    except CultureScopeError as exc:
        print(f"culturescope: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("culturescope: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `culturescope signals ... | head`): stop quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        failed = False  # the work was done; only its report was not read to the end
        return 0
    except MemoryError:
        import logging

        logging.getLogger(__name__).error("out of memory in '%s'", args.command, exc_info=True)
        print(
            "culturescope: error: not enough memory for this; close other programs or use a "
            "smaller file",
            file=sys.stderr,
        )
        return 1
    except Exception as exc:
        # A bug, not the user's input: one line for them, the traceback for support.
        log_unexpected(exc, where=f"the '{args.command}' command")
        where = f"the details are in {log_file}" if log_file else "no log could be written"
        print(
            f"culturescope: error: something unexpected went wrong; {where}",
            file=sys.stderr,
        )
        return 70
    finally:
        ctx.close(failed=failed)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
