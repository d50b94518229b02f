// An adviser's room (Iran's technical team): it sits in one principal's delegation and sees
// what that delegation sees (its private channel with the mediator, its notes, what outside
// events tell it) and what is public; when a package reaches its principal it advises it,
// privately: only the delegation reads the advice.

import { el } from "./dom.js";
import { label, partyName, t } from "./i18n.js";
import { answerButtons, drawResult, messageCard, offerBlock, ownProfileCard, textBox, turnCard, waitingText } from "./seatparts.js";
import { noteCard } from "./notecard.js";

/** Build the adviser's page in `root`; returns update(view). */
export function mountAdviser(root, first, seat) {
  const agenda = first.agenda;
  const principal = first.advises ? partyName(first.advises) : t("seat.your-principal");
  const result = el("div", { id: "result-area" });
  const turn = turnCard((view) => turnPanel(view, agenda, principal, seat), (view) =>
    waitingText(view, t("adviser.waiting", { principal })));
  const channel = messageCard("channel", t("adviser.channel", { principal }), t("adviser.channel-hint", { principal }));
  const timeline = messageCard("timeline", t("seat.timeline"), t("adviser.timeline-hint", { principal }), { long: true });
  const profile = ownProfileCard(agenda, seat, t("adviser.profile-hint"));
  const word = writeForm(principal, seat);
  root.append(result, turn.element, word.element, channel.element, timeline.element, profile.element);

  return function update(view) {
    drawResult(result, agenda, view);
    turn.update(view);
    word.update(view);
    channel.update(agenda, view.messages.filter((m) => !m.public), t("adviser.nothing-private"));
    timeline.update(agenda, view.messages, t("record.not-started"));
    profile.update(view);
  };
}

/** "Write to {principal}": a word to its own delegation at any time the talks run, not only
 * when a package reaches it (it shows in the delegation's channel). */
function writeForm(principal, seat) {
  const words = {
    title: t("note.title", { mediator: principal }),
    label: t("adviser.write-label", { principal }),
    send: t("adviser.send", { principal }),
    sent: t("adviser.sent", { principal }),
  };
  return noteCard("advice-note", words, seat);
}

function turnPanel(view, agenda, principal, seat) {
  const pending = view.pending;
  const advice = textBox(t("adviser.advice", { principal }), t("adviser.advice-placeholder"));
  const names = (pending.covers || []).map((id) => label(agenda.find((issue) => issue.name === id) || { label: id }));
  const covers = pending.covers ? t("adviser.covers", { issues: names.join(t("list.sep")) }) : null;
  const body = () => {
    const text = advice.box.value.trim();
    return text ? { text } : t("adviser.write-first");
  };
  return el("div", { class: "turn-body" },
    el("p", { class: "prompt" }, pending.prompt || t("adviser.asked")),
    offerBlock(agenda, pending, pending.about ? t("adviser.package-from", { party: partyName(pending.about) }) : t("adviser.package-before")),
    covers ? el("p", { class: "hint covers-note" }, covers) : null,
    advice.element,
    answerButtons(pending, [{ kind: "advise", label: t("adviser.advise", { principal }), cls: "primary" }], body, seat.act));
}
