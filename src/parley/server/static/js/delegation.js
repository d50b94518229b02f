// A delegation's room: its turn, the proposal builder, its confidential profile, what the
// mediator brought it, its private channel with the mediator, and the timeline of the talks.

import { el, fill } from "./dom.js";
import { resultBlock, worth } from "./format.js";
import { createBuilder } from "./builder.js";
import { profileEditor, profileTable } from "./profile.js";
import { turnPanel } from "./turn.js";
import { between, carriedTo, drawMessages } from "./timeline.js";

/** Build the delegation's page in `root`; returns update(view) to call with every new view. */
export function mountDelegation(root, first, seat) {
  const agenda = first.agenda;
  const evaluate = first.profile ? seat.evaluate : null;
  const builder = createBuilder(agenda, { evaluate, legend: "Proposal builder: choose one option per issue" });

  const result = el("div", { id: "result-area" });
  const turn = el("section", { id: "turn", class: "card turn", "aria-labelledby": "turn-head", "aria-live": "polite" });
  const readiness = el("div", { class: "readiness" });
  const profileBox = el("div", { id: "profile-body" });
  const reservation = el("p", { class: "reservation" });
  const carried = el("ol", { class: "messages", id: "carried" });
  const channel = el("ol", { class: "messages", id: "channel" });
  const timeline = el("ol", { class: "messages timeline", id: "timeline" });
  const mediatorName = el("span");
  const direct = first.session.protocol === "direct";
  const carriedHead = direct ? "Proposals on the table" : "Proposals brought to you";

  const noteForm = direct ? null : writeForm(seat);

  root.append(
    result,
    turn,
    noteForm ? noteForm.element : null,
    el("section", { class: "card", "aria-labelledby": "builder-head" }, el("h2", { id: "builder-head" }, "Build a proposal"), builder.element),
    el(
      "div",
      { class: "columns" },
      el(
        "section",
        { class: "card", id: "profile", "aria-labelledby": "profile-head" },
        el("h2", { id: "profile-head" }, "Your confidential profile"),
        el("p", { class: "hint" }, "Only your delegation sees this. The mediator sees it only if you choose to confide it."),
        reservation,
        readiness,
        profileBox,
      ),
      el(
        "div",
        { class: "stack" },
        el("section", { class: "card", "aria-labelledby": "carried-head" }, el("h2", { id: "carried-head" }, carriedHead), carried),
        direct
          ? null
          : el("section", { class: "card", "aria-labelledby": "channel-head" }, el("h2", { id: "channel-head" }, "Private channel with ", mediatorName), channel),
      ),
    ),
    el(
      "section",
      { class: "card", "aria-labelledby": "timeline-head" },
      el("h2", { id: "timeline-head" }, "Timeline of the talks"),
      timeline,
    ),
  );

  let turnKey = null;
  let profileKey = null;

  return function update(view) {
    fill(result, view.result && view.result.ended ? resultBlock(agenda, view.result, { party: view.party }) : null);
    const key = view.pending ? `turn-${view.pending.turn}` : `wait-${view.session.status}`;
    if (key !== turnKey) {
      turnKey = key;
      fill(turn, el("h2", { id: "turn-head" }, turnHeading(view)), view.pending
        ? turnPanel(agenda, view.pending, { builder, act: seat.act, role: view.role })
        : el("p", {}, waitingText(view)));
      turn.classList.toggle("active", Boolean(view.pending));
      builder.element.closest("section").hidden = view.session.status === "ended";
    }
    if (noteForm) noteForm.update(view, mediatorOf(view));
    drawReadiness(readiness, view, seat);
    fill(reservation, "Your current reservation value: ", el("strong", {}, worth(view.reservation)),
      view.profile && view.profile.reservation !== view.reservation ? " (outside events moved it)" : "");
    const pKey = `${view.editable}|${view.editable ? "" : JSON.stringify(view.profile)}`;
    if (pKey !== profileKey) {
      profileKey = pKey;
      fill(profileBox, !view.profile
        ? el("p", {}, "This seat has no preference profile.")
        : view.editable
          ? profileEditor(agenda, view.profile, seat.saveProfile)
          : profileTable(agenda, view.profile, { caption: `${view.party}'s profile (fixed once the talks started)` }));
    }
    const mediator = mediatorOf(view);
    fill(mediatorName, mediator || "the mediator");
    const brought = direct ? proposalsFrom(view.messages, view.party) : carriedTo(view.messages);
    drawMessages(carried, agenda, brought.reverse(), {
      empty: direct ? "No package is on the table yet." : "The mediator has not brought you a package yet.",
    });
    drawMessages(channel, agenda, view.messages.filter((m) => mediator && between(m, view.party, mediator)), {
      empty: "No private messages yet.",
    });
    drawMessages(timeline, agenda, view.messages, { empty: "The talks have not started." });
  };
}

/** "Write to the mediator": a note out of turn, at any time while the talks run (separate from
 * the turn panel; the note then shows in the private channel with the mediator). */
function writeForm(seat) {
  const text = el("textarea", { id: "note-text", rows: "2", maxlength: "2000", required: "" });
  const send = el("button", { type: "submit", id: "note-send" }, "Send to the mediator");
  const said = el("p", { class: "hint", id: "note-status", role: "status", "aria-live": "polite" });
  const label = el("label", { for: "note-text" }, "Write to the mediator at any time; only the mediator and your own delegation (its advisers) read it.");
  const form = el("form", { id: "note-form" }, label, text, send, said);
  const head = el("h2", { id: "note-head" }, "Write to the mediator");
  const element = el("section", { class: "card", id: "note", "aria-labelledby": "note-head" }, head, form);
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
      fill(said, "Sent to the mediator.");
    } catch (error) {
      fill(said, `Not sent: ${error.message}`);
    } finally {
      send.disabled = !running;
    }
  });
  return {
    element,
    update(view, mediator) {
      running = view.session.status === "running";
      send.disabled = !running;
      fill(head, "Write to ", mediator || "the mediator");
      element.hidden = view.session.status === "ended";
    },
  };
}

/** Direct talks: the packages the other principals put on the table. */
function proposalsFrom(messages, party) {
  return messages.filter((m) => m.sender !== party && m.package && (m.kind === "propose" || m.kind === "counter"));
}

/** The turn panel's heading: the seat's turn, the wait, or the end. */
export function turnHeading(view) {
  if (view.pending) return "Your turn";
  if (view.session.status === "paused") return "Paused";
  return view.session.status === "ended" ? "The talks are over" : "Waiting";
}

function waitingText(view) {
  if (view.session.status === "waiting") {
    return "The talks have not started. Check your profile, save it, then press Ready.";
  }
  if (view.session.status === "ended") return "The talks have ended.";
  if (view.session.status === "paused") return "The facilitator has paused the talks; this page updates by itself when they resume.";
  return "Another seat is to act; this page updates by itself when it is your turn.";
}

/** Ready button while the session waits; a note once this seat is ready. */
export function drawReadiness(box, view, seat) {
  if (view.session.status !== "waiting") {
    fill(box);
    return;
  }
  if (view.ready) {
    fill(box, el("p", { class: "ready-note", role: "status" }, "You are ready. The talks start once every seat is ready or the facilitator starts them."));
    return;
  }
  const note = el("p", { class: "hint", role: "status", "aria-live": "polite" });
  const button = el("button", { type: "button", class: "primary", id: "ready" }, "I am ready");
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      await seat.ready();
    } catch (error) {
      fill(note, `Not marked ready: ${error.message}`);
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
