// A delegation's room: its turn first (the package before it, the answers it may give), the
// proposal builder beside the record of the talks (each message once, filtered to the private
// channel or to packages), a comparison of any two packages, and its confidential profile.

import { el, fill } from "./dom.js";
import { resultBlock, worth } from "./format.js";
import { createBuilder } from "./builder.js";
import { comparePanel } from "./compare.js";
import { partyName, t } from "./i18n.js";
import { profileEditor, profileTable } from "./profile.js";
import { noteCard } from "./notecard.js";
import { turnPanel } from "./turn.js";
import { between, carriedTo, recordPanel } from "./timeline.js";

/** Build the delegation's page in `root`; returns update(view) to call with every new view. */
export function mountDelegation(root, first, seat) {
  const agenda = first.agenda;
  const evaluate = first.profile ? seat.evaluate : null;
  const builder = createBuilder(agenda, { evaluate, legend: t("builder.legend-delegation") });

  const result = el("div", { id: "result-area" });
  const turn = el("section", { id: "turn", class: "card turn", "aria-labelledby": "turn-head", "aria-live": "polite" });
  const readiness = el("div", { class: "readiness" });
  const profileBox = el("div", { id: "profile-body" });
  const reservation = el("span", { class: "reservation" });
  const direct = first.session.protocol === "direct";
  const mediator = mediatorOf(first);
  const record = recordPanel(agenda, {
    empty: t("record.not-started"),
    filters: [
      { id: "all", label: t("record.all"), keep: () => true },
      direct
        ? { id: "tabled", label: t("record.on-table"), keep: (m) => Boolean(m.package) }
        : { id: "private", label: t("record.with", { party: partyName(mediator || t("record.the-mediator")) }), keep: (m) => Boolean(mediator) && between(m, first.party, mediator) },
      { id: "packages", label: direct ? t("record.packages") : t("record.brought"), keep: (m) => (direct ? Boolean(m.package) : carriedTo([m]).length > 0) },
    ],
  });
  const compare = comparePanel(agenda);
  const noteForm = direct ? null : writeForm(seat);
  const builderCard = el("section", { class: "card", "aria-labelledby": "builder-head" }, el("h2", { id: "builder-head" }, t("builder.title")), builder.element);
  const profileCard = el(
    "details",
    { class: "card", id: "profile" },
    el("summary", {}, el("h2", { id: "profile-head" }, t("profile.title")), " ", reservation),
    el("p", { class: "hint" }, t("profile.only-you")),
    profileBox,
  );

  root.append(
    result,
    el(
      "div",
      { class: "room-grid" },
      el("div", { class: "stack" }, turn, builderCard),
      el(
        "div",
        { class: "stack" },
        noteForm ? noteForm.element : null,
        el("section", { class: "card", id: "talks-card", "aria-labelledby": "timeline-head" }, el("h2", { id: "timeline-head" }, t("record.title")), record.element),
      ),
    ),
    compare.element,
    profileCard,
  );

  let turnKey = null;
  let profileKey = null;
  let valueKey = null;

  return function update(view) {
    fill(result, view.result && view.result.ended ? resultBlock(agenda, view.result, { party: view.party }) : null);
    const key = view.pending ? `turn-${view.pending.turn}` : `wait-${view.session.status}`;
    if (key !== turnKey) {
      turnKey = key;
      fill(turn, el("h2", { id: "turn-head" }, turnHeading(view)), view.pending
        ? turnPanel(agenda, view.pending, { builder, act: seat.act, role: view.role })
        : el("p", {}, waitingText(view)), readiness);
      turn.classList.toggle("active", Boolean(view.pending));
      builderCard.hidden = view.session.status === "ended";
    }
    if (noteForm) noteForm.update(view, mediatorOf(view));
    drawReadiness(readiness, view, seat);
    fill(reservation, t("profile.current-reservation"), " ", el("strong", {}, worth(view.reservation)), " ", movedNote(view));
    const pKey = `${view.editable}|${view.editable ? "" : JSON.stringify(view.profile)}`;
    if (pKey !== profileKey) {
      // Open while the delegation may still edit it; folded (one line) once the talks run.
      profileCard.open = Boolean(view.editable);
      profileKey = pKey;
      fill(profileBox, !view.profile
        ? el("p", {}, t("profile.none"))
        : view.editable
          ? profileEditor(agenda, view.profile, seat.saveProfile, { now: view.reservation })
          : profileTable(agenda, view.profile, { caption: t("profile.fixed", { party: partyName(view.party) }) }));
    }
    // The builder's value and reservation come from the server: ask again when they moved, so
    // it never shows a reservation the profile no longer has.
    const vKey = JSON.stringify([view.reservation, view.profile]);
    if (vKey !== valueKey) {
      if (valueKey !== null) builder.refresh();
      valueKey = vKey;
    }
    record.update(view.messages);
    compare.update(view.messages);
  };
}

