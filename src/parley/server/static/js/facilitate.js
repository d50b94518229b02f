// The facilitator's desk at /facilitate/{id}#token=...: who holds each seat, who is ready and
// connected, the start button, whose turn it is, the talks so far, the status and result, and
// the transcript to download.

import { api, connectLive, fetchText, linkToken, pathSessionId } from "./api.js";
import { alertUser, byId, el, fill } from "./dom.js";
import { messageItem, resultBlock, statusText } from "./format.js";
import { label, languageSwitch, partyName, roleName, setParties, setupLanguage, t } from "./i18n.js";
import { mountDeskTools } from "./desk_tools.js";

const sessionId = pathSessionId();
const token = linkToken();
const base = `/api/sessions/${encodeURIComponent(sessionId)}`;
let live = null;
let tools = null;

function yesNo(flag) {
  return flag ? t("desk.yes") : t("desk.no");
}

function show(status) {
  setParties(status.party_labels);
  fill(byId("title"), label({ label: status.title, labels: status.title_labels }) || "Facilitator");
  document.title = `${t("desk.facilitator")} · ${status.title || "Parley"}`;
  fill(byId("status"), `${status.protocol} · ${statusText(status)}`);
  fill(
    byId("seats-body"),
    status.seats.map((seat) =>
      el(
        "tr",
        { dataset: { party: seat.party } },
        el("th", { scope: "row" }, partyName(seat.party)),
        el("td", {}, roleName(seat.role)),
        el("td", {}, seat.kind === "person" ? t("desk.a-person") : t("desk.strategy", { strategy: seat.strategy })),
        el("td", { class: "ready" }, seat.kind === "person" ? yesNo(seat.ready) : "—"),
        el("td", { class: "connected" }, seat.kind === "person" ? yesNo(seat.connected) : "—"),
      ),
    ),
  );
  fill(byId("profiles-note"), profilesNote(status));
  const start = byId("start");
  start.hidden = status.status !== "waiting";
  byId("start-hint").hidden = status.status !== "waiting";
  showControl(status.status);
  fill(byId("turn"), turnBlock(status));
  const agenda = status.agenda || [];
  fill(byId("talks"), (status.record || []).map((message) => messageItem(agenda, message, { showValue: false })));
  fill(byId("result"), status.result && status.result.ended ? resultBlock(status.agenda || [], status.result) : null);
  if (tools) tools(status);
}

/** Pause, resume and end: shown until the talks have ended. */
function showControl(state) {
  byId("control").hidden = state === "ended";
  byId("pause").hidden = state !== "running";
  byId("resume").hidden = state !== "paused";
  byId("paused-note").hidden = state !== "paused";
}

/** Who must act now, and what they are asked. */
function turnBlock(status) {
  const turn = status.turn;
  if (!turn) {
    const why = { waiting: t("desk.not-started"), ended: t("wait.ended") }[status.status];
    return el("p", { class: "hint" }, why || t("desk.nobody-asked"));
  }
  const paused = status.status === "paused" ? ` ${t("desk.paused-mark")}` : "";
  const held = turn.held_by === "person" ? t("desk.a-person") : t("desk.a-strategy");
  return el(
    "div",
    { class: "turn-now", dataset: { party: turn.party, turn: String(turn.turn) } },
    el("p", {}, el("strong", { class: "turn-party" }, partyName(turn.party)), ` ${t("desk.must-act", { role: roleName(turn.role), held, turn: turn.turn })}${paused}`),
    el("p", { class: "prompt" }, turn.prompt),
  );
}

/** What the desk may see of the principals' profiles, as chosen when the session was created. */
function profilesNote(status) {
  if (status.profiles_withheld) {
    return t("desk.profiles-hidden");
  }
  return status.facilitator_profiles === "during"
    ? t("desk.profiles-during")
    : t("desk.profiles-ended");
}

async function reload() {
  show(await api("GET", base, { token }));
}

async function startTalks() {
  const button = byId("start");
  button.disabled = true;
  try {
    await api("POST", `${base}/start`, { token, body: {} });
    if (!live || !live.live) await reload();
  } catch (error) {
    alertUser(t("desk.did-not-start", { error: error.message }));
  } finally {
    button.disabled = false;
  }
}

/** Pause, resume or end (``body`` carries the reason); the desk redraws from the answer. */
async function control(what, button, body = {}) {
  button.disabled = true;
  try {
    show(await api("POST", `${base}/${what}`, { token, body }));
    return true;
  } catch (error) {
    alertUser(t("desk.did-not-work", { error: error.message }));
    return false;
  } finally {
    button.disabled = false;
  }
}

/** Pause or resume, with the optional reason the transcript records. */
async function pauseOrResume(what) {
  const input = byId("pause-reason");
  const reason = input.value.trim();
  if (await control(what, byId(what), reason ? { reason } : {})) input.value = "";
}

async function endTalks(event) {
  event.preventDefault();
  const input = byId("end-reason");
  const reason = input.value.trim();
  if (!reason) {
    alertUser(t("desk.end-why"));
    input.focus();
    return;
  }
  if (!window.confirm(t("desk.end-confirm", { reason }))) return;
  if (await control("end", byId("end"), { reason })) input.value = "";
}

async function download(format) {
  const note = byId("download-note");
  try {
    const text = await fetchText(`${base}/transcript?format=${format}`, token);
    const type = format === "jsonl" ? "application/x-ndjson" : "text/plain";
    const url = URL.createObjectURL(new Blob([text], { type }));
    const link = el("a", { href: url, download: `parley-${sessionId}.${format === "jsonl" ? "jsonl" : "txt"}` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    if (format === "text") fill(byId("record"), text);
    fill(note, format === "jsonl" ? t("desk.jsonl-done") : t("desk.text-done"));
  } catch (error) {
    fill(note, t("desk.no-transcript", { error: error.message }));
  }
}

function onState(state) {
  const indicator = byId("connection");
  indicator.dataset.state = state;
  fill(indicator, ["connecting", "live", "reconnecting", "refused"].includes(state) ? t(`connection.${state}`) : state);
}

async function main() {
  await setupLanguage();
  byId("tools").append(languageSwitch());
  byId("start").addEventListener("click", startTalks);
  byId("pause").addEventListener("click", () => pauseOrResume("pause"));
  byId("resume").addEventListener("click", () => pauseOrResume("resume"));
  byId("end-form").addEventListener("submit", endTalks);
  byId("download-jsonl").addEventListener("click", () => download("jsonl"));
  byId("download-text").addEventListener("click", () => download("text"));
  if (!token) {
    alertUser(t("desk.no-token"));
    return;
  }
  tools = mountDeskTools({ base, token, sessionId, onStatus: show });
  try {
    await reload();
  } catch (error) {
    alertUser(t("desk.cannot-open", { error: error.message }));
    return;
  }
  live = connectLive(
    sessionId,
    token,
    (message) => {
      if (message.type === "status") show(message.status || message.session || message);
      else if (message.type === "error") alertUser(message.detail || t("error.refused"));
    },
    onState,
  );
}

main();
