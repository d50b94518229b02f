// Talking to the room's server: JSON over HTTP with the seat's bearer token, and a WebSocket
// that reconnects with backoff. The token comes from the link's fragment (#token=...), which
// browsers never send to the server; the page then keeps it for this tab only and takes it out
// of the address bar and the history. It travels in an Authorization header or as the
// WebSocket's first message, never in a URL (proxies log URLs).

/**
 * A secret from this page's link fragment (`#name=...`), kept in this tab's session storage and
 * taken out of the address bar; after a reload, the kept one. Null if there is none.
 */
export function linkSecret(name) {
  const key = `parley-${name}:${window.location.pathname}`;
  const fromLink = new URLSearchParams(window.location.hash.slice(1)).get(name);
  try {
    if (fromLink) {
      sessionStorage.setItem(key, fromLink);
      history.replaceState(null, "", window.location.pathname + window.location.search);
      return fromLink;
    }
    return sessionStorage.getItem(key);
  } catch {
    return fromLink; // storage switched off: the link keeps it, as before
  }
}

/** The seat's (or the facilitator's) token in this page's link, or null. */
export function linkToken() {
  return linkSecret("token");
}

/** The session id in a path such as /room/{id} or /facilitate/{id}. */
export function pathSessionId() {
  const part = window.location.pathname.split("/").filter(Boolean)[1] || "";
  return decodeURIComponent(part);
}

export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

/** The server's explanation in an error body: a sentence, or FastAPI's list of field errors. */
export function detailOf(body, fallback) {
  const detail = body && body.detail;
  if (typeof detail === "string" && detail) return detail;
  if (Array.isArray(detail) && detail.length) {
    return detail
      .map((item) => {
        const where = Array.isArray(item.loc) ? item.loc.filter((p) => p !== "body").join(".") : "";
        return where ? `${where}: ${item.msg}` : String(item.msg || item);
      })
      .join("; ");
  }
  return fallback;
}

/** Call the API; resolves with the parsed JSON, or rejects with an ApiError carrying `detail`. */
export async function api(method, path, { token = null, body = undefined, form = null } = {}) {
  const headers = { Accept: "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  const init = { method, headers };
  if (form) init.body = form;
  else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, "The server cannot be reached; check the connection and try again.");
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    throw new ApiError(response.status, detailOf(data, `The server answered ${response.status}.`));
  }
  return data;
}

/** The raw text of an authorised GET (transcript downloads). */
export async function fetchText(path, token) {
  const response = await fetch(path, { headers: { Authorization: `Bearer ${token}` } });
  const text = await response.text();
  if (!response.ok) {
    let data = null;
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
    throw new ApiError(response.status, detailOf(data, `The server answered ${response.status}.`));
  }
  return text;
}

// Close codes with which the server refuses a socket for good (bad token, no such session, a
// token in the URL): reconnecting cannot help, so the page says so instead of retrying.
const REFUSED = new Set([1008, 4001, 4003, 4004, 4400, 4401, 4403, 4404, 4410]);

/**
 * A live connection to /api/sessions/{id}/ws. `onMessage` gets each parsed message; `onState`
 * gets "connecting" | "live" | "reconnecting" | "refused". The token is the socket's first
 * message. After a drop it reconnects with exponential backoff (0.5 s doubling to 15 s,
 * jittered); the server then sends the whole view again, so the page comes back to where it was.
 */
export function connectLive(sessionId, token, onMessage, onState) {
  let socket = null;
  let attempt = 0;
  let timer = null;
  let stopped = false;

  function url() {
    const address = new URL(`/api/sessions/${encodeURIComponent(sessionId)}/ws`, window.location.href);
    address.protocol = window.location.protocol === "https:" ? "wss:" : "ws:";
    return address.toString();
  }

  function open() {
    clearTimeout(timer);
    timer = null;
    onState(attempt ? "reconnecting" : "connecting");
    const opened = new WebSocket(url());
    socket = opened;
    opened.addEventListener("open", () => {
      opened.send(JSON.stringify({ type: "auth", token }));
      attempt = 0;
      onState("live");
    });
    opened.addEventListener("message", (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      onMessage(message);
    });
    opened.addEventListener("close", (event) => {
      socket = null;
      if (stopped) return;
      if (REFUSED.has(event.code)) {
        onState("refused", event.reason);
        return;
      }
      const delay = Math.min(15000, 500 * 2 ** attempt) * (0.75 + Math.random() / 4);
      attempt += 1;
      onState("reconnecting");
      timer = setTimeout(open, delay);
    });
  }

  // Coming back online or to the tab: try at once rather than waiting out the backoff.
  function retrySoon() {
    if (!stopped && !socket && timer) open();
  }
  window.addEventListener("online", retrySoon);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") retrySoon();
  });

  open();
  return {
    get live() {
      return socket !== null && socket.readyState === WebSocket.OPEN;
    },
    close() {
      stopped = true;
      clearTimeout(timer);
      if (socket) socket.close();
    },
  };
}
