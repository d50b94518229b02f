// The seat's pending ask: what it is asked, the package in question and its worth, and one
// button per action the engine allows now (nothing else is offered, so nothing else is sent).

import { el, fill, freshId } from "./dom.js";
import { packageList, worth } from "./format.js";

const NEEDS_BUILT = new Set(["propose", "counter", "reframe", "draft"]);
const TAKES_OFFER = new Set(["accept", "relay"]);

const LABELS = {
  propose: "Propose the package I built",
  counter: "Counter with the package I built",
  accept: "Accept this package",
  reject: "Reject it",
  "walk-away": "Walk away from the talks",
  relay: "Carry it on as it is",
  reframe: "Carry on my reframing (the package I built)",
  draft: "Table the package I built as my draft",
  confide: "Confide my profile to the mediator",
  decline: "Decline to confide",
  adjourn: "Agree to adjourn and meet again",
  pass: "Listen, and float nothing of my own",
};

// The order buttons appear in: the usual answer first, leaving the talks last.
const ORDER = ["confide", "decline", "adjourn", "accept", "relay", "pass", "propose", "counter", "reframe", "draft", "reject", "walk-away"];

/**
 * The turn panel for `pending` (never null here). `builder` is the page's proposal builder;
 * `act(body)` posts the action and resolves once the server has committed it.
 */
export function turnPanel(agenda, pending, { builder, act, role }) {
  const panel = el("div", { class: "turn-body" });
  panel.append(el("p", { class: "prompt" }, pending.prompt || "It is your turn."));
  if (pending.offer) {
    panel.append(
      el("h3", {}, role === "mediator" ? "The package to carry" : "The package before you"),
      packageList(agenda, pending.offer),
    );
    if (typeof pending.offer_value === "number") {
      panel.append(el("p", { class: "value" }, "Worth to you: ", el("strong", { class: "offer-value" }, worth(pending.offer_value))));
    }
    panel.append(
      el("button", { type: "button", class: "quiet", onclick: () => builder.set(pending.offer) }, "Start from this package in the builder"),
    );
  }
  if (pending.previous) {
    panel.append(
      el(
        "details",
        {},
        el("summary", {}, "The previous draft, to compare with"),
        packageList(agenda, pending.previous),
        el("button", { type: "button", class: "quiet", onclick: () => builder.set(pending.previous) }, "Start from the previous draft in the builder"),
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
  const statement = el("textarea", { id: statementId, rows: 2, maxlength: 2000, placeholder: "Optional: a few words that go with your answer" });
  const publicId = freshId("public");
  const isPublic = el("input", { type: "checkbox", id: publicId });
  const recipients = (pending.to || []).join(", ");
  panel.append(
    el("div", { class: "field" }, el("label", { for: statementId }, recipients ? `Statement to ${recipients}` : "Statement"), statement),
    el("p", { class: "check" }, isPublic, el("label", { for: publicId }, "Make the statement public (every seat sees it)")),
  );
  const note = el("p", { class: "hint", role: "status", "aria-live": "polite" });
  const buttons = el("div", { class: "actions" });
  for (const kind of allowed) {
    const button = el("button", { type: "button", class: kindClass(kind), dataset: { kind } }, LABELS[kind] || kind);
    button.addEventListener("click", () => send(kind, button));
    buttons.append(button);
  }
  panel.append(buttons, note);

  let armed = null;
  async function send(kind, button) {
    if (kind === "walk-away" && armed !== button) {
      armed = button;
      fill(button, "Press again to walk away for good");
      return;
    }
    const body = { turn: pending.turn, kind };
    if (NEEDS_BUILT.has(kind)) {
      if (!builder.complete) {
        fill(note, "Choose an option for every issue in the builder first.");
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
    fill(note, "Sending…");
    try {
      await act(body);
      fill(note, "Sent.");
    } catch (error) {
      fill(note, `Not sent: ${error.message}`);
      for (const b of buttons.querySelectorAll("button")) b.disabled = false;
    }
  }
  return panel;
}

function kindClass(kind) {
  if (kind === "walk-away") return "danger";
  if (kind === "accept" || kind === "relay" || kind === "confide") return "primary";
  return "";
}

/** Single-text feedback: is this draft better, the same or worse than the previous one? */
function feedbackChoice() {
  const name = freshId("feedback");
  const element = el(
    "fieldset",
    { class: "feedback" },
    el("legend", {}, "Compared with the previous draft, this one is (optional):"),
    ["better", "same", "worse"].map((choice) => {
      const id = freshId("fb");
      return el("span", { class: "check" }, el("input", { type: "radio", name, id, value: choice }), el("label", { for: id }, choice));
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
