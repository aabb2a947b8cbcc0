"""A report as a list of blocks, rendered to Markdown (figures beside it) and to one
self-contained HTML page (figures embedded as base64 PNGs).

The HTML page opens with a table of contents of its sections (``h2``) and subsections
(``h3``), each linked to its heading.

Blocks are tuples: ``("h1" | "h2" | "h3", text)``, ``("p", text)``, ``("ul", [items])``,
``("table", header, rows)``, ``("img", path, caption)``, ``("details", summary, [blocks])``.
Text may use ``**bold**`` and ``code`` spans (rendered in HTML as such).
"""
from __future__ import annotations

import base64
import html
import os
import pathlib
import re

__all__ = ["markdown", "page"]

_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 1250px; margin: 2em auto; padding: 0 1em;
       color: #222; line-height: 1.45; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.85em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right; }
th { background: #f2f2f2; } td:first-child, th:first-child { text-align: left; }
img { max-width: 100%; border: 1px solid #eee; }
figure { margin: 1em 0; } figcaption { color: #555; font-size: 0.9em; }
code { background: #f5f5f5; padding: 0 0.2em; }
details { margin: 0.6em 0; } summary { cursor: pointer; font-weight: 600; }
nav.toc { background: #f8f8f8; border: 1px solid #e4e4e4; padding: 0.4em 1.2em;
          margin: 1em 0; font-size: 0.92em; }
nav.toc ul { margin: 0.2em 0; padding-left: 1.2em; } nav.toc li ul { columns: 3; }
"""


def markdown(blocks, base: pathlib.Path) -> str:
    """Markdown text; image paths relative to ``base`` (the Markdown file's folder)."""
    out = []
    for block in blocks:
        kind = block[0]
        if kind in ("h1", "h2", "h3"):
            out.append("#" * int(kind[1]) + " " + block[1])
        elif kind == "p":
            out.append(block[1])
        elif kind == "ul":
            out.append("\n".join(f"- {item}" for item in block[1]))
        elif kind == "table":
            header, rows = block[1], block[2]
            lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
            lines += ["| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |"
                      for row in rows]
            out.append("\n".join(lines))
        elif kind == "img":
            relative = pathlib.Path(os.path.relpath(block[1], base)).as_posix()
            out.append(f"![{block[2]}]({relative})\n\n*{block[2]}*")
        elif kind == "details":
            out.append(f"**{block[1]}**\n\n" + markdown(block[2], base))
    return "\n\n".join(out) + "\n"


def _inline(text: str) -> str:
    text = html.escape(text, quote=False)
    text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
    return re.sub(r"`(.+?)`", r"<code>\1</code>", text)


def _anchors(blocks) -> dict:
    """A unique ``id`` for every ``h2`` and ``h3`` block (keyed by ``id(block)``)."""
    ids, used = {}, set()
    for block in blocks:
        if block[0] in ("h2", "h3"):
            base = re.sub(r"[^a-z0-9]+", "-", block[1].lower()).strip("-") or "section"
            anchor, n = base, 1
            while anchor in used:
                n += 1
                anchor = f"{base}-{n}"
            used.add(anchor)
            ids[id(block)] = anchor
    return ids


def _toc(blocks, ids) -> str:
    """The table of contents: sections, each with its subsections."""
    items, current = [], None
    for block in blocks:
        if block[0] == "h2":
            current = [f'<a href="#{ids[id(block)]}">{_inline(block[1])}</a>', []]
            items.append(current)
        elif block[0] == "h3" and current is not None:
            current[1].append(f'<a href="#{ids[id(block)]}">{_inline(block[1])}</a>')
    if not items:
        return ""
    body = "".join(f"<li>{link}" + ("<ul>" + "".join(f"<li>{s}</li>" for s in subs)
                                    + "</ul>" if subs else "") + "</li>"
                   for link, subs in items)
    return f'<nav class="toc"><strong>Contents</strong><ul>{body}</ul></nav>'


def _html(blocks, ids=None) -> list[str]:
    ids = {} if ids is None else ids
    out = []
    for block in blocks:
        kind = block[0]
        if kind in ("h2", "h3") and id(block) in ids:
            out.append(f'<{kind} id="{ids[id(block)]}">{_inline(block[1])}</{kind}>')
        elif kind in ("h1", "h2", "h3"):
            out.append(f"<{kind}>{_inline(block[1])}</{kind}>")
        elif kind == "p":
            out.append(f"<p>{_inline(block[1])}</p>")
        elif kind == "ul":
            out.append("<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in block[1]) + "</ul>")
        elif kind == "table":
            head = "".join(f"<th>{_inline(h)}</th>" for h in block[1])
            body = "".join("<tr>" + "".join(f"<td>{_inline(str(c))}</td>" for c in row) +
                           "</tr>" for row in block[2])
            out.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        elif kind == "img":
            data = base64.b64encode(pathlib.Path(block[1]).read_bytes()).decode("ascii")
            caption = html.escape(block[2])
            out.append(f'<figure><img src="data:image/png;base64,{data}" alt="{caption}">'
                       f"<figcaption>{caption}</figcaption></figure>")
        elif kind == "details":
            out.append(f"<details><summary>{_inline(block[1])}</summary>"
                       + "\n".join(_html(block[2])) + "</details>")
    return out


def page(blocks, title: str) -> str:
    """A complete, self-contained HTML document, with a table of contents after its first
    heading (or at the top)."""
    ids = _anchors(blocks)
    parts = _html(blocks, ids)
    toc = _toc(blocks, ids)
    if toc:
        first = 1 if blocks and blocks[0][0] == "h1" else 0
        parts.insert(first + (1 if len(blocks) > first and blocks[first][0] == "p" else 0),
                     toc)
    body = "\n".join(parts)
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{html.escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n"
            f"<body>\n{body}\n</body>\n</html>\n")
