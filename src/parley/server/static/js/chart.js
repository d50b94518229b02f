// The mediator's chart of the utility space of two principals who confided: the Pareto
// frontier, the suggested packages (nash, kalai, maximin), each side's reservation value as a
// line, and the packages on the table. Drawn at the size of its box (one SVG unit = one pixel,
// so the text stays legible), redrawn when the box changes size; labels are placed so that
// none overlaps another (greedily, nearest free spot first, with a leader line when moved).

import { el } from "./dom.js";
import { worth } from "./format.js";
import { partyName, t } from "./i18n.js";

const SVG = "http://www.w3.org/2000/svg";
const FONT = 12;
const GAP = 3;

let measurer = null;
/** A label's width in pixels at the chart's font (a canvas measures it without drawing). */
function textWidth(text) {
  measurer = measurer || document.createElement("canvas").getContext("2d");
  measurer.font = `${FONT}px ${getComputedStyle(document.documentElement).fontFamily || "sans-serif"}`;
  return measurer.measureText(text).width;
}

function overlaps(a, b) {
  return a.x < b.x + b.w + GAP && b.x < a.x + a.w + GAP && a.y < b.y + b.h + GAP && b.y < a.y + a.h + GAP;
}

/**
 * Where each label goes: `labels` are {x, y, text} anchored at a point; `taken` boxes are
 * already occupied; `bounds` the drawable box. Returns {x, y, w, h, moved} per label (x, y the
 * top-left of its box), none overlapping another or a taken box, all inside the bounds.
 */
export function placeLabels(labels, taken, bounds) {
  const placed = [...taken];
  const out = [];
  for (const item of labels) {
    const w = textWidth(item.text);
    const h = FONT + 2;
    let spot = null;
    for (let ring = 0; ring < 40 && !spot; ring += 1) {
      const d = 6 + ring * (h / 2 + GAP);
      const tries = [
        [item.x + d, item.y - d - h], [item.x + d, item.y + d], [item.x - d - w, item.y - d - h], [item.x - d - w, item.y + d],
        [item.x + d, item.y - h / 2], [item.x - d - w, item.y - h / 2], [item.x - w / 2, item.y - d - h], [item.x - w / 2, item.y + d],
      ];
      for (const [x, y] of tries) {
        const box = { x, y, w, h };
        const inside = x >= bounds.x && y >= bounds.y && x + w <= bounds.x + bounds.w && y + h <= bounds.y + bounds.h;
        if (inside && !placed.some((p) => overlaps(p, box))) {
          spot = { ...box, moved: ring > 1 };
          break;
        }
      }
    }
    if (!spot) continue; // no room anywhere: the legend below the chart names it still
    placed.push(spot);
    out.push({ ...spot, item });
  }
  return out;
}

/**
 * The chart in `box` (a block element): `parties` two names, `frontier` [{package, utilities}],
 * `suggestions` [{criterion, utilities}], `reservations` {party: value}, `offers`
 * [{name, utilities}], `onPick(package)` for a click on a frontier point.
 */
