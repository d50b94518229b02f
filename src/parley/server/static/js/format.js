// How packages, values and messages read on the page.

import { el } from "./dom.js";

/** A utility (0..1 scale) as people read it; a dash when there is none. */
export function worth(value) {
  return typeof value === "number" && Number.isFinite(value) ? value.toFixed(3) : "—";
}

/** The label of option `optionId` of `issue` (the id itself if the agenda has no such option). */
export function optionLabel(issue, optionId) {
  const option = issue.options.find((o) => String(o.id) === String(optionId));
  return option ? option.label : String(optionId);
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
    list.append(el("dt", {}, issue.label), el("dd", {}, optionLabel(issue, pkg[issue.name])));
  }
  return list;
}

const VERBS = {
  propose: "proposes",
  counter: "counters with",
  accept: "accepts",
  reject: "rejects",
  "walk-away": "walks away",
  relay: "carries on",
  reframe: "reframes",
  draft: "tables a draft",
  confide: "confides its profile to the mediator",
  decline: "declines to confide",
  statement: "says",
  event: "Outside event",
  phase: "New phase",
  agreement: "Agreement",
  end: "End of the talks",
};

/** "Bill proposes → Mediator" and the like: who did what, to whom. */
export function headline(message) {
  const engine = message.sender === "engine" || message.sender === "world";
  if (engine) return VERBS[message.kind] || message.kind;
  const to = message.public ? "everyone" : (message.to || []).join(", ");
  const verb = VERBS[message.kind] || message.kind;
  return to ? `${message.sender} ${verb} → ${to}` : `${message.sender} ${verb}`;
}

/** Round and caucus a message belongs to, e.g. "round 2 · caucus: Jack". */
export function when(message) {
  const phase = message.phase ? ` · ${message.phase.replace("caucus:", "caucus: ")}` : "";
  return `round ${message.round}${phase}`;
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
      item.append(el("p", { class: "value" }, "Worth to you: ", el("strong", {}, worth(message.value))));
    }
  }
  return item;
}

/** The result of the talks in one sentence, plus the agreement when there is one. */
export function resultBlock(agenda, result, { party = null } = {}) {
  const box = el("section", { class: `result ${result.agreement ? "agreed" : "no-deal"}`, "aria-labelledby": "result-head" });
  const heading = result.agreement ? "Agreement reached" : "The talks ended without agreement";
  box.append(el("h2", { id: "result-head" }, heading));
  if (result.reason) box.append(el("p", {}, `Why: ${result.reason}.`));
  if (result.agreement) box.append(packageList(agenda || [], result.agreement));
  const utilities = result.utilities || {};
  for (const [name, value] of Object.entries(utilities)) {
    const who = name === party ? "Worth to you" : `Worth to ${name}`;
    box.append(el("p", { class: "value" }, `${who}: `, el("strong", {}, worth(value))));
  }
  return box;
}

const STATUS = { waiting: "waiting to start", running: "in progress", paused: "paused by the facilitator", ended: "ended" };

/** The session's status as words. */
export function statusText(session) {
  const status = STATUS[session.status] || session.status;
  if (session.status === "running" || session.status === "paused" || (session.status === "ended" && session.round)) {
    return `${status} · round ${session.round} of ${session.deadline}`;
  }
  return status;
}
