// The mediator's room: its turn with the tools to carry a package on, reframe it or table a
// draft; the principals' latest positions side by side with what moved; the chart of the
// utility space once they confided; one record of the talks (filtered per principal).

import { el, fill } from "./dom.js";
import { packageList, resultBlock, worth } from "./format.js";
import { createBuilder } from "./builder.js";
import { drawChart } from "./chart.js";
import { comparePanel } from "./compare.js";
import { drawReadiness, turnHeading } from "./delegation.js";
import { partyName, t } from "./i18n.js";
import { positionsPanel } from "./positions.js";
import { profileTable } from "./profile.js";
import { turnPanel } from "./turn.js";
import { between, recordPanel } from "./timeline.js";

/** Build the mediator's page in `root`; returns update(view). */
export function mountMediator(root, first, seat) {
  const agenda = first.agenda;
  // The server values the package for each principal that confided its profile (none before).
  const builder = createBuilder(agenda, { evaluate: seat.evaluate, legend: t("builder.legend-mediator") });
  const result = el("div", { id: "result-area" });
  const turn = el("section", { id: "turn", class: "card turn", "aria-labelledby": "turn-head", "aria-live": "polite" });
  const readiness = el("div", { class: "readiness" });
  const confided = el("div", { id: "confided" });
  const chartBox = el("div", { class: "chart-box", id: "chart" });
  const principals = principalsOf(first);
  const record = recordPanel(agenda, {
    empty: t("record.not-started"),
    showValue: false,
    filters: [
      { id: "all", label: t("record.all"), keep: () => true },
      ...principals.map((party) => ({ id: `with-${party}`, label: t("record.with", { party: partyName(party) }), keep: (m) => between(m, first.party, party) })),
    ],
  });
  const positions = positionsPanel(agenda);
  const compare = comparePanel(agenda);
  const builderCard = el("section", { class: "card", "aria-labelledby": "builder-head" }, el("h2", { id: "builder-head" }, t("builder.title-mediator")), builder.element);

  root.append(
    result,
    readiness,
    el(
      "div",
      { class: "room-grid" },
      el("div", { class: "stack" }, turn, positions.element, builderCard),
      el(
        "div",
        { class: "stack" },
        el("section", { class: "card", id: "space", "aria-labelledby": "space-head" }, el("h2", { id: "space-head" }, t("chart.title")), chartBox),
        el("section", { class: "card", id: "talks-card", "aria-labelledby": "timeline-head" }, el("h2", { id: "timeline-head" }, t("record.title")), record.element),
      ),
    ),
    compare.element,
    el("details", { class: "card", id: "confided-card" }, el("summary", {}, el("h2", { id: "confided-head" }, t("confided.title"))), confided),
  );

  let turnKey = null;
  let confidedKey = null;
  let last = first;
  const offerValues = new Map();
  let chartKey = null;

  function redrawChart(force = false) {
    const view = last;
    const parties = principalsOf(view).filter((p) => p in (view.confided || {}));
    const frontier = view.frontier || [];
    if (parties.length !== 2 || !(frontier.length || (view.suggestions || []).length)) {
      chartKey = null;
      fill(chartBox, el("p", { class: "hint" }, Object.keys(view.confided || {}).length ? t("chart.need-two") : t("chart.need-confided")));
      return;
    }
    const offers = positions.latest().map(({ party, message }) => ({
      name: t("chart.offer", { party: partyName(party), seq: message.seq }),
      utilities: offerValues.get(JSON.stringify(message.package)) || {},
    }));
    const key = JSON.stringify([parties, frontier.length, view.suggestions, offers, chartBox.clientWidth]);
    if (!force && key === chartKey) return;
    chartKey = key;
    const reservations = Object.fromEntries(parties.map((p) => [p, view.confided[p].reservation]));
    fill(chartBox, drawChart(chartBox, { parties, frontier, suggestions: view.suggestions || [], reservations, offers, onPick: (pkg) => builder.set(pkg) }));
  }

  // Each principal's latest package, valued for every confided profile by the server.
  async function valueOffers() {
    for (const { message } of positions.latest()) {
      const key = JSON.stringify(message.package);
      if (offerValues.has(key)) continue;
      offerValues.set(key, {});
      try {
        const answer = await seat.evaluate(message.package);
        offerValues.set(key, Object.fromEntries(Object.entries(answer.confided || {}).map(([p, e]) => [p, e.value])));
      } catch {
        offerValues.delete(key);
      }
    }
    redrawChart();
  }

  if (typeof ResizeObserver === "function") new ResizeObserver(() => redrawChart()).observe(chartBox);

  return function update(view) {
    last = view;
    fill(result, view.result && view.result.ended ? resultBlock(agenda, view.result, { party: view.party }) : null);
    drawReadiness(readiness, view, seat);
    const key = view.pending ? `turn-${view.pending.turn}` : `wait-${view.session.status}`;
    if (key !== turnKey) {
      turnKey = key;
      fill(turn, el("h2", { id: "turn-head" }, turnHeading(view)), view.pending
        ? turnPanel(agenda, view.pending, { builder, act: seat.act, role: view.role })
        : el("p", {}, view.session.status === "running" ? t("wait.mediator") : view.session.status === "paused" ? t("wait.paused-short") : t("wait.not-running")));
      turn.classList.toggle("active", Boolean(view.pending));
      builderCard.hidden = view.session.status === "ended";
    }
    positions.update(view.messages, principalsOf(view));
    const cKey = JSON.stringify([view.confided, view.suggestions]);
    if (cKey !== confidedKey) {
      confidedKey = cKey;
      drawConfided(confided, agenda, view, builder);
    }
    redrawChart();
    if (Object.keys(view.confided || {}).length) valueOffers();
    record.update(view.messages);
    compare.update(view.messages);
  };
}

