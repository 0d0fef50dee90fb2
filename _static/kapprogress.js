/* kapcourse "My progress" page for the static book: per-lesson results, a chart, what to
 * review next, export/import (JSON and CSV) of the progress kept in this browser, and the
 * completion record (HTML and PDF) once its criteria are met. Also the final assessment's
 * result on lesson 08. Mirrors src/kapcourse/summary.py, final.py, completion.py and
 * progress_page.py; the course structure comes from _static/kapquiz-data/course.js. */
(() => {
  "use strict";
  const KEY = "kapcourse:progress";
  const FIELDS = ["lesson", "item", "attempts", "first_correct", "correct", "first", "last"];
  const script = document.currentScript;
  const root = script ? script.src.replace(/_static\/kapprogress\.js.*$/, "") : "";
  const all = (node, sel) => Array.from(node.querySelectorAll(sel));
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
      '<div class="kp-scroll" role="region" aria-label="Results by lesson" tabindex="0"><table class="kp-table"><tr><th>Lesson</th>' +
      '<th>Questions attempted</th><th>Right at first try</th><th>Current score</th><th>Last worked on</th></tr>' +
      rows + '</table></div><div class="kp-chart" aria-hidden="false"><p>Solid bar: current score; hatched bar: right at first try.</p>' + bars + "</div>" +
      "<h2>What to review next</h2>" + (review.length ? "<ol>" + review.map((o) => '<li><a href="' + root + esc(o.link) + '">' + esc(o.text) + "</a></li>").join("") + "</ol>"
        : "<p>Nothing to review yet: answer some questions first.</p>") +
      '<p><label>Your name on the export (optional: leave empty to stay anonymous) <input type="text" class="kp-name" autocomplete="off"></label></p>' +
      '<p><button type="button" class="kp-json">Export JSON</button> <button type="button" class="kp-csv">Export CSV</button></p>' +
      '<p><label>Import a JSON or CSV file exported from the course <input type="file" class="kp-file" accept=".json,.csv"></label> ' +
      '<button type="button" class="kp-import">Import</button></p><p class="kp-status" role="status" aria-live="polite">' + esc(message || "") + "</p>" +
      completionHtml(items);
    box.querySelector(".kp-json").addEventListener("click", () => download("json", items, box.querySelector(".kp-name").value.trim()));
    box.querySelector(".kp-csv").addEventListener("click", () => download("csv", items));
    box.querySelector(".kp-import").addEventListener("click", () => importFile(box));
    all(box, ".kp-record").forEach((b) => b.addEventListener("click", () => saveRecord(box, b.dataset.kind)));
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
    save(new Blob([body], { type: kind === "json" ? "application/json" : "text/csv" }),
      "kapcourse-progress-" + new Date().toISOString().slice(0, 10) + "." + kind);
  }

  function save(blob, filename) {
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = filename;
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
        const bool = (s) => ({ true: true, 1: true, yes: true, false: false, 0: false, no: false })[String(s).trim().toLowerCase()];
        const e = { bank: row.lesson, attempts: Number(row.attempts), first_correct: bool(row.first_correct),
          correct: bool(row.correct), first: row.first || "", last: row.last || "" };
        if (bool(row.first_correct) === undefined || bool(row.correct) === undefined || !/^\s*[-+]?\d+\s*$/.test(row.attempts || "")) {
          throw new Error("Row " + (n + 2) + " of the CSV file is malformed.");
        }
        items[row.item] = e;
      });
    }
    const known = new Set((window.kapcourseStructure || []).flatMap((l) => l.questions)
      .concat(Object.keys((window.kapcourseFinal || {}).lesson_of || {})));
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

  /* --- the final assessment (first try counts) and the completion record ------------------- */

  function finalResult(items) {
    const f = window.kapcourseFinal, ids = Object.keys(f.lesson_of);
    const answered = ids.filter((q) => items[q]), right = answered.filter((q) => items[q].first_correct);
    const total = ids.length, complete = answered.length === total;
    return { total: total, answered: answered.length, right: right.length, pass_mark: f.pass_mark, complete: complete,
      percent: total ? Math.floor(100 * right.length / total) : 0,
      passed: complete && 100 * right.length >= f.pass_mark * total,
      parts: f.lessons.map((l) => ({ stem: l[0], title: l[1], right: right.filter((q) => f.lesson_of[q] === l[0]).length,
        total: ids.filter((q) => f.lesson_of[q] === l[0]).length })) };
  }

  function finalHtml(r) {
    const verdict = r.passed ? "Passed: " + r.percent + "% (pass mark " + r.pass_mark + "%)."
      : r.complete ? "Not passed: " + r.percent + "% (pass mark " + r.pass_mark + "%). Review the lessons with the lowest scores below, then start a new attempt."
        : r.answered + " of " + r.total + " questions answered so far.";
    return '<p class="kf-verdict"><strong>' + verdict + "</strong> Right at the first try: " + r.right + " of " + r.total + ".</p>" +
      '<table class="kp-table"><tr><th>Lesson</th><th>Right at first try</th></tr>' +
      r.parts.map((p) => "<tr><td>" + esc(p.title) + "</td><td>" + p.right + " of " + p.total + "</td></tr>").join("") + "</table>";
  }

  function setUpFinal(box) {
    box.innerHTML = '<div class="kf-result"></div><p><button type="button" class="kf-new">Start a new attempt</button></p>' +
      '<p class="kf-status" role="status" aria-live="polite"></p>';
    const result = box.querySelector(".kf-result"), button = box.querySelector(".kf-new");
    const update = () => { const data = load(); result.innerHTML = finalHtml(finalResult(data ? data.items : {})); };
    button.addEventListener("click", () => {
      if (!button.dataset.armed) {
        button.dataset.armed = "1";
        button.textContent = "Yes, clear my final-assessment answers";
        box.querySelector(".kf-status").textContent = "This clears the final assessment's answers only; your lesson answers are kept. Click again to confirm.";
        return;
      }
      const data = load();
      if (data) {
        Object.keys(data.items).forEach((id) => { if (data.items[id].bank === "final") { delete data.items[id]; } });
        localStorage.setItem(KEY, JSON.stringify(data));
      }
      location.reload();
    });
    // the quiz saves on Check (click, or Enter in a number field); this runs after it
    ["click", "keyup"].forEach((type) => document.addEventListener(type, update));
    update();
  }

  function completion(items) {
    const f = window.kapcourseFinal;
    const lessons = results(items, window.kapcourseStructure || []).map((r) => Object.assign(r, {
      passed: r.attempted === r.total && 100 * r.correct >= f.pass_mark * r.total }));
    const fin = finalResult(items), unmet = lessons.filter((l) => !l.passed).map((l) => l.title + ": " + l.attempted + " of " +
      l.total + " questions answered, " + l.correct + " right now (pass mark " + f.pass_mark + "%)");
    if (!fin.complete) { unmet.push("Final assessment: " + fin.answered + " of " + fin.total + " questions answered"); }
    else if (!fin.passed) {
      unmet.push("Final assessment: " + fin.right + " of " + fin.total + " right at the first try (" + fin.percent +
        "%; pass mark " + fin.pass_mark + "%): start a new attempt");
    }
    return { lessons: lessons, final: fin, unmet: unmet, complete: unmet.length === 0 };
  }

  function completionHtml(items) {
    const f = window.kapcourseFinal;
    if (!f) { return ""; }
    const s = completion(items);
    return '<h2 id="kp-completion">Completion record</h2><p>The record becomes available when every lesson\'s questions are all answered ' +
      "and at least " + f.pass_mark + "% of them are right now (retries count), and the final assessment in lesson 08 is passed: " +
      f.pass_mark + "% right at the first try. It is a self-attested record of a self-assessment, not accredited continuing education.</p>" +
      "<h3>Final assessment</h3>" + finalHtml(s.final) +
      (s.complete ? '<p class="kp-ready"><strong>All criteria met.</strong> Type your name as it should appear on the record, then save it.</p>' +
        '<p><label>Your name on the record <input type="text" class="kp-record-name" autocomplete="name"></label></p>' +
        '<p><button type="button" class="kp-record" data-kind="html">Save record (HTML, print-ready)</button> ' +
        '<button type="button" class="kp-record" data-kind="pdf">Save record (PDF)</button></p>'
        : "<p><strong>Not available yet.</strong> Still to do:</p><ul>" + s.unmet.map((u) => "<li>" + esc(u) + "</li>").join("") + "</ul>") +
      '<p class="kp-record-status" role="status" aria-live="polite"></p>';
  }

  const wrap = (text, width) => text.split(" ").reduce((lines, word) => {
    const last = lines.length - 1;
    if (last >= 0 && (lines[last] + " " + word).length <= width) { lines[last] += " " + word; } else { lines.push(word); }
    return lines;
  }, []);

  /* The record's lines, as in completion.Record.lines(); refuses before the criteria are met. */
  function recordLines(name) {
    const data = load(), s = completion(data ? data.items : {}), f = window.kapcourseFinal, fin = s.final;
    if (!s.complete) { throw new Error("The completion record is not available yet."); }
    const clean = name.split(/\s+/).filter(Boolean).join(" ");
    if (!clean) { throw new Error("Type your name as it should appear on the record."); }
    if (clean.length > 100) { throw new Error("The name is longer than 100 characters."); }
    return { name: clean, lines: [["title", "Record of course completion"], ["subtitle", f.record.title], ["gap", ""], ["field", "Name: " + clean],
      ["field", "Date: " + new Date().toISOString().slice(0, 10)], ["field", "Course version: " + (window.kapcourseVersion || "")], ["gap", ""],
      ["heading", "Lesson quizzes (current score; pass mark " + fin.pass_mark + "%)"]]
      .concat(s.lessons.map((l) => ["row", l.stem.slice(0, 2) + " " + l.title + " — " + l.correct + " of " + l.total]))
      .concat([["gap", ""], ["heading", "Final assessment (first try; pass mark " + fin.pass_mark + "%): " + fin.right + " of " + fin.total + " (" + fin.percent + "%)"]])
      .concat(fin.parts.map((p) => ["row", p.stem.slice(0, 2) + " " + p.title + " — " + p.right + " of " + p.total]))
      .concat([["gap", ""], ["heading", "What this record is"]])
      .concat(wrap(f.record.statement, 92).map((line) => ["text", line])) };
  }

  function recordHtml(lines, name) {
    const f = window.kapcourseFinal, tags = { title: "h1", subtitle: 'p class="subtitle"', field: "p", heading: "h2", row: "li" };
    let body = "", inList = false;
    lines.forEach((l) => {
      if (l[0] !== "row" && inList) { body += "</ul>\n"; inList = false; }
      if (l[0] === "row" && !inList) { body += "<ul>\n"; inList = true; }
      if (tags[l[0]]) { body += "<" + tags[l[0]] + ">" + esc(l[1]) + "</" + tags[l[0]].split(" ")[0] + ">\n"; }
    });
    return '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Record of course completion: ' + esc(name) +
      "</title><style>" + f.record.css + "</style></head><body>\n" + body + '<p class="statement">' + esc(f.record.statement) + "</p>\n</body></html>\n";
  }

  const CP1252 = { "€": 128, "‚": 130, "„": 132, "…": 133, "‘": 145, "’": 146, "“": 147, "”": 148, "•": 149, "–": 150, "—": 151, "™": 153 };
  const pdfText = (text) => "(" + Array.from(text, (c) => {
    const code = c.codePointAt(0), b = CP1252[c] || (code < 128 || (code > 159 && code < 256) ? code : 63);
    return String.fromCharCode(b);
  }).join("").replace(/[\\()]/g, (c) => "\\" + c) + ")";

  /* One A4 page of Helvetica text, as completion.record_pdf() writes it. */
  function recordPdf(lines) {
    const fonts = { title: ["F2", 18], subtitle: ["F1", 11], field: ["F1", 11], heading: ["F2", 11], row: ["F1", 10], text: ["F1", 10], gap: ["F1", 6] };
    let y = 800;
    const commands = [];
    lines.forEach((l) => {
      const font = fonts[l[0]];
      y -= font[1] * 1.45;
      if (l[1]) { commands.push("BT /" + font[0] + " " + font[1] + " Tf " + (l[0] === "row" ? 86 : 72) + " " + y.toFixed(1) + " Td " + pdfText(l[1]) + " Tj ET"); }
    });
    const stream = commands.join("\n"), objects = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
      "<< /Length " + stream.length + " >>\nstream\n" + stream + "\nendstream",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"];
    let out = "%PDF-1.4\n";
    const offsets = objects.map((body, i) => { const at = out.length; out += (i + 1) + " 0 obj\n" + body + "\nendobj\n"; return at; });
    const xref = out.length;
    out += "xref\n0 " + (objects.length + 1) + "\n0000000000 65535 f \n" + offsets.map((o) => String(o).padStart(10, "0") + " 00000 n \n").join("") +
      "trailer\n<< /Size " + (objects.length + 1) + " /Root 1 0 R >>\nstartxref\n" + xref + "\n%%EOF\n";
    return Uint8Array.from(out, (c) => c.charCodeAt(0));
  }

  function saveRecord(box, kind) {
    const status = box.querySelector(".kp-record-status");
    let record;
    try { record = recordLines(box.querySelector(".kp-record-name").value); } catch (e) { status.textContent = e.message; return; }
    const day = new Date().toISOString().slice(0, 10);
    save(kind === "pdf" ? new Blob([recordPdf(record.lines)], { type: "application/pdf" })
      : new Blob([recordHtml(record.lines, record.name)], { type: "text/html" }),
      "kapcourse-completion-record-" + day + "." + kind);
    status.textContent = "Saved your completion record (" + kind.toUpperCase() + ").";
  }

  function start() {
    const box = document.getElementById("kp-progress"), finalBox = document.getElementById("kf-final");
    if (box) { render(box, ""); box.dataset.ready = "1"; }
    if (finalBox && window.kapcourseFinal) { setUpFinal(finalBox); finalBox.dataset.ready = "1"; }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
})();
