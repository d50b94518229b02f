// Building the page from data. Text always goes in as text nodes, never as markup, so nothing
// a person types (a statement, a party's name, a scenario's labels) can become HTML.

const PROPERTIES = new Set(["value", "checked", "disabled", "selected", "hidden", "open"]);

/** A new element: `el("button", {class: "x", onclick: f}, "Accept")`. */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") {
      node.addEventListener(key.slice(2), value);
    } else if (PROPERTIES.has(key)) node[key] = value;
    else if (value === false) continue;
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  append(node, children);
  return node;
}

/** Append children (nodes, strings, numbers, nested arrays; null and false are skipped). */
export function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Replace everything inside `node`. */
export function fill(node, ...children) {
  node.replaceChildren();
  return append(node, children);
}

/** The element with this id (it must exist: the page's HTML declares it). */
export function byId(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the page has no #${id}`);
  return node;
}

let uid = 0;
/** A fresh id for pairing a label with its control. */
export function freshId(prefix) {
  uid += 1;
  return `${prefix}-${uid}`;
}

/** Show `message` in the page's alert region (an assertive live region), or clear it. */
export function alertUser(message) {
  const box = byId("alert");
  fill(box, message || "");
  box.hidden = !message;
}

/** Run `fn` once `ms` have passed without another call (for evaluating as a person types). */
export function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
