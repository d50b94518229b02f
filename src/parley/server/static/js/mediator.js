// The mediator's room: its turn with the tools to carry a package on, reframe it or table a
// draft; one private channel per principal side by side; and, once principals confide, their
// profiles and the packages suggested for them with each party's utility.

import { el, fill } from "./dom.js";
import { packageList, resultBlock, worth } from "./format.js";
import { createBuilder } from "./builder.js";
import { drawReadiness, turnHeading } from "./delegation.js";
import { profileTable } from "./profile.js";
import { turnPanel } from "./turn.js";
import { between, drawMessages } from "./timeline.js";

const SVG = "http://www.w3.org/2000/svg";

/** Build the mediator's page in `root`; returns update(view). */
export function mountMediator(root, first, seat) {
  const agenda = first.agenda;
  // The server values the package for each principal that confided its profile (none before).
  const builder = createBuilder(agenda, { evaluate: seat.evaluate, legend: "Reframe or draft: choose one option per issue" });
  const result = el("div", { id: "result-area" });
  const turn = el("section", { id: "turn", class: "card turn", "aria-labelledby": "turn-head", "aria-live": "polite" });
  const readiness = el("div", { class: "readiness" });
  const channels = el("div", { class: "channels", id: "channels" });
  const confided = el("div", { id: "confided" });
  const timeline = el("ol", { class: "messages timeline", id: "timeline" });

  root.append(
    result,
    readiness,
    turn,
    el("section", { class: "card", "aria-labelledby": "builder-head" }, el("h2", { id: "builder-head" }, "Package builder"), builder.element),
    el("section", { class: "card", "aria-labelledby": "channels-head" }, el("h2", { id: "channels-head" }, "Private channels"), channels),
    el("section", { class: "card", "aria-labelledby": "confided-head" }, el("h2", { id: "confided-head" }, "Confided profiles and suggested packages"), confided),
    el("section", { class: "card", "aria-labelledby": "timeline-head" }, el("h2", { id: "timeline-head" }, "Timeline of the talks"), timeline),
  );

  const lists = new Map();
  let turnKey = null;
  let confidedKey = null;

  return function update(view) {
    fill(result, view.result && view.result.ended ? resultBlock(agenda, view.result, { party: view.party }) : null);
    drawReadiness(readiness, view, seat);
    const key = view.pending ? `turn-${view.pending.turn}` : `wait-${view.session.status}`;
    if (key !== turnKey) {
      turnKey = key;
      fill(turn, el("h2", { id: "turn-head" }, turnHeading(view)), view.pending
        ? turnPanel(agenda, view.pending, { builder, act: seat.act, role: view.role })
        : el("p", {}, view.session.status === "running" ? "A delegation is considering its answer." : view.session.status === "paused" ? "The facilitator has paused the talks." : "The talks are not running."));
      turn.classList.toggle("active", Boolean(view.pending));
      builder.element.closest("section").hidden = view.session.status === "ended";
    }
    for (const party of principalsOf(view)) {
      if (!lists.has(party)) {
        const list = el("ol", { class: "messages", dataset: { party } });
        lists.set(party, list);
        channels.append(el("section", { class: "channel", "aria-label": `Channel with ${party}` }, el("h3", {}, `With ${party}`), list));
      }
      drawMessages(lists.get(party), agenda, view.messages.filter((m) => between(m, view.party, party)), {
        empty: `Nothing exchanged with ${party} yet.`,
        showValue: false,
      });
    }
    const cKey = JSON.stringify([view.confided, view.suggestions, view.frontier]);
    if (cKey !== confidedKey) {
      confidedKey = cKey;
      drawConfided(confided, agenda, view, builder);
    }
    drawMessages(timeline, agenda, view.messages, { empty: "The talks have not started.", showValue: false });
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
    fill(box, el("p", {}, "No principal has confided its profile to you."));
    return;
  }
  const parts = profiles.map(([party, profile]) => profileTable(agenda, profile, { caption: `${party}'s confided profile` }));
  const suggestions = view.suggestions || [];
  const frontier = view.frontier || [];
  const parties = principalsOf(view).filter((p) => p in view.confided);
  if (suggestions.length) {
    parts.push(suggestionsTable(agenda, suggestions, parties, builder));
  } else if (frontier.length) {
    parts.push(el("p", {}, "No package meets every confided reservation value: there is nothing to suggest."));
  } else {
    parts.push(el("p", {}, "Suggested packages and the frontier appear once every principal has confided."));
  }
  if (parties.length === 2 && (suggestions.length || frontier.length)) {
    parts.push(utilityPlot(suggestions, parties, frontier, builder));
  } else if (frontier.length) {
    parts.push(el("p", { class: "hint" }, `The Pareto frontier has ${frontier.length} points (drawn for two principals only).`));
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
      el("td", {}, el("button", { type: "button", class: "quiet", onclick: () => builder.set(s.package) }, `Load ${s.criterion} into the builder`)),
    ),
  );
  return el(
    "div",
    { class: "scroll" },
    el(
      "table",
      { class: "suggestions" },
      el("caption", {}, "Suggested packages (from the confided profiles)"),
      el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Criterion"), el("th", { scope: "col" }, "Package"),
        parties.map((p) => el("th", { scope: "col" }, `Worth to ${p}`)), el("th", { scope: "col" }, "Use"))),
      el("tbody", {}, rows),
    ),
  );
}

