"""The Typer app and what every command shares: settings, the synced index, query options.

Commands live in ``postctl.cli.<command>``, one module each, registering itself on ``app``; each
is: options → typed query/settings → one core call → a view. No SQL, no sqlite3 and no parsing
there (the import-linter contracts in pyproject.toml hold that). Errors become
one line on stderr, once, in ``_Group``.
"""

from __future__ import annotations

import contextlib
import copy
import enum
import errno
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

import typer

# Typer 0.26+ carries its own copy of Click (typer._click); its exceptions are not click's.
from typer import _click as click
from typer._click import exceptions as click_errors
from typer.core import TyperArgument, TyperGroup

from postctl import __version__
from postctl.config import load_settings, missing_content, undecodable_argument
from postctl.errors import ConfigError, PostctlError, UsageError
from postctl.index.dberrors import DatabaseError, OperationalError

if TYPE_CHECKING:
    from postctl.config import Settings
    from postctl.index.store import Index
    from postctl.index.sync import Derivation
    from postctl.query.filters import Query

# query.filters is imported where used: with the regular expressions it compiles at import, it
# was 22 M of the 339 M instructions `postctl --version` ran (callgrind).


GLOBAL_OPTIONS = ("content", "db", "wpm", "no_color", "pager")


class _Argument(TyperArgument):
    """An argument named in the usage line as a plain word (``TITLE``), not Typer's ``{TITLE}``."""

    def make_metavar(self, ctx: click.Context, *, usage: bool = False) -> str:
        var = super().make_metavar(ctx, usage=usage)
        return var[1:-1] if usage and var.startswith("{") and var.endswith("}") else var


def _late_global(ctx: click.Context, param: click.Parameter, value: Any) -> None:
    """A global option given after the subcommand (``postctl check --content _posts FILE``, as a
    pre-commit ``args:`` line passes it): it overrides the same option given before."""
    if value is None or value == param.default or param.name is None:
        return
    ctx.meta[f"postctl.{param.name}"] = value
    state = ctx.find_object(State)
    if state is not None:
        setattr(state, param.name, value)


def _fit(group: click.Command, cmd: click.Command | None) -> click.Command | None:
    """A subcommand, taking the global options too (after its name) and naming its arguments
    as plain words in its usage line; done once per command."""
    if cmd is None or getattr(cmd, "_postctl_ready", False):
        return cmd
    names = {p.name for p in cmd.params}
    for param in group.params:
        if param.name in GLOBAL_OPTIONS and param.name not in names:
            late = copy.copy(param)
            late.expose_value = False
            late.callback = _late_global
            cmd.params.append(late)
    for param in cmd.params:
        if type(param) is TyperArgument:
            param.__class__ = _Argument
    cmd._postctl_ready = True  # type: ignore[attr-defined]
    return cmd


