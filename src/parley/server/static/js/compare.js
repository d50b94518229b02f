// Comparing two packages of the record: pick any two, see issue by issue what changed.

import { el, fill, freshId } from "./dom.js";
import { headline, optionShort, when } from "./format.js";
import { label, t } from "./i18n.js";

/** The record's messages that carry a package, as choices ("#12 · round 2 · Iran proposes → Oman"). */
function choices(messages) {
  return messages.filter((m) => m.package).map((m) => ({ seq: String(m.seq), text: `#${m.seq} · ${when(m)} · ${headline(m)}`, pkg: m.package }));
}

/** The issue-by-issue table of `a` against `b`; changed rows are marked in words, not colour alone. */
export function diffTable(agenda, a, b, { headA, headB }) {
  let changed = 0;
  const rows = agenda.map((issue) => {
    const before = a[issue.name];
    const after = b[issue.name];
    const differs = String(before) !== String(after);
    if (differs) changed += 1;
    const show = (value) => (value === undefined ? "—" : optionShort(issue, value));
    return el(
      "tr",
      { class: differs ? "changed" : "same", dataset: { issue: issue.name } },
      el("th", { scope: "row" }, label(issue)),
      el("td", {}, show(before)),
      el("td", {}, show(after)),
      el("td", { class: "mark" }, differs ? t("compare.changed") : t("compare.same")),
    );
  });
  const table = el(
    "table",
    { class: "diff" },
    el("caption", {}, t("compare.summary", { changed, total: agenda.length })),
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, t("profile.issue")), el("th", { scope: "col" }, headA), el("th", { scope: "col" }, headB), el("th", { scope: "col" }, t("compare.what")))),
    el("tbody", {}, rows),
  );
  return el("div", { class: "scroll" }, table);
}

/** A card to compare any two packages of the record: {element, update(messages)}. */
export function comparePanel(agenda) {
  const firstId = freshId("compare-a");
  const secondId = freshId("compare-b");
  const first = el("select", { id: firstId, class: "compare-a" });
  const second = el("select", { id: secondId, class: "compare-b" });
  const out = el("div", { class: "compare-out", "aria-live": "polite" });
  let options = [];
  let touched = false; // until the reader picks, the comparison follows the newest two
  const picked = () => {
    touched = true;
    draw();
  };
  first.addEventListener("change", picked);
  second.addEventListener("change", picked);
  function draw() {
    const a = options.find((o) => o.seq === first.value);
    const b = options.find((o) => o.seq === second.value);
    fill(out, a && b ? diffTable(agenda, a.pkg, b.pkg, { headA: `#${a.seq}`, headB: `#${b.seq}` }) : el("p", { class: "hint" }, t("compare.need-two")));
  }
  const element = el(
    "details",
    { class: "card compare", id: "compare" },
    el("summary", {}, el("h2", { id: "compare-head" }, t("compare.title"))),
    el("div", { class: "compare-pick" },
      el("div", { class: "field" }, el("label", { for: firstId }, t("compare.first")), first),
      el("div", { class: "field" }, el("label", { for: secondId }, t("compare.second")), second)),
    out,
  );
  return {
    element,
    update(messages) {
      const next = choices(messages);
      if (next.length === options.length) return;
      const keepA = first.value;
      const keepB = second.value;
      options = next;
      for (const [select, keep, fallback] of [[first, keepA, next.length - 2], [second, keepB, next.length - 1]]) {
        fill(select, next.map((o) => el("option", { value: o.seq }, o.text)));
        const at = next[Math.max(0, fallback)];
        select.value = touched && next.some((o) => o.seq === keep) ? keep : at ? at.seq : "";
      }
      draw();
    },
  };
}
