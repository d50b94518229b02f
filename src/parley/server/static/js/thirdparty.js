// A third party's room (the six-state group in Muscat): what is public to it, its framework
// text (a package, covering some issues or all) to table or revise on its turn, and how each
// principal answered every framework it tabled. Endorsements reach the third party alone.

import { el, fill, freshId } from "./dom.js";
import { label, partyName, t } from "./i18n.js";
import { packageList } from "./format.js";
import { createBuilder } from "./builder.js";
import { answerButtons, drawResult, messageCard, ownProfileCard, textBox, turnCard, waitingText } from "./seatparts.js";

/** Build the third party's page in `root`; returns update(view). */
export function mountThirdParty(root, first, seat) {
  const agenda = first.agenda;
  const builder = createBuilder(agenda, { evaluate: first.profile ? seat.evaluate : null, legend: t("third.legend"), idPrefix: "framework" });
  const covers = coversChoice(agenda);
  const result = el("div", { id: "result-area" });
  const turn = turnCard((view) => turnPanel(view, agenda, builder, covers, seat), (view) =>
    waitingText(view, t("third.waiting")));
  const endorsements = el("div", { id: "endorsements-body" });
  const timeline = messageCard("timeline", t("third.public"), null, { long: true });
  const profile = ownProfileCard(agenda, seat, t("third.profile-hint"));

  root.append(
    result,
    turn.element,
    el("section", { class: "card", id: "framework", "aria-labelledby": "framework-head" },
      el("h2", { id: "framework-head" }, t("third.framework-title")),
      el("p", { class: "hint" }, t("third.framework-hint")),
      builder.element, covers.element),
    el("section", { class: "card", id: "endorsements", "aria-labelledby": "endorsements-head" },
      el("h2", { id: "endorsements-head" }, t("third.endorsements")), endorsements),
    timeline.element,
    profile.element,
  );

  return function update(view) {
    drawResult(result, agenda, view);
    turn.update(view);
    fill(endorsements, endorsementTables(agenda, view));
    timeline.update(agenda, view.messages, t("third.nothing"));
    profile.update(view);
    builder.element.closest("section").hidden = view.session.status === "ended";
  };
}

function turnPanel(view, agenda, builder, covers, seat) {
  const pending = view.pending;
  const said = textBox(t("third.say"), t("third.say-placeholder"));
  const choices = [
    { kind: "framework", label: t("third.table"), cls: "primary" },
    { kind: "pass", label: t("third.pass") },
  ];
  const body = (kind) => {
    if (kind !== "framework") return {};
    if (!builder.complete) return t("third.choose-every");
    const chosen = covers.value;
    return { package: builder.package, text: said.box.value.trim(), ...(chosen.length ? { covers: chosen } : {}) };
  };
  return el("div", { class: "turn-body" },
    el("p", { class: "prompt" }, pending.prompt || t("turn.default-prompt")),
    said.element,
    answerButtons(pending, choices, body, seat.act));
}

/** Which issues the framework covers: none ticked means every issue. */
function coversChoice(agenda) {
  const boxes = agenda.map((issue) => {
    const id = freshId("covers");
    const box = el("input", { type: "checkbox", id, name: "covers", value: issue.name });
    return { box, element: el("span", { class: "check" }, box, el("label", { for: id }, label(issue))) };
  });
  const element = el("fieldset", { class: "covers", id: "covers" },
    el("legend", {}, t("third.covers-legend")),
    el("div", { class: "checks" }, boxes.map((b) => b.element)));
  return {
    element,
    get value() {
      return boxes.filter((b) => b.box.checked).map((b) => b.box.value);
    },
  };
}

/** One table per framework this seat tabled: each principal's answer, and whether it binds. */
function endorsementTables(agenda, view) {
  const principals = (view.parties || []).filter((p) => p.role === "principal").map((p) => p.name);
  const tabled = view.messages.filter((m) => m.kind === "framework" && m.sender === view.party && m.package);
  if (!tabled.length) return el("p", { class: "none" }, t("third.none-tabled"));
  return tabled.map((framework, i) => {
    const next = tabled[i + 1] ? tabled[i + 1].seq : Infinity;
    const answers = view.messages.filter((m) => (m.kind === "endorse" || m.kind === "decline")
      && m.seq > framework.seq && m.seq < next && (m.to || []).includes(view.party));
    const bound = view.messages.some((m) => m.kind === "event" && m.data && m.data.event === "bound"
      && m.data.by === view.party && m.seq > framework.seq && m.seq < next);
    const covered = framework.data && framework.data.covers ? String(framework.data.covers).split(",") : [];
    const rows = principals.map((name) => {
      const answer = answers.find((m) => m.sender === name);
      const word = !answer ? "not-yet-answered" : answer.kind === "endorse" ? "endorsed" : "declined";
      return el("tr", { dataset: { party: name } }, el("th", { scope: "row" }, partyName(name)), el("td", { class: `answer ${word}` }, t(`third.${word}`)));
    });
    return el("div", { class: `framework-record${bound ? " bound" : ""}`, dataset: { seq: framework.seq } },
      el("h3", {}, t("third.framework-n", { n: i + 1, round: framework.round }), bound ? ` — ${t("third.binds")}` : ""),
      el("p", { class: "hint" }, covered.length ? t("third.covers", { issues: covered.map((id) => labelOf(agenda, id)).join(t("list.sep")) }) : t("third.covers-all")),
      el("details", {}, el("summary", {}, t("third.the-text")), packageList(agenda, framework.package)),
      el("table", { class: "endorsement" },
        el("thead", {}, el("tr", {}, el("th", { scope: "col" }, t("third.principal")), el("th", { scope: "col" }, t("third.answer")))),
        el("tbody", {}, rows)));
  });
}

function labelOf(agenda, id) {
  const issue = agenda.find((i) => i.name === id);
  return issue ? label(issue) : id;
}
