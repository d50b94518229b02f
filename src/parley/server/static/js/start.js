// The start page: choose a scenario (built-in or uploaded), a protocol and who holds each seat,
// create the session, then hand out one private link per seat and the facilitator's link.

import { api, linkSecret } from "./api.js";
import { alertUser, byId, el, fill, freshId } from "./dom.js";
import { languageSwitch, partyName, roleName, setupLanguage, t } from "./i18n.js";

const catalogue = JSON.parse(byId("strategies").textContent);
// The operator's key, from the address `parley serve` printed (#key=...): creating sessions and
// reading uploads need it unless the server runs --open.
const key = linkSecret("key");
const PERSON = "__person__";

let builtins = [];
/** The chosen scenario: {name?, scenario_toml?, title, parties, protocols, default_protocol}. */
let chosen = null;

function fitting(role, protocol) {
  const pool = role === "mediator" ? catalogue.mediators : catalogue.negotiators;
  return pool.filter((s) => s.protocols.includes(protocol)).map((s) => s.name);
}

function drawProtocols() {
  const select = byId("protocol");
  const protocols = chosen && chosen.protocols && chosen.protocols.length ? chosen.protocols : catalogue.protocols;
  const previous = select.value;
  fill(select, protocols.map((p) => el("option", { value: p }, p)));
  const preferred = protocols.includes(previous) ? previous : chosen && chosen.default_protocol;
  if (preferred && protocols.includes(preferred)) select.value = preferred;
}

const OUTSIDE = new Set(["third-party", "spoiler", "adviser"]);
const ABSENT = "__absent__";
const SCENARIOS = "__scenario__";

/** A third party's, spoiler's or adviser's choices: not seated (the default), a person, the
 * strategy the scenario names for it (with its parameters), or another registered one. */
function outsideChoices(party) {
  const choices = [
    el("option", { value: ABSENT }, t("start.not-seated")),
    el("option", { value: PERSON }, t("start.a-person")),
  ];
  const own = party.strategy;
  if (own) {
    const params = Object.entries(own.params || {}).map(([k, v]) => `${k}=${v}`).join(", ");
    choices.push(el("option", { value: SCENARIOS }, t("start.scenario-strategy", { strategy: `${own.name}${params ? ` (${params})` : ""}` })));
  }
  for (const name of (catalogue.outsiders || {})[party.role] || []) {
    if (!own || name !== own.name) choices.push(el("option", { value: name }, t("desk.strategy", { strategy: name })));
  }
  return choices;
}

/** What the request says for a seat's choice (null: the seat is left out, not seated). */
function seatChoice(select) {
  if (select.value === PERSON) return { kind: "person" };
  if (select.value === ABSENT) return null;
  if (select.value === SCENARIOS) {
    const own = chosen.parties.find((p) => p.name === select.dataset.party).strategy;
    return { kind: "strategy", strategy: own.name, params: own.params || {} };
  }
  return { kind: "strategy", strategy: select.value };
}

function drawSeats() {
  const body = byId("seats-body");
  const protocol = byId("protocol").value;
  if (!chosen) {
    fill(body);
    return;
  }
  // Keep what was chosen for each seat when the protocol changes (if it still fits).
  const before = new Map([...body.querySelectorAll("select")].map((s) => [s.dataset.party, s.value]));
  fill(
    body,
    chosen.parties.map((party) => {
      const id = freshId("seat");
      const role = party.role;
      // Seats are the principals and, in mediated talks, the mediator; third parties, spoilers
      // and advisers sit only when chosen here (a person or a strategy), else take no turn.
      const outside = OUTSIDE.has(role);
      const seated = outside || role === "principal" || (role === "mediator" && protocol !== "direct");
      const roleText = party.advises ? t("start.adviser-of", { role: roleName(role), party: party.advises }) : roleName(role);
      const row = (cell) =>
        el("tr", {}, el("th", { scope: "row" }, seated ? el("label", { for: id }, party.name) : party.name), el("td", {}, roleText), el("td", {}, cell));
      if (!seated) return row(el("span", { class: "hint" }, t("start.no-part")));
      const choices = outside ? outsideChoices(party) : [el("option", { value: PERSON }, t("start.a-person"))];
      if (!outside) for (const name of fitting(role, protocol)) choices.push(el("option", { value: name }, t("desk.strategy", { strategy: name })));
      const select = el("select", { id, dataset: { party: party.name, role } }, choices);
      select.value = before.get(party.name) || choices[0].value;
      if (!select.value) select.value = choices[0].value;
      return row(select);
    }),
  );
}

function choose(scenario) {
  chosen = scenario;
  fill(byId("scenario-summary"), scenario ? `${scenario.title} — ${scenario.parties.map((p) => `${p.name} (${roleName(p.role)})`).join(t("list.sep"))}` : "");
  drawProtocols();
  drawSeats();
}

async function loadBuiltins() {
  const select = byId("builtin");
  try {
    builtins = await api("GET", "/api/scenarios");
  } catch (error) {
    alertUser(t("start.no-list", { error: error.message }));
    return;
  }
  fill(select, builtins.map((s) => el("option", { value: s.name }, `${s.title} (${s.name})`)));
  const preferred = builtins.find((s) => s.name === "muscat-2026") || builtins[0];
  if (preferred) select.value = preferred.name;
  if (byId("source-builtin").checked) pickBuiltin();
}

function pickBuiltin() {
  const found = builtins.find((s) => s.name === byId("builtin").value);
  choose(found ? { ...found } : null);
}

