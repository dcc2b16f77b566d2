"""Small charts drawn on the server as inline SVG: no script, no request, a few hundred bytes
each, the same in a printed page.

Each bar carries its value as text, and the bars are dark on white with an outline, so that a
chart stays readable printed in black and white. Right to left, the bars are drawn from the
right: the positions are mirrored here, text included, rather than the drawing flipped by CSS
(which would mirror the letters). The SVG sets its own direction so that the text anchors mean
the same in both (an inline SVG would otherwise inherit the page's `dir`).
"""

import html

from django.utils.translation import get_language_bidi

from relais.core.money import format_number

WIDTH = 320
LABEL = 92  # the labels' column, then the bars', then the values'
BAR = 160
ROW = 22
HEIGHT = 13


def escape(value):
    return html.escape(str(value))


def percent_text(value):
    """`42,5 %` as the page's language writes it; a dash for no value."""
    if value is None:
        return "—"
    return f"{format_number(value, 1)}\N{NO-BREAK SPACE}%"


def _x(x, width=0, rtl=False):
    """The x of a box at `x` from the start side, `width` wide, for the page's direction."""
    return WIDTH - x - width if rtl else x


def bars(rows, title, rtl=None):
    """Horizontal bars, one per (label, percentage or None) of `rows`, each with its value
    written after it; a percentage over 100 fills the bar and is marked. `title` names the
    chart for screen readers."""
    rtl = get_language_bidi() if rtl is None else rtl
    start, end = ("end", "start") if rtl else ("start", "end")
    height = ROW * len(rows) + 2
    out = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" direction="ltr" role="img" '
        f'aria-label="{escape(title)}">'
    ]
    for index, (label, value) in enumerate(rows):
        y = index * ROW + 2
        text_y = y + HEIGHT - 2
        width = 0 if value is None else round(BAR * min(max(value, 0), 100) / 100, 1)
        over = " o" if value is not None and value > 100 else ""
        out.append(
            f'<text x="{_x(0, rtl=rtl)}" y="{text_y}" text-anchor="{start}">{escape(label)}</text>'
            f'<rect class="t" x="{_x(LABEL, BAR, rtl)}" y="{y}" width="{BAR}" height="{HEIGHT}"/>'
        )
        if width:
            out.append(
                f'<rect class="f{over}" x="{_x(LABEL, width, rtl)}" y="{y}" width="{width}" '
                f'height="{HEIGHT}"/>'
            )
        out.append(
            f'<text x="{_x(WIDTH, rtl=rtl)}" y="{text_y}" text-anchor="{end}">'
            f"{escape(percent_text(value))}</text>"
        )
    out.append("</svg>")
    return "".join(out)


def gauge(shares, title, rtl=None):
    """The funding gauge: the budget's whole width, and over it what was announced, confirmed
    and disbursed (`shares`: {name: 0 to 100}), lightest to darkest, each drawn from the start
    side. What no contribution covers is the white part: the gap."""
    rtl = get_language_bidi() if rtl is None else rtl
    out = [
        f'<svg class="chart gauge-chart" viewBox="0 0 {WIDTH} 20" direction="ltr" role="img" '
        f'aria-label="{escape(title)}"><rect class="t" x="0.5" y="0.5" width="{WIDTH - 1}" '
        'height="19"/>'
    ]
    for name in ("announced", "confirmed", "disbursed"):
        width = round((WIDTH - 1) * min(max(shares.get(name, 0), 0), 100) / 100, 1)
        if width:
            out.append(
                f'<rect class="{name[0]}" x="{_x(0.5, width, rtl)}" y="0.5" width="{width}" '
                'height="19"/>'
            )
    out.append("</svg>")
    return "".join(out)
