/* kapcourse "My progress" page for the static book: per-lesson results, a chart, what to
 * review next, and export/import (JSON and CSV) of the progress kept in this browser. Mirrors
 * src/kapcourse/summary.py; the course structure comes from _static/kapquiz-data/course.js. */
(() => {
  "use strict";
  const KEY = "kapcourse:progress";
  const FIELDS = ["lesson", "item", "attempts", "first_correct", "correct", "first", "last"];
  const script = document.currentScript;
  const root = script ? script.src.replace(/_static\/kapprogress\.js.*$/, "") : "";
  const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

  function load() {
    try {
      const data = JSON.parse(localStorage.getItem(KEY) || "null");
      if (data && data.format === "kapcourse-progress" && typeof data.items === "object") { return data; }
    } catch (e) { /* handled below: nothing is overwritten */ }
    return null;
  }

  function results(items, lessons) {
    return lessons.map((l) => {
      const done = l.questions.filter((q) => items[q]).map((q) => items[q]);
      return { stem: l.stem, title: l.title, total: l.questions.length, attempted: done.length,
        first: done.filter((e) => e.first_correct).length, correct: done.filter((e) => e.correct).length,
        last: done.map((e) => e.last || "").sort().pop() || "" };
    });
  }

  function reviewNext(items, lessons) {
    const scored = [];
    lessons.forEach((l, order) => {
      if (!l.questions.some((q) => items[q])) { return; }
      l.objectives.forEach((o) => {
        const share = o.questions.length ? o.questions.filter((q) => items[q] && items[q].correct).length / o.questions.length : 1;
        if (share < 1) { scored.push([share, order, o]); }
      });
    });
    return scored.sort((a, b) => a[0] - b[0] || a[1] - b[1]).slice(0, 3).map((s) => s[2]);
  }

  function render(box, message) {
    const lessons = window.kapcourseStructure || [], data = load(), items = data ? data.items : {};
    const rows = results(items, lessons).map((r) => "<tr><td><a href=\"" + root + "notebooks/" + r.stem + ".html\">" +
      esc(r.title) + "</a></td><td>" + r.attempted + " of " + r.total + "</td><td>" + r.first + "</td><td>" +
      r.correct + " of " + r.total + "</td><td>" + (r.last.slice(0, 10) || "not yet") + "</td></tr>").join("");
    const bars = results(items, lessons).map((r) => '<div class="kp-row"><span>' + esc(r.stem.slice(0, 2) + " " + r.title) +
      '</span><span class="kp-bar" role="img" aria-label="' + r.correct + " of " + r.total + ' correct now, ' + r.first +
      ' at first try"><span class="kp-now" style="width:' + (100 * r.correct / r.total).toFixed(1) + '%"></span><span class="kp-first" style="width:' +
      (100 * r.first / r.total).toFixed(1) + '%"></span></span></div>').join("");
    const review = reviewNext(items, lessons);
    box.innerHTML = (data || !localStorage.getItem(KEY) ? "" : '<p class="kp-msg">Your saved progress could not be read; nothing was changed.</p>') +
      '<table class="kp-table"><tr><th>Lesson</th><th>Questions attempted</th><th>Right at first try</th><th>Current score</th><th>Last worked on</th></tr>' +
      rows + '</table><div class="kp-chart" aria-hidden="false"><p>Solid bar: current score; hatched bar: right at first try.</p>' + bars + "</div>" +
      "<h3>What to review next</h3>" + (review.length ? "<ol>" + review.map((o) => '<li><a href="' + root + esc(o.link) + '">' + esc(o.text) + "</a></li>").join("") + "</ol>"
        : "<p>Nothing to review yet: answer some questions first.</p>") +
      '<p><label>Your name on the export (optional: leave empty to stay anonymous) <input type="text" class="kp-name" autocomplete="off"></label></p>' +
      '<p><button type="button" class="kp-json">Export JSON</button> <button type="button" class="kp-csv">Export CSV</button></p>' +
      '<p><label>Import a JSON or CSV file exported from the course <input type="file" class="kp-file" accept=".json,.csv"></label> ' +
      '<button type="button" class="kp-import">Import</button></p><p class="kp-status" role="status" aria-live="polite">' + esc(message || "") + "</p>";
    box.querySelector(".kp-json").addEventListener("click", () => download("json", items, box.querySelector(".kp-name").value.trim()));
    box.querySelector(".kp-csv").addEventListener("click", () => download("csv", items));
    box.querySelector(".kp-import").addEventListener("click", () => importFile(box));
  }

  function toCsv(items) {
    const cell = (v) => (/[",\n]/.test(String(v)) ? '"' + String(v).replace(/"/g, '""') + '"' : String(v));
    return [FIELDS.join(",")].concat(Object.keys(items).sort().map((id) => {
      const e = items[id];
      return [e.bank, id, e.attempts, e.first_correct, e.correct, e.first || "", e.last || ""].map(cell).join(",");
    })).join("\n") + "\n";
  }

  function download(kind, items, name) {
    const id = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
    const body = kind === "json" ? JSON.stringify({ format: "kapcourse-results", version: 1,
      course_version: window.kapcourseVersion || "", export_id: id, exported: new Date().toISOString().slice(0, 10),
      learner: name || null, items: items }, null, 1) : toCsv(items);
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([body], { type: kind === "json" ? "application/json" : "text/csv" }));
    link.download = "kapcourse-progress-" + new Date().toISOString().slice(0, 10) + "." + kind;
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  function check(id, e) {
    if (!(e && typeof e.bank === "string" && Number.isInteger(e.attempts) && e.attempts >= 1 &&
      typeof e.first_correct === "boolean" && typeof (e.correct === undefined ? e.first_correct : e.correct) === "boolean")) {
      throw new Error("The answer record for question '" + id + "' is malformed.");
    }
  }

  function parse(text) {
    const t = text.replace(/^\ufeff/, "").trim();
    if (!t) { throw new Error("The file is empty."); }
    let items = {};
    if ("{[".indexOf(t[0]) >= 0) {
      let data;
      try { data = JSON.parse(t); } catch (e) { throw new Error("The file is not valid JSON."); }
      if (!data || ["kapcourse-progress", "kapcourse-results"].indexOf(data.format) < 0) { throw new Error("This is not a kapcourse progress or results file."); }
      if (!data.items || typeof data.items !== "object") { throw new Error("The file has no list of answers ('items')."); }
      items = data.items;
    } else {
      const lines = t.split(/\r?\n/), head = lines[0].split(",");
      if (FIELDS.some((f) => head.indexOf(f) < 0)) { throw new Error("This CSV file does not have the columns " + FIELDS.join(", ") + "."); }
      lines.slice(1).forEach((line, n) => {
        const v = line.split(","), row = {};
        head.forEach((h, i) => { row[h] = v[i]; });
        const bool = (s) => ({ true: true, false: false, True: true, False: false })[s];
        const e = { bank: row.lesson, attempts: Number(row.attempts), first_correct: bool(row.first_correct),
          correct: bool(row.correct), first: row.first || "", last: row.last || "" };
        if (bool(row.first_correct) === undefined) { throw new Error("Row " + (n + 2) + " of the CSV file is malformed."); }
        items[row.item] = e;
      });
    }
    const known = new Set((window.kapcourseStructure || []).flatMap((l) => l.questions));
    Object.keys(items).forEach((id) => check(id, items[id]));
    const unknown = Object.keys(items).filter((id) => !known.has(id));
    if (unknown.length) { throw new Error("The file has answers to questions this course does not have (" + unknown.slice(0, 3).join(", ") + "): is it from another course or version?"); }
    return items;
  }

  function merge(current, incoming) {
    const out = Object.assign({}, current);
    Object.keys(incoming).forEach((id) => {
      const mine = out[id], theirs = incoming[id];
      if (!mine) { out[id] = theirs; return; }
      const newer = (theirs.last || "") > (mine.last || "") ? theirs : mine, older = newer === theirs ? mine : theirs;
      const first = (mine.first || "~") <= (theirs.first || "~") ? mine : theirs;
      out[id] = Object.assign({}, older, newer, { first: first.first || "", first_correct: first.first_correct,
        first_response: first.first_response, attempts: Math.max(mine.attempts, theirs.attempts) });
    });
    return out;
  }

  function importFile(box) {
    const file = box.querySelector(".kp-file").files[0];
    if (!file) { box.querySelector(".kp-status").textContent = "Choose a JSON or CSV file exported from the course first."; return; }
    file.text().then((text) => {
      let items;
      try { items = parse(text); } catch (e) {
        box.querySelector(".kp-status").textContent = "Not imported: " + e.message + " Your saved progress has not been changed.";
        return;
      }
      const raw = localStorage.getItem(KEY), data = load() || { format: "kapcourse-progress", version: 1, items: {} };
      if (raw && !load()) { localStorage.setItem(KEY + ":corrupt:" + Date.now(), raw); }  // never lose it
      data.items = merge(data.items, items);
      localStorage.setItem(KEY, JSON.stringify(data));
      render(box, "Imported " + Object.keys(items).length + " answers from " + file.name + ".");
    });
  }

  function start() {
    const box = document.getElementById("kp-progress");
    if (box) { render(box, ""); box.dataset.ready = "1"; }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
})();
