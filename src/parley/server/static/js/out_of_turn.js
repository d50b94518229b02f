// What a seat's page adds besides its role's own page: the mediator's private answer to one
// side at any time (issue 17, item 3; POST .../replies: only that side and its advisers read
// it, the other side never does) and every seat's take-aways (its own transcript, the
// agreement once the talks have ended).

import { api } from "./api.js";
import { el, fill } from "./dom.js";
import { partyName, t } from "./i18n.js";
import { takeawaysCard } from "./takeaways.js";

/** Mount the cards under `root`; returns `update(view)`. `ctx` = {base, token, sessionId}. */
export function mountOutOfTurn(root, view, ctx) {
  const cards = [];
  if (view.role === "mediator" && view.mediator === view.party) {
    const reply = replyCard(ctx);
    cards.push(reply);
    // Under the turn panel, as a delegation's note form is: at hand whatever the turn.
    const turn = root.querySelector("#turn");
    if (turn) turn.after(reply.card);
    else root.append(reply.card);
  }
  const takeaways = takeawaysCard(ctx.base, ctx.token, ctx.sessionId);
  cards.push(takeaways);
  root.append(takeaways.card);
  return (next) => {
    for (const card of cards) card.update(next);
  };
}

/** "Answer a side privately": the principal, the text, and who will read it. */
function replyCard(ctx) {
  const to = el("select", { id: "reply-to", name: "to" });
  const text = el("textarea", { id: "reply-text", rows: "3", maxlength: "2000", required: "" });
  const send = el("button", { type: "submit", id: "reply-send" }, t("reply.send"));
  const said = el("p", { class: "hint", id: "reply-status", role: "status", "aria-live": "polite" });
  const who = el("p", { class: "hint", id: "reply-who" });
  const form = el(
    "form",
    { id: "reply-form" },
    el("div", { class: "field" }, el("label", { for: "reply-to" }, t("reply.to")), to),
    el("div", { class: "field" }, el("label", { for: "reply-text" }, t("reply.word")), text),
    who,
    el("div", { class: "actions" }, send),
    said,
  );
  const card = el(
    "section",
    { class: "card", id: "reply", "aria-labelledby": "reply-head" },
    el("h2", { id: "reply-head" }, t("reply.title")),
    form,
  );
  let principals = [];

  function explain() {
    const others = principals.filter((p) => p !== to.value);
    fill(who, to.value ? t("reply.who", { party: partyName(to.value), others: others.map(partyName).join(", ") || t("reply.no-other") }) : "");
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!text.value.trim()) {
      fill(said, t("note.empty"));
      return;
    }
    send.disabled = true;
    try {
      await api("POST", `${ctx.base}/replies`, { token: ctx.token, body: { to: to.value, text: text.value } });
      fill(said, t("reply.sent", { party: partyName(to.value) }));
      text.value = "";
    } catch (error) {
      fill(said, t("turn.not-sent", { error: error.message }));
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
        fill(to, names.map((n) => el("option", { value: n, selected: n === chosen }, partyName(n))));
        explain();
      }
      const running = view.session.status === "running";
      card.hidden = view.session.status === "ended";
      send.disabled = !running;
      if (!running && view.session.status === "paused") fill(said, t("reply.paused"));
    },
  };
}