/** The principals: named by the view, else everyone this mediator has dealt with. */
function principalsOf(view) {
  if (Array.isArray(view.parties)) {
    return view.parties.filter((p) => p.role === "principal").map((p) => p.name);
  }
  const seen = new Set(Object.keys(view.confided || {}));
  const outsiders = new Set([view.party, "engine", "world"]);
  for (const m of view.messages) {
    if (m.public) continue;
    for (const name of [m.sender, ...(m.to || [])]) if (!outsiders.has(name)) seen.add(name);
  }
  for (const name of (view.pending && view.pending.to) || []) if (!outsiders.has(name)) seen.add(name);
  return [...seen];
}

function drawConfided(box, agenda, view, builder) {
  const profiles = Object.entries(view.confided || {});
  if (!profiles.length) {
    fill(box, el("p", {}, t("confided.none")));
    return;
  }
  const parts = profiles.map(([party, profile]) => profileTable(agenda, profile, { caption: t("confided.caption", { party: partyName(party) }) }));
  const suggestions = view.suggestions || [];
  const frontier = view.frontier || [];
  const parties = principalsOf(view).filter((p) => p in view.confided);
  if (suggestions.length) {
    parts.unshift(suggestionsTable(agenda, suggestions, parties, builder));
  } else if (frontier.length) {
    parts.unshift(el("p", {}, t("confided.nothing-meets")));
  } else {
    parts.unshift(el("p", {}, t("confided.wait-all")));
  }
  fill(box, parts);
}

function suggestionsTable(agenda, suggestions, parties, builder) {
  const rows = suggestions.map((s) =>
    el(
      "tr",
      {},
      el("th", { scope: "row" }, s.criterion),
      el("td", {}, packageList(agenda, s.package, "package compact")),
      parties.map((p) => el("td", { class: "num" }, worth((s.utilities || {})[p]))),
      el("td", {}, el("button", { type: "button", class: "quiet", onclick: () => builder.set(s.package) }, t("confided.load", { criterion: s.criterion }))),
    ),
  );
  return el(
    "div",
    { class: "scroll" },
    el(
      "table",
      { class: "suggestions" },
      el("caption", {}, t("confided.suggested")),
      el("thead", {}, el("tr", {}, el("th", { scope: "col" }, t("confided.criterion")), el("th", { scope: "col" }, t("confided.package")),
        parties.map((p) => el("th", { scope: "col" }, t("value.to-party", { party: partyName(p) }))), el("th", { scope: "col" }, t("confided.use")))),
      el("tbody", {}, rows),
    ),
  );
}
