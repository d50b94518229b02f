// Entry point of /room/{id}#token=...: loads this seat's view, keeps it live over the
// WebSocket, and mounts the delegation's or the mediator's page according to the view's role.

import { api, connectLive, linkToken, pathSessionId } from "./api.js";
import { alertUser, byId, fill } from "./dom.js";
import { statusText } from "./format.js";
import { mountDelegation } from "./delegation.js";
import { mountMediator } from "./mediator.js";
import { mountThirdParty } from "./thirdparty.js";
import { mountSpoiler } from "./spoiler.js";
import { mountAdviser } from "./adviser.js";
import { mountOutOfTurn } from "./out_of_turn.js";

// The page for each role; principals (and anything else) get the delegation's page.
const PAGES = { mediator: mountMediator, "third-party": mountThirdParty, spoiler: mountSpoiler, adviser: mountAdviser };

const sessionId = pathSessionId();
const token = linkToken();
const base = `/api/sessions/${encodeURIComponent(sessionId)}`;

const CONNECTION = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Connection lost: reconnecting…",
  refused: "The server refused this link.",
};

let update = null;
let extras = () => {};

/** What the pages ask of the server on this seat's behalf. */
const seat = {
  act: (body) => api("POST", `${base}/actions`, { token, body }).then(refreshIfOffline),
  evaluate: (pkg) => api("POST", `${base}/evaluate`, { token, body: { package: pkg } }),
  saveProfile: (profile) => api("PUT", `${base}/profile`, { token, body: profile }).then(reloadView),
  ready: () => api("POST", `${base}/ready`, { token, body: {} }).then(reloadView),
  note: (text) => api("POST", `${base}/notes`, { token, body: { text } }).then(refreshIfOffline),
};

let live = null;

async function reloadView(answer) {
  show(await api("GET", `${base}/view`, { token }));
  return answer;
}

// The socket pushes the new view after every change; if it is down, fetch it instead.
function refreshIfOffline(answer) {
  if (!live || !live.live) return reloadView(answer);
  return answer;
}

function show(view) {
  fill(byId("title"), view.session.title || "Negotiation room");
  document.title = tabTitle(view);
  fill(byId("who"), `${view.party} · ${view.role}`);
  fill(byId("status"), statusText(view.session));
  if (!update) {
    const root = byId("room");
    update = (PAGES[view.role] || mountDelegation)(root, view, seat);
    extras = mountOutOfTurn(root, view, { base, token, sessionId });
  }
  update(view);
  extras(view);
}

/** The tab's title: it says "Your turn" while the engine waits for this seat, so a person
 * working in another tab sees it; back to the seat and the talks' title afterwards. */
function tabTitle(view) {
  const plain = `${view.party} · ${view.session.title || "Parley"}`;
  return view.pending ? `Your turn — ${plain}` : plain;
}

function onLive(message) {
  if (message.type === "view" && message.view) show(message.view);
  else if (message.type === "error") alertUser(message.detail || "The server refused that.");
}

function onState(state, reason) {
  const indicator = byId("connection");
  indicator.dataset.state = state;
  fill(indicator, reason && state === "refused" ? `${CONNECTION[state]} ${reason}` : CONNECTION[state] || state);
}

async function start() {
  if (!token) {
    alertUser("This link has no seat token. Open the invitation link exactly as you received it (it ends with #token=…).");
    onState("refused");
    return;
  }
  try {
    show(await api("GET", `${base}/view`, { token }));
  } catch (error) {
    alertUser(`This room cannot be opened: ${error.message}`);
    onState("refused");
    return;
  }
  live = connectLive(sessionId, token, onLive, onState);
}

start();
