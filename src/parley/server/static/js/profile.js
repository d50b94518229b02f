// A seat's confidential profile: shown to its own delegation (editable before the talks start)
// and, once confided, to the mediator. Weights, option values, red lines and the reservation
// value (BATNA) in the scenario file's own terms.

import { el, fill, freshId } from "./dom.js";
import { optionLabel, worth } from "./format.js";

/** A red line in words: its description and the options it forbids. */
export function redLineText(agenda, line) {
  if (typeof line === "string") return line;
  const description = line && line.description ? line.description : "";
  const when = line && line.when && typeof line.when === "object" ? line.when : {};
  const parts = Object.entries(when).map(([issueName, options]) => {
    const issue = agenda.find((i) => i.name === issueName);
    const labels = [].concat(options).map((o) => (issue ? optionLabel(issue, o) : String(o)));
    return `${issue ? issue.label : issueName}: ${labels.join(" or ")}`;
  });
  if (!parts.length) return description || JSON.stringify(line);
  return description ? `${description} (when ${parts.join("; ")})` : `when ${parts.join("; ")}`;
}

/** The profile as a read-only table. */
export function profileTable(agenda, profile, { caption = "Profile" } = {}) {
  const weights = profile.weights || {};
  const values = profile.values || {};
  const table = el(
    "table",
    { class: "profile" },
    el("caption", {}, caption),
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Issue"), el("th", { scope: "col" }, "Weight"), el("th", { scope: "col" }, "Option values"))),
  );
  const body = el("tbody");
  for (const issue of agenda) {
    const table_ = values[issue.name] || {};
    const options = issue.options
      .filter((o) => o.id in table_)
      .map((o) => `${o.label}: ${worth(table_[o.id])}`)
      .join(" · ");
    body.append(
      el("tr", {}, el("th", { scope: "row" }, issue.label), el("td", {}, worth(weights[issue.name])), el("td", {}, options || "—")),
    );
  }
  table.append(body);
  const wrapper = el("div", { class: "profile-block" }, el("div", { class: "scroll" }, table));
  wrapper.append(el("p", {}, "Reservation value (BATNA): ", el("strong", {}, worth(profile.reservation))));
  const lines = profile.red_lines || [];
  wrapper.append(
    lines.length
      ? el("div", {}, el("p", {}, "Red lines:"), el("ul", { class: "red-lines" }, lines.map((l) => el("li", {}, redLineText(agenda, l)))))
      : el("p", {}, "No red lines."),
  );
  return wrapper;
}

function numberField(label, value, { min = 0, max = null, step = "0.01", onInput, name }) {
  const id = freshId("num");
  const input = el("input", {
    id,
    name,
    type: "number",
    inputmode: "decimal",
    min,
    max,
    step,
    value: value === undefined || value === null ? "" : String(value),
    oninput: () => onInput(input.value === "" ? null : Number(input.value)),
  });
  return el("span", { class: "num" }, el("label", { for: id }, label), input);
}

/**
 * An editor for `profile`. `save(profile)` resolves with the profile the server kept (or
 * rejects with its reason, which is shown). Fields the editor does not know are sent back as
 * they came.
 */
