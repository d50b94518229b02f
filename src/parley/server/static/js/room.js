// Entry point of /room/{id}#token=...: loads this seat's view, keeps it live over the
// WebSocket, and mounts the delegation's or the mediator's page according to the view's role.

import { api, connectLive, linkToken, pathSessionId } from "./api.js";
import { alertUser, byId, fill } from "./dom.js";
import { statusText } from "./format.js";
import { label, languageSwitch, partyName, roleName, setParties, setupLanguage, t } from "./i18n.js";
import { soundSwitch, turnBell } from "./sound.js";
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
  setParties(view.party_labels);
  fill(byId("title"), label({ label: view.session.title, labels: view.session.title_labels }) || t("room.title"));
  document.title = tabTitle(view);
  bell(Boolean(view.pending));
  fill(byId("who"), `${partyName(view.party)} · ${roleName(view.role)}`);
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
  const plain = `${partyName(view.party)} · ${view.session.title || "Parley"}`;
  return view.pending ? `${t("turn.yours")} — ${plain}` : plain;
}



function onLive(message) {
  if (message.type === "view" && message.view) show(message.view);
  else if (message.type === "error") alertUser(message.detail || t("error.refused"));
}

function onState(state, reason) {
  const indicator = byId("connection");
  indicator.dataset.state = state;
  const said = ["connecting", "live", "reconnecting", "refused"].includes(state) ? t(`connection.${state}`) : state;
  fill(indicator, reason && state === "refused" ? `${said} ${reason}` : said);
}

let bell = () => {};

async function start() {
  await setupLanguage();
  byId("tools").append(languageSwitch(), soundSwitch());
  bell = turnBell();
  if (!token) {
    alertUser(t("error.no-token"));
    onState("refused");
    return;
  }
  try {
    show(await api("GET", `${base}/view`, { token }));
  } catch (error) {
    alertUser(t("error.cannot-open", { error: error.message }));
    onState("refused");
    return;
  }
  live = connectLive(sessionId, token, onLive, onState);
}

start();
