/* kapcourse quizzes for the static book: grading, feedback, explanation, score and retry with
 * no kernel and no dependencies. Progress is kept in this browser's localStorage. The rules
 * mirror src/kapcourse/grading.py; the markup comes from src/kapcourse/static_view.py. */
(() => {
  "use strict";
  var KEY = "kapcourse:progress";
  var UNITS = { "%": ["%", "percent", "per cent", "pct"], h: ["h", "hr", "hrs", "hour", "hours"],
    min: ["min", "mins", "minute", "minutes"], mg: ["mg", "milligram", "milligrams"] };
  var warning = "";

  function fresh() { return { format: "kapcourse-progress", version: 1, items: {} }; }

  function load() {
    var raw = null;
    try { raw = localStorage.getItem(KEY); } catch (e) { return fresh(); }
    if (!raw) { return fresh(); }
    try {
      var data = JSON.parse(raw);
      if (data && data.format === "kapcourse-progress" && typeof data.items === "object") { return data; }
    } catch (e) { /* fall through: keep the unreadable copy */ }
    try { localStorage.setItem(KEY + ":corrupt:" + Date.now(), raw); } catch (e) { /* full */ }
    warning = "Saved progress was unreadable: a copy was kept and a new record started.";
    return fresh();
  }

  function save(bank, id, correct, response) {
    var data = load(), now = new Date().toISOString().slice(0, 19) + "Z";
    var entry = data.items[id];
    if (!entry) {
      entry = data.items[id] = { bank: bank, attempts: 0, first_correct: correct,
        first_response: response, first: now };
    }
    entry.attempts += 1;
    entry.correct = correct;
    entry.last_response = response;
    entry.last = now;
    try { localStorage.setItem(KEY, JSON.stringify(data)); } catch (e) {
      warning = "This browser cannot save your answers (private mode?).";
    }
  }

  function $(root, sel) { return Array.from(root.querySelectorAll(sel)); }

  function norm(s) { return s.trim().toLowerCase().replace(/\s+/g, " "); }

  function parseNumber(text, unit) {
    var example = ("for example 12.5 " + unit).trim();
    var m = /^\s*([-+]?(?:\d+(?:[.,]\d*)?|[.,]\d+))\s*(.*?)\s*$/.exec(text || "");
    if (!m) { return { hint: "Please type a number (" + example + ")." }; }
    var num = m[1], given = m[2];
    if (num.split(",").length === 2 && num.indexOf(".") < 0) { num = num.replace(",", "."); }
    if (given) {
      var base = norm(unit), names = (UNITS[base] || []).concat([base, base.replace(/ /g, "")]);
      if (names.indexOf(norm(given)) < 0) {
        return { hint: "Give the answer " + (unit ? "in " + unit : "without a unit") + " (" + example + ")." };
      }
    }
    return { value: parseFloat(num) };
  }

  function label(chosen, ok, type) {
    if (chosen) { return ok ? "✓ Your choice: correct." : "✗ Your choice: incorrect."; }
    if (ok) { return type === "multiple" ? "✓ Correct, not selected." : "✓ The correct answer."; }
    return "Incorrect option.";
  }

  /* Read the learner's response from the page, in the same form as the Python views. */
  function response(q, type) {
    if (type === "numeric") { return q.querySelector("input").value; }
    if (type === "ordering") { return $(q, ".kq-ord > li").map((li) => { return +li.dataset.s; }); }
    var chosen = $(q, "input:checked").map((i) => { return +i.value; });
    if (type === "multiple") { return chosen; }
    if (!chosen.length) { return null; }
    return type === "truefalse" ? chosen[0] === 0 : chosen[0];
  }

  /* Grade a response: {correct: true|false|null, hint, message}. */
  function grade(q, type, resp) {
    if (type === "numeric") {
      if (!String(resp).trim()) { return { correct: null, hint: "Type your answer, then check." }; }
      var input = q.querySelector("input"), p = parseNumber(resp, input.dataset.u);
      if (p.hint) { return { correct: null, hint: p.hint }; }
      var target = +input.dataset.a, tol = +input.dataset.t + 1e-9;
      if (Math.abs(p.value - target) <= tol) { return { correct: true, message: "Correct." }; }
      var common = $(q, ".kq-ce").filter((c) => { return Math.abs(p.value - +c.dataset.v) <= tol; })[0];
      if (common) { return { correct: false, message: "Not quite. " + common.textContent }; }
      return { correct: false, message: "Not quite: " + p.value + " is too " + (p.value > target ? "high" : "low") + "." };
    }
    if (type === "ordering") {
      var placed = resp.filter((s, i) => { return s === i; }).length;
      return placed === resp.length ? { correct: true, message: "Correct order." }
        : { correct: false, message: "Not quite: " + placed + " of " + resp.length + " steps in place." };
    }
    var inputs = $(q, "input");
    if (type === "multiple") {
      if (!resp.length) { return { correct: null, hint: "Select every option that applies, then check." }; }
      var missed = 0, extra = 0;
      inputs.forEach((i, n) => {
        var ok = i.hasAttribute("data-c"), on = resp.indexOf(n) >= 0;
        if (ok && !on) { missed++; }
        if (!ok && on) { extra++; }
      });
      return missed + extra === 0 ? { correct: true, message: "Correct: you selected exactly the right options." }
        : { correct: false, message: "Not quite: " + missed + " correct option(s) missed, " + extra + " incorrect selected." };
    }
    if (resp === null) {
      return { correct: null, hint: type === "truefalse" ? "Choose True or False, then check." : "Choose one option, then check." };
    }
    var index = type === "truefalse" ? (resp ? 0 : 1) : resp;
    var right = inputs[index].hasAttribute("data-c");
    return { correct: right, message: right ? "Correct." : "Not quite." };
  }

  function showFeedback(q, type, resp) {
    if (type === "ordering") {
      $(q, ".kq-ord > li").forEach((li, pos) => {
        li.classList.toggle("kq-ok", +li.dataset.s === pos);
        li.classList.toggle("kq-bad", +li.dataset.s !== pos);
        li.dataset.mark = +li.dataset.s === pos ? "✓ in place" : "✗ not in place";
      });
      return;
    }
    $(q, ".kq-o > li").forEach((li) => {
      var input = li.querySelector("input"), fb = li.querySelector(".kq-f");
      var ok = input.hasAttribute("data-c"), on = input.checked;
      fb.hidden = false;
      fb.dataset.label = label(on, ok, type);
      li.classList.toggle("kq-ok", ok);
      li.classList.toggle("kq-bad", on && !ok);
    });
  }

  function clearFeedback(q) {
    $(q, ".kq-f, .kq-x").forEach((el) => { el.hidden = true; });
    $(q, ".kq-ok, .kq-bad").forEach((el) => { el.classList.remove("kq-ok", "kq-bad"); delete el.dataset.mark; });
    q.querySelector(".kq-r").textContent = "";
  }

  function updateScores(bank) {
    var items = load().items;
    $(document, '.kq[data-bank="' + bank + '"]').forEach((quiz) => {
      var right = Object.keys(items).filter((id) => { return items[id].bank === bank && items[id].correct; }).length;
      quiz.querySelector(".kq-sc").textContent = (warning ? "⚠ " + warning + " " : "") +
        "Lesson score: " + right + " of " + quiz.dataset.total + " questions answered correctly.";
    });
  }

  function reveal(q) {
    var vignette = q.parentNode.classList.contains("kq-v") ? q.parentNode : null;
    if (!vignette) { return; }
    var next = q.nextElementSibling;
    if (next && next.classList.contains("kq-q")) { next.hidden = false; }
    else if (next && next.classList.contains("kq-vx")) { next.hidden = false; }
  }

  function check(q, bank, restoring) {
    var type = q.dataset.type, resp = response(q, type), result = grade(q, type, resp);
    var status = q.querySelector(".kq-r");
    if (result.correct === null) { status.textContent = result.hint; return; }
    if (!restoring) { save(bank, q.dataset.id, result.correct, resp); }
    clearFeedback(q);
    showFeedback(q, type, resp);
    q.querySelector(".kq-x").hidden = false;
    q.querySelector(".kq-retry").hidden = false;
    status.textContent = (result.correct ? "✓ " : "✗ ") + result.message +
      (restoring ? " (your saved answer)" : " Feedback and the explanation are shown below.");
    q.classList.toggle("kq-right", result.correct);
    reveal(q);
    updateScores(bank);
  }

  function retry(q) {
    clearFeedback(q);
    q.classList.remove("kq-right");
    $(q, "input[type=radio], input[type=checkbox]").forEach((i) => { i.checked = false; });
    $(q, "input[type=text]").forEach((i) => { i.value = ""; });
    q.querySelector(".kq-retry").hidden = true;
    var first = q.querySelector("input, .kq-ord button");
    if (first) { first.focus(); }
  }

  function move(q, li, step) {
    var list = li.parentNode, items = $(list, ":scope > li"), pos = items.indexOf(li), to = pos + step;
    if (to < 0 || to >= items.length) { return; }
    list.insertBefore(li, step < 0 ? items[to] : items[to].nextSibling);
    q.querySelector(".kq-r").textContent = "Moved to position " + (to + 1) + " of " + items.length + ".";
    li.querySelector(step < 0 ? ".kq-up" : ".kq-dn").focus();
  }

  function addMoveButtons(q) {
    $(q, ".kq-ord > li").forEach((li) => {
      var text = li.textContent;
      [["kq-up", "↑", "Move up: "], ["kq-dn", "↓", "Move down: "]].forEach((spec) => {
        var b = document.createElement("button");
        b.type = "button";
        b.className = spec[0];
        b.textContent = spec[1];
        b.setAttribute("aria-label", spec[2] + text);
        b.addEventListener("click", () => { move(q, li, spec[0] === "kq-up" ? -1 : 1); });
        li.appendChild(b);
      });
    });
  }

  function restore(q, bank, entry) {
    var type = q.dataset.type, resp = entry.last_response;
    if (type === "numeric") { q.querySelector("input").value = resp; }
    else if (type === "ordering") {
      var list = q.querySelector(".kq-ord");
      resp.forEach((s) => { list.appendChild(list.querySelector('li[data-s="' + s + '"]')); });
    } else {
      var picks = type === "multiple" ? resp : [type === "truefalse" ? (resp ? 0 : 1) : resp];
      $(q, "input").forEach((i, n) => { i.checked = picks.indexOf(n) >= 0; });
    }
    check(q, bank, true);
  }

  function init(quiz) {
    var bank = quiz.dataset.bank, items = load().items;
    $(quiz, ".kq-q").forEach((q) => {
      var buttons = q.querySelector(".kq-b"), again = document.createElement("button");
      again.type = "button";
      again.className = "kq-retry";
      again.textContent = "Try again";
      again.hidden = true;
      buttons.appendChild(again);
      if (q.dataset.type === "ordering") { addMoveButtons(q); }
      q.querySelector(".kq-check").addEventListener("click", () => { check(q, bank, false); });
      again.addEventListener("click", () => { retry(q); });
      $(q, "input[type=text]").forEach((i) => {
        i.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); check(q, bank, false); } });
      });
      var entry = items[q.dataset.id];
      if (entry && entry.last_response !== undefined && entry.last_response !== null) {
        try { restore(q, bank, entry); } catch (e) { /* a stale record never breaks the page */ }
      }
    });
    updateScores(bank);
    quiz.dataset.ready = String(Math.round(performance.now()));
  }

  function start() { $(document, ".kq").forEach(init); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
})();
