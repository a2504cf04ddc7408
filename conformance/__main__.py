"""Command line: prepare the engine, images and tools ahead of a run; re-render or compare reports."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from conformance.backend.build import ImageBuildError
from conformance.backend.engine import EngineUnavailable, ensure_engine
from conformance.backend.images import IMAGE_SOURCES, ensure_image, stale_images
from conformance.backend.staging import ToolError, stage
from conformance.catalogue.targets import TARGETS
from conformance.matrix.selection import SelectionError, parse_names
from conformance.record.document import DocumentError, load_document
from conformance.record.merge import MergeError, merge
from conformance.report.diff import diff_documents, render_diff_markdown
from conformance.report.write import write_reports


def _prepare(args: argparse.Namespace) -> int:
    targets = parse_names("--targets", args.targets, list(TARGETS)) or list(TARGETS)
    client = ensure_engine()
    for name in targets:
        built = ensure_image(client, TARGETS[name], args.image_source)
        state = "cached" if built.cached else f"built in {built.seconds:.0f} s"
        print(f"{name}: {built.tag} ({state})")
    toolset = stage({"uv": args.uv_version, "pip-latest": args.pip_latest_version})
    versions = ", ".join(f"{name} {version}" for name, version in toolset.versions.items())
    print(f"tools: {versions}, staged in {toolset.root}")
    return 0


def _prune(args: argparse.Namespace) -> int:
    client = ensure_engine()
    for tag in stale_images(client):
        client.images.remove(tag, force=True)
        print(f"removed {tag}")
    return 0


def _render(args: argparse.Namespace) -> int:
    document = load_document(Path(args.matrix))
    for path in write_reports(document, Path(args.out or Path(args.matrix).parent)):
        print(f"wrote {path}")
    return 0


def _diff(args: argparse.Namespace) -> int:
    old, new = (load_document(Path(p)) for p in (args.old, args.new))
    print(render_diff_markdown(diff_documents(old, new)), end="")
    return 0


def _shard_path(shard: str) -> Path:
    """A shard's matrix.json, named itself or by the directory holding it (a downloaded artifact)."""
    path = Path(shard)
    return path / "matrix.json" if path.is_dir() else path


def _merge(args: argparse.Namespace) -> int:
    document = merge([load_document(_shard_path(shard)) for shard in args.shards])
    print(
        f"merged {len(document.run.shards)} shards, {len(document.cells)} cells, into run {document.run.id}"
    )
    for path in write_reports(document, Path(args.out)):
        print(f"wrote {path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m conformance", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    prepare = commands.add_parser(
        "prepare", help="start the engine, build target images, stage the installers"
    )
    prepare.add_argument("--targets", default=None, help="comma-separated targets (default: all)")
    prepare.add_argument("--image-source", choices=IMAGE_SOURCES, default="local")
    prepare.add_argument("--uv-version", default=None)
    prepare.add_argument("--pip-latest-version", default=None)
    prepare.set_defaults(run=_prepare)
    prune = commands.add_parser("prune", help="remove target images an older recipe built")
    prune.set_defaults(run=_prune)
    render = commands.add_parser("render", help="write summary.md and index.html from a matrix.json")
    render.add_argument("matrix")
    render.add_argument("--out", default=None, help="output directory (default: beside matrix.json)")
    render.set_defaults(run=_render)
    diff = commands.add_parser("diff", help="added, deleted and changed cells between two matrix.json files")
    diff.add_argument("old")
    diff.add_argument("new")
    diff.set_defaults(run=_diff)
    merging = commands.add_parser(
        "merge", help="one document, of one run, from the matrix.json of several runs (shards)"
    )
    merging.add_argument("shards", nargs="+", help="matrix.json files, or directories holding one")
    merging.add_argument("-o", "--out", required=True, help="where matrix.json and the pages go")
    merging.set_defaults(run=_merge)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        code: int = args.run(args)
    except (
        EngineUnavailable,
        ImageBuildError,
        ToolError,
        SelectionError,
        DocumentError,
        MergeError,
        OSError,
    ) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return code


if __name__ == "__main__":
    sys.exit(main())
