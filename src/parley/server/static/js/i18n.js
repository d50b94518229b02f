// The room's words in the seat's language. Every string a page shows comes from a catalog
// (/static/i18n/{en,zh}.json, the same keys in each); a scenario's own words (parties, issues,
// options) come from its labels for the language, the scenario's default label otherwise.
// The language is chosen per seat: ?lang= in the address, else the one this browser last chose
// for this page (localStorage), else the browser's own. "qps-rtl" is a pseudo-locale for
// testing the right-to-left layout: English bracketed, laid out right to left.

import { el } from "./dom.js";

export const LANGUAGES = { en: "English", zh: "中文（简体）" };
const PSEUDO = "qps-rtl";
const RTL = new Set(["ar", "fa", "he", "ur", PSEUDO]);

let current = "en";
let words = {};
let fallback = {};
const partyLabels = new Map();

function storageKey() {
  return `parley-lang:${window.location.pathname}`;
}

/** The language asked for: the address, this page's last choice, the browser's. */
function wanted() {
  const asked = new URLSearchParams(window.location.search).get("lang");
  if (asked && (asked in LANGUAGES || asked === PSEUDO)) return asked;
  try {
    const kept = localStorage.getItem(storageKey());
    if (kept && (kept in LANGUAGES || kept === PSEUDO)) return kept;
  } catch {
    // storage switched off: the browser's language decides
  }
  return (navigator.language || "en").toLowerCase().startsWith("zh") ? "zh" : "en";
}

async function catalog(code) {
  const response = await fetch(`/static/i18n/${code}.json`);
  if (!response.ok) throw new Error(`no catalog for ${code}`);
  return response.json();
}

/** Load the seat's language and translate the page's static text; call once, before drawing. */
export async function setupLanguage() {
  current = wanted();
  try {
    fallback = await catalog("en");
    words = current === "en" || current === PSEUDO ? fallback : await catalog(current);
  } catch {
    current = "en";
    words = fallback;
  }
  try {
    localStorage.setItem(storageKey(), current);
  } catch {
    // not remembered: the address still carries it
  }
  const root = document.documentElement;
  root.lang = current === PSEUDO ? "en-XA" : current === "zh" ? "zh-Hans" : current;
  root.dir = RTL.has(current) ? "rtl" : "ltr";
  translatePage(document);
  return current;
}

/** The current language's code. */
export function language() {
  return current;
}

/** The text for `key`, with `{name}` filled from `params`. */
export function t(key, params = {}) {
  let text = key in words ? words[key] : key in fallback ? fallback[key] : key;
  text = text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
  return current === PSEUDO ? `⟦${text}⟧` : text;
}

/** Elements marked data-i18n="key" get the text; data-i18n-attr="attr:key;attr:key" attributes. */
export function translatePage(root) {
  for (const node of root.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of root.querySelectorAll("[data-i18n-attr]")) {
    for (const pair of node.dataset.i18nAttr.split(";")) {
      const [attr, key] = pair.split(":");
      if (attr && key) node.setAttribute(attr.trim(), t(key.trim()));
    }
  }
}

/** A scenario's label in the current language: `thing.labels[lang]`, else `thing.label`. */
export function label(thing) {
  if (!thing) return "";
  const own = thing.labels && thing.labels[current];
  return own || thing.label || thing.name || "";
}

/** An option's short form in the current language (its full label where it has none). */
export function shortLabel(option) {
  if (!option) return "";
  const own = option.shorts && option.shorts[current];
  if (own) return own;
  if (option.labels && option.labels[current]) return option.labels[current];
  return option.short || label(option);
}

/** Remember how the parties are called in this language: `labels` is {name: {lang: words}}
 * (a view's or the desk's `party_labels`). */
export function setParties(labels) {
  for (const [name, words] of Object.entries(labels || {})) partyLabels.set(name, words[current] || name);
}

/** A party's name in the current language (its scenario name when it has no label). */
export function partyName(name) {
  return partyLabels.get(name) || name;
}

/** A role's name ("principal", "third-party") in the current language. */
export function roleName(role) {
  const key = `role.${role}`;
  return key in words || key in fallback ? t(key) : role;
}

/** A <select> that switches the page's language (the page reloads in it). */
export function languageSwitch() {
  const select = el(
    "select",
    { id: "language", "aria-label": t("lang.switch") },
    Object.entries(LANGUAGES).map(([code, name]) => el("option", { value: code, lang: code }, name)),
  );
  select.value = current in LANGUAGES ? current : "en";
  select.addEventListener("change", () => {
    try {
      localStorage.setItem(storageKey(), select.value);
    } catch {
      // the address carries it
    }
    const address = new URL(window.location.href);
    address.searchParams.set("lang", select.value);
    window.location.replace(address.toString());
  });
  return el("label", { class: "language" }, el("span", { class: "visually-hidden" }, t("lang.switch")), select);
}
