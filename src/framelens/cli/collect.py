"""``framelens collect``: gather PDF and HTML documents from the web, politely, with provenance."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from framelens.cli.common import QuietOpt, app, guard


@app.command("collect")
def collect_cmd(
    sources: list[str] = typer.Argument(
        ...,
        help="URL list files (one URL a line, '#' comments, optional country/issuer/doc_type/"
        "date columns after a tab or comma), sitemap or sitemap index URLs, RSS/Atom feed URLs, "
        "or page URLs (with --follow).",
    ),
    out: Path = typer.Option(
        ..., "--out", help="Folder for the documents, manifest.csv and collect_log.csv."
    ),
    follow: str | None = typer.Option(
        None,
        "--follow",
        help="Regex: links of a page to collect (one level); filters sitemap and feed entries.",
    ),
    user_agent: str | None = typer.Option(
        None,
        "--user-agent",
        help="User agent naming you and a contact (robots.txt groups match its first word).",
    ),
    delay: float | None = typer.Option(
        None, "--delay", help="Seconds between two requests to one host (default 1)."
    ),
    retries: int | None = typer.Option(
        None, "--retries", help="Retries after 429/5xx/timeouts (default 3)."
    ),
    backoff: float | None = typer.Option(
        None, "--backoff", help="Seconds before the first retry, doubled each time (default 2)."
    ),
    max_wait: float | None = typer.Option(
        None, "--max-wait", help="Longest Retry-After/Crawl-delay accepted, seconds (default 300)."
    ),
    connect_timeout: float | None = typer.Option(
        None, "--connect-timeout", help="Seconds to connect (default 10)."
    ),
    read_timeout: float | None = typer.Option(
        None, "--read-timeout", help="Seconds to wait for data (default 30)."
    ),
    total_timeout: float | None = typer.Option(
        None, "--total-timeout", help="Seconds for one whole download (default 300)."
    ),
    max_mb: float | None = typer.Option(
        None, "--max-mb", help="Largest document kept, MiB (default 100)."
    ),
    max_redirects: int | None = typer.Option(
        None, "--max-redirects", help="Redirects followed per URL (default 10)."
    ),
    quiet: bool = QuietOpt,
) -> None:
    """Gather PDF and HTML documents from URL lists, sitemaps, feeds or pages into --out, politely
    (robots.txt, per-host delay, retries), with manifest.csv (provenance) and collect_log.csv.
    Exit 0: every URL fetched or not modified; 3: some failed (see collect_log.csv)."""
    from framelens.pipeline.collect import CollectConfig, collect

    settings = {
        "user_agent": user_agent, "delay": delay, "retries": retries, "backoff": backoff,
        "max_wait": max_wait, "connect_timeout": connect_timeout, "read_timeout": read_timeout,
        "total_timeout": total_timeout, "max_redirects": max_redirects,
        "max_bytes": None if max_mb is None else int(max_mb * 1024 * 1024),
    }  # fmt: skip
    cfg = guard(
        lambda: CollectConfig(**{k: v for k, v in settings.items() if v is not None}).validate()
    )
    result = guard(
        lambda: collect(
            sources, out, follow=follow, config=cfg, progress=not quiet, console=Console()
        )
    )
    raise typer.Exit(result.exit_code)
