// What a seat or the facilitator takes away (issue 17, item 5): its own transcript (the API
// gives each seat only the messages it may see) and, once the talks have ended, the agreement
// as a printable document (HTML and PDF, the same for everyone). Files are fetched with the
// token in a header (never in a URL) and saved from a blob.

import { el, fill } from "./dom.js";
import { language, t } from "./i18n.js";

/** Fetch `path` with the bearer token and save it as `name`; rejects with the server's detail. */
export async function save(path, token, name) {
  const response = await fetch(path, { headers: { Authorization: `Bearer ${token}` } });
  if (!response.ok) {
    let detail = t("takeaway.status", { status: response.status });
    try {
      detail = JSON.parse(await response.text()).detail || detail;
    } catch {
      /* not JSON: keep the status */
    }
    throw new Error(detail);
  }
  const url = URL.createObjectURL(await response.blob());
  const link = el("a", { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** The agreement document of session `sessionId` (`format`: "html" or "pdf"), in the page's
 * language where the scenario has the words. */
export function saveAgreement(base, token, sessionId, format) {
  const lang = encodeURIComponent(language());
  return save(`${base}/agreement?format=${format}&lang=${lang}`, token, `parley-${sessionId}-agreement.${format}`);
}

/**
 * A seat's card "Take away": its transcript (readable record or JSONL, its view only) at any
 * time, the agreement once the talks have ended. Returns `update(view)`.
 */
export function takeawaysCard(base, token, sessionId) {
  const note = el("p", { class: "hint", role: "status", "aria-live": "polite" });
  async function run(what, saving) {
    try {
      await saving();
      fill(note, what);
    } catch (error) {
      fill(note, t("takeaway.failed", { error: error.message }));
    }
  }
  const transcript = (format, ext) => () =>
    save(`${base}/transcript?format=${format}`, token, `parley-${sessionId}-mine.${ext}`);
  const agreementButtons = el(
    "span",
    { class: "actions" },
    el("button", { type: "button", id: "agreement-html", onclick: () => run(t("takeaway.agreement-html-done"), () => saveAgreement(base, token, sessionId, "html")) }, t("takeaway.agreement-html")),
    el("button", { type: "button", id: "agreement-pdf", onclick: () => run(t("takeaway.agreement-pdf-done"), () => saveAgreement(base, token, sessionId, "pdf")) }, t("takeaway.agreement-pdf")),
  );
  const card = el(
    "section",
    { class: "card", id: "takeaways", "aria-labelledby": "takeaways-head" },
    el("h2", { id: "takeaways-head" }, t("takeaway.title")),
    el("p", { class: "hint" }, t("takeaway.hint")),
    el(
      "div",
      { class: "actions" },
      el("button", { type: "button", id: "my-transcript-text", onclick: () => run(t("takeaway.text-done"), transcript("text", "txt")) }, t("takeaway.text")),
      el("button", { type: "button", id: "my-transcript-jsonl", onclick: () => run(t("takeaway.jsonl-done"), transcript("jsonl", "jsonl")) }, t("takeaway.jsonl")),
      agreementButtons,
    ),
    note,
  );
  return {
    card,
    update(view) {
      agreementButtons.hidden = view.session.status !== "ended";
    },
  };
}
