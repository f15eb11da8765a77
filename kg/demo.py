"""What ``make demo`` runs: ingest the sample corpus and write the outputs."""

from __future__ import annotations

from pathlib import Path

from .errors import InputError

__all__ = ["run_demo"]


def run_demo(*, articles: Path, output: Path, store: Path, console) -> dict:
    """Ingest ``articles`` into ``store`` and write graph.html, graph.trig, summary.txt."""
    from .analytics import entity_graph
    from .ingest import read_paths
    from .pipeline import ingest_articles
    from .stats import format_stats, store_stats
    from .store import open_store
    from .viz import render_html

    if not articles.is_dir():
        raise InputError(f"{articles}: sample corpus folder not found")
    output.mkdir(parents=True, exist_ok=True)
    items = list(read_paths([articles]))
    from .resolve import Resolver

    with open_store(store) as st:
        report = ingest_articles(items, st, resolver=Resolver.load(st))
        console.print(
            f"ingested {len(report.ingested) + len(report.replaced)}, unchanged {len(report.unchanged)}, "
            f"skipped {len(report.skipped)} from {articles}"
        )
        for skip in report.skipped:
            console.print(f"  skipped {skip.path}: {skip.reason}", markup=False)
        trig = output / "graph.trig"
        st.dump(str(trig), "trig")
        g = entity_graph(st)
        html = render_html(g, output / "graph.html", title="kg: sample corpus")
        from .report import write_report

        report_index = write_report(st, output / "report", top=500)
        s = store_stats(st)
        summary = output / "summary.txt"
        summary.write_text(format_stats(s) + "\n", encoding="utf-8")
    console.print(format_stats(s), highlight=False)
    console.print(
        f"\nstore    {store}\ngraph    {html}\nreport   {report_index}\nexport   {trig}\nsummary  {summary}"
    )
    return {"html": html, "trig": trig, "summary": summary, "report": report_index, "stats": s}
