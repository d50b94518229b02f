// The proposal builder: one choice per issue, and what the package is worth to this seat as it
// is built (asked of the server, which alone holds the profile's arithmetic).

import { debounce, el, fill, freshId } from "./dom.js";
import { worth } from "./format.js";
import { label, partyName, t } from "./i18n.js";

const RETRY_MS = 2000;

/**
 * A builder for `agenda`. `evaluate(package)` (optional) resolves with the server's
 * {value, complete, reservation, red_lines_crossed, impossible, acceptable, confided}; without it the
 * builder shows no value. A principal's answer is its own value; a mediator's (`value` null)
 * carries in `confided` the value to each principal that confided its profile, and nothing
 * before one did.
 */
export function createBuilder(agenda, { evaluate = null, legend = t("builder.legend"), idPrefix = "build" } = {}) {
  const chosen = {};
  const selects = new Map();
  const listeners = [];
  const output = el("output", { class: "evaluation", "aria-live": "polite" });
  const warnings = el("ul", { class: "warnings", "aria-live": "polite" });
  let asked = 0;

  const grid = el("div", { class: "builder-grid" });
  for (const issue of agenda) {
    const id = freshId(`${idPrefix}-${issue.name}`);
    if (!issue.options.length) {
      // An integer issue too wide to list: the person types the number.
      const input = el("input", {
        id,
        name: issue.name,
        type: "number",
        step: issue.type === "integer" ? "1" : "any",
        dataset: { issue: issue.name },
        oninput: () => changed(issue, input.value),
      });
      selects.set(issue.name, input);
      grid.append(el("div", { class: "field" }, el("label", { for: id }, label(issue)), input));
      continue;
    }
    const select = el(
      "select",
      { id, name: issue.name, dataset: { issue: issue.name }, onchange: () => changed(issue, select.value) },
      el("option", { value: "" }, t("builder.not-chosen")),
      issue.options.map((option) => el("option", { value: String(option.id) }, label(option))),
    );
    selects.set(issue.name, select);
    grid.append(el("div", { class: "field" }, el("label", { for: id }, label(issue)), select));
  }
  const clear = el("button", { type: "button", class: "quiet", onclick: () => set(null) }, t("builder.clear"));
  const element = el(
    "fieldset",
    { class: "builder" },
    el("legend", {}, legend),
    grid,
    el("div", { class: "builder-foot" }, output, clear),
    warnings,
  );

  const refresh = debounce(async () => {
    if (!evaluate) return;
    const ticket = ++asked;
    const pkg = { ...chosen };
    if (!Object.keys(pkg).length) {
      fill(output, t("builder.choose"));
      fill(warnings);
      return;
    }
    try {
      const answer = await evaluate(pkg);
      if (ticket === asked) show(answer);
    } catch (error) {
      if (ticket !== asked) return;
      fill(output, t("builder.cannot-evaluate", { error: error.message }));
      // The server was out of reach (a restart, a dropped network): ask again shortly, unless
      // the package changed meanwhile (that asks anew anyway).
      if (error.status === 0) setTimeout(() => ticket === asked && refresh(), RETRY_MS);
    }
  }, 250);

  function show(answer) {
    if (answer.value === null && answer.confided) {
      showConfided(answer);
      return;
    }
    const said = answer.complete ? t("value.to-you") : t("builder.so-far");
    fill(output, said, " ", el("strong", { class: "package-value" }, worth(answer.value)));
    if (answer.complete && typeof answer.reservation === "number") {
      output.append(" · ", t("builder.your-reservation"), " ", el("span", { class: "builder-reservation" }, worth(answer.reservation)));
    }
    const items = [
      ...impossible(answer),
      ...(answer.red_lines_crossed || []).map((text) =>
        el("li", { class: "red-line" }, t("builder.crosses-yours", { line: text })),
      ),
    ];
    if (answer.complete && answer.acceptable === false && !items.length) {
      items.push(el("li", { class: "below" }, t("builder.below")));
    }
    fill(warnings, items);
  }

  // The mediator's view: what the package is worth to each principal that confided.
  function showConfided(answer) {
    const parties = Object.entries(answer.confided);
    if (!parties.length) {
      fill(output, t("builder.none-confided"));
      fill(warnings, impossible(answer));
      return;
    }
    const key = answer.complete ? "value.to-party" : "builder.to-party-so-far";
    fill(output, parties.map(([party, e], i) => [
      i ? " · " : "",
      t(key, { party: partyName(party) }), " ",
      el("strong", { class: "package-value", dataset: { party } }, worth(e.value)),
    ]));
    const items = impossible(answer);
    for (const [party, e] of parties) {
      for (const text of e.red_lines_crossed || []) items.push(el("li", { class: "red-line" }, t("builder.crosses-party", { party: partyName(party), line: text })));
      if (e.complete && !e.acceptable && !(e.red_lines_crossed || []).length) {
        items.push(el("li", { class: "below" }, t("builder.below-party", { party: partyName(party), reservation: worth(e.reservation) })));
      }
    }
    fill(warnings, items);
  }

  // A package that breaks a constraint of the scenario cannot be put on the table at all.
  function impossible(answer) {
    return (answer.impossible || []).map((text) => el("li", { class: "impossible" }, t("builder.impossible", { why: text })));
  }

  // Option ids keep their type (text for discrete issues, numbers for integer and real ones).
  function optionId(issue, text) {
    if (!issue.options.length) return Number(text);
    const option = issue.options.find((o) => String(o.id) === text);
    return option ? option.id : text;
  }

  function changed(issue, text) {
    if (text === "") delete chosen[issue.name];
    else chosen[issue.name] = optionId(issue, text);
    notify();
  }

  function set(pkg) {
    for (const key of Object.keys(chosen)) delete chosen[key];
    for (const issue of agenda) {
      const select = selects.get(issue.name);
      const given = pkg ? pkg[issue.name] : undefined;
      const text = given !== undefined && given !== null ? String(given) : "";
      select.value = text;
      // An option the agenda does not list (a wide integer issue) cannot be chosen here.
      if (text && select.value === text) chosen[issue.name] = optionId(issue, text);
    }
    notify();
  }

  function notify() {
    // Long option labels (muscat-2026) are cut off in a closed select: the tooltip holds all.
    for (const select of selects.values()) select.title = select.selectedOptions?.[0]?.text || "";
    refresh();
    for (const listener of listeners) listener();
  }

  if (!evaluate) output.hidden = true;
  refresh();
  return {
    element,
    set,
    /** Ask the server again (the seat's profile or reservation changed since the last answer). */
    refresh,
    get package() {
      return { ...chosen };
    },
    get complete() {
      return agenda.every((issue) => issue.name in chosen);
    },
    onChange(listener) {
      listeners.push(listener);
    },
  };
}
