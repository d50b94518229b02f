// The seat's pending ask: what it is asked, the package in question and its worth, and one
// button per action the engine allows now (nothing else is offered, so nothing else is sent).

import { el, fill, freshId } from "./dom.js";
import { packageList, worth } from "./format.js";
import { language, partyName, t } from "./i18n.js";

const NEEDS_BUILT = new Set(["propose", "counter", "reframe", "draft"]);
const TAKES_OFFER = new Set(["accept", "relay"]);

const ACTIONS = new Set(["propose", "counter", "accept", "reject", "walk-away", "relay", "reframe", "draft", "confide", "decline", "adjourn", "pass", "endorse"]);

/** The button's words for an action kind (declining a framework is not declining to confide). */
function actionLabel(kind, question) {
  if (kind === "decline" && question === "endorse") return t("action.decline-endorse");
  return ACTIONS.has(kind) ? t(`action.${kind}`) : kind;
}

// The order buttons appear in: the usual answer first, leaving the talks last.
const ORDER = ["confide", "endorse", "decline", "adjourn", "accept", "relay", "pass", "propose", "counter", "reframe", "draft", "reject", "walk-away"];

/**
 * The turn panel for `pending` (never null here). `builder` is the page's proposal builder;
 * `act(body)` posts the action and resolves once the server has committed it.
 */
export function turnPanel(agenda, pending, { builder, act, role }) {
  const panel = el("div", { class: "turn-body" });
  panel.append(...promptLines(pending));
  if (pending.allowed.includes("confide")) panel.append(el("p", { class: "hint confide-note" }, t("turn.confide-reveals")));
  // A framework that covers some issues only: endorsing it binds those items, signs no package.
  if (pending.covers) panel.append(el("p", { class: "hint covers-note" }, t("turn.framework-covers", { issues: coveredLabels(agenda, pending.covers) })));
  if (pending.offer) {
    panel.append(
      el("h3", {}, role === "mediator" ? t("turn.package-to-carry") : t("turn.package-before-you")),
      packageList(agenda, pending.offer),
    );
    if (typeof pending.offer_value === "number") {
      panel.append(el("p", { class: "value" }, t("value.to-you"), " ", el("strong", { class: "offer-value" }, worth(pending.offer_value))));
    }
    panel.append(
      el("button", { type: "button", class: "quiet", onclick: () => builder.set(pending.offer) }, t("turn.start-from-offer")),
    );
  }
  if (pending.previous) {
    panel.append(
      el(
        "details",
        {},
        el("summary", {}, t("turn.previous-draft")),
        packageList(agenda, pending.previous),
        el("button", { type: "button", class: "quiet", onclick: () => builder.set(pending.previous) }, t("turn.start-from-previous")),
      ),
    );
  }
  // A mediator reframes or redrafts from the package in hand: start the builder there.
  const start = pending.offer || pending.previous;
  if (role === "mediator" && start && !Object.keys(builder.package).length) builder.set(start);

  const allowed = ORDER.filter((kind) => pending.allowed.includes(kind));
  const feedback = allowed.includes("accept") && pending.previous ? feedbackChoice() : null;
  if (feedback) panel.append(feedback.element);
  const statementId = freshId("statement");
  const statement = el("textarea", { id: statementId, rows: 2, maxlength: 2000, placeholder: t("turn.statement-placeholder") });
  const publicId = freshId("public");
  const isPublic = el("input", { type: "checkbox", id: publicId });
  const recipients = (pending.to || []).map(partyName).join(t("list.sep"));
  panel.append(
    el("div", { class: "field" }, el("label", { for: statementId }, recipients ? t("turn.statement-to", { to: recipients }) : t("turn.statement")), statement),
    el("p", { class: "check" }, isPublic, el("label", { for: publicId }, t("turn.public"))),
  );
  const note = el("p", { class: "hint", role: "status", "aria-live": "polite" });
  const buttons = el("div", { class: "actions" });
  for (const kind of allowed) {
    const button = el("button", { type: "button", class: kindClass(kind), dataset: { kind } }, actionLabel(kind, pending.question));
    button.addEventListener("click", () => send(kind, button));
    buttons.append(button);
  }
  panel.append(buttons, note);

  let armed = null;
  async function send(kind, button) {
    if (kind === "walk-away" && armed !== button) {
      armed = button;
      fill(button, t("turn.walk-away-confirm"));
      return;
    }
    const body = { turn: pending.turn, kind };
    if (NEEDS_BUILT.has(kind)) {
      if (!builder.complete) {
        fill(note, t("turn.choose-every-issue"));
        builder.element.querySelector("select")?.focus();
        return;
      }
      body.package = builder.package;
    } else if (TAKES_OFFER.has(kind) && pending.offer) {
      body.package = pending.offer;
    }
    if (statement.value.trim()) {
      body.statement = statement.value.trim();
      body.public = isPublic.checked;
    }
    if (feedback && feedback.value && (kind === "accept" || kind === "reject")) body.feedback = feedback.value;
    for (const b of buttons.querySelectorAll("button")) b.disabled = true;
    fill(note, t("turn.sending"));
    try {
      await act(body);
      fill(note, t("turn.sent"));
    } catch (error) {
      fill(note, t("turn.not-sent", { error: error.message }));
      for (const b of buttons.querySelectorAll("button")) b.disabled = false;
    }
  }
  return panel;
}

function coveredLabels(agenda, ids) {
  return ids.map((id) => (agenda.find((issue) => issue.name === id) || { label: id }).label).join(", ");
}

function kindClass(kind) {
  if (kind === "walk-away") return "danger";
  if (kind === "accept" || kind === "relay" || kind === "confide" || kind === "endorse") return "primary";
  return "";
}

/** Single-text feedback: is this draft better, the same or worse than the previous one? */
function feedbackChoice() {
  const name = freshId("feedback");
  const element = el(
    "fieldset",
    { class: "feedback" },
    el("legend", {}, t("turn.feedback")),
    ["better", "same", "worse"].map((choice) => {
      const id = freshId("fb");
      return el("span", { class: "check" }, el("input", { type: "radio", name, id, value: choice }), el("label", { for: id }, t(`turn.feedback.${choice}`)));
    }),
  );
  return {
    element,
    get value() {
      const checked = element.querySelector("input:checked");
      return checked ? checked.value : null;
    },
  };
}

/** The question in the seat's language. The engine words its prompts in English (with the
 * scenario's names); in another language the page asks the question in that language, from
 * the kind of question, and keeps the engine's words below it. */
function promptLines(pending) {
  const english = pending.prompt || t("turn.default-prompt");
  const key = `question.${pending.question}`;
  if (language() === "en" || !pending.question || t(key).includes(key)) return [el("p", { class: "prompt" }, english)];
  const names = { about: partyName(pending.about || ""), to: (pending.to || []).map(partyName).join(t("list.sep")) };
  return [el("p", { class: "prompt" }, t(key, names)), el("p", { class: "hint engine-words" }, t("turn.engine-words"), " ", english)];
}