class _Group(TyperGroup):
    """The root command: one error style for every failure, global options everywhere."""

    def main(self, args: Any = None, *rest: Any, **kwargs: Any) -> Any:
        """Refuse an argument that is not UTF-8 (a Latin-1 file name from a shell or from
        pre-commit) before it reaches SQLite, which cannot take it; write Click's usage errors
        in postctl's one style, ``postctl: error: …``, with the help command to run."""
        bad = undecodable_argument(sys.argv[1:] if args is None else args)
        if bad is not None:
            sys.stderr.write(f'postctl: error: the argument "{bad}" is not valid UTF-8 text\n')
            sys.exit(2)
        _click_style_completion()
        if not kwargs.get("standalone_mode", True):
            return super().main(args, *rest, **kwargs)
        kwargs["standalone_mode"] = False
        try:
            result = super().main(args, *rest, **kwargs)
        except click.ClickException as e:
            sys.stderr.write(f"postctl: error: {click_error(e)}\n")
            sys.exit(e.exit_code)
        except typer.Abort:
            sys.stderr.write("postctl: error: aborted\n")
            sys.exit(130)
        # Not standalone, Typer returns an Exit's code: a command itself returns None.
        sys.exit(result if isinstance(result, int) else 0)

    def list_commands(self, ctx: typer.Context) -> list[str]:  # type: ignore[override]
        """Every command (all modules loaded), in the order of COMMAND_MODULES, then of
        registration, whatever order a test process happened to import them in."""
        from postctl.cli import COMMAND_MODULES

        self._load(COMMAND_MODULES)
        rank = {f"postctl.cli.{m}": i for i, m in enumerate(COMMAND_MODULES)}
        registered = []
        for info in app.registered_commands:
            if info.callback is not None:
                name = info.name or typer.main.get_command_name(info.callback.__name__)
                registered.append((rank.get(info.callback.__module__, len(rank)), name))
        for group in app.registered_groups:  # categories, tags: beside their module's commands
            sub = group.typer_instance
            if sub is None or not isinstance(sub.info.name, str):
                continue
            home = sub.registered_callback.callback if sub.registered_callback else None
            if home is None and sub.registered_commands:
                home = sub.registered_commands[0].callback
            module = home.__module__ if home is not None else ""
            registered.append((rank.get(module, len(rank)), sub.info.name))
        ordered = [name for _, name in sorted(registered, key=lambda r: r[0])]
        return [*ordered, *(n for n in self.commands if n not in ordered)]

    def get_command(self, ctx: typer.Context, name: str) -> Any:  # type: ignore[override]
        """The command, its module imported and its click command built on first use."""
        from postctl.cli import COMMAND_HOME, COMMAND_MODULES

        if name not in self.commands and name in COMMAND_HOME:
            self._load((COMMAND_HOME[name],))
        if name not in self.commands:  # not in COMMAND_HOME, or moved: look everywhere
            self._load(COMMAND_MODULES)
        return _fit(self, super().get_command(ctx, name))

    def _load(self, modules: tuple[str, ...]) -> None:
        """Import command modules (each registers its commands on ``app``) and add the click
        commands not built yet."""
        import importlib

        for module in modules:
            importlib.import_module(f"postctl.cli.{module}")
        if len(self.commands) < len(app.registered_commands) + len(app.registered_groups):
            for name, cmd in typer.main.get_group(app).commands.items():
                self.commands.setdefault(name, cmd)

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except PostctlError as e:
            sys.stderr.write(f"postctl: error: {_inert(e.message)}\n")
            ctx.exit(e.exit_code)
        except OperationalError as e:
            sys.stderr.write(f"postctl: error: index: {_inert(str(e))}\n")
            ctx.exit(2)
        except BrokenPipeError:
            # The reader went away (`postctl list | head`): not an error. Point stdout at
            # /dev/null so the interpreter's final flush does not complain, and exit 0.
            discard_stdout()
            ctx.exit(0)
        except OSError as e:
            # Output that cannot be written (disk full); or a file error no layer expected:
            # one line either way, never a traceback.
            if e.errno in OUTPUT_ERRNOS and e.filename is None:
                discard_stdout()
            sys.stderr.write(f"postctl: error: {output_error(e)}\n")
            ctx.exit(2)


OUTPUT_ERRNOS = frozenset(
    getattr(errno, name)
    for name in ("ENOSPC", "EIO", "EDQUOT", "EFBIG", "EBADF")
    if hasattr(errno, name)
)


def output_error(e: OSError) -> str:
    """The words for an OSError that reached the edge: a write to stdout, or a named file."""
    reason = e.strerror or str(e)
    if e.filename is not None:
        return _inert(f"{e.filename}: {reason}")
    return f"cannot write the output: {reason}"


def discard_stdout() -> None:
    """Point stdout at /dev/null, dropping what is buffered: the interpreter's final flush then
    succeeds instead of printing a second error."""
    import os

    try:
        fd = sys.stdout.fileno()
    except (OSError, ValueError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)
    with contextlib.suppress(OSError, ValueError):
        sys.stdout.flush()


_COMPLETE_VAR = "_POSTCTL_COMPLETE"


