"""Small SVG charts for the indicators report: drawn here, as text, so the report is one
self-contained file that opens anywhere and needs nothing fetched or installed.

Colours and type follow the GOV.UK Design System (blue for this authority, black for
England) so the charts read as part of the same page.
"""

from __future__ import annotations

from html import escape

BLUE = "#1d70b8"
BLACK = "#0b0c0c"
GREY = "#b1b4b6"
FONT = 'font-family="Arial, sans-serif" font-size="14"'
WIDTH, HEIGHT = 480, 220
LEFT, RIGHT, TOP, BOTTOM = 64, 48, 20, 40


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}".rstrip("0").rstrip(".")


def _scale_top(values: list[float]) -> float:
    """A round top for the value axis, so gridlines fall on plain numbers."""
    highest = max([*values, 1e-9])
    for power in range(-2, 7):
        for step in (1, 2, 2.5, 5):
            top = step * 10.0**power
            if top >= highest * 1.1:
                return top
    return highest * 1.1


def trend(
    title: str, years: list[str], values: list[float | None], england: list[float | None]
) -> str:
    """This authority's figure year by year as a line; England's as a black bar in each
    year DfE published it (marks, not a line: most are published for the latest year
    only, and a line would claim England stood still)."""
    known = [v for v in [*values, *england] if v is not None]
    top = _scale_top(known)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(years) - 1, 1)

    def y(value: float) -> float:
        return TOP + plot_h * (1 - value / top)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for tick in (0, top / 2, top):
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            f'stroke="{GREY}"/><text x="{LEFT - 6}" y="{y(tick) + 5:.1f}" text-anchor="end" '
            f'{FONT} fill="{BLACK}">{_number(tick)}</text>'
        )
    for index, year in enumerate(years):
        parts.append(
            f'<text x="{LEFT + index * step:.1f}" y="{HEIGHT - 14}" text-anchor="middle" '
            f'{FONT} fill="{BLACK}">{escape(year)}</text>'
        )
    for index, national in enumerate(england):
        if national is not None:
            at = LEFT + index * step
            parts.append(
                f'<line x1="{at - 14:.1f}" x2="{at + 14:.1f}" y1="{y(national):.1f}" '
                f'y2="{y(national):.1f}" stroke="{BLACK}" stroke-width="4"/>'
            )
    points = [(LEFT + i * step, y(v)) for i, v in enumerate(values) if v is not None]
    if len(points) > 1:
        path = " ".join(f"{x:.1f},{yy:.1f}" for x, yy in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{BLUE}" stroke-width="3"/>')
    parts += [f'<circle cx="{x:.1f}" cy="{yy:.1f}" r="5" fill="{BLUE}"/>' for x, yy in points]
    parts.append("</svg>")
    return "".join(parts)


def shares(title: str, groups: list[str], values: list[float], england: list[float | None]) -> str:
    """Each group's share this year as a bar, with England's share marked across it."""
    row = 28
    label_w = 190
    height = TOP + row * len(groups) + 8
    top = _scale_top([*values, *[e for e in england if e is not None]])
    plot_w = WIDTH - label_w - RIGHT - 40

    def x(value: float) -> float:
        return label_w + plot_w * value / top

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for index, (group, value, national) in enumerate(zip(groups, values, england, strict=True)):
        top_y = TOP + index * row
        beyond = x(max(value, national or 0.0)) + 8
        parts.append(
            f'<text x="{label_w - 8}" y="{top_y + 15}" text-anchor="end" {FONT} '
            f'fill="{BLACK}">{escape(group.replace("_", " "))}</text>'
            f'<rect x="{label_w}" y="{top_y + 2}" width="{x(value) - label_w:.1f}" height="18" '
            f'fill="{BLUE}"/><text x="{beyond:.1f}" y="{top_y + 15}" {FONT} '
            f'fill="{BLACK}">{_number(value)}</text>'
        )
        if national is not None:
            parts.append(
                f'<line x1="{x(national):.1f}" x2="{x(national):.1f}" y1="{top_y}" '
                f'y2="{top_y + 22}" stroke="{BLACK}" stroke-width="3"/>'
            )
    parts.append("</svg>")
    return "".join(parts)


PALETTE = (
    "#1d70b8",
    "#f47738",
    "#00703c",
    "#912b88",
    "#28a197",
    "#d4351c",
    "#5694ca",
    "#d53880",
    "#b58840",
    "#ffdd00",
    "#6f72af",
    "#4c2c92",
    "#505a5f",
)
"""GOV.UK Design System colours, one per group of a mix (no indicator has more groups)."""


def mix(title: str, authorities: list[str], groups: list[str], values: list[list[float]]) -> str:
    """Each authority's share out among the groups, as one bar to 100% each, with a key:
    how several authorities' children divide, side by side."""
    row, label_w, key_row = 30, 150, 22
    plot_w = WIDTH - label_w - 16
    bars_h = TOP + row * len(authorities)
    height = bars_h + 8 + key_row * len(groups)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for index, (authority, shares_of) in enumerate(zip(authorities, values, strict=True)):
        top_y, left = TOP + index * row, float(label_w)
        parts.append(
            f'<text x="{label_w - 8}" y="{top_y + 16}" text-anchor="end" {FONT} '
            f'fill="{BLACK}">{escape(authority)}</text>'
        )
        for colour, share in zip(_colours(len(groups)), shares_of, strict=True):
            width = plot_w * share / 100
            parts.append(
                f'<rect x="{left:.1f}" y="{top_y + 2}" width="{width:.1f}" height="20" '
                f'fill="{colour}"/>'
            )
            left += width
    for index, (group, colour) in enumerate(zip(groups, _colours(len(groups)), strict=True)):
        key_y = bars_h + 8 + index * key_row
        parts.append(
            f'<rect x="{label_w}" y="{key_y}" width="14" height="14" fill="{colour}"/>'
            f'<text x="{label_w + 20}" y="{key_y + 12}" {FONT} fill="{BLACK}">'
            f"{escape(group.replace('_', ' '))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _colours(count: int) -> list[str]:
    return [PALETTE[index % len(PALETTE)] for index in range(count)]