/** Why the reservation in force differs from the profile's: outside events. Before the talks
 * (Muscat's day opens with some) they have moved it already; they move a saved value alike. */
function movedNote(view) {
  if (!view.profile || Math.abs(view.profile.reservation - view.reservation) < 1e-9) return "";
  if (view.session.status !== "waiting") return t("profile.moved");
  return t("profile.moved-before", { saved: worth(view.profile.reservation), delta: signed(view.reservation - view.profile.reservation) });
}

function signed(delta) {
  return `${delta > 0 ? "+" : "−"}${Math.abs(delta).toFixed(3)}`;
}

/** "Write to the mediator": a note out of turn, at any time while the talks run (separate from
 * the turn panel; the note then shows in the private channel with the mediator). */
function writeForm(seat) {
  const words = {
    title: t("note.title", { mediator: t("record.the-mediator") }),
    label: t("note.label"),
    send: t("note.send"),
    sent: t("note.sent"),
  };
  const card = noteCard("note", words, seat);
  return {
    element: card.element,
    update(view, mediator) {
      card.update(view);
      fill(card.heading, t("note.title", { mediator: mediator ? partyName(mediator) : t("record.the-mediator") }));
    },
  };
}

/** The turn panel's heading: the seat's turn, the wait, or the end. */
export function turnHeading(view) {
  if (view.pending) return t("turn.yours");
  if (view.session.status === "paused") return t("turn.paused");
  return view.session.status === "ended" ? t("turn.over") : t("turn.waiting");
}

function waitingText(view) {
  if (view.session.status === "waiting") {
    return t("wait.not-started");
  }
  if (view.session.status === "ended") return t("wait.ended");
  if (view.session.status === "paused") return t("wait.paused");
  return t("wait.other");
}

/** Ready button while the session waits; a note once this seat is ready. */
export function drawReadiness(box, view, seat) {
  if (view.session.status !== "waiting") {
    fill(box);
    return;
  }
  if (view.ready) {
    fill(box, el("p", { class: "ready-note", role: "status" }, t("ready.done")));
    return;
  }
  const note = el("p", { class: "hint", role: "status", "aria-live": "polite" });
  const button = el("button", { type: "button", class: "primary", id: "ready" }, t("ready.button"));
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      await seat.ready();
    } catch (error) {
      fill(note, t("ready.failed", { error: error.message }));
      button.disabled = false;
    }
  });
  fill(box, button, note);
}

/** The mediator this delegation talks to: named by the view (null in direct talks), or, from
 * a server that does not name it, seen in its messages. */
function mediatorOf(view) {
  if ("mediator" in view) return view.mediator;
  const parties = view.parties || [];
  const named = parties.find((p) => p.role === "mediator");
  if (named) return named.name;
  for (const m of view.messages) {
    if (["relay", "reframe", "draft"].includes(m.kind) && m.sender !== "world" && m.sender !== "engine") return m.sender;
    if (m.sender === view.party && !m.public && (m.to || []).length === 1) return m.to[0];
  }
  if (view.pending && (view.pending.to || []).length === 1) return view.pending.to[0];
  return null;
}
