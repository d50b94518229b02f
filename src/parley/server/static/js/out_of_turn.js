// What a seat's page adds besides its role's own page: the mediator's private answer to one
// side at any time (issue 17, item 3; POST .../replies: only that side and its advisers read
// it, the other side never does) and every seat's take-aways (its own transcript, the
// agreement once the talks have ended).

import { api } from "./api.js";
import { el, fill } from "./dom.js";
import { takeawaysCard } from "./takeaways.js";

/** Mount the cards under `root`; returns `update(view)`. `ctx` = {base, token, sessionId}. */
export function mountOutOfTurn(root, view, ctx) {
  const cards = [];
  if (view.role === "mediator" && view.mediator === view.party) cards.push(replyCard(ctx));
  cards.push(takeawaysCard(ctx.base, ctx.token, ctx.sessionId));
  root.append(...cards.map((c) => c.card));
  return (next) => {
    for (const card of cards) card.update(next);
  };
}

/** "Answer a side privately": the principal, the text, and who will read it. */
function replyCard(ctx) {
  const to = el("select", { id: "reply-to", name: "to" });
  const text = el("textarea", { id: "reply-text", rows: "3", maxlength: "2000", required: "" });
  const send = el("button", { type: "submit", id: "reply-send" }, "Send privately");
  const said = el("p", { class: "hint", id: "reply-status", role: "status", "aria-live": "polite" });
  const who = el("p", { class: "hint", id: "reply-who" });
  const form = el(
    "form",
    { id: "reply-form" },
    el("div", { class: "field" }, el("label", { for: "reply-to" }, "To"), to),
    el("div", { class: "field" }, el("label", { for: "reply-text" }, "Your word (not a turn: the talks go on as they were)"), text),
    who,
    el("div", { class: "actions" }, send),
    said,
  );
  const card = el(
    "section",
    { class: "card", id: "reply", "aria-labelledby": "reply-head" },
    el("h2", { id: "reply-head" }, "Answer a side privately"),
    form,
  );
  let principals = [];

  function explain() {
    const others = principals.filter((p) => p !== to.value);
    fill(who, to.value ? `Only ${to.value} (and its advisers) reads it; ${others.join(", ") || "no other side"} never does.` : "");
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!text.value.trim()) {
      fill(said, "Write something first.");
      return;
    }
    send.disabled = true;
    try {
      await api("POST", `${ctx.base}/replies`, { token: ctx.token, body: { to: to.value, text: text.value } });
      fill(said, `Sent to ${to.value}; it shows in your channel with ${to.value}.`);
      text.value = "";
    } catch (error) {
      fill(said, `Not sent: ${error.message}`);
    } finally {
      send.disabled = false;
    }
  });
  to.addEventListener("change", explain);

  return {
    card,
    update(view) {
      const names = (view.parties || []).filter((p) => p.role === "principal").map((p) => p.name);
      if (JSON.stringify(names) !== JSON.stringify(principals)) {
        principals = names;
        const chosen = to.value;
        fill(to, names.map((n) => el("option", { value: n, selected: n === chosen }, n)));
        explain();
      }
      const running = view.session.status === "running";
      card.hidden = view.session.status === "ended";
      send.disabled = !running;
      if (!running && view.session.status === "paused") fill(said, "The talks are paused: words wait until they resume.");
    },
  };
}
