// A word out of turn: the form a delegation writes to the mediator with, and an adviser to its
// principal, at any time while the talks run (not only with a turn).
import { el, fill } from "./dom.js";
import { t } from "./i18n.js";

/**
 * The card: `ids` names its elements ("note" gives #note, #note-text, #note-send...),
 * `words` holds its heading, label, button and the line shown once sent.
 * Returns {element, update(view), heading} (heading: the <h2>, to rename later).
 */
export function noteCard(ids, words, seat) {
  const text = el("textarea", { id: `${ids}-text`, rows: "2", maxlength: "2000", required: "" });
  const send = el("button", { type: "submit", id: `${ids}-send` }, words.send);
  const said = el("p", { class: "hint", id: `${ids}-status`, role: "status", "aria-live": "polite" });
  const form = el("form", { id: `${ids}-form` }, el("label", { for: `${ids}-text` }, words.label), text, send, said);
  const heading = el("h2", { id: `${ids}-head` }, words.title);
  const element = el("section", { class: "card", id: ids, "aria-labelledby": `${ids}-head` }, heading, form);
  let running = false;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!text.value.trim()) {
      fill(said, t("note.empty"));
      return;
    }
    send.disabled = true;
    try {
      await seat.note(text.value);
      text.value = "";
      fill(said, words.sent);
    } catch (error) {
      fill(said, t("turn.not-sent", { error: error.message }));
    } finally {
      send.disabled = !running;
    }
  });
  return {
    element,
    heading,
    update(view) {
      running = view.session.status === "running";
      send.disabled = !running;
      element.hidden = view.session.status === "ended";
    },
  };
}
