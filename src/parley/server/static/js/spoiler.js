// A spoiler's room (Israel in a war-game of the Muscat talks): only what is public, the
// requests addressed to it to hold off, and on its turn, each round, its move: hold off,
// threaten in public, or strike, which ends the talks for everyone.

import { el } from "./dom.js";
import { answerButtons, drawResult, messageCard, ownProfileCard, textBox, turnCard, waitingText } from "./seatparts.js";

/** Build the spoiler's page in `root`; returns update(view). */
export function mountSpoiler(root, first, seat) {
  const agenda = first.agenda;
  const result = el("div", { id: "result-area" });
  const turn = turnCard((view) => turnPanel(view, seat), (view) =>
    waitingText(view, "The talks go on; you are asked for your move at the opening of every round."));
  const restraints = messageCard("restraints", "Requests to hold off", "Requests addressed to you to refrain while the talks go on.");
  const timeline = messageCard("timeline", "What is public", "You are not at the table: you see only what is said and done in public.", { long: true });
  const profile = ownProfileCard(agenda, seat, "Only you see these: how the packages made public would leave you.");
  root.append(result, turn.element, restraints.element, timeline.element, profile.element);

  return function update(view) {
    drawResult(result, agenda, view);
    turn.update(view);
    restraints.update(agenda, view.messages.filter((m) => isRestraint(m, view.party)), "No one has asked you to hold off.");
    timeline.update(agenda, view.messages, "Nothing has been made public yet.");
    profile.update(view);
  };
}

/** A request to this seat to hold off (an outside event that names it). */
function isRestraint(message, party) {
  return message.kind === "event" && message.data && message.data.event === "restrain" && message.data.party === party;
}

function turnPanel(view, seat) {
  const pending = view.pending;
  const said = textBox("What you say with your move (public)", "Optional: a threat's words, or the reason given for a strike");
  const choices = [
    { kind: "pass", label: "Hold off this round", cls: "primary" },
    { kind: "threaten", label: "Threaten, in public" },
    { kind: "strike", label: "Strike (ends the talks)", cls: "danger", confirm: "Press again to strike: the talks end for everyone" },
  ];
  const body = () => {
    const text = said.box.value.trim();
    return text ? { text } : {};
  };
  return el("div", { class: "turn-body" },
    el("p", { class: "prompt" }, pending.prompt || "It is your move."),
    el("p", { class: "hint" }, "Whatever you choose is public: every seat sees it."),
    said.element,
    answerButtons(pending, choices, body, seat.act));
}
