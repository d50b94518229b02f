"""The agreement as a document to take away, in HTML and PDF, once the talks have ended.

Every seat and the facilitator get the same document, so it is built from what every seat
sees: the agenda's labels, who sits at the table, how the talks ended, and the public messages
(frameworks tabled, endorsements given in public, frameworks that bind). Never a value, a
reservation or a private word.

``lang`` (a seat's language, e.g. "zh") writes the scenario's own words in that language where
the scenario carries them (title, parties, issues, options: ``labels``) and the document's own
words from ``PHRASES`` (English and Chinese); anything without a translation stays as written.

The PDF is drawn with fpdf2 in fonts of the system: DejaVu Sans for Latin, Greek and Cyrillic
text, and a CJK font (WenQuanYi Micro Hei, Debian's ``fonts-wqy-microhei``, or Noto Sans CJK)
for Chinese labels. A document that needs a font the server lacks is refused (503, the HTML
holds the same text) rather than printed with blanks.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from parley.engine.messages import ENGINE, Kind, Message, Outcome
from parley.errors import ConflictError, UnavailableError
from parley.scenario import Scenario

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
PHRASES: dict[str, dict[str, str]] = {
    "en": {
        "agreement": "Agreement reached",
        "adjourned": "Adjourned, to meet again",
        "deadline": "No agreement: the deadline passed",
        "walk-away": "No agreement: a party walked away",
        "cancelled": "No agreement: the talks were cancelled",
        "ended-by-facilitator": "Ended by the facilitator",
        "parties": "Parties",
        "terms": "The agreed text, issue by issue",
        "no-terms": "The agreed text",
        "nothing-agreed": "No issue was agreed.",
        "open": "open (not agreed)",
        "endorsed": "Who endorsed what",
        "none-endorsed": "No framework was tabled or endorsed in public.",
        "record": "Record",
        "issued": "{rounds} round(s). Session {session}. Issued {date} (UTC) from the talks' "
        "transcript.",
        "round": "Round {round}",
        "every-principal": "every principal",
        "document": "agreement",
        "principal": "principal",
        "mediator": "mediator",
        "third-party": "third party",
        "spoiler": "spoiler",
        "adviser": "adviser",
    },
    "zh": {
        "agreement": "达成协议",
        "adjourned": "休会，择日再谈",
        "deadline": "未达成协议：期限已过",
        "walk-away": "未达成协议：一方退出",
        "cancelled": "未达成协议：谈判被取消",
        "ended-by-facilitator": "由主持人结束",
        "parties": "各方",
        "terms": "逐项议定的文本",
        "no-terms": "议定的文本",
        "nothing-agreed": "没有议题达成一致。",
        "open": "未决（未达成一致）",
        "endorsed": "谁认可了什么",
        "none-endorsed": "没有公开提出或认可的框架。",
        "record": "记录",
        "issued": "共{rounds}轮。会谈编号 {session}。据谈判记录于{date}（UTC）出具。",
        "round": "第{round}轮",
        "every-principal": "各主要当事方",
        "document": "协议",
        "principal": "主要当事方",
        "mediator": "调解方",
        "third-party": "第三方",
        "spoiler": "搅局方",
        "adviser": "顾问",
    },
}
"""The document's own words per language (the scenario's words come from its ``labels``); the
actions listed under "who endorsed what" stay in English."""
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
    lang: str = "en"


def document(room: Room, lang: str | None = None) -> Document:
    """The agreement document of ``room``'s ended talks (409 before their end), in ``lang``
    where the scenario and ``PHRASES`` have it."""
    session = room.session
    if session.ended is None:
        raise ConflictError("the agreement document exists once the talks have ended")
    words = Words(room.scenario, lang)
    result = session.result()
    space = room.scenario.space
    settled: tuple[int | None, ...] = result.settled or tuple(
        result.agreement or (None,) * len(space.issues)
    )
    terms = tuple(
        Term(words.issue(j), None if option is None else words.option(j, option))
        for j, option in enumerate(settled)
    )
    roles = {p.name: p.role for p in room.scenario.parties}
    others = tuple(
        (words.party(name), words.phrase(roles[name]))
        for name in room.seats
        if roles.get(name) not in ("principal", "mediator")
    )
    return Document(
        title=words.title(),
        outcome=words.phrase(result.ended),
        reason=result.reason,
        principals=tuple(words.party(p) for p in session.principals),
        mediator=None if session.mediator is None else words.party(session.mediator),
        others=others,
        terms=terms,
        endorsements=tuple(_endorsements(session.transcript, words)),
        rounds=result.rounds,
        issued=datetime.now(UTC).strftime("%Y-%m-%d"),
        session_id=room.id,
        lang=words.lang,
    )


class Words:
    """The scenario's words and the document's phrases in one language (as written where a
    translation is missing)."""

    def __init__(self, scenario: Scenario, lang: str | None) -> None:
        self.scenario = scenario
        self.want = lang or "en"
        self.lang = self.want if self.want in PHRASES else "en"
        self.issues = {doc.id: doc for doc in scenario.doc.issues}
        self.parties = {doc.name: doc for doc in scenario.doc.parties}

    def phrase(self, key: str) -> str:
        return PHRASES[self.lang].get(key) or PHRASES["en"].get(key, key)

    def said(self, labels: Mapping[str, str] | None, plain: str) -> str:
        """``plain`` in the wanted language, if ``labels`` (optional in a scenario) have it."""
        return (labels or {}).get(self.want, plain)

    def title(self) -> str:
        return self.said(self.scenario.doc.labels, self.scenario.title)

    def party(self, name: str) -> str:
        doc = self.parties.get(name)
        return name if doc is None else self.said(doc.labels, name)

    def issue(self, column: int) -> str:
        issue = self.scenario.space.issues[column]
        doc = self.issues.get(issue.id)
        return issue.name if doc is None else self.said(doc.labels, issue.name)

    def option(self, column: int, option: int) -> str:
        issue = self.scenario.space.issues[column]
        plain = issue.describe(option)
        doc = self.issues.get(issue.id)
        value = str(issue.value_of(option))
        found = None if doc is None else next((o for o in doc.options if o.id == value), None)
        translated = None if found is None else (found.labels or {}).get(self.want)
        if found is None or translated is None:
            return plain
        return f"{found.id}: {translated}" if plain.startswith(f"{found.id}: ") else translated

    def package(self, outcome: Outcome, covers: str = "") -> str:
        only = {c.strip() for c in covers.split(",") if c.strip()}
        return "; ".join(
            f"{self.issue(j)}: {self.option(j, option)}"
            for j, option in enumerate(outcome)
            if not only or self.scenario.space.issues[j].id in only
        )


def _endorsements(messages: list[Message], words: Words) -> list[Endorsement]:
    """Frameworks tabled, endorsements and bindings, from the public messages only."""
    found = []
    every = words.phrase("every-principal")
    for m in messages:
        if not m.public:
            continue
        if m.kind == Kind.FRAMEWORK and m.outcome is not None:
            covers = str(m.data.get("covers") or "")
            text = f"tabled a framework: {words.package(m.outcome, covers)}"
            found.append(Endorsement(m.round, words.party(m.sender), text))
        elif m.kind == Kind.ENDORSE and m.outcome is not None:
            text = f"endorsed {words.package(m.outcome)}"
            found.append(Endorsement(m.round, words.party(m.sender), text))
        elif m.kind == Kind.EVENT and m.data.get("event") == "bound":
            by = words.party(str(m.data.get("by", "")))
            text = f"endorsed {by}'s framework: {m.data.get('items', '')} bind the agreement"
            found.append(Endorsement(m.round, every, text))
        elif m.kind == Kind.AGREEMENT and m.sender == ENGINE:
            found.append(Endorsement(m.round, every, "accepted the package"))
    return found


def _lines(doc: Document) -> list[tuple[str, str]]:
    """The document as (style, text) lines, shared by both renderings: "h1", "h2", "p", "li"."""
    say = PHRASES[doc.lang]
    lines = [("h1", doc.title), ("p", f"{doc.outcome}: {doc.reason}.")]
    lines.append(("h2", say["parties"]))
    lines += [("li", f"{name} ({say['principal']})") for name in doc.principals]
    if doc.mediator:
        lines.append(("li", f"{doc.mediator} ({say['mediator']})"))
    lines += [("li", f"{name} ({role})") for name, role in doc.others]
    agreed = [t for t in doc.terms if t.option is not None]
    lines.append(("h2", say["terms"] if agreed else say["no-terms"]))
    if not agreed:
        lines.append(("p", say["nothing-agreed"]))
    lines += [("li", f"{t.issue}: {t.option if t.option else say['open']}")
              for t in doc.terms if agreed]
    lines.append(("h2", say["endorsed"]))
    if not doc.endorsements:
        lines.append(("p", say["none-endorsed"]))
    lines += [("li", f"{say['round'].format(round=e.round)}: {e.who} {e.what}")
              for e in doc.endorsements]
    lines.append(("h2", say["record"]))
    issued = say["issued"].format(rounds=doc.rounds, session=doc.session_id, date=doc.issued)
    lines.append(("p", issued))
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
        f'<!doctype html>\n<html lang="{doc.lang}"><head><meta charset="utf-8">'
        f"<title>{html.escape(doc.title)}: {PHRASES[doc.lang]['document']}</title>"
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
    pdf.set_title(f"{doc.title}: {PHRASES[doc.lang]['document']}")
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

