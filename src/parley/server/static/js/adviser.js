// An adviser's room (Iran's technical team): it sits in one principal's delegation and sees
// what that delegation sees (its private channel with the mediator, its notes, what outside
// events tell it) and what is public; when a package reaches its principal it advises it,
// privately: only the delegation reads the advice.

import { el, fill } from "./dom.js";
import { answerButtons, drawResult, messageCard, offerBlock, ownProfileCard, textBox, turnCard, waitingText } from "./seatparts.js";

/** Build the adviser's page in `root`; returns update(view). */
export function mountAdviser(root, first, seat) {
  const agenda = first.agenda;
  const principal = first.advises || "your principal";
  const result = el("div", { id: "result-area" });
  const turn = turnCard((view) => turnPanel(view, agenda, principal, seat), (view) =>
    waitingText(view, `You are asked for your advice whenever a package reaches ${principal}.`));
  const channel = messageCard("channel", `${principal}'s delegation channel`, `What reaches ${principal} in private, its own words, and your advice: no other seat reads these.`);
  const timeline = messageCard("timeline", "Timeline of the talks", `Everything ${principal}'s delegation sees, public or private.`, { long: true });
  const profile = ownProfileCard(agenda, seat, "Your own technical view of each issue: only you see it.");
  const word = writeForm(principal, seat);
  root.append(result, turn.element, word.element, channel.element, timeline.element, profile.element);

  return function update(view) {
    drawResult(result, agenda, view);
    turn.update(view);
    word.update(view);
    channel.update(agenda, view.messages.filter((m) => !m.public), "Nothing private has reached the delegation yet.");
    timeline.update(agenda, view.messages, "The talks have not started.");
    profile.update(view);
  };
}

/** "Write to {principal}": a word to its own delegation at any time the talks run, not only
 * when a package reaches it (it shows in the delegation's channel). */
function writeForm(principal, seat) {
  const text = el("textarea", { id: "advice-note-text", rows: "2", maxlength: "2000", required: "" });
  const send = el("button", { type: "submit", id: "advice-note-send" }, `Send to ${principal}`);
  const said = el("p", { class: "hint", role: "status", "aria-live": "polite" });
  const form = el("form", { id: "advice-note-form" },
    el("label", { for: "advice-note-text" }, `Write to ${principal} at any time; only its delegation reads it.`), text, send, said);
  const element = el("section", { class: "card", id: "advice-note", "aria-labelledby": "advice-note-head" },
    el("h2", { id: "advice-note-head" }, `Write to ${principal}`), form);
  let running = false;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!text.value.trim()) {
      fill(said, "Write something first.");
      return;
    }
    send.disabled = true;
    try {
      await seat.note(text.value);
      text.value = "";
      fill(said, `Sent to ${principal}.`);
    } catch (error) {
      fill(said, `Not sent: ${error.message}`);
    } finally {
      send.disabled = !running;
    }
  });
  return {
    element,
    update(view) {
      running = view.session.status === "running";
      send.disabled = !running;
      element.hidden = view.session.status === "ended";
    },
  };
}

function turnPanel(view, agenda, principal, seat) {
  const pending = view.pending;
  const advice = textBox(`Your advice to ${principal} (only its delegation reads it)`, "What should the delegation do with this package, and why?");
  const names = (pending.covers || []).map((id) => (agenda.find((issue) => issue.name === id) || { label: id }).label);
  const covers = pending.covers ? `It covers ${names.join(", ")} only: endorsed by every principal, these items bind the agreement.` : null;
  const body = () => {
    const text = advice.box.value.trim();
    return text ? { text } : "Write your advice first.";
  };
  return el("div", { class: "turn-body" },
    el("p", { class: "prompt" }, pending.prompt || "Your advice is asked."),
    offerBlock(agenda, pending, pending.about ? `The package from ${pending.about}` : "The package before the delegation"),
    covers ? el("p", { class: "hint covers-note" }, covers) : null,
    advice.element,
    answerButtons(pending, [{ kind: "advise", label: `Advise ${principal}`, cls: "primary" }], body, seat.act));
}
