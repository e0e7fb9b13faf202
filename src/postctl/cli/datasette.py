"""`postctl datasette-metadata`: metadata.json for browsing the index with Datasette."""

from __future__ import annotations

import json

import typer

from postctl.cli.app import app, examples, state_of


@app.command(
    "datasette-metadata",
    epilog=examples(
        "postctl datasette-metadata > metadata.json",
        "postctl --db site.db datasette-metadata",
    ),
)
def datasette_metadata_cmd(ctx: typer.Context) -> None:
    """Print Datasette metadata for the index: described tables, views and facets.

    Then: datasette .postctl/index.db -m metadata.json"""
    import os

    from postctl.index.metadata import datasette_metadata

    settings = state_of(ctx).settings
    database = settings.db_path.name.rsplit(".", 1)[0]
    content = os.path.relpath(settings.content_dir, settings.root).replace(os.sep, "/")
    data = datasette_metadata(database, content)
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