export function drawChart(box, { parties, frontier, suggestions, reservations, offers, onPick }) {
  const width = Math.max(260, Math.floor(box.clientWidth || 320));
  const height = Math.min(width, Math.max(260, Math.floor(window.innerHeight * 0.7)));
  const left = 44;
  const right = 12;
  const top = 12;
  const bottom = 40;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const sx = (u) => left + u * plotW;
  const sy = (u) => top + (1 - u) * plotH;
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("width", String(width));
  svg.setAttribute("height", String(height));
  svg.setAttribute("class", "plot");
  svg.setAttribute("role", "img");
  const [a, b] = parties;
  svg.setAttribute("aria-label", t("chart.aria", { a: partyName(a), b: partyName(b) }));
  const add = (tag, attrs, text) => {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = text;
    svg.append(node);
    return node;
  };
  const tip = (node, text) => {
    const title = document.createElementNS(SVG, "title");
    title.textContent = text;
    node.append(title);
  };
  add("rect", { x: left, y: top, width: plotW, height: plotH, class: "frame" });
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    add("line", { x1: sx(tick), x2: sx(tick), y1: top, y2: top + plotH, class: "grid" });
    add("line", { x1: left, x2: left + plotW, y1: sy(tick), y2: sy(tick), class: "grid" });
  }
  // Axis words and ticks are fixed; the point labels must keep clear of them.
  const taken = [];
  const fixedText = (x, y, text, anchor, cls) => {
    const w = textWidth(text);
    const x0 = anchor === "middle" ? x - w / 2 : anchor === "end" ? x - w : x;
    taken.push({ x: x0, y: y - FONT, w, h: FONT + 2 });
    return add("text", { x, y, "text-anchor": anchor, class: cls || "" }, text);
  };
  for (const tick of [0, 0.5, 1]) {
    fixedText(sx(tick), top + plotH + 14, String(tick), "middle", "tick");
    fixedText(left - 6, sy(tick) + 4, String(tick), "end", "tick");
  }
  fixedText(left + plotW / 2, height - 6, t("chart.axis", { party: partyName(a) }), "middle", "axis");
  // The vertical axis's words run up the left edge (rotated: kept clear by the margin).
  const yWords = t("chart.axis", { party: partyName(b) });
  add("text", { x: 12, y: top + plotH / 2, "text-anchor": "middle", class: "axis", transform: `rotate(-90 12 ${top + plotH / 2})` }, yWords);

  const labels = [];
  // Reservation lines: below a line, that side would rather have no deal.
  const ra = reservations[a];
  const rb = reservations[b];
  if (typeof ra === "number") {
    add("line", { x1: sx(ra), x2: sx(ra), y1: top, y2: top + plotH, class: "reservation" });
    labels.push({ x: sx(ra), y: top + 8, text: t("chart.reservation", { party: partyName(a), value: worth(ra) }), cls: "reservation-label" });
  }
  if (typeof rb === "number") {
    add("line", { x1: left, x2: left + plotW, y1: sy(rb), y2: sy(rb), class: "reservation" });
    labels.push({ x: left + plotW - 8, y: sy(rb), text: t("chart.reservation", { party: partyName(b), value: worth(rb) }), cls: "reservation-label" });
  }
  const line = frontier
    .map((f) => ({ at: [(f.utilities || {})[a], (f.utilities || {})[b]], pkg: f.package }))
    .filter((p) => p.at.every((u) => typeof u === "number"))
    .sort((p, q) => p.at[0] - q.at[0]);
  if (line.length > 1) add("polyline", { points: line.map(({ at: [x, y] }) => `${sx(x)},${sy(y)}`).join(" "), class: "frontier" });
  for (const { at: [x, y], pkg } of line) {
    const dot = add("circle", { cx: sx(x), cy: sy(y), r: 3.5, class: "frontier-point" });
    tip(dot, t("chart.frontier-tip", { a: partyName(a), b: partyName(b), x: worth(x), y: worth(y) }));
    if (pkg && onPick) dot.addEventListener("click", () => onPick(pkg));
  }
  // Criteria that pick the same package share one point and one label.
  const points = new Map();
  for (const s of suggestions) {
    const u = s.utilities || {};
    const key = `${u[a] ?? 0}|${u[b] ?? 0}`;
    if (!points.has(key)) points.set(key, { u, names: [], pkg: s.package });
    points.get(key).names.push(s.criterion);
  }
  for (const { u, names, pkg } of points.values()) {
    const x = sx(u[a] ?? 0);
    const y = sy(u[b] ?? 0);
    const dot = add("circle", { cx: x, cy: y, r: 5, class: "point" });
    tip(dot, `${names.join(", ")}: ${worth(u[a])}, ${worth(u[b])}`);
    if (pkg && onPick) dot.addEventListener("click", () => onPick(pkg));
    labels.push({ x, y, text: names.join(" = "), cls: "point-label" });
  }
  for (const offer of offers) {
    const u = offer.utilities || {};
    if (typeof u[a] !== "number" || typeof u[b] !== "number") continue;
    const x = sx(u[a]);
    const y = sy(u[b]);
    const mark = add("rect", { x: x - 5, y: y - 5, width: 10, height: 10, class: "offer", transform: `rotate(45 ${x} ${y})` });
    tip(mark, `${offer.name}: ${worth(u[a])}, ${worth(u[b])}`);
    labels.push({ x, y, text: offer.name, cls: "offer-label" });
  }
  for (const spot of placeLabels(labels, taken, { x: 0, y: 0, w: width, h: height })) {
    if (spot.moved) {
      const cx = Math.min(Math.max(spot.item.x, spot.x), spot.x + spot.w);
      const cy = Math.min(Math.max(spot.item.y, spot.y), spot.y + spot.h);
      add("line", { x1: spot.item.x, y1: spot.item.y, x2: cx, y2: cy, class: "leader" });
    }
    add("text", { x: spot.x, y: spot.y + FONT - 1, class: `label ${spot.item.cls}` }, spot.item.text);
  }
  return el(
    "figure",
    { class: "plot-figure" },
    svg,
    el("figcaption", { class: "hint" }, t("chart.caption", { a: partyName(a), b: partyName(b), points: line.length })),
  );
}
