// The facilitator's tools on the desk (issue 17, item 1): how long the turn has waited (ticking,
// against the turn timer if the session has one, with the seat's built-in answer once it is
// overdue), an outside event put into the talks (a white cell), each person seat's link
// re-issued or revoked, and the agreement document once the talks have ended.

import { api } from "./api.js";
import { alertUser, byId, el, fill, freshId } from "./dom.js";
import { label, partyName, t } from "./i18n.js";
import { saveAgreement } from "./takeaways.js";

// The scenario format's event kinds, in words, with the fields each needs.
const KINDS = [
  { kind: "note", label: "inject.note", fields: [] },
  { kind: "phase", label: "inject.phase", fields: [] },
  { kind: "shift-reservation", label: "inject.shift-reservation", fields: ["party", "delta"] },
  { kind: "move-deadline", label: "inject.move-deadline", fields: ["rounds"] },
  { kind: "table-draft", label: "inject.table-draft", fields: ["party", "draft"] },
  { kind: "restrain", label: "inject.restrain", fields: ["party", "by"] },
  { kind: "cancel", label: "inject.cancel", fields: [] },
];

/** Minutes and seconds, e.g. 2:05 (hours when needed). */
export function clock(seconds) {
  const whole = Math.max(0, Math.floor(seconds));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/**
 * Mount the tools; returns `show(status)`, called with every status the desk receives.
 * `ctx` = {base, token, sessionId, onStatus(status)}.
 */
export function mountDeskTools(ctx) {
  const timer = turnTimer(ctx);
  const events = eventForm(ctx);
  const links = linkTools(ctx);
  const agreement = agreementTools(ctx);
  return (status) => {
    timer(status);
    events(status);
    links(status);
    agreement(status);
  };
}

// -- how long the turn has waited ----------------------------------------------------------

function turnTimer(ctx) {
  const box = byId("turn-clock");
  let received = null; // {turn, waited, at, paused, limit, party, person}
  let ticking = null;

  function draw() {
    if (!received) {
      fill(box);
      return;
    }
    const waited = received.waited + (received.paused ? 0 : (performance.now() - received.at) / 1000);
    const limit = received.limit;
    const overdue = limit !== null && waited > limit;
    box.dataset.overdue = String(overdue);
    box.dataset.waited = String(Math.floor(waited));
    const parts = [t("clock.waiting", { time: clock(waited) })];
    if (limit !== null) parts.push(` ${t("clock.of-limit", { limit: clock(limit) })}`);
    if (received.paused) parts.push(` ${t("clock.paused")}`);
    const line = el("p", { class: "turn-waited" }, parts.join(""));
    if (!overdue) {
      fill(box, line);
      return;
    }
    const note = el("p", { class: "overdue", role: "alert" },
      el("strong", {}, `${t("clock.over", { time: clock(waited - limit) })} `),
      received.person
        ? t("clock.remind", { party: partyName(received.party) })
        : t("clock.builtin"));
    const button = received.person
      ? el("button", { type: "button", id: "answer-by-default", class: "danger", onclick: () => answerByDefault(button) },
          t("clock.let-strategy", { party: partyName(received.party) }))
      : null;
    fill(box, line, note, button ? el("div", { class: "actions" }, button) : null);
  }

  async function answerByDefault(button) {
    if (!received) return;
    if (!window.confirm(t("clock.confirm", { turn: received.turn, party: partyName(received.party) }))) return;
    button.disabled = true;
    try {
      await api("POST", `${ctx.base}/turn/default`, { token: ctx.token, body: { turn: received.turn } });
      ctx.onStatus(await api("GET", ctx.base, { token: ctx.token }));
    } catch (error) {
      alertUser(t("clock.not-answered", { error: error.message }));
      button.disabled = false;
    }
  }

  return (status) => {
    const turn = status.turn;
    received = turn
      ? {
          turn: turn.turn,
          waited: turn.waited || 0,
          at: performance.now(),
          paused: status.status === "paused",
          limit: status.turn_seconds ?? null,
          party: turn.party,
          person: turn.held_by === "person",
        }
      : null;
    clearInterval(ticking);
    ticking = received ? setInterval(draw, 1000) : null;
    draw();
  };
}

// -- an outside event ------------------------------------------------------------------------

function eventForm(ctx) {
  const card = byId("inject");
  const form = byId("inject-form");
  const kind = byId("inject-kind");
  const note = byId("inject-note");
  let agenda = [];
  for (const k of KINDS) kind.append(el("option", { value: k.kind }, t(k.label)));

  function fieldsOf(name) {
    return (KINDS.find((k) => k.kind === name) || KINDS[0]).fields;
  }

  function showFields() {
    const wanted = new Set(fieldsOf(kind.value));
    for (const name of ["party", "by", "delta", "rounds", "draft"]) {
      const box = byId(`inject-${name}-field`);
      box.hidden = !wanted.has(name);
      for (const input of box.querySelectorAll("input, select")) input.required = wanted.has(name) && name !== "draft";
    }
  }

  function drawDraft() {
    const box = byId("inject-draft");
    fill(
      box,
      agenda.map((issue) => {
        const id = freshId("draft");
        const options = issue.options.length
          ? el("select", { id, dataset: { issue: issue.name } }, issue.options.map((o) => el("option", { value: JSON.stringify(o.id) }, label(o))))
          : el("input", { id, type: "number", dataset: { issue: issue.name, number: "1" } });
        return el("div", { class: "field" }, el("label", { for: id }, label(issue)), options);
      }),
    );
  }

  function body() {
    const out = { kind: kind.value, title: byId("inject-title").value.trim() };
    const wanted = new Set(fieldsOf(kind.value));
    if (wanted.has("party")) out.party = byId("inject-party").value.trim();
    if (wanted.has("by")) out.by = byId("inject-by").value.trim();
    if (wanted.has("delta")) out.delta = Number(byId("inject-delta").value);
    if (wanted.has("rounds")) out.rounds = Number(byId("inject-rounds").value);
    if (wanted.has("draft")) {
      out.draft = {};
      for (const input of byId("inject-draft").querySelectorAll("[data-issue]")) {
        out.draft[input.dataset.issue] = input.dataset.number ? Number(input.value) : JSON.parse(input.value);
      }
    }
    return out;
  }

  async function submit(event) {
    event.preventDefault();
    const sent = body();
    if (!sent.title) {
      fill(note, t("inject.need-title"));
      return;
    }
    if (sent.kind === "cancel" && !window.confirm(t("inject.cancel-confirm"))) return;
    const button = byId("inject-send");
    button.disabled = true;
    try {
      await api("POST", `${ctx.base}/events`, { token: ctx.token, body: sent });
      fill(note, t("inject.done", { title: sent.title }));
      byId("inject-title").value = "";
      ctx.onStatus(await api("GET", ctx.base, { token: ctx.token }));
    } catch (error) {
      fill(note, t("inject.failed", { error: error.message }));
    } finally {
      button.disabled = false;
    }
  }

  kind.addEventListener("change", showFields);
  form.addEventListener("submit", submit);
  showFields();

  return (status) => {
    card.hidden = !["running", "paused"].includes(status.status);
    const names = status.seats.map((s) => s.party);
    fill(byId("inject-parties"), names.map((n) => el("option", { value: n })));
    if (JSON.stringify(agenda) !== JSON.stringify(status.agenda || [])) {
      agenda = status.agenda || [];
      drawDraft();
    }
  };
}

// -- links ---------------------------------------------------------------------------------------

function linkTools(ctx) {
  const box = byId("links");
  let drawn = "";

  async function reissue(party, button) {
    if (!window.confirm(t("links.reissue-confirm", { party: partyName(party) }))) return;
    button.disabled = true;
    try {
      const made = await api("POST", `${ctx.base}/seats/${encodeURIComponent(party)}/link`, { token: ctx.token, body: {} });
      showLink(party, made.link);
      ctx.onStatus(await api("GET", ctx.base, { token: ctx.token }));
    } catch (error) {
      alertUser(t("links.no-new", { error: error.message }));
    } finally {
      button.disabled = false;
    }
  }

  async function revoke(party, button) {
    if (!window.confirm(t("links.revoke-confirm", { party: partyName(party) }))) return;
    button.disabled = true;
    try {
      ctx.onStatus(await api("DELETE", `${ctx.base}/seats/${encodeURIComponent(party)}/link`, { token: ctx.token }));
      fill(byId("new-link"));
    } catch (error) {
      alertUser(t("links.not-revoked", { error: error.message }));
    } finally {
      button.disabled = false;
    }
  }

  function showLink(party, link) {
    const id = freshId("link");
    const input = el("input", { id, type: "text", readonly: true, value: link, class: "link-input" });
    const copied = el("span", { class: "hint", role: "status" });
    const copy = el("button", { type: "button", onclick: async () => {
      try {
        await navigator.clipboard.writeText(link);
        fill(copied, t("start.copied"));
      } catch {
        input.select();
        fill(copied, t("links.select-copy"));
      }
    } }, t("start.copy"));
    fill(byId("new-link"), el("div", { class: "link-row" },
      el("label", { for: id }, t("links.new-link", { party: partyName(party) })),
      el("div", { class: "link-line" }, input, copy, copied)));
  }

  return (status) => {
    const people = status.seats.filter((s) => s.kind === "person");
    const key = JSON.stringify([status.status, people.map((s) => [s.party, s.revoked])]);
    if (key === drawn) return;
    drawn = key;
    byId("links-card").hidden = status.status === "ended" || !people.length;
    fill(
      box,
      people.map((seat) => {
        const again = el("button", { type: "button", dataset: { party: seat.party, action: "reissue" } }, t("links.new"));
        again.addEventListener("click", () => reissue(seat.party, again));
        const off = el("button", { type: "button", class: "danger", dataset: { party: seat.party, action: "revoke" }, disabled: seat.revoked }, t("links.revoke"));
        off.addEventListener("click", () => revoke(seat.party, off));
        return el("li", { dataset: { party: seat.party, revoked: String(Boolean(seat.revoked)) } },
          el("strong", {}, partyName(seat.party)), " ",
          el("span", { class: "link-state" }, seat.revoked ? t("links.revoked") : t("links.active")), " ",
          el("span", { class: "actions" }, again, off));
      }),
    );
  };
}

// -- the agreement document --------------------------------------------------------------------

function agreementTools(ctx) {
  const card = byId("agreement-card");
  const note = byId("agreement-note");

  async function download(format) {
    try {
      await saveAgreement(ctx.base, ctx.token, ctx.sessionId, format);
      fill(note, format === "pdf" ? t("takeaway.agreement-pdf-done") : t("takeaway.agreement-html-done"));
    } catch (error) {
      fill(note, t("desk.no-agreement", { error: error.message }));
    }
  }

  byId("agreement-html").addEventListener("click", () => download("html"));
  byId("agreement-pdf").addEventListener("click", () => download("pdf"));
  return (status) => {
    card.hidden = status.status !== "ended";
  };
}
