/* kapcourse practice readiness self-assessment for the static book, with no kernel and no
 * dependencies. The markup (src/kapcourse/readiness.py, render_static) holds every question and,
 * hidden and already in priority order, every advice item; each answer input lists the advice it
 * leads to (data-advice when chosen, data-missing when a tick box is left empty). This script
 * reveals the advice for the answers, announces a summary and keeps the answers in this
 * browser's localStorage. The summary wording mirrors readiness.summary(). */
(() => {
  "use strict";
  var FORMAT = "kapcourse-readiness";

  function $(root, sel) { return Array.from(root.querySelectorAll(sel)); }

  function fresh() { return { format: FORMAT, version: 1, answers: {}, shown: false }; }

  function load(key) {
    try {
      var data = JSON.parse(localStorage.getItem(key) || "null");
      if (data && data.format === FORMAT && data.answers && typeof data.answers === "object") { return data; }
    } catch (e) { /* unreadable or blocked storage: start afresh */ }
    return fresh();
  }

  function store(key, data) {
    try { localStorage.setItem(key, JSON.stringify(data)); } catch (e) { /* private mode or full */ }
  }

  function answers(guide) {
    var out = {};
    $(guide, ".kr-q").forEach((q) => {
      var picked = $(q, "input:checked").map((i) => { return i.value; });
      out[q.dataset.id] = q.dataset.kind === "single" ? (picked[0] || null) : picked;
    });
    return out;
  }

  function adviceIds(guide) {
    var ids = {};
    $(guide, ".kr-q input").forEach((i) => {
      ((i.checked ? i.dataset.advice : i.dataset.missing) || "").split(" ").forEach((id) => {
        if (id) { ids[id] = true; }
      });
    });
    return ids;
  }

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  function show(guide, moveFocus) {
    var ids = adviceIds(guide), total = 0, first = 0;
    $(guide, ".kr-level").forEach((level, index) => {
      var count = 0;
      $(level, "li[data-id]").forEach((li) => {
        li.hidden = !ids[li.dataset.id];
        if (!li.hidden) { count++; }
      });
      level.hidden = count === 0;
      total += count;
      if (index === 0) { first = count; }
    });
    var open = $(guide, ".kr-q[data-kind=single]").filter((q) => { return !q.querySelector("input:checked"); }).length;
    var text = total ? plural(total, "next step") + ", " + first + " of them first steps."
      : "No next steps from these answers. Answer the questions above, then try again.";
    if (total && open) { text += " " + plural(open, "question") + " not answered yet."; }
    guide.querySelector(".kr-result").hidden = total === 0;
    guide.querySelector(".kr-status").textContent = text;
    if (moveFocus && total) { guide.querySelector(".kr-result h3").focus(); }
  }

  function save(guide, key, shown) {
    var data = fresh();
    data.answers = answers(guide);
    data.shown = shown;
    store(key, data);
  }

  function restore(guide, data) {
    $(guide, ".kr-q").forEach((q) => {
      var saved = data.answers[q.dataset.id], picks = Array.isArray(saved) ? saved : [saved];
      $(q, "input").forEach((i) => { i.checked = picks.indexOf(i.value) >= 0; });
    });
  }

  function init(guide) {
    var key = guide.dataset.key || "kapcourse:readiness", shown = false, data = load(key);
    try { restore(guide, data); } catch (e) { /* a stale record never breaks the page */ }
    if (data.shown) { shown = true; show(guide, false); }
    guide.querySelector(".kr-show").addEventListener("click", () => {
      shown = true;
      save(guide, key, true);
      show(guide, true);
    });
    guide.querySelector(".kr-clear").addEventListener("click", () => {
      $(guide, ".kr-q input").forEach((i) => { i.checked = false; });
      shown = false;
      guide.querySelector(".kr-result").hidden = true;
      guide.querySelector(".kr-status").textContent = "Your answers were cleared.";
      try { localStorage.removeItem(key); } catch (e) { /* nothing stored */ }
    });
    $(guide, ".kr-q input").forEach((i) => {
      i.addEventListener("change", () => {
        save(guide, key, shown);
        if (shown) { show(guide, false); }
      });
    });
    guide.dataset.ready = "1";
  }

  function start() { $(document, ".kr[data-key]").forEach(init); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
})();
