/* kapcourse quizzes for the static book: grading, feedback, explanation, score and retry with
 * no kernel and no dependencies; progress is kept in this browser's localStorage. The page
 * holds the questions (src/kapcourse/static_view.py); answers and feedback come from the bank's
 * data script (_static/kapquiz-data/<bank>.js). Grading mirrors src/kapcourse/grading.py. */
(() => {
  "use strict";
  const KEY = "kapcourse:progress";
  const UNITS = { "%": ["%", "percent", "per cent", "pct"], h: ["h", "hr", "hrs", "hour", "hours"],
    min: ["min", "mins", "minute", "minutes"], mg: ["mg", "milligram", "milligrams"] };
  let warning = "";

  const fresh = () => ({ format: "kapcourse-progress", version: 1, items: {} });
  const all = (root, sel) => Array.from(root.querySelectorAll(sel));
  const norm = (s) => s.trim().toLowerCase().replace(/\s+/g, " ");
  const el = (tag, cls, text) => {
    const node = document.createElement(tag);
    node.className = cls;
    if (text) { node.textContent = text; }
    return node;
  };

  const textOf = (html) => {
    const box = document.createElement("div");
    box.innerHTML = html;  // the course's own safe HTML, never page input
    return box.textContent;
  };

  function load() {
    let raw = null;
    try { raw = localStorage.getItem(KEY); } catch (e) { return fresh(); }
    if (!raw) { return fresh(); }
    try {
      const data = JSON.parse(raw);
      if (data && data.format === "kapcourse-progress" && typeof data.items === "object") { return data; }
    } catch (e) { /* keep the unreadable copy below */ }
    try { localStorage.setItem(KEY + ":corrupt:" + Date.now(), raw); } catch (e) { /* full */ }
    warning = "Saved progress was unreadable; a copy was kept.";
    return fresh();
  }

  function save(bank, id, correct, response) {
    const data = load(), now = new Date().toISOString().slice(0, 19) + "Z";
    const entry = data.items[id] || (data.items[id] = { bank: bank, attempts: 0,
      first_correct: correct, first_response: response, first: now });
    entry.attempts += 1;
    Object.assign(entry, { correct: correct, last_response: response, last: now });
    try { localStorage.setItem(KEY, JSON.stringify(data)); } catch (e) {
      warning = "This browser cannot save your answers (private mode?).";
    }
  }

  function parseNumber(text, unit) {
    const example = ("for example 12.5 " + unit).trim();
    const m = /^\s*([-+]?(?:\d+(?:[.,]\d*)?|[.,]\d+))\s*(.*?)\s*$/.exec(text || "");
    if (!m) { return { hint: "Please type a number (" + example + ")." }; }
    let num = m[1];
    if (num.split(",").length === 2 && num.indexOf(".") < 0) { num = num.replace(",", "."); }
    const base = norm(unit), names = (UNITS[base] || []).concat([base, base.replace(/ /g, "")]);
    if (m[2] && names.indexOf(norm(m[2])) < 0) {
      return { hint: "Give the answer " + (unit ? "in " + unit : "without a unit") + " (" + example + ")." };
    }
    return { value: parseFloat(num) };
  }

  function label(chosen, ok, type) {
    if (chosen) { return ok ? "✓ Your choice: correct." : "✗ Your choice: incorrect."; }
    if (ok) { return type === "multiple" ? "✓ Correct, not selected." : "✓ The correct answer."; }
    return "Incorrect option.";
  }

  /* The learner's response, in the same form as the Python views store it. */
  function response(q) {
    const type = q.dataset.type;
    if (type === "numeric") { return q.querySelector("input").value; }
    if (type === "ordering") { return all(q, ".kq-ord > li").map((li) => +li.dataset.s); }
    const chosen = all(q, ".kq-o input").filter((i) => i.checked).map((i) => +i.value).sort((a, b) => a - b);
    if (type === "multiple") { return chosen; }
    if (!chosen.length) { return null; }
    return type === "truefalse" ? chosen[0] === 0 : chosen[0];
  }

  /* {correct: true|false|null, hint | message} */
  function grade(q, d, resp) {
    const type = q.dataset.type;
    if (type === "numeric") {
      if (!String(resp).trim()) { return { correct: null, hint: "Type your answer, then check." }; }
      const p = parseNumber(resp, d.u), tol = d.t + 1e-9;
      if (p.hint) { return { correct: null, hint: p.hint }; }
      if (Math.abs(p.value - d.a) <= tol) { return { correct: true, message: "Correct." }; }
      const common = d.e.filter((c) => Math.abs(p.value - c[0]) <= tol)[0];
      if (common) { return { correct: false, message: "Not quite. " + textOf(common[1]) }; }
      return { correct: false, message: "Not quite: " + p.value + " is too " + (p.value > d.a ? "high" : "low") + "." };
    }
    if (type === "ordering") {
      const placed = resp.filter((s, i) => s === i).length;
      return placed === resp.length ? { correct: true, message: "Correct order." }
        : { correct: false, message: "Not quite: " + placed + " of " + resp.length + " steps in place." };
    }
    if (type === "multiple") {
      if (!resp.length) { return { correct: null, hint: "Select every option that applies, then check." }; }
      const missed = d.c.filter((i) => resp.indexOf(i) < 0).length;
      const extra = resp.filter((i) => d.c.indexOf(i) < 0).length;
      return missed + extra === 0 ? { correct: true, message: "Correct: you selected exactly the right options." }
        : { correct: false, message: "Not quite: " + missed + " correct option(s) missed, " + extra + " incorrect selected." };
    }
    if (resp === null) {
      return { correct: null, hint: type === "truefalse" ? "Choose True or False, then check." : "Choose one option, then check." };
    }
    const right = d.c.indexOf(type === "truefalse" ? (resp ? 0 : 1) : resp) >= 0;
    return { correct: right, message: right ? "Correct." : "Not quite." };
  }

  function showFeedback(q, d) {
    const type = q.dataset.type;
    if (type === "ordering") {
      all(q, ".kq-ord > li").forEach((li, pos) => {
        const ok = +li.dataset.s === pos;
        li.classList.add(ok ? "kq-ok" : "kq-bad");
        li.dataset.mark = ok ? "✓ in place" : "✗ not in place";
      });
      return;
    }
    all(q, ".kq-o > li").forEach((li) => {
      const input = li.querySelector("input"), n = +input.value, ok = d.c.indexOf(n) >= 0, on = input.checked;
      const fb = li.querySelector(".kq-f") || li.appendChild(el("div", "kq-f"));
      fb.innerHTML = d.f[n];  // built by the course's safe Markdown renderer
      fb.dataset.label = label(on, ok, type);
      fb.hidden = false;
      li.classList.toggle("kq-ok", ok);
      li.classList.toggle("kq-bad", on && !ok);
    });
  }

  function clearFeedback(q) {
    all(q, ".kq-f, .kq-x").forEach((node) => { node.hidden = true; });
    all(q, ".kq-ok, .kq-bad").forEach((node) => { node.classList.remove("kq-ok", "kq-bad"); delete node.dataset.mark; });
    q.querySelector(".kq-r").textContent = "";
  }

  function updateScores(bank) {
    const items = load().items;
    const right = Object.keys(items).filter((id) => items[id].bank === bank && items[id].correct).length;
    all(document, ".kq").filter((quiz) => quiz.dataset.bank === bank).forEach((quiz) => {
      quiz.querySelector(".kq-sc").textContent = (warning ? "⚠ " + warning + " " : "") +
        "Lesson score: " + right + " of " + quiz.dataset.total + " questions answered correctly.";
    });
  }

  function check(q, bank, d, restoring) {
    const resp = response(q), result = grade(q, d, resp), status = q.querySelector(".kq-r");
    if (result.correct === null) { status.textContent = result.hint; return; }
    if (!restoring) { save(bank, q.id.slice(3), result.correct, resp); }
    clearFeedback(q);
    showFeedback(q, d);
    const explanation = q.querySelector(".kq-x");
    explanation.innerHTML = d.x + (d.v ? '<div class="kq-vx">' + d.v + "</div>" : "");
    explanation.hidden = false;
    q.querySelector(".kq-retry").hidden = false;
    status.textContent = (result.correct ? "✓ " : "✗ ") + result.message +
      (restoring ? " (your saved answer)" : " See the feedback and explanation below.");
    const next = q.nextElementSibling;  // a case reveals its next step
    if (next && next.classList.contains("kq-q")) { next.hidden = false; }
    updateScores(bank);
  }

  function retry(q) {
    clearFeedback(q);
    all(q, "input[type=radio], input[type=checkbox]").forEach((i) => { i.checked = false; });
    all(q, "input[type=text]").forEach((i) => { i.value = ""; });
    q.querySelector(".kq-retry").hidden = true;
    const first = q.querySelector("input, .kq-ord button");
    if (first) { first.focus(); }
  }

  function move(q, li, step) {
    const items = all(li.parentNode, ":scope > li"), to = items.indexOf(li) + step;
    if (to < 0 || to >= items.length) { return; }
    li.parentNode.insertBefore(li, step < 0 ? items[to] : items[to].nextSibling);
    q.querySelector(".kq-r").textContent = "Moved to position " + (to + 1) + " of " + items.length + ".";
    li.querySelector(step < 0 ? ".kq-up" : ".kq-dn").focus();
  }

  function addMoveButtons(q) {
    all(q, ".kq-ord > li").forEach((li) => {
      const text = li.textContent;
      [["kq-up", "↑", "Move up: ", -1], ["kq-dn", "↓", "Move down: ", 1]].forEach((spec) => {
        const b = el("button", spec[0], spec[1]);
        b.type = "button";
        b.setAttribute("aria-label", spec[2] + text);
        b.addEventListener("click", () => move(q, li, spec[3]));
        li.appendChild(b);
      });
    });
  }

  function restore(q, bank, d, entry) {
    const type = q.dataset.type, resp = entry.last_response;
    if (type === "numeric") { q.querySelector("input").value = resp; }
    else if (type === "ordering") {
      const list = q.querySelector(".kq-ord");
      resp.forEach((s) => list.appendChild(list.querySelector('li[data-s="' + s + '"]')));
    } else {
      const picks = type === "multiple" ? resp : [type === "truefalse" ? (resp ? 0 : 1) : resp];
      all(q, ".kq-o input").forEach((i) => { i.checked = picks.indexOf(+i.value) >= 0; });
    }
    check(q, bank, d, true);
  }

  function setUp(q, bank, d, saved) {
    const buttons = el("div", "kq-b"), checkButton = el("button", "kq-check", "Check");
    const again = el("button", "kq-retry", "Try again"), status = el("div", "kq-r");
    checkButton.type = again.type = "button";
    again.hidden = true;
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    buttons.append(checkButton, again);
    const explanation = el("div", "kq-x");
    explanation.hidden = true;
    q.append(buttons, status, explanation);
    if (q.dataset.type === "ordering") { addMoveButtons(q); }
    checkButton.addEventListener("click", () => check(q, bank, d, false));
    again.addEventListener("click", () => retry(q));
    all(q, "input[type=text]").forEach((i) => i.addEventListener("keydown", (e) => {
      if (e.key === "Enter") { e.preventDefault(); check(q, bank, d, false); }
    }));
    if (saved && saved.last_response != null) {
      try { restore(q, bank, d, saved); } catch (e) { /* a stale record never breaks the page */ }
    }
  }

  function init(quiz) {
    const bank = quiz.dataset.bank, data = (window.kapquizData || {})[bank], items = load().items;
    if (!data) {
      quiz.querySelector(".kq-sc").textContent = "Quiz answers did not load: reload the page.";
      return;
    }
    all(quiz, ".kq-q").forEach((q) => setUp(q, bank, data[q.id.slice(3)], items[q.id.slice(3)]));
    updateScores(bank);
    quiz.dataset.ready = String(Math.round(performance.now()));
  }

  const start = () => {
    const quizzes = all(document, ".kq");  // every score line exists before any quiz scores
    quizzes.forEach((quiz) => quiz.appendChild(el("p", "kq-sc")).setAttribute("aria-live", "polite"));
    quizzes.forEach(init);
  };
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
})();
