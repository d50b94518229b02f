// A spoiler's room (Israel in a war-game of the Muscat talks): only what is public, the
// requests addressed to it to hold off, and on its turn, each round, its move: hold off,
// threaten in public, or strike, which ends the talks for everyone.

import { el } from "./dom.js";
import { t } from "./i18n.js";
import { answerButtons, drawResult, messageCard, ownProfileCard, textBox, turnCard, waitingText } from "./seatparts.js";

/** Build the spoiler's page in `root`; returns update(view). */
export function mountSpoiler(root, first, seat) {
  const agenda = first.agenda;
  const result = el("div", { id: "result-area" });
  const turn = turnCard((view) => turnPanel(view, seat), (view) =>
    waitingText(view, t("spoiler.waiting")));
  const restraints = messageCard("restraints", t("spoiler.restraints"), t("spoiler.restraints-hint"));
  const timeline = messageCard("timeline", t("spoiler.public"), t("spoiler.public-hint"), { long: true });
  const profile = ownProfileCard(agenda, seat, t("spoiler.profile-hint"));
  root.append(result, turn.element, restraints.element, timeline.element, profile.element);

  return function update(view) {
    drawResult(result, agenda, view);
    turn.update(view);
    restraints.update(agenda, view.messages.filter((m) => isRestraint(m, view.party)), t("spoiler.no-restraints"));
    timeline.update(agenda, view.messages, t("spoiler.nothing-public"));
    profile.update(view);
  };
}

/** A request to this seat to hold off (an outside event that names it). */
function isRestraint(message, party) {
  return message.kind === "event" && message.data && message.data.event === "restrain" && message.data.party === party;
}

function turnPanel(view, seat) {
  const pending = view.pending;
  const said = textBox(t("spoiler.say"), t("spoiler.say-placeholder"));
  const choices = [
    { kind: "pass", label: t("spoiler.pass"), cls: "primary" },
    { kind: "threaten", label: t("spoiler.threaten") },
    { kind: "strike", label: t("spoiler.strike"), cls: "danger", confirm: t("spoiler.strike-confirm") },
  ];
  const body = () => {
    const text = said.box.value.trim();
    return text ? { text } : {};
  };
  return el("div", { class: "turn-body" },
    el("p", { class: "prompt" }, pending.prompt || t("spoiler.your-move")),
    el("p", { class: "hint" }, t("spoiler.public-move")),
    said.element,
    answerButtons(pending, choices, body, seat.act));
}
