// How packages, values and messages read on the page.

import { el } from "./dom.js";
import { label, partyName, shortLabel, t } from "./i18n.js";

/** A utility (0..1 scale) as people read it; a dash when there is none. */
export function worth(value) {
  return typeof value === "number" && Number.isFinite(value) ? value.toFixed(3) : "—";
}

/** The label of option `optionId` of `issue` (the id itself if the agenda has no such option). */
export function optionLabel(issue, optionId) {
  const option = issue.options.find((o) => String(o.id) === String(optionId));
  return option ? label(option) : String(optionId);
}

/** The short label of option `optionId` (full label as its tooltip): for tight places. */
export function optionShort(issue, optionId) {
  const option = issue.options.find((o) => String(o.id) === String(optionId));
  if (!option) return String(optionId);
  return el("span", { title: label(option) }, shortLabel(option));
}

/** A package as a definition list: each issue's name, then the chosen option's label. */
export function packageList(agenda, pkg, className = "package") {
  const list = el("dl", { class: className });
  if (!agenda || !agenda.length) {
    // No agenda at hand (the facilitator's desk): issue ids and option ids as they are.
    for (const [issue, option] of Object.entries(pkg || {})) list.append(el("dt", {}, issue), el("dd", {}, String(option)));
    return list;
  }
  for (const issue of agenda) {
    if (!pkg || !(issue.name in pkg)) continue;
    list.append(el("dt", {}, label(issue)), el("dd", {}, optionLabel(issue, pkg[issue.name])));
  }
  return list;
}

/** What a message's kind does, as words ("proposes", "Outside event"). */
export function verb(kind) {
  const key = `verb.${kind}`;
  const text = t(key);
  return text === key || text === `⟦${key}⟧` ? kind : text;
}

/** "Bill proposes → Mediator" and the like: who did what, to whom. */
export function headline(message) {
  const engine = message.sender === "engine" || message.sender === "world";
  if (engine) return verb(message.kind);
  // Declining a framework carries it (the engine records the text declined); declining to
  // confide carries nothing.
  const does = verb(message.kind === "decline" && message.package ? "decline-framework" : message.kind);
  const to = message.public ? t("msg.everyone") : (message.to || []).map(partyName).join(t("list.sep"));
  const who = partyName(message.sender);
  return to ? t("msg.headline.to", { who, verb: does, to }) : t("msg.headline", { who, verb: does });
}

/** Round and caucus a message belongs to, e.g. "round 2 · caucus: Jack". */
export function when(message) {
  // Scripted phases name a party after a colon ("caucus:Iran", "consult:United States").
  const [kind, party] = (message.phase || "").split(/:(.*)/s);
  const named = party && ["caucus", "consult"].includes(kind) ? t(`msg.${kind}`, { party: partyName(party) }) : message.phase;
  const phase = named ? ` · ${named}` : "";
  return `${t("msg.round", { round: message.round })}${phase}`;
}

/** One message as a list item: headline, its time, its text, its package and its value to me. */
export function messageItem(agenda, message, { showValue = true } = {}) {
  const item = el(
    "li",
    { class: `msg kind-${message.kind}${message.public ? " public" : ""}`, dataset: { seq: message.seq } },
    el("p", { class: "msg-head" }, el("strong", {}, headline(message)), " ", el("span", { class: "when" }, when(message))),
  );
  if (message.text) item.append(el("p", { class: "msg-text" }, message.text));
  if (message.package) {
    item.append(packageList(agenda, message.package));
    if (showValue && typeof message.value === "number") {
      item.append(el("p", { class: "value" }, t("value.to-you"), " ", el("strong", {}, worth(message.value))));
    }
  }
  return item;
}

/** The result of the talks in one sentence, plus the agreement when there is one. */
export function resultBlock(agenda, result, { party = null } = {}) {
  const box = el("section", { class: `result ${result.agreement ? "agreed" : "no-deal"}`, "aria-labelledby": "result-head" });
  const heading = result.agreement ? t("result.agreed") : t("result.no-deal");
  box.append(el("h2", { id: "result-head" }, heading));
  if (result.reason) box.append(el("p", {}, t("result.why", { reason: result.reason })));
  if (result.agreement) box.append(packageList(agenda || [], result.agreement));
  const utilities = result.utilities || {};
  for (const [name, value] of Object.entries(utilities)) {
    const who = name === party ? t("value.to-you") : t("value.to-party", { party: partyName(name) });
    box.append(el("p", { class: "value" }, who, " ", el("strong", {}, worth(value))));
  }
  return box;
}

/** The session's status as words. */
export function statusText(session) {
  const known = ["waiting", "running", "paused", "ended"].includes(session.status);
  const status = known ? t(`status.${session.status}`) : session.status;
  if (session.status === "running" || session.status === "paused" || (session.status === "ended" && session.round)) {
    return `${status} · ${t("status.round", { round: session.round, deadline: session.deadline })}`;
  }
  return status;
}