def _click_style_completion() -> None:
    """Click 8 names completion requests ``bash_complete``, Typer ``complete_bash``: take both."""
    import os

    shell, _, instruction = os.environ.get(_COMPLETE_VAR, "").partition("_")
    if shell in ("bash", "zsh", "fish", "powershell", "pwsh") and instruction:
        os.environ[_COMPLETE_VAR] = f"{instruction}_{shell}"


def click_error(e: click.ClickException) -> str:
    """Click's message as one line in postctl's words, with the help to read for usage errors."""
    message = " ".join(e.format_message().split()).rstrip(".")
    for theirs, ours in _CLICK_WORDS:
        message = message.replace(theirs, ours)
    message = re.sub(r" \(did you mean one of ([^,()]+)\)", r"; did you mean \1?", message)
    if message[:1].isupper() and not message[1:2].isupper():
        message = message[0].lower() + message[1:]
    ctx = getattr(e, "ctx", None)
    if isinstance(e, click_errors.UsageError) and ctx is not None:
        message += f"; see '{ctx.command_path} --help'"
    return message


_CLICK_WORDS = (
    ("is not a valid int range", "is not a whole number"),
    ("is not a valid integer", "is not a whole number"),
    ("the range x>=", "the range >= "),
    (". (Possible options:", " (did you mean one of"),
    (" (Possible options:", " (did you mean one of"),
    (". Did you mean", "; did you mean"),
)


def examples(*lines: str) -> str:
    """An epilog for ``--help``: real command lines, kept as written (Click's \\b)."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


app = typer.Typer(
    cls=_Group,
    name="postctl",
    help="A command-line content manager for blogs kept as a folder of Markdown posts.",
    epilog=examples(
        "postctl init",
        "postctl list --category performance",
        'postctl search "connection pool" --limit 5',
    ),
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class ListFormat(enum.StrEnum):
    cards = "cards"
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    paths = "paths"


class NamesFormat(enum.StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


class ReportFormat(enum.StrEnum):
    text = "text"
    json = "json"


@dataclass
class State:
    content: str | None = None
    db: str | None = None
    wpm: int | None = None
    no_color: bool = False
    pager: bool = True
    _settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings(content=self.content, db=self.db, wpm=self.wpm)
            for w in self._settings.warnings:
                warn(w, self.no_color)
        return self._settings


def _inert(text: str) -> str:
    """render.inert, imported when first needed (start-up time)."""
    from postctl.render.inert import inert

    return inert(text)


def warn(text: str, no_color: bool = False) -> None:
    """One line on stderr; what it quotes from a post is made inert (render.inert)."""
    sys.stderr.write(f"postctl: warning: {_inert(text)}\n")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"postctl {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    content: Annotated[
        str | None,
        typer.Option(
            "--content",
            metavar="DIR",
            help="Content folder [env: POSTCTL_CONTENT; default: articles]",
        ),
    ] = None,
    db: Annotated[
        str | None,
        typer.Option(
            "--db", metavar="PATH", help="Index file [env: POSTCTL_DB; default: .postctl/index.db]"
        ),
    ] = None,
    wpm: Annotated[
        int | None,
        typer.Option(
            "--wpm", min=1, metavar="N", help="Reading speed in words per minute [default: 238]"
        ),
    ] = None,
    no_color: Annotated[
        bool,
        typer.Option(
            "--no-color",
            help="No colour, bold or links, even on a terminal (NO_COLOR removes colour only).",
        ),
    ] = False,
    pager: Annotated[
        bool,
        typer.Option(
            "--pager/--no-pager",
            help="Long output on a terminal through $POSTCTL_PAGER, $PAGER or less.",
        ),
    ] = True,
    version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Index a folder of Markdown posts into SQLite and answer from the index."""
    ctx.obj = State(content=content, db=db, wpm=wpm, no_color=no_color, pager=pager)


def state_of(ctx: typer.Context) -> State:
    obj = ctx.find_object(State)
    if obj is None:  # pragma: no cover - the callback always sets it
        obj = State()
        ctx.obj = obj
    return obj


