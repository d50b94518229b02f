"""The agreement as a document to take away, in HTML and PDF, once the talks have ended.

Every seat and the facilitator get the same document, so it is built from what every seat
sees: the agenda's labels, who sits at the table, how the talks ended, and the public messages
(frameworks tabled, endorsements given in public, frameworks that bind). Never a value, a
reservation or a private word.

The PDF is drawn with fpdf2 in fonts of the system: DejaVu Sans for Latin, Greek and Cyrillic
text, and a CJK font (WenQuanYi Micro Hei, Debian's ``fonts-wqy-microhei``, or Noto Sans CJK)
for Chinese labels. A document that needs a font the server lacks is refused (503, the HTML
holds the same text) rather than printed with blanks.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from parley.engine.messages import ENGINE, Kind, Message, Outcome
from parley.errors import ConflictError, UnavailableError
from parley.outcomes import OutcomeSpace

if TYPE_CHECKING:
    from parley.server.rooms import Room

LATIN_FONTS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
)
CJK_FONTS = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
)
HOW = {
    "agreement": "Agreement reached",
    "adjourned": "Adjourned, to meet again",
    "deadline": "No agreement: the deadline passed",
    "walk-away": "No agreement: a party walked away",
    "cancelled": "No agreement: the talks were cancelled",
    "ended-by-facilitator": "Ended by the facilitator",
}
CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
"""The HTML document's content policy: its own inline style, nothing else (no scripts)."""


@dataclass(frozen=True)
class Term:
    """One issue of the agenda and what the talks settled on it (None: left open)."""

    issue: str
    option: str | None


@dataclass(frozen=True)
class Endorsement:
    """A public step towards the text: a framework tabled, endorsed in public, or binding."""

    round: int
    who: str
    what: str


@dataclass(frozen=True)
class Document:
    title: str
    outcome: str
    reason: str
    principals: tuple[str, ...]
    mediator: str | None
    others: tuple[tuple[str, str], ...]
    """Third parties, spoilers and advisers seated: (name, role)."""
    terms: tuple[Term, ...]
    endorsements: tuple[Endorsement, ...]
    rounds: int
    issued: str
    session_id: str


def document(room: Room) -> Document:
    """The agreement document of ``room``'s ended talks (409 before their end)."""
    session = room.session
    if session.ended is None:
        raise ConflictError("the agreement document exists once the talks have ended")
    result = session.result()
    space = room.scenario.space
    settled: tuple[int | None, ...] = result.settled or tuple(
        result.agreement or (None,) * len(space.issues)
    )
    terms = tuple(
        Term(issue.name, None if option is None else issue.describe(option))
        for issue, option in zip(space.issues, settled, strict=True)
    )
    roles = {p.name: p.role for p in room.scenario.parties}
    others = tuple(
        (name, roles[name])
        for name in room.seats
        if roles.get(name) not in ("principal", "mediator")
    )
    return Document(
        title=room.scenario.title,
        outcome=HOW.get(result.ended, result.ended),
        reason=result.reason,
        principals=tuple(session.principals),
        mediator=session.mediator,
        others=others,
        terms=terms,
        endorsements=tuple(_endorsements(session.transcript, space)),
        rounds=result.rounds,
        issued=datetime.now(UTC).strftime("%d %B %Y"),
        session_id=room.id,
    )


def _endorsements(messages: list[Message], space: OutcomeSpace) -> list[Endorsement]:
    """Frameworks tabled, endorsements and bindings, from the public messages only."""
    found = []
    for m in messages:
        if not m.public:
            continue
        if m.kind == Kind.FRAMEWORK and m.outcome is not None:
            covers = str(m.data.get("covers") or "")
            text = f"tabled a framework: {_package(space, m.outcome, covers)}"
            found.append(Endorsement(m.round, m.sender, text))
        elif m.kind == Kind.ENDORSE and m.outcome is not None:
            found.append(Endorsement(m.round, m.sender, f"endorsed {_package(space, m.outcome)}"))
        elif m.kind == Kind.EVENT and m.data.get("event") == "bound":
            by = str(m.data.get("by", ""))
            found.append(Endorsement(m.round, "every principal", f"endorsed {by}'s framework: "
                                     f"{m.data.get('items', '')} bind the agreement"))
        elif m.kind == Kind.AGREEMENT and m.sender == ENGINE:
            found.append(Endorsement(m.round, "every principal", "accepted the package"))
    return found


