// Parts the pages of the seats beside the principals and the mediator share (a third party, a
// spoiler, an adviser): the turn card with its answer sent, the seat's own profile with the
// Ready button, and a list of messages.

import { el, fill, freshId } from "./dom.js";
import { packageList, resultBlock, worth } from "./format.js";
import { profileEditor, profileTable } from "./profile.js";
import { drawMessages } from "./timeline.js";
import { drawReadiness, turnHeading } from "./delegation.js";
import { partyName, t } from "./i18n.js";

/** A card with a heading and a list of messages; `update(agenda, messages, empty)` redraws it.
 * A `long` list (a whole record) scrolls inside its card, so the page stays short. */
export function messageCard(id, heading, hint = null, { long = false } = {}) {
  const list = el("ol", { class: long ? "messages timeline" : "messages", id });
  const element = el(
    "section",
    { class: "card", "aria-labelledby": `${id}-head` },
    el("h2", { id: `${id}-head` }, heading),
    hint ? el("p", { class: "hint" }, hint) : null,
    list,
  );
  return {
    element,
    update(agenda, messages, empty) {
      drawMessages(list, agenda, messages, { empty });
    },
  };
}

/** The seat's own preferences (never shown to anyone else), editable until the talks start. */
export function ownProfileCard(agenda, seat, hint) {
  const readiness = el("div", { class: "readiness" });
  const box = el("div", { id: "profile-body" });
  // Open while the seat may edit them and must say it is ready; folded away once the talks run.
  const element = el("details", { class: "card", id: "profile", open: true },
    el("summary", {}, el("h2", { id: "profile-head" }, t("seat.own-preferences"))), el("p", { class: "hint" }, hint), readiness, box);
  const fold = element;
  let key = null;
  let status = null;
  return {
    element,
    update(view) {
      drawReadiness(readiness, view, seat);
      if (view.session.status !== status) {
        status = view.session.status;
        fold.open = status === "waiting";  // once per change: a reader may open it again
      }
      const now = `${view.editable}|${view.editable ? "" : JSON.stringify(view.profile)}`;
      if (now === key) return;
      key = now;
      fill(box, !view.profile
        ? el("p", {}, t("profile.none"))
        : view.editable
          ? profileEditor(agenda, view.profile, seat.saveProfile)
          : profileTable(agenda, view.profile, { caption: t("seat.preferences-fixed", { party: partyName(view.party) }) }));
    },
  };
}

/** The result of the talks (with this seat's own worth of an agreement) once they ended. */
export function drawResult(box, agenda, view) {
  fill(box, view.result && view.result.ended ? resultBlock(agenda, view.result, { party: view.party }) : null);
}

/** The turn card: redrawn by `panel(view)` when a new ask comes (or the wait changes). */
export function turnCard(panel, waiting) {
  const element = el("section", { id: "turn", class: "card turn", "aria-labelledby": "turn-head", "aria-live": "polite" });
  let key = null;
  return {
    element,
    update(view) {
      const now = view.pending ? `turn-${view.pending.turn}` : `wait-${view.session.status}`;
      if (now === key) return;
      key = now;
      fill(element, el("h2", { id: "turn-head" }, turnHeading(view)), view.pending ? panel(view) : el("p", {}, waiting(view)));
      element.classList.toggle("active", Boolean(view.pending));
    },
  };
}

/** What the seat waits for, in words. */
export function waitingText(view, running) {
  if (view.session.status === "waiting") return t("seat.not-started");
  if (view.session.status === "ended") return t("wait.ended");
  if (view.session.status === "paused") return t("wait.paused");
  return running;
}

/** The package an ask is about, with its worth to this seat by its own preferences. */
export function offerBlock(agenda, pending, heading) {
  if (!pending.offer) return null;
  return [
    el("h3", {}, heading),
    packageList(agenda, pending.offer),
    typeof pending.offer_value === "number"
      ? el("p", { class: "value" }, t("seat.worth-own"), " ", el("strong", { class: "offer-value" }, worth(pending.offer_value)))
      : null,
  ];
}

/** A labelled text box for what goes with an answer. */
export function textBox(label, placeholder) {
  const id = freshId("say");
  const box = el("textarea", { id, rows: 2, maxlength: 2000, placeholder });
  return { box, element: el("div", { class: "field" }, el("label", { for: id }, label), box) };
}

/**
 * Buttons that send one answer each: `choices` is [{kind, label, cls?, confirm?}], `body(kind)`
 * the rest of the action (or a string saying what is missing). A `confirm` button asks for a
 * second press. Returns the element holding the buttons and the status line.
 */
export function answerButtons(pending, choices, body, act) {
  const note = el("p", { class: "hint", role: "status", "aria-live": "polite" });
  const buttons = el("div", { class: "actions" });
  let armed = null;
  for (const choice of choices.filter((c) => pending.allowed.includes(c.kind))) {
    const button = el("button", { type: "button", class: choice.cls || "", dataset: { kind: choice.kind } }, choice.label);
    button.addEventListener("click", async () => {
      if (choice.confirm && armed !== button) {
        armed = button;
        fill(button, choice.confirm);
        return;
      }
      const rest = body(choice.kind);
      if (typeof rest === "string") {
        fill(note, rest);
        return;
      }
      for (const b of buttons.querySelectorAll("button")) b.disabled = true;
      fill(note, t("turn.sending"));
      try {
        await act({ turn: pending.turn, kind: choice.kind, ...rest });
        fill(note, t("turn.sent"));
      } catch (error) {
        fill(note, t("turn.not-sent", { error: error.message }));
        for (const b of buttons.querySelectorAll("button")) b.disabled = false;
      }
    });
    buttons.append(button);
  }
  return el("div", {}, buttons, note);
}