export function profileEditor(agenda, profile, save) {
  const draft = structuredClone(profile);
  draft.weights = draft.weights || {};
  draft.values = draft.values || {};
  draft.red_lines = draft.red_lines ? [...draft.red_lines] : [];
  const status = el("p", { class: "save-status", role: "status", "aria-live": "polite" });
  const form = el("form", { class: "profile-editor", novalidate: true });

  const body = el("tbody");
  for (const issue of agenda) {
    const values = (draft.values[issue.name] = draft.values[issue.name] || {});
    const optionFields = issue.options
      .filter((option) => option.id in values || !Object.keys(values).length)
      .map((option) =>
        numberField(option.label, values[option.id], {
          max: 1,
          name: `value-${issue.name}-${option.id}`,
          onInput: (v) => {
            if (v === null) delete values[option.id];
            else values[option.id] = v;
          },
        }),
      );
    body.append(
      el(
        "tr",
        {},
        el("th", { scope: "row" }, issue.label),
        el(
          "td",
          {},
          numberField(`Weight of ${issue.label}`, draft.weights[issue.name], {
            name: `weight-${issue.name}`,
            onInput: (v) => {
              draft.weights[issue.name] = v === null ? 0 : v;
            },
          }),
        ),
        el("td", { class: "option-values" }, optionFields.length ? optionFields : "set by the scenario"),
      ),
    );
  }
  form.append(
    el("div", { class: "scroll" }, el(
      "table",
      { class: "profile editable" },
      el("caption", {}, "Weights and option values (0 = worst, 1 = best)"),
      el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Issue"), el("th", { scope: "col" }, "Weight"), el("th", { scope: "col" }, "Option values"))),
      body,
    )),
  );
  form.append(
    el("p", {}, numberField("Reservation value (BATNA): the least a deal must be worth to you", draft.reservation, {
      max: 1,
      name: "reservation",
      onInput: (v) => {
        draft.reservation = v === null ? 0 : v;
      },
    })),
  );
  const lines = el("ul", { class: "red-lines" });
  form.append(el("h3", {}, "Red lines"), lines, redLineAdder(agenda, (line) => {
    draft.red_lines.push(line);
    drawLines();
  }));
  function drawLines() {
    fill(
      lines,
      draft.red_lines.length
        ? draft.red_lines.map((line, index) =>
            el("li", {}, redLineText(agenda, line), " ", el("button", {
              type: "button",
              class: "quiet",
              "aria-label": `Remove red line: ${redLineText(agenda, line)}`,
              onclick: () => {
                draft.red_lines.splice(index, 1);
                drawLines();
              },
            }, "Remove")),
          )
        : el("li", { class: "none" }, "No red lines."),
    );
  }
  drawLines();

  const saveButton = el("button", { type: "submit", class: "primary" }, "Save my profile");
  form.append(el("div", { class: "actions" }, saveButton, status));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    saveButton.disabled = true;
    fill(status, "Saving…");
    try {
      await save(draft);
      fill(status, "Saved. Only you can see this profile.");
    } catch (error) {
      fill(status, `Not saved: ${error.message}`);
    } finally {
      saveButton.disabled = false;
    }
  });
  return form;
}

/** A small form that adds a red line: a description and the options of one issue it forbids. */
function redLineAdder(agenda, add) {
  const describeId = freshId("redline-text");
  const issueId = freshId("redline-issue");
  const description = el("input", { id: describeId, type: "text", maxlength: 200, placeholder: "e.g. No deal that ends enrichment" });
  const options = el("div", { class: "checks" });
  const issueSelect = el(
    "select",
    { id: issueId, onchange: () => drawOptions() },
    agenda.map((issue) => el("option", { value: issue.name }, issue.label)),
  );
  function drawOptions() {
    const issue = agenda.find((i) => i.name === issueSelect.value);
    fill(
      options,
      issue
        ? issue.options.map((option) => {
            const id = freshId("redline-opt");
            return el("span", { class: "check" }, el("input", { type: "checkbox", id, value: String(option.id) }), el("label", { for: id }, option.label));
          })
        : [],
    );
  }
  drawOptions();
  const note = el("p", { class: "hint", "aria-live": "polite" });
  const button = el("button", {
    type: "button",
    onclick: () => {
      const issue = agenda.find((i) => i.name === issueSelect.value);
      // Option ids keep their type: numbers for integer and real issues.
      const picked = [...options.querySelectorAll("input:checked")].map(
        (box) => (issue.options.find((o) => String(o.id) === box.value) || { id: box.value }).id,
      );
      if (!description.value.trim() || !picked.length) {
        fill(note, "Give the red line a description and tick at least one option it forbids.");
        return;
      }
      add({ description: description.value.trim(), when: { [issueSelect.value]: picked } });
      description.value = "";
      for (const box of options.querySelectorAll("input:checked")) box.checked = false;
      fill(note, "Red line added; save your profile to keep it.");
    },
  }, "Add red line");
  return el(
    "fieldset",
    { class: "redline-adder" },
    el("legend", {}, "Add a red line (a package you will never accept)"),
    el("div", { class: "field" }, el("label", { for: describeId }, "Description"), description),
    el("div", { class: "field" }, el("label", { for: issueId }, "Issue"), issueSelect),
    el("div", { class: "field" }, el("span", { class: "label" }, "Options it forbids"), options),
    button,
    note,
  );
}
