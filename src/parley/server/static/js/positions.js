// The mediator's side-by-side view of where each principal stands: its latest package (proposed,
// countered or accepted), what moved since its package before, and where the sides already meet.

import { el, fill } from "./dom.js";
import { optionShort, when } from "./format.js";
import { label, partyName, t } from "./i18n.js";

const STANDS = new Set(["propose", "counter", "accept"]);

/** `party`'s packages in the record, oldest first (what it proposed, countered or accepted). */
export function positionsOf(messages, party) {
  return messages.filter((m) => m.sender === party && m.package && STANDS.has(m.kind));
}

/** The card: {element, update(messages, principals)}; `latest()` gives [{party, message}]. */
export function positionsPanel(agenda) {
  const body = el("div", { id: "positions-body" });
  const element = el(
    "section",
    { class: "card", id: "positions", "aria-labelledby": "positions-head" },
    el("h2", { id: "positions-head" }, t("positions.title")),
    body,
  );
  let latest = [];
  return {
    element,
    latest: () => latest,
    update(messages, principals) {
      const each = principals.map((party) => {
        const own = positionsOf(messages, party);
        return { party, message: own[own.length - 1] || null, before: own[own.length - 2] || null };
      });
      latest = each.filter((p) => p.message);
      if (!latest.length) {
        fill(body, el("p", { class: "hint" }, t("positions.none")));
        return;
      }
      const head = el("tr", {}, el("th", { scope: "col" }, t("profile.issue")),
        each.map(({ party, message }) => el("th", { scope: "col" }, partyName(party), message ? el("span", { class: "when" }, ` #${message.seq} · ${when(message)}`) : null)),
        each.length === 2 ? el("th", { scope: "col" }, t("positions.gap")) : null);
      const rows = agenda.map((issue) => {
        const cells = each.map(({ message, before }) => {
          if (!message) return el("td", {}, "—");
          const now = message.package[issue.name];
          const was = before ? before.package[issue.name] : undefined;
          const moved = before && String(was) !== String(now);
          return el("td", { class: moved ? "moved" : "" }, optionShort(issue, now),
            moved ? el("span", { class: "was" }, t("positions.was", { option: "" }), optionShort(issue, was)) : null);
        });
        const both = each.every((p) => p.message);
        const meet = both && each.length === 2 && String(each[0].message.package[issue.name]) === String(each[1].message.package[issue.name]);
        const gap = each.length === 2 ? el("td", { class: meet ? "meet" : "apart" }, both ? (meet ? t("positions.meet") : t("positions.apart")) : "—") : null;
        return el("tr", { dataset: { issue: issue.name } }, el("th", { scope: "row" }, label(issue)), cells, gap);
      });
      fill(body, el("div", { class: "scroll" }, el("table", { class: "positions" }, el("thead", {}, head), el("tbody", {}, rows))),
        el("p", { class: "hint" }, t("positions.hint")));
    },
  };
}
