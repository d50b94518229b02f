// "Your turn" as a sound: optional (off unless the seat switches it on; remembered for this
// page), a short two-tone beep made by Web Audio, so nothing is downloaded.

import { el } from "./dom.js";
import { t } from "./i18n.js";

function key() {
  return `parley-sound:${window.location.pathname}`;
}

function wanted() {
  try {
    return localStorage.getItem(key()) === "on";
  } catch {
    return false;
  }
}

let context = null;

/** Two short tones (A5 then E6), quiet. */
export function beep() {
  const Audio = window.AudioContext || window.webkitAudioContext;
  if (!Audio) return;
  context = context || new Audio();
  const now = context.currentTime;
  for (const [at, pitch] of [[0, 880], [0.18, 1318.5]]) {
    const tone = context.createOscillator();
    const gain = context.createGain();
    tone.frequency.value = pitch;
    gain.gain.setValueAtTime(0.0001, now + at);
    gain.gain.exponentialRampToValueAtTime(0.15, now + at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, now + at + 0.15);
    tone.connect(gain).connect(context.destination);
    tone.start(now + at);
    tone.stop(now + at + 0.16);
  }
}

/** The switch ("Sound on my turn"): a checkbox in the page's header. */
export function soundSwitch() {
  const box = el("input", { type: "checkbox", id: "sound", checked: wanted() });
  box.addEventListener("change", () => {
    try {
      localStorage.setItem(key(), box.checked ? "on" : "off");
    } catch {
      // not remembered: this page keeps it until it is closed
    }
    if (box.checked) beep(); // a click is a user gesture: the browser lets audio start now
  });
  return el("span", { class: "check sound" }, box, el("label", { for: "sound" }, t("sound.switch")));
}

/** A function to call with each view's "is it my turn": it beeps when the turn arrives. */
export function turnBell() {
  let before = null;
  return (mine) => {
    const box = document.getElementById("sound");
    if (mine && before === false && box && box.checked) beep();
    before = mine;
  };
}