/** The suggested packages and the Pareto frontier in two parties' utilities; a click on a
 * frontier point loads its package into the builder. */
function utilityPlot(suggestions, parties, frontier, builder) {
  const size = 260;
  const pad = 36;
  const scale = (u) => pad + u * (size - 2 * pad);
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${size} ${size}`);
  svg.setAttribute("class", "plot");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", `Pareto frontier and suggested packages: ${parties[0]}'s utility across, ${parties[1]}'s up`);
  const add = (tag, attrs, text) => {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
    if (text) node.textContent = text;
    svg.append(node);
    return node;
  };
  add("rect", { x: pad, y: pad, width: size - 2 * pad, height: size - 2 * pad, class: "frame" });
  add("text", { x: size / 2, y: size - 8, "text-anchor": "middle" }, parties[0]);
  add("text", { x: 12, y: size / 2, "text-anchor": "middle", transform: `rotate(-90 12 ${size / 2})` }, parties[1]);
  const line = frontier
    .map((f) => ({ at: [(f.utilities || {})[parties[0]], (f.utilities || {})[parties[1]]], pkg: f.package }))
    .filter((p) => p.at.every((u) => typeof u === "number"))
    .sort((a, b) => a.at[0] - b.at[0]);
  if (line.length > 1) {
    add("polyline", { points: line.map(({ at: [x, y] }) => `${scale(x)},${scale(1 - y)}`).join(" "), class: "frontier" });
  }
  for (const { at: [x, y], pkg } of line) {
    const dot = add("circle", { cx: scale(x), cy: scale(1 - y), r: 2.5, class: "frontier-point" });
    const tip = document.createElementNS(SVG, "title");
    tip.textContent = `${parties[0]} ${worth(x)}, ${parties[1]} ${worth(y)}: click to load into the builder`;
    dot.append(tip);
    if (pkg) dot.addEventListener("click", () => builder.set(pkg));
  }
  for (const [tick, at] of [["0", 0], ["1", 1]]) {
    add("text", { x: scale(at), y: size - pad + 14, "text-anchor": "middle" }, tick);
    add("text", { x: pad - 6, y: scale(1 - at) + 4, "text-anchor": "end" }, tick);
  }
  // Criteria that pick the same package share one point and one label.
  const points = new Map();
  for (const s of suggestions) {
    const u = s.utilities || {};
    const key = `${u[parties[0]] ?? 0}|${u[parties[1]] ?? 0}`;
    if (!points.has(key)) points.set(key, { u, names: [] });
    points.get(key).names.push(s.criterion);
  }
  for (const { u, names } of points.values()) {
    const x = scale(u[parties[0]] ?? 0);
    const y = scale(1 - (u[parties[1]] ?? 0));
    add("circle", { cx: x, cy: y, r: 4, class: "point" });
    add("text", { x: x + 6, y: y - 6, class: "point-label" }, names.join(", "));
  }
  return el("figure", { class: "plot-figure" }, svg, el("figcaption", {}, `Worth to the two principals (0 to 1): the labelled points are the suggestions, the dashed line the Pareto frontier of the confided profiles (${line.length} points; click one to load it).`));
}