def _package(space: OutcomeSpace, outcome: Outcome, covers: str = "") -> str:
    only = {c.strip() for c in covers.split(",") if c.strip()}
    return "; ".join(
        f"{issue.name}: {issue.describe(option)}"
        for issue, option in zip(space.issues, outcome, strict=True)
        if not only or issue.id in only
    )


def _lines(doc: Document) -> list[tuple[str, str]]:
    """The document as (style, text) lines, shared by both renderings: "h1", "h2", "p", "li"."""
    lines = [("h1", doc.title), ("p", f"{doc.outcome}: {doc.reason}.")]
    lines.append(("h2", "Parties"))
    lines += [("li", f"{name} (principal)") for name in doc.principals]
    if doc.mediator:
        lines.append(("li", f"{doc.mediator} (mediator)"))
    lines += [("li", f"{name} ({role})") for name, role in doc.others]
    agreed = [t for t in doc.terms if t.option is not None]
    lines.append(("h2", "The agreed text, issue by issue" if agreed else "The agreed text"))
    if not agreed:
        lines.append(("p", "No issue was agreed."))
    lines += [("li", f"{t.issue}: {t.option if t.option else 'open (not agreed)'}")
              for t in doc.terms if agreed]
    lines.append(("h2", "Who endorsed what"))
    if not doc.endorsements:
        lines.append(("p", "No framework was tabled or endorsed in public."))
    lines += [("li", f"Round {e.round}: {e.who} {e.what}") for e in doc.endorsements]
    lines.append(("h2", "Record"))
    lines.append(("p", f"{doc.rounds} round(s). Session {doc.session_id}. Issued {doc.issued} "
                       "(UTC) from the talks' transcript."))
    return lines


def to_html(doc: Document) -> str:
    """A printable HTML page (no script; its own inline style)."""
    body, in_list = [], False
    for style, text in _lines(doc):
        if style == "li" and not in_list:
            body.append("<ul>")
        if style != "li" and in_list:
            body.append("</ul>")
        in_list = style == "li"
        body.append(f"<{style}>{html.escape(text)}</{style}>")
    if in_list:
        body.append("</ul>")
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(doc.title)}: agreement</title>"
        "<style>body{font-family:'DejaVu Sans',sans-serif;max-width:42rem;margin:2rem auto;"
        "padding:0 1rem;line-height:1.5;color:#111}h1{font-size:1.6rem}h2{font-size:1.15rem;"
        "margin-top:1.5rem;border-bottom:1px solid #999}li{margin:.2rem 0}"
        "@media print{body{margin:0}}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


def to_pdf(doc: Document) -> bytes:
    """The same lines as a PDF (A4)."""
    from fpdf import FPDF  # imported here: only this download needs it

    lines = _lines(doc)
    latin = _first(LATIN_FONTS)
    if latin is None:
        raise UnavailableError("this server has no Unicode font for PDF (fonts-dejavu-core); "
                               "download the HTML document instead")
    pdf = FPDF(format="A4")
    pdf.set_margins(20, 20, 20)
    pdf.add_font("body", fname=str(latin))
    if any(_wide(text) for _, text in lines):
        cjk = _first(CJK_FONTS)
        if cjk is None:
            raise UnavailableError("this server has no CJK font for PDF (fonts-wqy-microhei); "
                                   "download the HTML document instead")
        pdf.add_font("cjk", fname=str(cjk))
        pdf.set_fallback_fonts(["cjk"])
    pdf.set_title(f"{doc.title}: agreement")
    pdf.set_creator("Parley")
    pdf.add_page()
    sizes = {"h1": 18.0, "h2": 13.0, "p": 11.0, "li": 11.0}
    for style, text in lines:
        pdf.set_font("body", size=sizes[style])
        if style == "h2":
            pdf.ln(3)
        shown = f"\u2022 {text}" if style == "li" else text
        pdf.multi_cell(0, sizes[style] * 0.55, shown, new_x="LMARGIN", new_y="NEXT")
        if style == "h1":
            pdf.ln(2)
    return bytes(pdf.output())


def _first(paths: tuple[Path, ...]) -> Path | None:
    return next((p for p in paths if p.is_file()), None)


def _wide(text: str) -> bool:
    """Does ``text`` hold CJK characters (which DejaVu Sans lacks)?"""
    return any("\u2e80" <= c <= "\u9fff" or "\uac00" <= c <= "\ud7af" or "\uf900" <= c <= "\uffef"
               for c in text)

