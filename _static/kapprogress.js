/* kapcourse "My progress" page for the static book: per-lesson results, a chart, what to
 * review next, export/import (JSON and CSV) of the progress kept in this browser, and the
 * completion record (HTML, and printed or saved as PDF by the browser) once its criteria are met. Also the final assessment's
 * result on lesson 08. Mirrors src/kapcourse/summary.py, final.py, completion.py and
 * progress_page.py; the course structure comes from _static/kapquiz-data/course.js. */
(() => {
  "use strict";
  const KEY = "kapcourse:progress";
  const script = document.currentScript;
  const root = script ? script.src.replace(/_static\/kapprogress\.js.*$/, "") : "";
  const all = (node, sel) => Array.from(node.querySelectorAll(sel));
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;" })[c]);  // as Python's html.escape
  /* The import rules' constants and messages come from Python (summary.script_data) through
   * kapquiz-data/shared.js, so both importers say the same thing. */
  const rules = () => window.kapcourseShared.progress;
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (m, name) => String(values[name]));
  const problem = (key, values) => new Error(fill(rules().messages[key], values || {}));
  const chars = (s) => Array.from(String(s));  // code points, as Python counts them
  const shown = (s) => chars(String(s).slice(0, 2 * rules().shown)).slice(0, rules().shown).join("");
  const has = (obj, key) => Object.prototype.hasOwnProperty.call(obj, key);
  /* Fingerprints, format upgrades and renames (versions.py) live in kapquiz.js, the script that
   * writes the storage; it is on every page of the book. */
  const versions = () => window.kapquiz.versions;

  /* An element with text (never parsed as HTML) and attributes. */
  function h(tag, attrs, children) {
    const node = document.createElement(tag);
    Object.keys(attrs || {}).forEach((name) => {
      if (name === "class") { node.className = attrs[name]; } else { node.setAttribute(name, attrs[name]); }
    });
    (children || []).forEach((c) => node.append(typeof c === "string" ? document.createTextNode(c) : c));
    return node;
  }

  /* Why an answer record cannot be used ("" when it can): summary._reason. */
  function reason(e) {
    const r = rules(), says = r.reasons, whole = (v, low, high) => typeof v === "number" && Number.isInteger(v) && v >= low && v <= high;
    if (!e || typeof e !== "object" || Array.isArray(e)) { return says.record; }
    if (typeof e.bank !== "string" || !e.bank || e.bank.length > 2 * r.max_text || chars(e.bank).length > r.max_text) { return says.bank; }
    if (!whole(e.attempts, 1, r.max_attempts)) { return says.attempts; }
    const bad = ["first_correct", "correct"].filter((f) => typeof (has(e, f) ? e[f] : e.first_correct) !== "boolean")[0];
    if (bad) { return fill(says.boolean, { field: bad }); }
    const date = new RegExp("^(?:" + r.date + ")$");
    const badDate = ["first", "last"].filter((f) => has(e, f) && e[f] !== "" && !(typeof e[f] === "string" && date.test(e[f])))[0];
    if (badDate) { return fill(says.date, { field: badDate }); }
    const answer = (v) => v === null || v === undefined || typeof v === "boolean" ||
      (typeof v === "string" ? v.length <= 2 * r.max_text && chars(v).length <= r.max_text
        : Array.isArray(v) ? v.length <= r.max_indices && v.every((i) => whole(i, 0, r.max_indices)) : whole(v, 0, r.max_indices));
    const badAnswer = ["first_response", "last_response"].filter((f) => has(e, f) && !answer(e[f]))[0];
    if (badAnswer) { return fill(says.response, { field: badAnswer }); }
    return has(e, "fp") && !(typeof e.fp === "string" && new RegExp("^(?:" + r.fp + ")$").test(e.fp)) ? says.fp : "";
  }

  /* The record with known fields only: summary._clean_entry. */
  function clean(id, e) {
    const why = reason(e);
    if (why) { throw problem("entry", { id: shown(id), reason: why }); }
    const out = { bank: e.bank, attempts: e.attempts, first_correct: e.first_correct,
      correct: has(e, "correct") ? e.correct : e.first_correct, first: has(e, "first") ? e.first : "", last: has(e, "last") ? e.last : "" };
    ["first_response", "last_response"].forEach((f) => { if (has(e, f)) { out[f] = e[f] === undefined ? null : e[f]; } });
    if (has(e, "fp")) { out.fp = e.fp; }
    return out;
  }

  /* {data, raw, damaged}: the saved progress with only its usable records (a bad stored record
   * never breaks this page); data is null when the stored value cannot be read at all. */
  function read() {
    let raw = null, data = null;
    try { raw = localStorage.getItem(KEY); } catch (e) { return { data: null, raw: null, damaged: false }; }
    try { data = JSON.parse(raw || "null"); } catch (e) { data = null; }
    if (!(data && typeof data === "object" && data.format === rules().formats.progress &&
      data.items && typeof data.items === "object" && !Array.isArray(data.items))) { return { data: null, raw: raw, damaged: !!raw }; }
    const from = versions().fileVersion(data);
    data = Object.assign({}, data, { version: Math.max(from, window.kapcourseVersions ? window.kapcourseVersions.version : 2),
      items: versions().upToDate(data.items, from) });
    const items = {};
    Object.keys(data.items).forEach((id) => { if (id !== "__proto__" && !reason(data.items[id])) { items[id] = data.items[id]; } });
    const damaged = Object.keys(items).length !== Object.keys(data.items).length;
    return { data: Object.assign({}, data, { items: items }), raw: raw, damaged: damaged };
  }

  const load = () => read().data;

  function results(items, lessons) {
    return lessons.map((l) => {
      const done = l.questions.filter((q) => has(items, q)).map((q) => items[q]);
      return { stem: l.stem, title: l.title, total: l.questions.length, attempted: done.length,
        first: done.filter((e) => e.first_correct).length, correct: done.filter((e) => e.correct).length,
        last: done.map((e) => e.last || "").sort().pop() || "" };
    });
  }

  function reviewNext(items, lessons) {
    const scored = [];
    lessons.forEach((l, order) => {
      if (!l.questions.some((q) => has(items, q))) { return; }
      l.objectives.forEach((o) => {
        const share = o.questions.length ? o.questions.filter((q) => has(items, q) && items[q].correct).length / o.questions.length : 1;
        if (share < 1) { scored.push([share, order, o]); }
      });
    });
    return scored.sort((a, b) => a[0] - b[0] || a[1] - b[1]).slice(0, 3).map((s) => s[2]);
  }

  function bar(cls, share) {
    const span = h("span", { class: cls });
    span.style.width = (100 * share).toFixed(1) + "%";  // through the DOM: works under a strict style-src
    return span;
  }

  /* The learner's answers whose question changed since, or left the course: kept, never scored. */
  function changedNodes(kept) {
    const v = window.kapcourseVersions || {}, ids = Object.keys(kept).sort();
    const changed = ids.filter((id) => versions().state(id, kept[id]) === "changed");
    const removed = ids.filter((id) => versions().state(id, kept[id]) === "removed");
    const list = (which) => h("ul", {}, which.map((id) => h("li", {}, [h("code", {}, [id]), " (" + kept[id].bank + ")"])));
    const nodes = [];
    if (changed.length) {
      nodes.push(h("p", { class: "kp-changed" }, [h("strong", {}, [v.changed || ""]), " " + (v.changed_hint || "")]), list(changed));
    }
    if (removed.length) {
      nodes.push(h("p", { class: "kp-removed" }, ["These answers are to questions the course no longer has: they stay in your exports but do not count toward your scores."]), list(removed));
    }
    return nodes;
  }

  function render(box, message) {
    const lessons = window.kapcourseStructure || [], saved = read(), kept = saved.data ? saved.data.items : {};
    const items = versions().scored(kept);  // what counts toward scores
    const rows = results(items, lessons);
    const table = h("table", { class: "kp-table" }, [h("tr", {}, ["Lesson", "Questions attempted", "Right at first try",
      "Current score", "Last worked on"].map((t) => h("th", {}, [t])))].concat(rows.map((r) => h("tr", {}, [
      h("td", {}, [h("a", { href: root + "notebooks/" + r.stem + ".html" }, [r.title])]),
      h("td", {}, [r.attempted + " of " + r.total]), h("td", {}, [String(r.first)]),
      h("td", {}, [r.correct + " of " + r.total]), h("td", {}, [r.last.slice(0, 10) || "not yet"])]))));
    const chart = h("div", { class: "kp-chart", "aria-hidden": "false" }, [h("p", {}, ["Solid bar: current score; hatched bar: right at first try."])]
      .concat(rows.map((r) => h("div", { class: "kp-row" }, [h("span", {}, [r.stem.slice(0, 2) + " " + r.title]),
        h("span", { class: "kp-bar", role: "img", "aria-label": r.correct + " of " + r.total + " correct now, " + r.first + " at first try" },
          [bar("kp-now", r.correct / r.total), bar("kp-first", r.first / r.total)])]))));
    const review = reviewNext(items, lessons);
    const notice = !saved.raw ? "" : !saved.data ? "Your saved progress could not be read; nothing was changed."
      : saved.damaged ? "Some saved answers could not be read and are not shown; nothing was changed." : "";
    box.textContent = "";
    if (notice) { box.append(h("p", { class: "kp-msg" }, [notice])); }
    box.append(h("div", { class: "kp-scroll", role: "region", "aria-label": "Results by lesson", tabindex: "0" }, [table]), chart,
      h("h2", {}, ["What to review next"]),
      review.length ? h("ol", {}, review.map((o) => h("li", {}, [h("a", { href: root + o.link }, [o.text])])))
        : h("p", {}, ["Nothing to review yet: answer some questions first."]),
      h("p", {}, [h("label", {}, ["Your name on the export (optional: leave empty to stay anonymous) ",
        h("input", { type: "text", class: "kp-name", autocomplete: "off" })])]),
      h("p", {}, [h("button", { type: "button", class: "kp-json" }, ["Export JSON"]), " ",
        h("button", { type: "button", class: "kp-csv" }, ["Export CSV"])]),
      h("p", {}, [h("label", {}, ["Import a JSON or CSV file exported from the course ",
        h("input", { type: "file", class: "kp-file", accept: ".json,.csv" })]), " ",
      h("button", { type: "button", class: "kp-import" }, ["Import"])]),
      h("p", { class: "kp-status", role: "status", "aria-live": "polite" }, [message || ""]));
    box.append(...completionNodes(items));
    box.append(...changedNodes(kept));
    box.querySelector(".kp-json").addEventListener("click", () => download("json", kept, box.querySelector(".kp-name").value.trim()));
    box.querySelector(".kp-csv").addEventListener("click", () => download("csv", kept));
    box.querySelector(".kp-import").addEventListener("click", () => importFile(box));
    all(box, ".kp-record").forEach((b) => b.addEventListener("click", () => saveRecord(box, b.dataset.kind)));
  }

  /* summary.to_csv: a cell a spreadsheet shows as text (m11), quoted when it holds , " CR or LF. */
  function toCsv(items) {
    const special = rules().csv_special;  // fields_v2: the 0.2.0 columns and the fingerprint
    const cell = (v) => {
      let t = v === null || v === undefined ? "" : String(v);
      if (special.some((c) => t.indexOf(c) === 0)) { t = "'" + t; }
      return /[",\r\n]/.test(t) ? '"' + t.replace(/"/g, '""') + '"' : t;
    };
    return [rules().fields_v2.join(",")].concat(Object.keys(items).sort().map((id) => {
      const e = items[id];
      return [e.bank, id, e.attempts, e.first_correct, e.correct, e.first || "", e.last || "", e.fp || ""].map(cell).join(",");
    })).join("\r\n") + "\r\n";
  }

  function download(kind, items, name) {
    const id = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
    const body = kind === "json" ? JSON.stringify({ format: rules().formats.results, version: window.kapcourseVersions ? window.kapcourseVersions.version : 2,
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

  /* Rows of cells, as Python's csv.reader(strict=True) reads them. Hand-written because the
   * book's scripts have no dependencies and no build step (a library would have to be vendored
   * into _static/ and would exceed the page's script budget); RFC 4180: "" inside a quoted
   * field is a quote, a quoted field may hold commas and line breaks, a blank line is no row. */
  function readCsv(text) {
    const rows = [];
    let row = [], cell = "", start = true, started = false, i = 0;
    while (i < text.length) {
      const c = text[i];
      if (start && c === '"') {
        started = true;
        i += 1;
        for (;;) {
          if (i >= text.length) { throw problem("quoting"); }
          if (text[i] === '"' && text[i + 1] === '"') { cell += '"'; i += 2; }
          else if (text[i] === '"') { i += 1; break; }
          else { cell += text[i]; i += 1; }
        }
        if (i < text.length && ",\r\n".indexOf(text[i]) < 0) { throw problem("quoting"); }
        start = false;
      } else if (c === ",") { row.push(cell); cell = ""; start = true; started = true; i += 1; }
      else if (c === "\r" || c === "\n") {
        if (started) { row.push(cell); rows.push(row); }
        row = []; cell = ""; start = true; started = false;
        i += c === "\r" && text[i + 1] === "\n" ? 2 : 1;
      } else { cell += c; start = false; started = true; i += 1; }
    }
    if (started) { row.push(cell); rows.push(row); }
    return rows;
  }

  function fromCsv(t) {
    const rows = readCsv(t), head = rows[0], fields = rules().fields, found = [];
    if (fields.some((f) => head.indexOf(f) < 0)) { throw problem("columns", { columns: fields.join(", ") }); }
    const bool = (s) => { const v = ({ true: true, 1: true, yes: true, false: false, 0: false, no: false })[(s || "").replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "").toLowerCase()]; return v === undefined ? null : v; };
    rows.slice(1).forEach((cells, n) => {
      const row = {};
      head.forEach((name, i) => { if (i < cells.length) { row[name] = cells[i]; } });
      const firstCorrect = bool(row.first_correct), correct = bool(row.correct);
      if (cells.length !== head.length || firstCorrect === null || correct === null || !/^[ \t]*[0-9]{1,7}[ \t]*$/.test(row.attempts || "")) {
        throw problem("row", { row: n + 2 });
      }
      const record = { bank: row.lesson, attempts: Number(row.attempts), first_correct: firstCorrect, correct: correct,
        first: row.first, last: row.last };
      if (row.fp) { record.fp = row.fp; }  // an empty cell: no fingerprint was saved with that answer
      found.push([row.item, record]);
    });
    return { pairs: found, version: head.indexOf("fp") >= 0 ? 2 : 1 };
  }

  /* summary.parse_import: [[id, record], ...] in id order; known maps each id to its bank
   * (by default this course's questions). */
  function parse(text, knownIds) {
    const known = knownIds || knownQuestions();
    const t = text.replace(/^\ufeff/, "").replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "");
    if (!t) { throw problem("empty"); }
    let pairs, version;
    if ("{[".indexOf(t[0]) >= 0) {
      let data;
      try { data = JSON.parse(t); } catch (e) { throw problem("not_json"); }
      if (!data || typeof data !== "object" || Array.isArray(data) || [rules().formats.progress, rules().formats.results].indexOf(data.format) < 0) { throw problem("not_ours"); }
      if (!data.items || typeof data.items !== "object" || Array.isArray(data.items)) { throw problem("no_items"); }
      pairs = Object.keys(data.items).map((id) => [id, data.items[id]]);
      version = versions().fileVersion(data);
    } else { const csv = fromCsv(t); pairs = csv.pairs; version = csv.version; }
    const raw = {};  // a later row for the same question wins, as in Python
    pairs.forEach((pair) => Object.defineProperty(raw, pair[0], { value: pair[1], enumerable: true, writable: true, configurable: true }));
    const byId = new Map(Object.entries(versions().upToDate(raw, version)));  // older formats, renames
    const retired = new Set((window.kapcourseVersions || {}).retired || []);
    const ids = Array.from(byId.keys()).sort(), items = ids.map((id) => [id, clean(id, byId.get(id))]);
    const unknown = ids.filter((id) => !known.has(id) && !retired.has(id));
    if (unknown.length) { throw problem("unknown", { ids: unknown.slice(0, 3).map(shown).join(", ") }); }
    items.forEach((pair) => {
      if (known.has(pair[0]) && pair[1].bank !== known.get(pair[0])) { throw problem("lesson", { id: shown(pair[0]), bank: shown(pair[1].bank), owner: known.get(pair[0]) }); }
    });
    return items;
  }

  /* The course's question ids and the bank their answers are saved under (summary.known_questions). */
  function knownQuestions() {
    const known = new Map(), f = window.kapcourseFinal;
    (window.kapcourseStructure || []).forEach((l) => l.questions.forEach((q) => known.set(q, l.stem)));
    if (f) { Object.keys(f.lesson_of).forEach((q) => known.set(q, f.bank)); }
    return known;
  }

  /* summary.merge: the newer answer wins, the earliest first attempt is kept. */
  function merge(current, incoming) {
    const out = Object.assign({}, current);
    incoming.forEach((pair) => {
      const id = pair[0], mine = has(out, id) ? out[id] : null, theirs = pair[1];
      if (!mine) { out[id] = Object.assign({}, theirs); return; }
      const newer = (theirs.last || "") > (mine.last || "") ? theirs : mine, older = newer === theirs ? mine : theirs;
      if (mine.fp && theirs.fp && mine.fp !== theirs.fp) { out[id] = Object.assign({}, newer); return; }  // two versions of a question
      const first = (mine.first || "~") <= (theirs.first || "~") ? mine : theirs;
      out[id] = Object.assign({}, older, newer, { first: first.first || "", first_correct: first.first_correct,
        first_response: has(first, "first_response") && first.first_response !== undefined ? first.first_response : null,
        attempts: Math.max(mine.attempts, theirs.attempts) });
    });
    return out;
  }

  /* Keep one copy of stored progress this page cannot fully read; false if there is no room. */
  function keepCopy(raw) {
    const prefix = KEY + ":corrupt:";
    try {
      for (let i = 0; i < localStorage.length; i += 1) {
        const key = localStorage.key(i);
        if (key && key.indexOf(prefix) === 0 && localStorage.getItem(key) === raw) { return true; }
      }
      localStorage.setItem(prefix + Date.now(), raw);
      return true;
    } catch (e) { return false; }
  }

  function importFile(box) {
    const file = box.querySelector(".kp-file").files[0], status = (text) => { box.querySelector(".kp-status").textContent = text; };
    const unchanged = " Your saved progress has not been changed.";
    if (!file) { status("Choose a JSON or CSV file exported from the course first."); return; }
    file.text().then((text) => {
      let items;
      try { items = parse(text); } catch (e) { status("Not imported: " + e.message + unchanged); return; }
      const saved = read(), data = saved.data || { format: rules().formats.progress, version: window.kapcourseVersions ? window.kapcourseVersions.version : 2, items: {} };
      if ((saved.damaged || (saved.raw && !saved.data)) && !keepCopy(saved.raw)) {  // never lose it
        status("Not imported: your saved progress could not be read, and this browser has no room to keep a copy of it." + unchanged);
        return;
      }
      data.items = merge(data.items, items);
      try { localStorage.setItem(KEY, JSON.stringify(data)); } catch (e) {
        status("Not imported: this browser has no room to store these answers (its storage is full)." + unchanged);
        return;
      }
      render(box, "Imported " + items.length + " answers from " + file.name + ".");
    }, () => status("Not imported: the file could not be read." + unchanged));
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

  function finalNodes(r) {
    const verdict = r.passed ? "Passed: " + r.percent + "% (pass mark " + r.pass_mark + "%)."
      : r.complete ? "Not passed: " + r.percent + "% (pass mark " + r.pass_mark + "%). Review the lessons with the lowest scores below, then start a new attempt."
        : r.answered + " of " + r.total + " questions answered so far.";
    return [h("p", { class: "kf-verdict" }, [h("strong", {}, [verdict]), " Right at the first try: " + r.right + " of " + r.total + "."]),
      h("table", { class: "kp-table" }, [h("tr", {}, [h("th", {}, ["Lesson"]), h("th", {}, ["Right at first try"])])]
        .concat(r.parts.map((p) => h("tr", {}, [h("td", {}, [p.title]), h("td", {}, [p.right + " of " + p.total])]))))];
  }


  function setUpFinal(box) {
    box.innerHTML = '<div class="kf-result"></div><p><button type="button" class="kf-new">Start a new attempt</button></p>' +
      '<p class="kf-status" role="status" aria-live="polite"></p>';
    const result = box.querySelector(".kf-result"), button = box.querySelector(".kf-new");
    const update = () => {
      const data = load();
      result.textContent = "";
      result.append(...finalNodes(finalResult(data ? versions().scored(data.items) : {})));
    };
    button.addEventListener("click", () => {
      if (!button.dataset.armed) {
        button.dataset.armed = "1";
        button.textContent = "Yes, clear my final-assessment answers";
        box.querySelector(".kf-status").textContent = "This clears the final assessment's answers only; your lesson answers are kept. Click again to confirm.";
        return;
      }
      const saved = read(), data = saved.data, finalBank = window.kapcourseFinal.bank || "final";
      if (data && (!saved.damaged || keepCopy(saved.raw))) {  // never drop unreadable records without a copy
        Object.keys(data.items).forEach((id) => { if (data.items[id].bank === finalBank) { delete data.items[id]; } });
        try { localStorage.setItem(KEY, JSON.stringify(data)); } catch (e) { /* unchanged: the reload shows it */ }
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

  function completionNodes(items) {
    const f = window.kapcourseFinal;
    if (!f) { return []; }
    const s = completion(items);
    return [h("h2", { id: "kp-completion" }, ["Completion record"]),
      h("p", {}, ["The record becomes available when every lesson's questions are all answered and at least " + f.pass_mark +
        "% of them are right now (retries count), and the final assessment in lesson 08 is passed: " + f.pass_mark +
        "% right at the first try. It is a self-attested record of a self-assessment, not accredited continuing education."]),
      h("h3", {}, ["Final assessment"])].concat(finalNodes(s.final), s.complete ? [
      h("p", { class: "kp-ready" }, [h("strong", {}, ["All criteria met."]), " Type your name as it should appear on the record, then save it."]),
      h("p", {}, [h("label", {}, ["Your name on the record ", h("input", { type: "text", class: "kp-record-name", autocomplete: "name" })])]),
      h("p", {}, [h("button", { type: "button", class: "kp-record", "data-kind": "html" }, ["Save record (HTML, print-ready)"]), " ",
        h("button", { type: "button", class: "kp-record", "data-kind": "print" }, ["Print or save as PDF"])]),
      h("p", {}, ["To get a PDF, choose \u201cSave as PDF\u201d as the printer in your browser's print window."])]
      : [h("p", {}, [h("strong", {}, ["Not available yet."]), " Still to do:"]), h("ul", {}, s.unmet.map((u) => h("li", {}, [u])))],
    [h("p", { class: "kp-record-status", role: "status", "aria-live": "polite" })]);
  }


  /* What Python's str.split() splits a name on (JavaScript's \s differs: it has U+FEFF and lacks
   * U+001C-U+001F and U+0085), so both give the same name (tests/golden/record.yml). */
  const SPACE = /[\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

  /* The record's lines, as in completion.Record.lines(); refuses before the criteria are met.
   * items: the saved answers; day: the record's date (YYYY-MM-DD). */
  function recordLines(name, items, day) {
    const s = completion(items || {}), f = window.kapcourseFinal, fin = s.final;
    if (!s.complete) { throw new Error("The completion record is not available yet."); }
    const clean = String(name).split(SPACE).filter(Boolean).join(" ");
    if (!clean) { throw new Error("Type your name as it should appear on the record."); }
    const most = f.record.max_name || 100;  // completion.MAX_NAME, through course.js
    if (Array.from(clean).length > most) { throw new Error("The name is longer than " + most + " characters."); }
    return { name: clean, lines: [["title", "Record of course completion"], ["subtitle", f.record.title], ["gap", ""], ["field", "Name: " + clean],
      ["field", "Date: " + day], ["field", "Course version: " + (window.kapcourseVersion || "")], ["gap", ""],
      ["heading", "Lesson quizzes (current score; pass mark " + fin.pass_mark + "%)"]]
      .concat(s.lessons.map((l) => ["row", l.stem.slice(0, 2) + " " + l.title + " — " + l.correct + " of " + l.total]))
      .concat([["gap", ""], ["heading", "Final assessment (first try; pass mark " + fin.pass_mark + "%): " + fin.right + " of " + fin.total + " (" + fin.percent + "%)"]])
      .concat(fin.parts.map((p) => ["row", p.stem.slice(0, 2) + " " + p.title + " — " + p.right + " of " + p.total]))
      .concat([["gap", ""], ["heading", "What this record is"], ["statement", f.record.statement]]) };
  }

  /* The print-ready record page, byte for byte as completion.record_html() writes it; it has no
   * script, so it can be opened or printed under the course's script-src 'self'. */
  function recordHtml(record) {
    const tags = { title: "h1", subtitle: 'p class="subtitle"', field: "p", heading: "h2", row: "li", statement: 'p class="statement"' };
    let body = "", inList = false;
    record.lines.forEach((l) => {
      if (l[0] !== "row" && inList) { body += "</ul>\n"; inList = false; }
      if (l[0] === "row" && !inList) { body += "<ul>\n"; inList = true; }
      if (tags[l[0]]) { body += "<" + tags[l[0]] + ">" + esc(l[1]) + "</" + tags[l[0]].split(" ")[0] + ">\n"; }
    });
    return '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Record of course completion: ' + esc(record.name) +
      "</title><style>" + window.kapcourseFinal.record.css + "</style></head><body>\n" + body + "</body></html>\n";
  }

  /* The browser makes the PDF: the HTML record goes into a hidden frame (as a Blob, so no inline
   * script is needed) and that frame's print() opens the print window, where "Save as PDF" is a
   * printer. This replaced a hand-written PDF writer whose fonts lacked letters such as Ł. */
  function printRecord(html) {
    all(document, "iframe.kp-print").forEach((old) => old.remove());  // one at a time
    const url = URL.createObjectURL(new Blob([html], { type: "text/html" }));
    const frame = h("iframe", { class: "kp-print", title: "Completion record, for printing", "aria-hidden": "true", tabindex: "-1" });
    Object.assign(frame.style, { position: "fixed", right: "0", bottom: "0", width: "0", height: "0", border: "0" });
    frame.addEventListener("load", () => {
      const view = frame.contentWindow, style = frame.contentDocument.querySelector("style");
      if (style && !style.sheet) {  // a strict style-src blocked the record's <style>; not this
        const sheet = new view.CSSStyleSheet();
        sheet.replaceSync(window.kapcourseFinal.record.css);
        frame.contentDocument.adoptedStyleSheets = [sheet];
      }
      view.addEventListener("afterprint", () => URL.revokeObjectURL(url));
      view.print();
    });
    frame.src = url;
    document.body.appendChild(frame);
  }

  function saveRecord(box, kind) {
    const status = box.querySelector(".kp-record-status"), day = new Date().toISOString().slice(0, 10), data = load();
    let html;
    try { html = recordHtml(recordLines(box.querySelector(".kp-record-name").value, data ? versions().scored(data.items) : {}, day)); } catch (e) { status.textContent = e.message; return; }
    if (kind === "print") {
      printRecord(html);
      status.textContent = "Opened your completion record in the print window.";
      return;
    }
    save(new Blob([html], { type: "text/html" }), "kapcourse-completion-record-" + day + ".html");
    status.textContent = "Saved your completion record (HTML).";
  }

  /* The What changed page: this learner's answers whose question changed since, or left. */
  function renderChanged(box) {
    const saved = read(), nodes = changedNodes(saved.data ? saved.data.items : {});
    box.textContent = "";
    box.append(...(nodes.length ? nodes : [h("p", {}, ["None of the answers saved in this browser is to a question that changed since."])]));
  }

  function start() {
    const box = document.getElementById("kp-progress"), finalBox = document.getElementById("kf-final");
    const changedBox = document.getElementById("kp-changed");
    if (box) { render(box, ""); box.dataset.ready = "1"; }
    if (changedBox) { renderChanged(changedBox); changedBox.dataset.ready = "1"; }
    if (finalBox && window.kapcourseFinal) { setUpFinal(finalBox); finalBox.dataset.ready = "1"; }
  }
  // read-only, for tests (tests/golden) and for anyone checking the import rules in the console
  window.kapprogress = Object.freeze({ reason: reason, parse: parse, readCsv: readCsv, merge: merge, toCsv: toCsv,
    load: load, results: results, knownQuestions: knownQuestions, recordLines: recordLines, recordHtml: recordHtml });
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
})();
