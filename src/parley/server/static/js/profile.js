// A seat's confidential profile: shown to its own delegation (editable before the talks start)
// and, once confided, to the mediator. Weights, option values, red lines and the reservation
// value (BATNA) in the scenario file's own terms.

import { el, fill, freshId } from "./dom.js";
import { optionLabel, worth } from "./format.js";
import { label, t } from "./i18n.js";

/** A red line in words: its description and the options it forbids. */
export function redLineText(agenda, line) {
  if (typeof line === "string") return line;
  const description = line && line.description ? line.description : "";
  const when = line && line.when && typeof line.when === "object" ? line.when : {};
  const parts = Object.entries(when).map(([issueName, options]) => {
    const issue = agenda.find((i) => i.name === issueName);
    const labels = [].concat(options).map((o) => (issue ? optionLabel(issue, o) : String(o)));
    return `${issue ? label(issue) : issueName}: ${labels.join(t("profile.or"))}`;
  });
  if (!parts.length) return description || JSON.stringify(line);
  return description ? t("profile.red-line-when", { description, when: parts.join("; ") }) : t("profile.when", { when: parts.join("; ") });
}

/** The profile as a read-only table. */
export function profileTable(agenda, profile, { caption = t("profile.caption") } = {}) {
  const weights = profile.weights || {};
  const values = profile.values || {};
  const table = el(
    "table",
    { class: "profile" },
    el("caption", {}, caption),
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, t("profile.issue")), el("th", { scope: "col" }, t("profile.weight")), el("th", { scope: "col" }, t("profile.option-values")))),
  );
  const body = el("tbody");
  for (const issue of agenda) {
    const table_ = values[issue.name] || {};
    const options = issue.options
      .filter((o) => o.id in table_)
      .map((o) => `${label(o)}: ${worth(table_[o.id])}`)
      .join(" · ");
    body.append(
      el("tr", {}, el("th", { scope: "row" }, label(issue)), el("td", {}, worth(weights[issue.name])), el("td", {}, options || "—")),
    );
  }
  table.append(body);
  const wrapper = el("div", { class: "profile-block" }, el("div", { class: "scroll" }, table));
  wrapper.append(el("p", {}, t("profile.reservation"), " ", el("strong", {}, worth(profile.reservation))));
  const lines = profile.red_lines || [];
  wrapper.append(
    lines.length
      ? el("div", {}, el("p", {}, t("profile.red-lines-colon")), el("ul", { class: "red-lines" }, lines.map((l) => el("li", {}, redLineText(agenda, l)))))
      : el("p", {}, t("profile.no-red-lines")),
  );
  return wrapper;
}

function numberField(text, value, { min = 0, max = null, step = "0.01", onInput, name }) {
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
  return el("span", { class: "num" }, el("label", { for: id }, text), input);
}

/**
 * An editor for `profile`. `save(profile)` resolves with the profile the server kept (or
 * rejects with its reason, which is shown). Fields the editor does not know are sent back as
 * they came.
 */
export function profileEditor(agenda, profile, save, { now = null } = {}) {
  const draft = structuredClone(profile);
  draft.weights = draft.weights || {};
  draft.values = draft.values || {};
  draft.red_lines = draft.red_lines ? [...draft.red_lines] : [];
  const status = el("p", { class: "save-status", role: "status", "aria-live": "polite" });
  const form = el("form", { class: "profile-editor", novalidate: true });

  const body = el("div", { class: "profile editable" });
  for (const issue of agenda) {
    const values = (draft.values[issue.name] = draft.values[issue.name] || {});
    const optionFields = issue.options
      .filter((option) => option.id in values || !Object.keys(values).length)
      .map((option) =>
        numberField(label(option), values[option.id], {
          max: 1,
          name: `value-${issue.name}-${option.id}`,
          onInput: (v) => {
            if (v === null) delete values[option.id];
            else values[option.id] = v;
          },
        }),
      );
    // One block per issue (no table): option labels wrap in full at any width.
    body.append(
      el(
        "fieldset",
        { class: "issue-values" },
        el("legend", {}, label(issue)),
        numberField(t("profile.weight-of", { issue: label(issue) }), draft.weights[issue.name], {
          name: `weight-${issue.name}`,
          onInput: (v) => {
            draft.weights[issue.name] = v === null ? 0 : v;
          },
        }),
        el("div", { class: "option-values" }, optionFields.length ? optionFields : t("profile.set-by-scenario")),
      ),
    );
  }
  form.append(el("p", { class: "hint" }, t("profile.scale")), body);
  form.append(
    el("p", {}, numberField(t("profile.reservation-field"), draft.reservation, {
      max: 1,
      name: "reservation",
      onInput: (v) => {
        draft.reservation = v === null ? 0 : v;
      },
    })),
  );
  if (typeof now === "number" && Math.abs(now - profile.reservation) > 1e-9) {
    const delta = now - profile.reservation;
    const by = `${delta > 0 ? "+" : "−"}${Math.abs(delta).toFixed(3)}`;
    form.append(el("p", { class: "hint reservation-moves" }, t("profile.reservation-moves", { now: worth(now), by, delta: by })));
  }
  const lines = el("ul", { class: "red-lines" });
  form.append(el("h3", {}, t("profile.red-lines")), lines, redLineAdder(agenda, (line) => {
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
              "aria-label": t("profile.remove-aria", { line: redLineText(agenda, line) }),
              onclick: () => {
                draft.red_lines.splice(index, 1);
                drawLines();
              },
            }, t("profile.remove"))),
          )
        : el("li", { class: "none" }, t("profile.no-red-lines")),
    );
  }
  drawLines();

  const saveButton = el("button", { type: "submit", class: "primary" }, t("profile.save"));
  form.append(el("div", { class: "actions" }, saveButton, status));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    saveButton.disabled = true;
    fill(status, t("profile.saving"));
    try {
      await save(draft);
      fill(status, t("profile.saved"));
    } catch (error) {
      fill(status, t("profile.not-saved", { error: error.message }));
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
  const description = el("input", { id: describeId, type: "text", maxlength: 200, placeholder: t("profile.red-line-placeholder") });
  const options = el("div", { class: "checks" });
  const issueSelect = el(
    "select",
    { id: issueId, onchange: () => drawOptions() },
    agenda.map((issue) => el("option", { value: issue.name }, label(issue))),
  );
  function drawOptions() {
    const issue = agenda.find((i) => i.name === issueSelect.value);
    fill(
      options,
      issue
        ? issue.options.map((option) => {
            const id = freshId("redline-opt");
            return el("span", { class: "check" }, el("input", { type: "checkbox", id, value: String(option.id) }), el("label", { for: id }, label(option)));
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
        fill(note, t("profile.red-line-incomplete"));
        return;
      }
      add({ description: description.value.trim(), when: { [issueSelect.value]: picked } });
      description.value = "";
      for (const box of options.querySelectorAll("input:checked")) box.checked = false;
      fill(note, t("profile.red-line-added"));
    },
  }, t("profile.add-red-line"));
  return el(
    "fieldset",
    { class: "redline-adder" },
    el("legend", {}, t("profile.add-red-line-legend")),
    el("div", { class: "field" }, el("label", { for: describeId }, t("profile.description")), description),
    el("div", { class: "field" }, el("label", { for: issueId }, t("profile.issue")), issueSelect),
    el("div", { class: "field" }, el("span", { class: "label" }, t("profile.forbids")), options),
    button,
    note,
  );
}
