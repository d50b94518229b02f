// Lists of messages: the whole timeline, a private channel, the packages a mediator brought.

import { el, fill } from "./dom.js";
import { messageItem } from "./format.js";
import { t } from "./i18n.js";

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
export function drawMessages(list, agenda, messages, { empty = t("record.nothing"), showValue = true } = {}) {
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

/**
 * The record of the talks as this seat sees it, each message once, newest last, with filters
 * (`filters`: [{id, label, keep(message)}], the first shows everything). Returns
 * {element, update(messages)}; the list is #timeline.
 */
export function recordPanel(agenda, { filters, empty, showValue = true, id = "timeline" }) {
  const list = el("ol", { class: "messages timeline", id });
  const bar = el("div", { class: "filters", role: "group", "aria-label": t("record.filter") });
  let chosen = filters[0].id;
  let last = [];
  const buttons = filters.map((filter) => {
    const button = el("button", { type: "button", class: "chip", dataset: { filter: filter.id }, "aria-pressed": "false" }, filter.label);
    button.addEventListener("click", () => {
      chosen = filter.id;
      draw();
    });
    return button;
  });
  bar.append(...buttons);
  function draw() {
    const filter = filters.find((f) => f.id === chosen) || filters[0];
    for (const button of buttons) button.setAttribute("aria-pressed", String(button.dataset.filter === chosen));
    drawMessages(list, agenda, last.filter(filter.keep), { empty, showValue });
  }
  return {
    element: el("div", { class: "record-panel" }, bar, list),
    update(messages) {
      last = messages;
      draw();
    },
  };
}
