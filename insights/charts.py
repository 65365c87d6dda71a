"""Inline SVG charts (no scripts, no network): columns per day, horizontal bars, stacked yes/no bars."""

from html import escape
from typing import Callable, List, Sequence, Tuple

BLUE, ORANGE, GREEN, RED, GREY = "#3b6fb6", "#e8912d", "#3c9d5d", "#c8453c", "#888888"
FONT = 'font-family="system-ui, sans-serif" font-size="12"'


def _svg(chart_id: str, title: str, width: int, height: int, body: List[str]) -> str:
    return (
        f'<svg class="chart" data-chart="{chart_id}" role="img" aria-label="{escape(title)}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def empty(message: str = "No data for this period.") -> str:
    return f'<p class="empty">{escape(message)}</p>'


def _bar(x: float, y: float, w: float, h: float, color: str, value: float, label: str) -> str:
    tip = escape(f"{label}: {value:g}")
    return (
        f'<rect class="bar" data-value="{value:g}" data-label="{escape(label)}" x="{x:.1f}" y="{y:.1f}" '
        f'width="{max(w, 0):.1f}" height="{max(h, 0):.1f}" fill="{color}"><title>{tip}</title></rect>'
    )


def columns(chart_id: str, title: str, labels: Sequence[str], series: Sequence[Tuple[str, Sequence[float], str]]) -> str:
    """Grouped vertical bars: one group per label (e.g. a day), one bar per series, with a legend."""
    if not labels:
        return empty()
    top = max([v for _, values, _ in series for v in values] + [1])
    group_w = max(28, 18 * len(series) + 10)
    left, bottom, plot_h = 40, 60, 180
    # At least wide enough for the legend, however few days there are.
    width = max(left + group_w * len(labels) + 40, left + 130 * len(series) + 20)
    height = plot_h + bottom + 30
    body = [f'<line x1="{left}" y1="{30 + plot_h}" x2="{width - 10}" y2="{30 + plot_h}" stroke="{GREY}"/>']
    body.append(f'<text {FONT} x="{left - 6}" y="34" text-anchor="end">{top:g}</text>')
    body.append(f'<text {FONT} x="{left - 6}" y="{30 + plot_h}" text-anchor="end">0</text>')
    for i, label in enumerate(labels):
        x0 = left + i * group_w + 5
        for j, (name, values, color) in enumerate(series):
            h = plot_h * values[i] / top
            body.append(_bar(x0 + j * 18, 30 + plot_h - h, 16, h, color, values[i], f"{label} {name}"))
        body.append(
            f'<text {FONT} x="{x0 + 8}" y="{30 + plot_h + 14}" transform="rotate(35 {x0 + 8} {30 + plot_h + 14})">'
            f"{escape(label)}</text>"
        )
    for j, (name, _, color) in enumerate(series):
        body.append(f'<rect x="{left + j * 130}" y="8" width="12" height="12" fill="{color}"/>')
        body.append(f'<text {FONT} x="{left + j * 130 + 16}" y="18">{escape(name)}</text>')
    return _svg(chart_id, title, width, height, body)


def bars(
    chart_id: str,
    title: str,
    rows: Sequence[Tuple[str, float]],
    color: str = BLUE,
    fmt: Callable[[float], str] = lambda v: f"{v:g}",
    scale_max: float = 0.0,
) -> str:
    """Horizontal bars with the label left and the value right of each bar."""
    if not rows:
        return empty()
    top = max([v for _, v in rows] + [scale_max, 1e-9])
    label_w, plot_w, row_h = 300, 360, 24
    height = row_h * len(rows) + 10
    body = []
    for i, (label, value) in enumerate(rows):
        y = 5 + i * row_h
        shown = label if len(label) <= 45 else label[:44] + "…"
        body.append(f'<text {FONT} x="{label_w - 8}" y="{y + 15}" text-anchor="end">{escape(shown)}</text>')
        w = plot_w * value / top
        body.append(_bar(label_w, y + 3, w, row_h - 6, color, value, label))
        body.append(f'<text {FONT} x="{label_w + w + 6}" y="{y + 15}">{escape(fmt(value))}</text>')
    return _svg(chart_id, title, label_w + plot_w + 70, height, body)


def stacked(chart_id: str, title: str, rows: Sequence[Tuple[str, float, float]], names: Tuple[str, str]) -> str:
    """Horizontal bars split in two parts (e.g. helpful yes in green, no in red), with a legend."""
    if not rows:
        return empty()
    top = max([a + b for _, a, b in rows] + [1])
    label_w, plot_w, row_h = 300, 360, 24
    height = row_h * len(rows) + 34
    body = []
    for j, (name, color) in enumerate(zip(names, (GREEN, RED))):
        body.append(f'<rect x="{label_w + j * 120}" y="4" width="12" height="12" fill="{color}"/>')
        body.append(f'<text {FONT} x="{label_w + j * 120 + 16}" y="14">{escape(name)}</text>')
    for i, (label, yes, no) in enumerate(rows):
        y = 28 + i * row_h
        body.append(f'<text {FONT} x="{label_w - 8}" y="{y + 15}" text-anchor="end">{escape(label)}</text>')
        w_yes, w_no = plot_w * yes / top, plot_w * no / top
        if yes:
            body.append(_bar(label_w, y + 3, w_yes, row_h - 6, GREEN, yes, f"{label} {names[0]}"))
        if no:
            body.append(_bar(label_w + w_yes, y + 3, w_no, row_h - 6, RED, no, f"{label} {names[1]}"))
        body.append(f'<text {FONT} x="{label_w + w_yes + w_no + 6}" y="{y + 15}">{yes:g} / {no:g}</text>')
    return _svg(chart_id, title, label_w + plot_w + 80, height, body)
