// Lists of messages: the whole timeline, a private channel, the packages a mediator brought.

import { el, fill } from "./dom.js";
import { messageItem } from "./format.js";

const CARRIED = new Set(["relay", "reframe", "draft"]);

/** Is this message between `party` and `other` alone (a private channel), either way? */
export function between(message, party, other) {
  if (message.public) return false;
  const to = message.to || [];
  return (message.sender === party && to.includes(other)) || (message.sender === other && to.includes(party));
}

/** Packages carried or tabled to this seat (by the mediator or an outside draft). */
export function carriedTo(messages) {
  return messages.filter((m) => CARRIED.has(m.kind) && m.package);
}

/** Fill `list` with `messages` (newest last), or a line saying there are none yet. */
export function drawMessages(list, agenda, messages, { empty = "Nothing yet.", showValue = true } = {}) {
  // Follow the newest message if the reader was already at the bottom of a scrolling list.
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 24;
  fill(
    list,
    messages.length
      ? messages.map((message) => messageItem(agenda, message, { showValue }))
      : el("li", { class: "none" }, empty),
  );
  if (atBottom) list.scrollTop = list.scrollHeight;
}

/** The outside events and phases only: how the ground moved. */
export function groundEvents(messages) {
  return messages.filter((m) => m.kind === "event" || m.kind === "phase" || m.kind === "end" || m.kind === "agreement");
}