async function upload() {
  const files = byId("files").files;
  const note = byId("upload-note");
  if (!files.length) {
    fill(note, t("start.choose-files"));
    return;
  }
  const form = new FormData();
  for (const file of files) form.append("files", file, file.name);
  fill(note, t("start.reading"));
  try {
    const imported = await api("POST", "/api/scenarios/import", { form, token: key });
    choose({ scenario_toml: imported.scenario_toml, title: imported.title, parties: imported.parties });
    fill(note, `Read: ${imported.title}.`);
  } catch (error) {
    choose(null);
    fill(note, t("start.not-read", { error: error.message }));
  }
}

function sourceChanged() {
  const uploading = byId("source-upload").checked;
  byId("builtin-box").hidden = uploading;
  byId("upload-box").hidden = !uploading;
  if (uploading) choose(null);
  else pickBuiltin();
}

function request() {
  const body = { protocol: byId("protocol").value, seats: {} };
  if (chosen.scenario_toml) body.scenario_toml = chosen.scenario_toml;
  else body.scenario = chosen.name;
  for (const select of byId("seats-body").querySelectorAll("select")) {
    const choice = seatChoice(select);
    if (choice) body.seats[select.dataset.party] = choice;
  }
  const rounds = byId("rounds").value;
  if (rounds !== "") body.rounds = Number(rounds);
  const seed = byId("seed").value;
  if (seed !== "") body.seed = Number(seed);
  const turnSeconds = byId("turn-seconds").value;
  if (turnSeconds !== "") body.turn_seconds = Number(turnSeconds);
  const confide = byId("confide").value;
  if (confide !== "" && body.protocol !== "direct") body.confide = confide === "yes";
  body.facilitator_profiles = byId("facilitator-profiles").value;
  return body;
}

// One session per page: the button stays disabled while the request is out and after it
// succeeds, until the facilitator says the links are saved and asks for another session.
let creating = false;
let created = null;
const createText = () => t("start.create-the-session");

async function create(event) {
  event.preventDefault();
  if (creating || created) return;
  alertUser("");
  if (!chosen) {
    alertUser(t("start.choose-first"));
    return;
  }
  const button = byId("create");
  creating = true;
  button.disabled = true;
  fill(button, t("start.creating"));
  try {
    created = await api("POST", "/api/sessions", { body: request(), token: key });
    fill(button, t("start.created"));
    showLinks(created);
  } catch (error) {
    alertUser(t("start.not-created", { error: error.message }));
    fill(button, createText());
    button.disabled = false;
  } finally {
    creating = false;
  }
}

/** While the links are unsaved, leaving or reloading the page asks first. */
function holdLinks(event) {
  event.preventDefault();
  event.returnValue = "";
}

function savedChanged() {
  const saved = byId("links-saved").checked;
  byId("another").disabled = !saved;
  if (saved) window.removeEventListener("beforeunload", holdLinks);
  else window.addEventListener("beforeunload", holdLinks);
}

/** The links are saved: clear them and let the form create another session. */
function another() {
  if (!byId("links-saved").checked) return;
  window.removeEventListener("beforeunload", holdLinks);
  created = null;
  const box = byId("links");
  fill(box);
  box.hidden = true;
  const button = byId("create");
  fill(button, createText());
  button.disabled = false;
  button.focus();
}

function absolute(link) {
  return new URL(link, window.location.origin).href;
}

async function copy(input, note) {
  try {
    await navigator.clipboard.writeText(input.value);
  } catch {
    input.select();
    document.execCommand("copy");
  }
  fill(note, t("start.copied"));
  setTimeout(() => fill(note), 2000);
}

function linkRow(label, link, dataset) {
  const id = freshId("link");
  const input = el("input", { id, type: "text", readonly: true, value: absolute(link), class: "link", dataset });
  const note = el("span", { class: "hint", role: "status", "aria-live": "polite" });
  const button = el("button", { type: "button", onclick: () => copy(input, note), "aria-label": t("start.copy-aria", { seat: label }) }, t("start.copy"));
  return el("div", { class: "link-row" }, el("label", { for: id }, label), el("div", { class: "link-line" }, input, button, note));
}

function showLinks(created) {
  const box = byId("links");
  const people = created.seats.filter((s) => s.link);
  const machines = created.seats.filter((s) => !s.link);
  fill(
    box,
    el("h2", { id: "links-head", tabindex: "-1" }, t("start.links-head")),
    el("p", { class: "hint" }, t("start.links-hint")),
    linkRow(t("start.facilitator-you"), created.facilitator.link, { seat: "facilitator" }),
    el("p", {}, el("a", { href: absolute(created.facilitator.link), id: "open-facilitator", target: "_blank", rel: "noopener noreferrer" }, t("start.open-desk")), " ", t("start.new-tab")),
    people.map((s) => linkRow(`${s.party} (${s.role})`, s.link, { seat: s.party })),
    machines.length
      ? el("p", {}, t("start.played-by", { seats: machines.map((s) => `${partyName(s.party)} (${s.strategy})`).join(t("list.sep")) }))
      : null,
    el("p", { class: "check" },
      el("input", { type: "checkbox", id: "links-saved", onchange: savedChanged }),
      el("label", { for: "links-saved" }, t("start.saved"))),
    el("div", { class: "actions" },
      el("button", { type: "button", id: "another", disabled: true, onclick: another }, t("start.another"))),
  );
  window.addEventListener("beforeunload", holdLinks);
  box.hidden = false;
  byId("links-head").focus();
}

byId("builtin").addEventListener("change", pickBuiltin);
byId("protocol").addEventListener("change", drawSeats);
byId("source-builtin").addEventListener("change", sourceChanged);
byId("source-upload").addEventListener("change", sourceChanged);
byId("read-files").addEventListener("click", upload);
byId("create-form").addEventListener("submit", create);
setupLanguage().then(() => {
  byId("tools").append(languageSwitch());
  loadBuiltins();
});