@contextlib.contextmanager
def progress(
    state: State, label: str
) -> Iterator[tuple[Callable[[int], None], Callable[[int], None]]]:
    """(start(total), advance(n)) for long work: a bar on a terminal's stderr; elsewhere no-ops,
    and rich is not even imported."""
    if not sys.stderr.isatty():
        yield _ignore, _ignore
        return
    from postctl.render import terminal as render

    with render.progress(render.console(stderr=True, no_color=state.no_color), label) as calls:
        yield calls


def _ignore(_n: int) -> None:
    pass


def synced_index(
    state: State,
    rebuild: bool = False,
    report_to: list[Any] | None = None,
    derive: tuple[Derivation, ...] = (),
) -> Index:
    """Open the index and bring it up to date with the content folder (``derive``: what else to
    compute for each post parsed, see index.sync.Derivation)."""
    from postctl.index.store import open_synced

    settings = state.settings
    if not settings.content_dir.is_dir():
        # Before the index is opened: a command that cannot start writes nothing (no
        # .postctl/ beside a mistyped --content, no index of the wrong folder).
        raise ConfigError(missing_content(settings))

    def _warn(text: str) -> None:
        warn(text, state.no_color)

    ix, report = open_synced(
        settings, _warn, rebuild=rebuild, derive=derive, bar=lambda: progress(state, "indexing")
    )
    if report_to is not None:
        report_to.append(report)
    else:
        for skip in report.new_skips:
            warn(f"skipped {shown_skip(settings, skip)}")
    return ix


def shown_skip(settings: Settings, skip: Any) -> str:
    return f"{settings.rel(settings.content_dir / skip.path)}{str(skip)[len(skip.path) :]}"


# --------------------------------------------------------------------------- completion


def complete(ctx: click.Context, kind: str, incomplete: str) -> list[tuple[str, str]]:
    """Shell completion values from the index (synced first, quietly); none, never an error or a
    message, when there is no index to ask. ``kind``: categories, tags, slugs, sort, where."""
    import io

    from postctl.query import completion

    root = ctx.find_root()
    opts = {name: root.params.get(name) for name in ("content", "db", "wpm")}
    for name in opts:
        late = ctx.meta.get(f"postctl.{name}")
        if late is not None:
            opts[name] = late
    state = State(content=opts["content"], db=opts["db"], wpm=opts["wpm"])
    try:
        with contextlib.redirect_stderr(io.StringIO()):
            ix = synced_index(state)
        try:
            if kind in ("categories", "tags"):
                table = "post_categories" if kind == "categories" else "post_tags"
                return completion.names(ix, table, incomplete)
            if kind == "slugs":
                return completion.slugs(ix, incomplete)
            if kind == "sort":
                return completion.sort_keys(ix, incomplete)
            return completion.where_terms(ix, incomplete)
        finally:
            ix.close()
    except (PostctlError, DatabaseError, OSError):
        return []


# --------------------------------------------------------------------------- query options


MAX_LIMIT = 2**62  # "--limit 99999999999999999999" means "all": SQLite's integers are 64-bit


def schedule_now(state: State) -> str | None:
    """The current UTC instant where the site's generator schedules posts (Hugo's publishDate
    and expiryDate, Jekyll's future dates): posts not yet or no longer out count with the
    drafts. None elsewhere."""
    import datetime as dt

    site = state.settings.site
    if site is None or not site.dialect.schedules:
        return None
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def build_query(
    category: list[str] | None,
    tag: list[str] | None,
    where: list[str] | None,
    since: str | None,
    until: str | None,
    drafts: bool,
    all_posts: bool,
    sort: list[str] | None = None,
    limit: int | None = None,
    now: str | None = None,
) -> Query:
    """Raw options → a typed Query (tested on its own). ``now``: see :func:`schedule_now`."""
    from postctl.query.filters import Condition, Drafts, Query, Sort, check_date

    if drafts and all_posts:
        raise UsageError("--drafts and --all exclude each other")
    q = Query(
        categories=[c for c in (category or []) if c.strip()],
        tags=[t for t in (tag or []) if t.strip()],
        where=[Condition.parse(w) for w in (where or [])],
        since=check_date("--since", since),
        until=check_date("--until", until),
        drafts=Drafts.ALL if all_posts else Drafts.DRAFTS if drafts else Drafts.PUBLISHED,
        limit=None if limit is None else min(limit, MAX_LIMIT),
        now=now,
    )
    if sort:
        q.sort = [Sort.parse(s) for s in sort]
    return q


CategoryOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--category",
        "-c",
        metavar="NAME",
        help="Only this category (repeatable: all must match).",
        autocompletion=lambda ctx, incomplete: complete(ctx, "categories", incomplete),
    ),
]
TagOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--tag",
        "-t",
        metavar="TAG",
        help="Only posts with this tag (repeatable: all must match).",
        autocompletion=lambda ctx, incomplete: complete(ctx, "tags", incomplete),
    ),
]
WhereOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--where",
        "-w",
        metavar="KEY[OP]VALUE",
        help="Filter on any front-matter key or sort key: key=value, key!=value, key~=text "
        "(contains), key<value, key>value, or key (present); nested keys as extra.key.",
        autocompletion=lambda ctx, incomplete: complete(ctx, "where", incomplete),
    ),
]
SinceOpt = Annotated[
    str | None, typer.Option("--since", metavar="DATE", help="Posts dated on or after DATE.")
]
UntilOpt = Annotated[
    str | None, typer.Option("--until", metavar="DATE", help="Posts dated on or before DATE.")
]
DraftsOpt = Annotated[bool, typer.Option("--drafts", help="Only drafts.")]
AllOpt = Annotated[bool, typer.Option("--all", help="Published posts and drafts.")]

# Each filter option: its type with the option, and its default.
FILTER_OPTIONS: dict[str, tuple[Any, Any]] = {
    "category": (CategoryOpt, None),
    "tag": (TagOpt, None),
    "where": (WhereOpt, None),
    "since": (SinceOpt, None),
    "until": (UntilOpt, None),
    "drafts": (DraftsOpt, False),
    "all_posts": (AllOpt, False),
}


@dataclass(frozen=True)
class Filters:
    """The filter options a command was given (see :func:`filter_options`)."""

    category: list[str] | None = None
    tag: list[str] | None = None
    where: list[str] | None = None
    since: str | None = None
    until: str | None = None
    drafts: bool = False
    all_posts: bool = False

    def query(self, state: State, sort: list[str] | None = None, limit: int | None = None) -> Query:
        """The typed Query, posts scheduled for later counted as the site's generator does."""
        return build_query(**vars(self), sort=sort, limit=limit, now=schedule_now(state))


def filter_options(
    *names: str,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A command's ``filters: Filters`` parameter, in its signature, becomes the filter options
    ``names`` (default: all of FILTER_OPTIONS) at that place; the command receives them as one
    Filters. One definition of each option's flags, help and completion, as sqlite-utils'
    ``@output_options`` is for click; Typer reads a command's options from its signature."""
    import functools
    import inspect

    chosen = names or tuple(FILTER_OPTIONS)

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        sig = inspect.signature(fn, eval_str=True)
        params: list[inspect.Parameter] = []
        for param in sig.parameters.values():
            if param.name != "filters":
                params.append(param)
                continue
            for name in chosen:
                annotation, default = FILTER_OPTIONS[name]
                kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
                params.append(inspect.Parameter(name, kind, default=default, annotation=annotation))

        @functools.wraps(fn)
        def command(*args: Any, **kwargs: Any) -> Any:
            given = {name: kwargs.pop(name) for name in chosen}
            return fn(*args, filters=Filters(**given), **kwargs)

        command.__signature__ = sig.replace(parameters=params)  # type: ignore[attr-defined]
        return command

    return decorate


# Every editing command's (postctl.cli.edit, and the rename|merge|rm of tags and categories).
DryRunOpt = Annotated[
    bool, typer.Option("--dry-run", "-n", help="Print the change as a unified diff; write nothing.")
]
YesOpt = Annotated[
    bool, typer.Option("--yes", "-y", help="Write without asking, however many files.")
]
IntoOpt = Annotated[str, typer.Option("--into", metavar="NAME", help="The name they become.")]
