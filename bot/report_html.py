"""The report as one self-contained HTML page with inline SVG charts (no network, no files)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape

from crm_memory.reports import Report

WIDTH = 560
BAR_HEIGHT = 22
COLOURS = ("#2f6fde", "#e0792f", "#2faa6b", "#c7374f", "#8451c9", "#7a8a99")


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.1f}%"


def _minutes(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds / 60:.1f} min"


def _empty(message: str) -> str:
    return f'<p class="empty">{escape(message)}</p>'


def bar_chart(name: str, title: str, items: Sequence[tuple[str, float]], unit: str = "") -> str:
    """Horizontal bars, one per item, longest first as given."""
    if not items:
        return f'<figure class="chart" id="{name}"><figcaption>{escape(title)}</figcaption>' + (
            _empty("nothing in this period") + "</figure>"
        )
    label_width = 200
    top = max(value for _, value in items) or 1.0
    height = BAR_HEIGHT * len(items) + 10
    rows = []
    for i, (label, value) in enumerate(items):
        y = 5 + i * BAR_HEIGHT
        length = (WIDTH - label_width - 70) * value / top
        shown = f"{value:g}{unit}"
        rows.append(
            f'<text x="{label_width - 6}" y="{y + 15}" text-anchor="end">{escape(label)}</text>'
            f'<rect class="bar" x="{label_width}" y="{y + 3}" width="{length:.1f}" height="16"'
            f' fill="{COLOURS[i % len(COLOURS)]}"><title>{escape(label)}: {shown}</title></rect>'
            f'<text x="{label_width + length + 6:.1f}" y="{y + 15}">{escape(shown)}</text>'
        )
    return (
        f'<figure class="chart" id="{name}"><figcaption>{escape(title)}</figcaption>'
        f'<svg role="img" aria-label="{escape(title)}" width="{WIDTH}" height="{height}"'
        f' viewBox="0 0 {WIDTH} {height}">{"".join(rows)}</svg></figure>'
    )


def line_chart(name: str, title: str, points: Sequence[tuple[str, float]], top: float) -> str:
    """A line over days, with a dot per day (CSAT over time, 1-5)."""
    if not points:
        return (
            f'<figure class="chart" id="{name}"><figcaption>{escape(title)}</figcaption>'
            + _empty("no ratings in this period")
            + "</figure>"
        )
    height, left, bottom = 220, 40, 30
    inner_w, inner_h = WIDTH - left - 20, height - bottom - 15
    step = inner_w / max(len(points) - 1, 1)

    def xy(i: int, value: float) -> tuple[float, float]:
        return left + i * step, 15 + inner_h * (1 - value / top)

    coords = [xy(i, v) for i, (_, v) in enumerate(points)]
    grid = "".join(
        f'<line x1="{left}" x2="{WIDTH - 20}" y1="{xy(0, g)[1]:.1f}" y2="{xy(0, g)[1]:.1f}"'
        f' stroke="#ddd"/><text x="{left - 6}" y="{xy(0, g)[1] + 4:.1f}" text-anchor="end">'
        f"{g:g}</text>"
        for g in range(1, int(top) + 1)
    )
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    dots = "".join(
        f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{COLOURS[0]}">'
        f"<title>{escape(day)}: {value:.2f}</title></circle>"
        for (x, y), (day, value) in zip(coords, points, strict=True)
    )
    every = max(1, len(points) // 10)  # at most about ten day labels
    labels = "".join(
        f'<text x="{coords[i][0]:.1f}" y="{height - 8}" text-anchor="middle">'
        f"{escape(day[5:])}</text>"
        for i, (day, _) in enumerate(points)
        if i % every == 0
    )
    return (
        f'<figure class="chart" id="{name}"><figcaption>{escape(title)}</figcaption>'
        f'<svg role="img" aria-label="{escape(title)}" width="{WIDTH}" height="{height}"'
        f' viewBox="0 0 {WIDTH} {height}">{grid}'
        f'<polyline fill="none" stroke="{COLOURS[0]}" stroke-width="2" points="{line}"/>'
        f"{dots}{labels}</svg></figure>"
    )


def _table(title: str, rows: Sequence[tuple[str, str]]) -> str:
    body = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)
    return f"<section><h2>{escape(title)}</h2><table>{body}</table></section>"


def _period(report: Report) -> str:
    def day(value: datetime | None, fallback: str) -> str:
        return value.strftime("%Y-%m-%d %H:%M UTC") if value else fallback

    return f"{day(report.since, 'the beginning')} – {day(report.until, 'now')}"


def render(report: Report, *, company: str, generated: datetime, nonce: str = "") -> str:
    """The whole page; ``nonce`` marks its inline style and script for a page served under a
    Content-Security-Policy (a file written to disk needs none)."""
    mark = f' nonce="{escape(nonce)}"' if nonce else ""
    cards = [
        ("Conversations", str(report.conversations)),
        ("Containment", _pct(report.containment_rate)),
        ("Escalations", str(report.escalations)),
        (
            "CSAT",
            "–" if report.csat_average is None else f"{report.csat_average:.2f} / 5",
        ),
        ("CSAT responses (rate on closed cases)",
         f"{report.csat_responses} ({_pct(report.csat_response_rate)})"),
        ("Fallback rate", _pct(report.fallback_rate)),
    ]
    card_html = "".join(
        f'<div class="card"><div class="value">{escape(v)}</div>'
        f'<div class="label">{escape(k)}</div></div>'
        for k, v in cards
    )
    charts = [
        line_chart(
            "chart-csat",
            "CSAT over time (average rating per day)",
            [(d.day, d.average) for d in report.csat_by_day],
            5.0,
        ),
        bar_chart(
            "chart-intents",
            "Volume by intent (customer messages)",
            [(k, float(v)) for k, v in report.top_intents.items()],
        ),
        bar_chart(
            "chart-escalations",
            "Escalation reasons",
            [(k, float(v)) for k, v in report.escalation_reasons.items()],
        ),
        bar_chart(
            "chart-response-times",
            "Agents' response and resolution times (minutes)",
            [
                (label, round(seconds / 60, 1))
                for label, seconds in (
                    ("first response, median", report.first_response.median_seconds),
                    ("first response, p90", report.first_response.p90_seconds),
                    ("resolution, median", report.resolution.median_seconds),
                    ("resolution, p90", report.resolution.p90_seconds),
                )
                if seconds is not None
            ],
        ),
        bar_chart(
            "chart-complaints",
            "Complaint topics",
            [(k, float(v)) for k, v in report.complaint_topics.items()],
        ),
    ]
    agents = [
        (agent, f"{c.average:.2f} from {c.responses}" if c.average is not None else "–")
        for agent, c in report.csat_by_agent.items()
    ]
    satisfaction = [
        ("all", f"{report.csat_average or 0:.2f} from {report.csat_responses}"),
        ("bot alone", f"{report.csat_bot.average or 0:.2f} from {report.csat_bot.responses}"),
        ("with people", f"{report.csat_human.average or 0:.2f} from {report.csat_human.responses}"),
        *(
            (f"{stars}★", str(report.csat_distribution.get(stars, 0)))
            for stars in range(5, 0, -1)
        ),
        *((f"agent {a}", v) for a, v in agents),
    ]
    feedback = report.feedback
    feedback_rows = [
        ("pieces", str(feedback.count)),
        ("positive / neutral / negative", f"{feedback.positive} / {feedback.neutral} / "
         f"{feedback.negative}"),
        *((f"topic {t.topic}", f"{t.count}, sentiment {t.average_sentiment:+.2f}")
          for t in feedback.topics),
    ]
    cases = [
        *((f"kind {k}", str(v)) for k, v in report.cases_by_kind.items()),
        *((f"status {k}", str(v)) for k, v in report.cases_by_status.items()),
        *((f"priority {k}", str(v)) for k, v in report.cases_by_priority.items()),
        ("first response median / p90", f"{_minutes(report.first_response.median_seconds)} / "
         f"{_minutes(report.first_response.p90_seconds)}"),
        ("resolution median / p90", f"{_minutes(report.resolution.median_seconds)} / "
         f"{_minutes(report.resolution.p90_seconds)}"),
    ]
    segments = [
        *((f"stage {k}", str(v)) for k, v in sorted(report.segments.items())),
        *((f"tier {k}", str(v)) for k, v in sorted(report.tiers.items())),
    ]
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{escape(company)} support report</title>
<style{mark}>
body {{ font-family: system-ui, sans-serif; margin: 2rem; color: #222; max-width: 1200px; }}
h1 {{ margin-bottom: 0; }} .period {{ color: #666; margin-top: .2rem; }}
.cards {{ display: flex; flex-wrap: wrap; gap: 1rem; margin: 1.5rem 0; }}
.card {{ border: 1px solid #ddd; border-radius: 8px; padding: .8rem 1.2rem; min-width: 150px; }}
.card .value {{ font-size: 1.6rem; font-weight: 600; }} .card .label {{ color: #666; }}
.charts {{ display: flex; flex-wrap: wrap; gap: 1.5rem; }}
figure.chart {{ margin: 0; border: 1px solid #eee; border-radius: 8px; padding: 1rem; }}
figcaption {{ font-weight: 600; margin-bottom: .5rem; }}
svg text {{ font-size: 12px; fill: #333; }}
.tables {{ display: flex; flex-wrap: wrap; gap: 2rem; }}
table {{ border-collapse: collapse; }} th, td {{ text-align: left; padding: .2rem .8rem; }}
th {{ font-weight: normal; color: #555; }} .empty {{ color: #888; }}
</style></head>
<body>
<h1>{escape(company)} — customer support report</h1>
<p class="period">{escape(_period(report))} · generated {generated:%Y-%m-%d %H:%M UTC}</p>
<div class="cards">{card_html}</div>
<div class="charts">{"".join(charts)}</div>
<div class="tables">
{_table("Satisfaction", satisfaction)}
{_table("Cases", cases)}
{_table("Feedback", feedback_rows)}
{_table("Customers", segments)}
</div>
<script{mark}>
// Lets a headless browser (and the tests) tell that every chart was laid out.
document.body.dataset.chartsDrawn = [...document.querySelectorAll("figure.chart svg")]
  .filter((svg) => svg.getBoundingClientRect().width > 0).length;
</script>
</body></html>
"""
