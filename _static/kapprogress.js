/* kapcourse "My progress" page for the static book: per-lesson results, a chart, what to
 * review next, export/import (JSON and CSV) of the progress kept in this browser, and the
 * completion record (HTML, and printed or saved as PDF by the browser) once its criteria are met. Also the final assessment's
 * result on lesson 09. Mirrors src/kapcourse/record/summary.py, final.py, completion.py and
 * progress_page.py; the course structure comes from _static/kapquiz-data/course.js. */
(() => {
  "use strict";
  const script = document.currentScript;
  const root = script ? script.src.replace(/_static\/kapprogress\.js.*$/, "") : "";
  const all = (node, sel) => Array.from(node.querySelectorAll(sel));
  const esc = (s) =>
    String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;" })[c]); // as Python's html.escape
  /* The import rules' constants and messages come from Python (summary.script_data) through
   * kapquiz-data/shared.js, so both importers say the same thing. */
  const rules = () => window.kapcourseShared.progress;
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (m, name) => String(values[name]));
  const problem = (key, values) => new Error(fill(rules().messages[key], values || {}));
  const chars = (s) => Array.from(String(s)); // code points, as Python counts them
  const shown = (s) =>
    chars(String(s).slice(0, 2 * rules().shown))
      .slice(0, rules().shown)
      .join("");
  const has = (obj, key) => Object.prototype.hasOwnProperty.call(obj, key);
  /* Fingerprints, format upgrades and renames (versions.py) live in kapquiz.js, the script that
   * writes the storage; it is on every page of the book. */
  const versions = () => window.kapquiz.versions;

  /* An element with text (never parsed as HTML) and attributes. */
  function h(tag, attrs, children) {
    const node = document.createElement(tag);
    Object.keys(attrs || {}).forEach((name) => {
      if (name === "class") {
        node.className = attrs[name];
      } else {
        node.setAttribute(name, attrs[name]);
      }
    });
    (children || []).forEach((c) => node.append(typeof c === "string" ? document.createTextNode(c) : c));
    return node;
  }

  /* Why an answer record cannot be used ("" when it can): summary._reason. */
  function reason(e) {
    const r = rules(),
      says = r.reasons,
      whole = (v, low, high) => typeof v === "number" && Number.isInteger(v) && v >= low && v <= high;
    if (!e || typeof e !== "object" || Array.isArray(e)) {
      return says.record;
    }
    if (typeof e.bank !== "string" || !e.bank || e.bank.length > 2 * r.max_text || chars(e.bank).length > r.max_text) {
      return says.bank;
    }
    if (!whole(e.attempts, 1, r.max_attempts)) {
      return says.attempts;
    }
    const bad = ["first_correct", "correct"].filter(
      (f) => typeof (has(e, f) ? e[f] : e.first_correct) !== "boolean"
    )[0];
    if (bad) {
      return fill(says.boolean, { field: bad });
    }
    // optional (records saved by 0.2.0 have none): the learner used "Show answer"
    if (has(e, "answer_shown") && typeof e.answer_shown !== "boolean") {
      return fill(says.boolean, { field: "answer_shown" });
    }
    const date = new RegExp("^(?:" + r.date + ")$");
    const badDate = ["first", "last"].filter(
      (f) => has(e, f) && e[f] !== "" && !(typeof e[f] === "string" && date.test(e[f]))
    )[0];
    if (badDate) {
      return fill(says.date, { field: badDate });
    }
    const answer = (v) =>
      v === null ||
      v === undefined ||
      typeof v === "boolean" ||
      (typeof v === "string"
        ? v.length <= 2 * r.max_text && chars(v).length <= r.max_text
        : Array.isArray(v)
          ? v.length <= r.max_indices && v.every((i) => whole(i, 0, r.max_indices))
          : whole(v, 0, r.max_indices));
    const badAnswer = ["first_response", "last_response"].filter((f) => has(e, f) && !answer(e[f]))[0];
    if (badAnswer) {
      return fill(says.response, { field: badAnswer });
    }
    if (has(e, "attempt") && !whole(e.attempt, 1, r.max_attempts)) {
      return says.attempt;
    }
    const sure = has(e, "confidence") ? e.confidence : null;
    if (sure !== null && sure !== undefined && r.confidence.indexOf(sure) < 0) {
      return says.confidence;
    }
    if (has(e, "submitted") && typeof e.submitted !== "boolean") {
      return fill(says.boolean, { field: "submitted" });
    }
    return has(e, "fp") && !(typeof e.fp === "string" && new RegExp("^(?:" + r.fp + ")$").test(e.fp)) ? says.fp : "";
  }

  /* The record with known fields only: summary._clean_entry. */
  function clean(id, e) {
    const why = reason(e);
    if (why) {
      throw problem("entry", { id: shown(id), reason: why });
    }
    const out = {
      bank: e.bank,
      attempts: e.attempts,
      first_correct: e.first_correct,
      correct: has(e, "correct") ? e.correct : e.first_correct,
      first: has(e, "first") ? e.first : "",
      last: has(e, "last") ? e.last : ""
    };
    if (has(e, "answer_shown")) {
      out.answer_shown = e.answer_shown;
    }
    ["first_response", "last_response"].forEach((f) => {
      if (has(e, f)) {
        out[f] = e[f] === undefined ? null : e[f];
      }
    });
    if (has(e, "attempt")) {
      out.attempt = e.attempt;
    } // a final-assessment answer (0.3.0)
    if (has(e, "confidence") && e.confidence !== null && e.confidence !== undefined) {
      out.confidence = e.confidence;
    }
    if (has(e, "submitted")) {
      out.submitted = e.submitted;
    }
    if (has(e, "fp")) {
      out.fp = e.fp;
    }
    return out;
  }

  /* {data, raw, damaged}: the saved progress with only its usable records (a bad stored record
   * never breaks this page); data is null when the stored value cannot be read at all. */
  function read() {
    let raw,
      data = null;
    try {
      raw = localStorage.getItem(rules().storage_key);
    } catch (e) {
      return { data: null, raw: null, damaged: false };
    }
    try {
      data = JSON.parse(raw || "null");
    } catch (e) {
      data = null;
    }
    if (!(
      data &&
      typeof data === "object" &&
      data.format === rules().formats.progress &&
      data.items &&
      typeof data.items === "object" &&
      !Array.isArray(data.items)
    )) {
      return { data: null, raw: raw, damaged: !!raw };
    }
    const from = versions().fileVersion(data);
    data = Object.assign({}, data, {
      version: Math.max(from, window.kapcourseVersions ? window.kapcourseVersions.version : 2),
      items: versions().upToDate(data.items, from)
    });
    const items = {};
    Object.keys(data.items).forEach((id) => {
      if (id !== "__proto__" && !reason(data.items[id])) {
        items[id] = data.items[id];
      }
    });
    const damaged = Object.keys(items).length !== Object.keys(data.items).length;
    return { data: Object.assign({}, data, { items: items }), raw: raw, damaged: damaged };
  }

  const load = () => read().data;

  function results(items, lessons) {
    return lessons.map((l) => {
      const done = l.questions.filter((q) => has(items, q)).map((q) => items[q]);
      return {
        stem: l.stem,
        title: l.title,
        total: l.questions.length,
        attempted: done.length,
        first: done.filter((e) => e.first_correct).length,
        correct: done.filter((e) => e.correct).length,
        last:
          done
            .map((e) => e.last || "")
            .sort()
            .pop() || ""
      };
    });
  }

  /* summary.review_next: the objectives with the most first-try misses (share of the answered
   * questions, then lesson order): [{objective, missed, answered}]. */
  function reviewNext(items, lessons) {
    const scored = [];
    lessons.forEach((l, order) => {
      l.objectives.forEach((o) => {
        const done = o.questions.filter((q) => has(items, q)).map((q) => items[q]);
        const missed = done.filter((e) => e.first_correct !== true).length;
        if (missed) {
          scored.push([-missed / done.length, order, { objective: o, missed: missed, answered: done.length }]);
        }
      });
    });
    return scored
      .sort((a, b) => a[0] - b[0] || a[1] - b[1])
      .slice(0, 3)
      .map((s) => s[2]);
  }

  function bar(cls, share) {
    const span = h("span", { class: cls });
    span.style.width = (100 * share).toFixed(1) + "%"; // through the DOM: works under a strict style-src
    return span;
  }

  /* The learner's answers whose question changed since, or left the course: kept, never scored. */
  function changedNodes(kept) {
    const v = window.kapcourseVersions || {},
      ids = Object.keys(kept).sort();
    const changed = ids.filter((id) => versions().state(id, kept[id]) === "changed");
    const removed = ids.filter((id) => versions().state(id, kept[id]) === "removed");
    const list = (which) =>
      h(
        "ul",
        {},
        which.map((id) => h("li", {}, [h("code", {}, [id]), " (" + kept[id].bank + ")"]))
      );
    const nodes = [];
    if (changed.length) {
      nodes.push(
        h("p", { class: "kp-changed" }, [h("strong", {}, [v.changed || ""]), " " + (v.changed_hint || "")]),
        list(changed)
      );
    }
    if (removed.length) {
      nodes.push(
        h("p", { class: "kp-removed" }, [
          "These answers are to questions the course no longer has: they stay in your exports but do not count toward your scores."
        ]),
        list(removed)
      );
    }
    return nodes;
  }

  function render(box, message) {
    const lessons = window.kapcourseStructure || [],
      saved = read(),
      kept = saved.data ? saved.data.items : {};
    const items = versions().scored(kept); // what counts toward scores
    const rows = results(items, lessons);
    const table = h(
      "table",
      { class: "kp-table" },
      [
        h(
          "tr",
          {},
          ["Lesson", "Questions attempted", "First-try right", "Right now", "Last worked on"].map((t) =>
            h("th", {}, [t])
          )
        )
      ].concat(
        rows.map((r) =>
          h("tr", {}, [
            h("td", {}, [h("a", { href: root + "notebooks/" + r.stem + ".html" }, [r.title])]),
            h("td", {}, [r.attempted + " of " + r.total]),
            h("td", {}, [r.first + " of " + r.total]),
            h("td", {}, [r.correct + " of " + r.total]),
            h("td", {}, [r.last.slice(0, 10) || "not yet"])
          ])
        )
      )
    );
    const chart = h(
      "div",
      { class: "kp-chart", "aria-hidden": "false" },
      [h("p", {}, ["Solid bar: right now; hatched bar: first-try right."])].concat(
        rows.map((r) =>
          h("div", { class: "kp-row" }, [
            h("span", {}, [r.stem.slice(0, 2) + " " + r.title]),
            h(
              "span",
              {
                class: "kp-bar",
                role: "img",
                "aria-label": r.correct + " of " + r.total + " right now, " + r.first + " first-try right"
              },
              [bar("kp-now", r.correct / r.total), bar("kp-first", r.first / r.total)]
            ),
            h("span", { class: "kp-num", "aria-hidden": "true" }, [
              r.correct + " of " + r.total + " · " + r.first + " first-try right"
            ])
          ])
        )
      )
    );
    const review = reviewNext(items, lessons);
    const notice = !saved.raw
      ? ""
      : !saved.data
        ? "Your saved progress could not be read; nothing was changed."
        : saved.damaged
          ? "Some saved answers could not be read and are not shown; nothing was changed."
          : "";
    box.textContent = "";
    if (notice) {
      box.append(h("p", { class: "kp-msg" }, [notice]));
    }
    const answered = lessons.some((l) => l.questions.some((q) => has(items, q)));
    box.append(...confidentFirst(items, saved.data ? saved.data.final : null));
    box.append(
      h("div", { class: "kp-scroll", role: "region", "aria-label": "Results by lesson", tabindex: "0" }, [table]),
      h("p", {}, [
        "First-try right: answered right at the first try. Right now: the latest answer is right (retries count)."
      ]),
      chart,
      h("h2", {}, ["What to review next"]),
      ...(review.length
        ? [
            h("p", {}, ["The learning objectives whose questions you missed at the first try most often:"]),
            h(
              "ol",
              {},
              review.map((r) =>
                h("li", {}, [
                  h("a", { href: root + r.objective.link }, [r.objective.text]),
                  " (missed at the first try: " + r.missed + " of " + r.answered + " answered)"
                ])
              )
            )
          ]
        : [
            h("p", {}, [
              answered
                ? "Nothing to review: every question you have answered was right at the first try."
                : "Nothing to review yet: answer some questions first."
            ])
          ]),
      h("p", {}, [
        h("label", {}, [
          "Your name on the export (optional: leave empty to stay anonymous) ",
          h("input", { type: "text", class: "kp-name", autocomplete: "off" })
        ])
      ]),
      h("p", {}, [
        h("button", { type: "button", class: "kp-json" }, ["Export JSON"]),
        " ",
        h("button", { type: "button", class: "kp-csv" }, ["Export CSV"])
      ]),
      h("p", {}, [
        h("label", {}, [
          "Import a JSON or CSV file exported from the course ",
          h("input", { type: "file", class: "kp-file", accept: ".json,.csv" })
        ]),
        " ",
        h("button", { type: "button", class: "kp-import" }, ["Import"])
      ]),
      h("p", { class: "kp-status", role: "status", "aria-live": "polite" }, [message || ""])
    );
    if (window.kappretest) {
      box.append(...window.kappretest.progressNodes(items, saved.data ? saved.data.final : null));
    }
    box.append(...completionNodes(items, saved.data ? saved.data.final : null));
    box.append(...changedNodes(kept));
    box
      .querySelector(".kp-json")
      .addEventListener("click", () => download("json", kept, box.querySelector(".kp-name").value.trim()));
    box.querySelector(".kp-csv").addEventListener("click", () => download("csv", kept));
    box.querySelector(".kp-import").addEventListener("click", () => importFile(box));
    all(box, ".kp-record").forEach((b) => b.addEventListener("click", () => saveRecord(box, b.dataset.kind)));
  }

  /* summary.to_csv: a cell a spreadsheet shows as text (m11), quoted when it holds , " CR or LF. */
  function toCsv(items) {
    const special = rules().csv_special; // fields_v2: the 0.2.0 columns and the fingerprint
    const cell = (v) => {
      let t = v === null || v === undefined ? "" : String(v);
      if (special.some((c) => t.indexOf(c) === 0)) {
        t = "'" + t;
      }
      return /[",\r\n]/.test(t) ? '"' + t.replace(/"/g, '""') + '"' : t;
    };
    return (
      [rules().fields_v2.join(",")]
        .concat(
          Object.keys(items)
            .sort()
            .map((id) => {
              const e = items[id];
              return [e.bank, id, e.attempts, e.first_correct, e.correct, e.first || "", e.last || "", e.fp || ""]
                .map(cell)
                .join(",");
            })
        )
        .join("\r\n") + "\r\n"
    );
  }

  // The learner's calendar date (YYYY-MM-DD) at the instant ms: local, as Python's
  // date.today() in the kernel, so a record made just after midnight carries the day the
  // learner sees (toISOString would give the UTC day).
  function localDay(ms) {
    const d = new Date(ms),
      pad = (n) => String(n).padStart(2, "0");
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  function download(kind, items, name) {
    const id = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
    const exported = {
      format: rules().formats.results,
      version: window.kapcourseVersions ? window.kapcourseVersions.version : 2,
      course_version: window.kapcourseVersion || "",
      export_id: id,
      exported: localDay(Date.now()),
      learner: name || null,
      items: items
    };
    if (window.kapeval) {
      window.kapeval.addToExport(exported);
    } // anonymous exports only: evaluation.add_to_export
    if (window.kapreview) {
      window.kapreview.addToExport(exported);
    } // review.add_to_export
    if (window.kappretest) {
      window.kappretest.addToExport(exported);
    } // pretest.add_to_export
    const body = kind === "json" ? JSON.stringify(exported, null, 1) : toCsv(items);
    save(
      new Blob([body], { type: kind === "json" ? "application/json" : "text/csv" }),
      "kapcourse-progress-" + localDay(Date.now()) + "." + kind
    );
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
    let row = [],
      cell = "",
      start = true,
      started = false,
      i = 0;
    while (i < text.length) {
      const c = text[i];
      if (start && c === '"') {
        started = true;
        i += 1;
        for (;;) {
          if (i >= text.length) {
            throw problem("quoting");
          }
          if (text[i] === '"' && text[i + 1] === '"') {
            cell += '"';
            i += 2;
          } else if (text[i] === '"') {
            i += 1;
            break;
          } else {
            cell += text[i];
            i += 1;
          }
        }
        if (i < text.length && ",\r\n".indexOf(text[i]) < 0) {
          throw problem("quoting");
        }
        start = false;
      } else if (c === ",") {
        row.push(cell);
        cell = "";
        start = true;
        started = true;
        i += 1;
      } else if (c === "\r" || c === "\n") {
        if (started) {
          row.push(cell);
          rows.push(row);
        }
        row = [];
        cell = "";
        start = true;
        started = false;
        i += c === "\r" && text[i + 1] === "\n" ? 2 : 1;
      } else {
        cell += c;
        start = false;
        started = true;
        i += 1;
      }
    }
    if (started) {
      row.push(cell);
      rows.push(row);
    }
    return rows;
  }

  function fromCsv(t) {
    const rows = readCsv(t),
      head = rows[0],
      fields = rules().fields,
      found = [];
    if (fields.some((f) => head.indexOf(f) < 0)) {
      throw problem("columns", { columns: fields.join(", ") });
    }
    const bool = (s) => {
      const v = { true: true, 1: true, yes: true, false: false, 0: false, no: false }[
        (s || "").replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "").toLowerCase()
      ];
      return v === undefined ? null : v;
    };
    rows.slice(1).forEach((cells, n) => {
      const row = {};
      head.forEach((name, i) => {
        if (i < cells.length) {
          row[name] = cells[i];
        }
      });
      const firstCorrect = bool(row.first_correct),
        correct = bool(row.correct);
      if (
        cells.length !== head.length ||
        firstCorrect === null ||
        correct === null ||
        !/^[ \t]*[0-9]{1,7}[ \t]*$/.test(row.attempts || "")
      ) {
        throw problem("row", { row: n + 2 });
      }
      const record = {
        bank: row.lesson,
        attempts: Number(row.attempts),
        first_correct: firstCorrect,
        correct: correct,
        first: row.first,
        last: row.last
      };
      if (row.fp) {
        record.fp = row.fp;
      } // an empty cell: no fingerprint was saved with that answer
      found.push([row.item, record]);
    });
    return { pairs: found, version: head.indexOf("fp") >= 0 ? 2 : 1 };
  }

  /* summary.parse_import: [[id, record], ...] in id order; known maps each id to its bank
   * (by default this course's questions). */
  function parse(text, knownIds) {
    const known = knownIds || knownQuestions();
    const t = text.replace(/^\ufeff/, "").replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "");
    if (!t) {
      throw problem("empty");
    }
    let pairs, version;
    if ("{[".indexOf(t[0]) >= 0) {
      let data;
      try {
        data = JSON.parse(t);
      } catch (e) {
        throw problem("not_json");
      }
      if (
        !data ||
        typeof data !== "object" ||
        Array.isArray(data) ||
        [rules().formats.progress, rules().formats.results].indexOf(data.format) < 0
      ) {
        throw problem("not_ours");
      }
      if (!data.items || typeof data.items !== "object" || Array.isArray(data.items)) {
        throw problem("no_items");
      }
      pairs = Object.keys(data.items).map((id) => [id, data.items[id]]);
      version = versions().fileVersion(data);
    } else {
      const csv = fromCsv(t);
      pairs = csv.pairs;
      version = csv.version;
    }
    const raw = {}; // a later row for the same question wins, as in Python
    pairs.forEach((pair) =>
      Object.defineProperty(raw, pair[0], { value: pair[1], enumerable: true, writable: true, configurable: true })
    );
    const byId = new Map(Object.entries(versions().upToDate(raw, version))); // older formats, renames
    const retired = new Set((window.kapcourseVersions || {}).retired || []);
    const ids = Array.from(byId.keys()).sort(),
      items = ids.map((id) => [id, clean(id, byId.get(id))]);
    const unknown = ids.filter((id) => !known.has(id) && !retired.has(id));
    if (unknown.length) {
      throw problem("unknown", { ids: unknown.slice(0, 3).map(shown).join(", ") });
    }
    items.forEach((pair) => {
      if (known.has(pair[0]) && pair[1].bank !== known.get(pair[0])) {
        throw problem("lesson", { id: shown(pair[0]), bank: shown(pair[1].bank), owner: known.get(pair[0]) });
      }
    });
    return items;
  }

  /* The course's question ids and the bank their answers are saved under (summary.known_questions). */
  function knownQuestions() {
    const known = new Map(),
      f = window.kapcourseFinal;
    (window.kapcourseStructure || []).forEach((l) => l.questions.forEach((q) => known.set(q, l.stem)));
    if (f) {
      // release 0.2.0's final answers (final-<lesson question id>) still import, counting for nothing
      Array.from(known.keys()).forEach((q) => known.set(f.legacy_prefix + q, f.bank));
      Object.keys(f.lesson_of).forEach((q) => known.set(q, f.bank));
    }
    return known;
  }

  /* record/rules.py merge(): the newer answer wins, the earliest first attempt is kept. */
  function merge(current, incoming) {
    const out = Object.assign({}, current);
    incoming.forEach((pair) => {
      const id = pair[0],
        mine = has(out, id) ? out[id] : null,
        theirs = pair[1];
      if (!mine) {
        out[id] = Object.assign({}, theirs);
        return;
      }
      const newer = (theirs.last || "") > (mine.last || "") ? theirs : mine,
        older = newer === theirs ? mine : theirs;
      if (mine.fp && theirs.fp && mine.fp !== theirs.fp) {
        out[id] = Object.assign({}, newer);
        return;
      } // two versions of a question
      const first = (mine.first || "~") <= (theirs.first || "~") ? mine : theirs;
      out[id] = Object.assign({}, older, newer, {
        first: first.first || "",
        first_correct: first.first_correct,
        first_response:
          has(first, "first_response") && first.first_response !== undefined ? first.first_response : null,
        attempts: Math.max(mine.attempts, theirs.attempts)
      });
    });
    return out;
  }

  /* Keep one copy of stored progress this page cannot fully read; false if there is no room.
   * One rule for the backup copy: kapquiz.js's (loaded on every page). */
  function keepCopy(raw) {
    return window.kapquiz.keepCopy(raw);
  }

  function importFile(box) {
    const file = box.querySelector(".kp-file").files[0],
      status = (text) => {
        box.querySelector(".kp-status").textContent = text;
      };
    const unchanged = " Your saved progress has not been changed.";
    if (!file) {
      status("Choose a JSON or CSV file exported from the course first.");
      return;
    }
    file.text().then(
      (text) => {
        let items;
        try {
          items = parse(text);
        } catch (e) {
          status("Not imported: " + e.message + unchanged);
          return;
        }
        const saved = read(),
          data = saved.data || {
            format: rules().formats.progress,
            version: window.kapcourseVersions ? window.kapcourseVersions.version : 2,
            items: {}
          };
        if ((saved.damaged || (saved.raw && !saved.data)) && !keepCopy(saved.raw)) {
          // never lose it
          status(
            "Not imported: your saved progress could not be read, and this browser has no room to keep a copy of it." +
              unchanged
          );
          return;
        }
        data.items = merge(data.items, items);
        try {
          localStorage.setItem(rules().storage_key, JSON.stringify(data));
        } catch (e) {
          status("Not imported: this browser has no room to store these answers (its storage is full)." + unchanged);
          return;
        }
        const note = window.kapreview ? window.kapreview.importNote(text) : ""; // review.import_note
        const pretest = window.kappretest ? window.kappretest.importFrom(text) : ""; // pretest.import_into
        render(
          box,
          "Imported " + items.length + " answers from " + file.name + "." + note + (pretest ? " " + pretest : "")
        );
      },
      () => status("Not imported: the file could not be read." + unchanged)
    );
  }

  /* --- the final assessment: one form per objective, Submit, review (final.py) ------------- */

  const whole = (v, low, high) => typeof v === "number" && Number.isInteger(v) && v >= low && v <= high;

  /* final.current_attempt: the attempt under way, from the stored "final" mapping (an attempt
   * started before any answer) and the saved answers. */
  function currentAttempt(items, state) {
    const f = window.kapcourseFinal,
      most = rules().max_attempts;
    let attempt = 1;
    if (state && typeof state === "object" && !Array.isArray(state) && whole(state.attempt, 1, most)) {
      attempt = state.attempt;
    }
    Object.keys(items).forEach((id) => {
      const e = items[id];
      if (e && e.bank === f.bank && whole(e.attempt, 1, most) && e.attempt > attempt) {
        attempt = e.attempt;
      }
    });
    return attempt;
  }

  /* FinalAssessment.drawn: the questions of attempt n, one form of every objective. */
  function drawn(attempt) {
    const f = window.kapcourseFinal;
    return f.questions.filter((q) => {
      const forms = f.forms[q.objective]; // final.py: build gives every question's objective its forms
      return q.form === forms[(attempt - 1) % forms.length];
    });
  }

  /* final.answer_of: this attempt's rated answer, or null. */
  function answerOf(items, id, attempt) {
    const e = has(items, id) ? items[id] : null;
    return e &&
      e.bank === window.kapcourseFinal.bank &&
      e.attempt === attempt &&
      rules().confidence.indexOf(e.confidence) >= 0
      ? e
      : null;
  }

  /* final.score: the result of attempt n. */
  function finalScore(items, attempt) {
    const f = window.kapcourseFinal,
      questions = drawn(attempt),
      ids = questions.map((q) => q.id);
    const answered = ids.filter((id) => answerOf(items, id, attempt));
    const right = answered.filter((id) => answerOf(items, id, attempt).correct === true);
    const safety = questions.filter((q) => q.safety).map((q) => q.id);
    const total = ids.length,
      complete = answered.length === total;
    const markMet = complete && 100 * right.length >= f.pass_mark * total;
    const missed = safety.filter((id) => right.indexOf(id) < 0);
    const submitted = total > 0 && complete && answered.every((id) => answerOf(items, id, attempt).submitted === true);
    return {
      attempt: attempt,
      submitted: submitted,
      total: total,
      answered: answered.length,
      right: right.length,
      pass_mark: f.pass_mark,
      complete: complete,
      percent: total ? Math.floor((100 * right.length) / total) : 0,
      mark_met: markMet,
      passed: submitted && markMet && missed.length === 0,
      safety_total: safety.length,
      safety_missed: missed,
      confident_wrong: answered.filter(
        (id) => right.indexOf(id) < 0 && answerOf(items, id, attempt).confidence === f.certain
      ),
      parts: f.lessons.map((l) => ({
        stem: l[0],
        title: l[1],
        right: right.filter((q) => f.lesson_of[q] === l[0]).length,
        total: ids.filter((q) => f.lesson_of[q] === l[0]).length
      }))
    };
  }

  /* final.result: the current attempt; state is the stored data's "final" mapping. */
  function finalResult(items, state) {
    return finalScore(items, currentAttempt(items, state));
  }

  /* final.last_review: the latest submitted attempt, or null. */
  function lastReview(items, state) {
    const attempt = currentAttempt(items, state),
      now = finalScore(items, attempt);
    if (now.submitted || attempt === 1) {
      return now.submitted ? now : null;
    }
    const before = finalScore(items, attempt - 1);
    return before.submitted ? before : null;
  }

  /* final_view.question_label: "Lesson title: objective". */
  function questionLabel(id) {
    const f = window.kapcourseFinal,
      q = f.questions.filter((x) => x.id === id)[0];
    const lesson = f.lessons.filter((l) => l[0] === q.lesson)[0];
    return (lesson ? lesson[1] : "") + ": " + (f.objectives[q.objective] || q.objective);
  }

  /* final_view.result_html. */
  function finalNodes(r) {
    const head = "Attempt " + r.attempt + ": ";
    let verdict;
    if (!r.submitted) {
      verdict =
        head +
        r.answered +
        " of " +
        r.total +
        " questions answered and rated. Your score and the feedback appear when you submit.";
    } else if (r.passed) {
      verdict = head + "passed: " + r.percent + "% (pass mark " + r.pass_mark + "%).";
    } else {
      const why = r.mark_met ? [] : [r.percent + "% is below the pass mark of " + r.pass_mark + "%"];
      if (r.safety_missed.length) {
        why.push(r.safety_missed.length + " safety question(s) answered wrong");
      }
      verdict = head + "not passed: " + why.join("; ") + ". Review the questions below, then start a new attempt.";
    }
    const out = [h("p", { class: "kf-verdict" }, [h("strong", {}, [verdict])])];
    if (!r.submitted) {
      return out;
    }
    out.push(
      h("p", { class: "kf-safety" }, [
        "Safety questions right: " + (r.safety_total - r.safety_missed.length) + " of " + r.safety_total + "."
      ])
    );
    if (r.safety_missed.length) {
      out.push(
        h("p", {}, ["Safety questions answered wrong (each one fails the final):"]),
        h(
          "ul",
          { class: "kf-safety-missed" },
          r.safety_missed.map((id) => h("li", {}, [questionLabel(id)]))
        )
      );
    }
    if (r.confident_wrong.length) {
      out.push(
        h("p", {}, [h("strong", {}, ["Review these first:"]), " you were certain, and wrong."]),
        h(
          "ul",
          { class: "kf-confident-wrong" },
          r.confident_wrong.map((id) => h("li", {}, [questionLabel(id)]))
        )
      );
    }
    return out.concat([
      h("p", {}, ["Right: " + r.right + " of " + r.total + "."]),
      h(
        "table",
        { class: "kp-table" },
        [h("tr", {}, [h("th", {}, ["Lesson"]), h("th", {}, ["Right"])])].concat(
          r.parts
            .filter((p) => p.total)
            .map((p) => h("tr", {}, [h("td", {}, [p.title]), h("td", {}, [p.right + " of " + p.total])]))
        )
      )
    ]);
  }

  /* My progress, first: the latest submitted attempt's confidently-wrong answers
   * (progress_page.confident_wrong_html). */
  function confidentFirst(items, state) {
    const review = window.kapcourseFinal ? lastReview(items, state) : null;
    if (!review || !review.confident_wrong.length) {
      return [];
    }
    return [
      h("div", { class: "kf-confident-first" }, [
        h("h2", {}, ["Review these first"]),
        h("p", {}, [
          "In your final assessment (attempt " + review.attempt + ") you were ",
          h("strong", {}, ["certain"]),
          " of these answers, and they were wrong:"
        ]),
        h(
          "ul",
          { class: "kf-confident-wrong" },
          review.confident_wrong.map((id) => h("li", {}, [questionLabel(id)]))
        )
      ])
    ];
  }

  /* Stored progress to change, or null (with the reason shown) when it cannot be read and no
   * copy of it can be kept: a learner's answers are never overwritten unseen. */
  function writable(say) {
    const saved = read();
    if ((saved.damaged || (saved.raw && !saved.data)) && !keepCopy(saved.raw)) {
      say("Your saved progress could not be read and this browser has no room to keep a copy: answers are not saved.");
      return null;
    }
    return saved.data || { format: rules().formats.progress, version: 1, items: {} };
  }

  function store(data, say) {
    try {
      localStorage.setItem(rules().storage_key, JSON.stringify(data));
      return true;
    } catch (e) {
      say("This browser cannot save your answers (private mode, or its storage is full).");
      return false;
    }
  }

  /* The learner's saved answer put back into a question's inputs (kapquiz.js restore, without
   * grading it). */
  function showAnswer(q, d, resp) {
    const type = q.dataset.type,
      index = (input) => (Array.isArray(d.o) ? d.o[+input.value] : +input.value);
    if (type === "numeric") {
      if (typeof resp === "string") {
        q.querySelector(".kq-n input").value = resp;
      }
      return;
    }
    if (type === "ordering") {
      const list = q.querySelector(".kq-ord");
      if (Array.isArray(resp)) {
        resp.forEach((s) => {
          const li = window.kapquiz.stepItem(list, d, Number(s));
          if (li) {
            list.appendChild(li);
          }
        });
      }
      return;
    }
    const picks =
      type === "multiple" ? (Array.isArray(resp) ? resp : []) : [type === "truefalse" ? (resp ? 0 : 1) : resp];
    all(q, ".kq-o input").forEach((i) => {
      i.checked = picks.indexOf(index(i)) >= 0;
    });
  }

  /* After Submit: the answer marked, how sure, the feedback on every option, the explanation
   * (final_view.review_html). */
  function reviewNode(q, d, entry, safety, rated) {
    const type = q.dataset.type,
      resp = entry ? entry.last_response : null,
      graded = window.kapquiz.grade(type, d, resp);
    const sure =
      { guessing: "Guessing", "fairly sure": "Fairly sure", certain: "Certain" }[entry && entry.confidence] ||
      "not rated";
    // the pre-test (rated false) asks no confidence, and allows a question left unanswered
    const headline = resp === null || resp === undefined ? "Not answered." : graded.message || graded.hint;
    const box = h("div", { class: "kq-result kf-review" }, [
      h(
        "p",
        {},
        [h("strong", {}, [(graded.correct ? "✓ " : "✗ ") + headline])]
          .concat(rated === false ? [] : [" How sure you were: " + sure + "."])
          .concat(safety ? [" ", h("span", { class: "kf-tag" }, ["Safety question"])] : [])
      )
    ]);
    if (type !== "numeric" && type !== "ordering") {
      const chosen =
        type === "multiple"
          ? resp || []
          : resp === null || resp === undefined
            ? []
            : [type === "truefalse" ? (resp ? 0 : 1) : resp];
      const order = Array.isArray(d.o) ? d.o : d.f.map((f, i) => i);
      const list = h("ul", {});
      order.forEach((n) => {
        const ok = d.c.indexOf(n) >= 0,
          on = chosen.indexOf(n) >= 0;
        const label = on
          ? ok
            ? "✓ Your choice: correct."
            : "✗ Your choice: incorrect."
          : ok
            ? type === "multiple"
              ? "✓ Correct, not selected."
              : "✓ The correct answer."
            : "Incorrect option.";
        const text = type === "truefalse" ? (n === 0 ? "True" : "False") : textOfOption(q, d, n);
        const li = h("li", {}, [h("strong", {}, [label]), " ", h("em", {}, [text]), " — "]);
        li.append(safeHtml(d.f[n]));
        list.append(li);
      });
      box.append(list);
    }
    box.append(safeHtml(d.x + (d.v ? '<div class="kq-vx">' + d.v + "</div>" : "")));
    return box;
  }

  const textOfOption = (q, d, n) => {
    const inputs = all(q, ".kq-o input"),
      position = Array.isArray(d.o) ? d.o.indexOf(n) : n;
    return inputs[position] ? inputs[position].parentNode.textContent.trim() : "";
  };

  /* The course's own HTML (bank data built by its safe Markdown renderer, never page input). */
  function safeHtml(html) {
    const span = h("div", {});
    span.innerHTML = html;
    return span;
  }

  function setUpFinal(box) {
    const f = window.kapcourseFinal,
      quiz = document.querySelector(".kq[data-final]"),
      data = (window.kapquizData || {})[f.bank];
    if (!quiz || !data || !window.kapquiz) {
      box.textContent = "The final assessment did not load: reload the page.";
      return;
    }
    const saved = read(),
      items = saved.data ? saved.data.items : {},
      state = saved.data ? saved.data.final : null;
    const attempt = currentAttempt(items, state),
      submitted = finalScore(items, attempt).submitted;
    const questions = drawn(attempt),
      ids = questions.map((q) => q.id),
      itemIds = questions.map((q) => q.item);
    box.innerHTML =
      '<h3 class="kf-attempt"></h3><div class="kf-result"></div><p><button type="button" class="kf-submit">Submit</button> ' +
      '<button type="button" class="kf-new">Start a new attempt</button></p><p class="kf-status" role="status" aria-live="polite"></p>';
    const say = (text) => {
      box.querySelector(".kf-status").textContent = text;
    };
    box.querySelector(".kf-attempt").textContent = "Attempt " + attempt;
    const update = () => {
      const stored = read().data || { items: {} },
        result = box.querySelector(".kf-result");
      result.textContent = "";
      result.append(...finalNodes(finalResult(versions().scored(stored.items), stored.final)));
    };
    // every form is in the page: show the items this attempt draws, hide the others
    all(quiz, ":scope > .kq-q, :scope > .kq-v").forEach((node) => {
      node.hidden = itemIds.indexOf(node.id.slice(3)) < 0;
    });
    quiz.insertBefore(
      h("p", { class: "kf-attempt-note" }, [
        "Attempt " + attempt + ": " + ids.length + " questions. No feedback until you submit."
      ]),
      quiz.firstChild
    );
    questions.forEach((spec) => {
      const q = document.getElementById("kq-" + spec.id),
        d = data[spec.id];
      if (!q || !d) {
        return;
      }
      const entry =
        has(items, spec.id) && items[spec.id].bank === f.bank && items[spec.id].attempt === attempt
          ? items[spec.id]
          : null;
      if (q.dataset.type === "ordering") {
        window.kapquiz.addMoveButtons(q);
      }
      const sure = h(
        "fieldset",
        { class: "kf-conf" },
        [h("legend", {}, ["How sure are you?"])].concat(
          rules().confidence.map((c) =>
            h("label", {}, [
              h("input", { type: "radio", name: "kf-conf-" + spec.id, value: c }),
              " " + c.charAt(0).toUpperCase() + c.slice(1) + " "
            ])
          )
        )
      );
      const status = h("div", { class: "kq-r", role: "status", "aria-live": "polite" });
      q.append(sure, status);
      if (entry) {
        try {
          showAnswer(q, d, entry.last_response);
        } catch (e) {
          /* a stale record is not shown */
        }
        all(sure, "input").forEach((i) => {
          i.checked = i.value === entry.confidence;
        });
      }
      const next = q.nextElementSibling; // a case shows its next step once this one is answered
      if (next && next.classList.contains("kq-q")) {
        next.hidden = !entry && !submitted;
      }
      if (submitted) {
        all(q, "input, button").forEach((i) => {
          i.disabled = true;
        });
        q.append(reviewNode(q, d, entry, spec.safety));
        return;
      }
      const changed = () => {
        const resp = window.kapquiz.response(q, d),
          graded = window.kapquiz.grade(q.dataset.type, d, resp);
        if (graded.correct === null) {
          status.textContent = q.dataset.type === "numeric" ? graded.hint : "Choose your answer too.";
          return;
        }
        const store_ = writable(say),
          picked = all(sure, "input").filter((i) => i.checked)[0],
          stamp = new Date().toISOString().slice(0, 19) + "Z";
        if (!store_) {
          return;
        }
        store_.items[spec.id] = {
          bank: f.bank,
          attempts: 1,
          first_correct: graded.correct,
          correct: graded.correct,
          first_response: resp,
          last_response: resp,
          first: stamp,
          last: stamp,
          attempt: attempt,
          confidence: picked ? picked.value : null
        };
        if (!store(store_, say)) {
          return;
        }
        status.textContent = "Saved." + (picked ? "" : " Now say how sure you are.");
        if (next && next.classList.contains("kq-q")) {
          next.hidden = false;
        }
        update();
      };
      q.addEventListener("change", changed);
      if (q.dataset.type === "ordering") {
        all(q, ".kq-up, .kq-dn").forEach((b) => b.addEventListener("click", changed));
      }
    });
    const submit = box.querySelector(".kf-submit"),
      button = box.querySelector(".kf-new");
    submit.hidden = submitted;
    button.hidden = !submitted;
    submit.addEventListener("click", () => {
      const stored = read().data || { items: {} },
        r = finalScore(stored.items, attempt);
      if (!r.complete) {
        say(
          "Answer every question and say how sure you are before you submit: " +
            (r.total - r.answered) +
            " still to do."
        );
        return;
      }
      const out = writable(say);
      if (!out) {
        return;
      }
      ids.forEach((id) => {
        if (has(out.items, id)) {
          out.items[id].submitted = true;
        }
      });
      if (store(out, say)) {
        location.reload();
      }
    });
    button.addEventListener("click", () => {
      if (!button.dataset.armed) {
        button.dataset.armed = "1";
        button.textContent = "Yes, start attempt " + (attempt + 1);
        say(
          "A new attempt gives you the other version of each question; this attempt's review is kept on My progress. Click again to confirm."
        );
        return;
      }
      const out = writable(say);
      if (!out) {
        return;
      }
      out.final = { attempt: attempt + 1 };
      if (store(out, say)) {
        location.reload();
      }
    });
    update();
  }

  function completion(items, state) {
    const f = window.kapcourseFinal;
    const lessons = results(items, window.kapcourseStructure || []).map((r) =>
      Object.assign(r, {
        passed: r.attempted === r.total && 100 * r.correct >= f.pass_mark * r.total
      })
    );
    const fin = finalResult(items, state),
      unmet = lessons
        .filter((l) => !l.passed)
        .map(
          (l) =>
            l.title +
            ": " +
            l.attempted +
            " of " +
            l.total +
            " questions answered, " +
            l.correct +
            " right now (pass mark " +
            f.pass_mark +
            "%)"
        );
    if (!fin.submitted) {
      unmet.push(
        "Final assessment: attempt " +
          fin.attempt +
          ", " +
          fin.answered +
          " of " +
          fin.total +
          " questions answered and rated; then submit"
      );
    } else if (!fin.passed) {
      unmet.push(
        "Final assessment: attempt " +
          fin.attempt +
          ", " +
          fin.right +
          " of " +
          fin.total +
          " right (" +
          fin.percent +
          "%; pass mark " +
          fin.pass_mark +
          "%)" +
          (fin.safety_missed.length ? ", " + fin.safety_missed.length + " safety question(s) wrong" : "") +
          ": start a new attempt"
      );
    }
    return { lessons: lessons, final: fin, unmet: unmet, complete: unmet.length === 0 };
  }

  function completionNodes(items, state) {
    const f = window.kapcourseFinal;
    if (!f) {
      return [];
    }
    const s = completion(items, state);
    return [
      h("h2", { id: "kp-completion" }, ["Completion record"]),
      h("p", {}, [
        "The record becomes available when every lesson's questions are all answered and at least " +
          f.pass_mark +
          "% of them are right now (retries count), and the final assessment in lesson " +
          f.host.slice(0, 2) +
          " is submitted and passed: " +
          f.pass_mark +
          "% right and every safety question right. It is a self-attested record of a self-assessment, not accredited continuing education."
      ]),
      h("h3", {}, ["Final assessment"])
    ].concat(
      finalNodes(s.final),
      s.complete
        ? [
            h("p", { class: "kp-ready" }, [
              h("strong", {}, ["All criteria met."]),
              " Type your name as it should appear on the record, then save it."
            ]),
            h("p", {}, [
              h("label", {}, [
                "Your name on the record ",
                h("input", { type: "text", class: "kp-record-name", autocomplete: "name" })
              ])
            ]),
            h("p", {}, [
              h("button", { type: "button", class: "kp-record", "data-kind": "html" }, [
                "Save record (HTML, print-ready)"
              ]),
              " ",
              h("button", { type: "button", class: "kp-record", "data-kind": "print" }, ["Print or save as PDF"])
            ]),
            h("p", {}, ["To get a PDF, choose \u201cSave as PDF\u201d as the printer in your browser's print window."])
          ]
        : [
            h("p", {}, [h("strong", {}, ["Not available yet."]), " Still to do:"]),
            h(
              "ul",
              {},
              s.unmet.map((u) => h("li", {}, [u]))
            )
          ],
      [h("p", { class: "kp-record-status", role: "status", "aria-live": "polite" })]
    );
  }

  /* What Python's str.split() splits a name on (JavaScript's \s differs: it has U+FEFF and lacks
   * U+001C-U+001F and U+0085), so both give the same name (tests/golden/record.yml). */
  const SPACE = /[\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;
  const oneLine = (text) =>
    String(text || "")
      .split(SPACE)
      .filter(Boolean)
      .join(" "); // evaluation.one_line

  /* The record's lines, as in completion.Record.lines(); refuses before the criteria are met.
   * items: the saved answers; day: the record's date (YYYY-MM-DD); state: the progress data's
   * final-assessment state; commitment: the learner's commitment-to-change statement to include
   * ("" or absent for none, see kapeval.js). */
  function recordLines(name, items, day, state, commitment) {
    const s = completion(items || {}, state),
      f = window.kapcourseFinal,
      fin = s.final;
    if (!s.complete) {
      throw new Error("The completion record is not available yet.");
    }
    const clean = String(name).split(SPACE).filter(Boolean).join(" ");
    if (!clean) {
      throw new Error("Type your name as it should appear on the record.");
    }
    const most = f.record.max_name || 100; // completion.MAX_NAME, through course.js
    if (Array.from(clean).length > most) {
      throw new Error("The name is longer than " + most + " characters.");
    }
    return {
      name: clean,
      lines: [
        ["title", "Record of course completion"],
        ["subtitle", f.record.title],
        ["gap", ""],
        ["field", "Name: " + clean],
        ["field", "Date: " + day],
        ["field", "Course version: " + (window.kapcourseVersion || "")],
        ["gap", ""],
        ["heading", "Lesson quizzes (current score; pass mark " + fin.pass_mark + "%)"]
      ]
        .concat(
          s.lessons.map((l) => ["row", l.stem.slice(0, 2) + " " + l.title + " — " + l.correct + " of " + l.total])
        )
        .concat([
          ["gap", ""],
          [
            "heading",
            "Final assessment (attempt " +
              fin.attempt +
              "; pass mark " +
              fin.pass_mark +
              "% and every safety question right): " +
              fin.right +
              " of " +
              fin.total +
              " (" +
              fin.percent +
              "%)"
          ],
          ["row", "Safety questions: " + fin.safety_total + " of " + fin.safety_total + " right"]
        ])
        .concat(
          fin.parts
            .filter((p) => p.total)
            .map((p) => ["row", p.stem.slice(0, 2) + " " + p.title + " — " + p.right + " of " + p.total])
        )
        .concat(
          oneLine(commitment)
            ? [
                ["gap", ""],
                ["heading", f.record.commitment],
                ["field", oneLine(commitment)]
              ]
            : []
        )
        .concat([
          ["gap", ""],
          ["heading", "What this record is"],
          ["statement", f.record.statement]
        ])
    };
  }

  /* The print-ready record page, byte for byte as completion.record_html() writes it; it has no
   * script, so it can be opened or printed under the course's script-src 'self'. */
  function recordHtml(record) {
    const tags = {
      title: "h1",
      subtitle: 'p class="subtitle"',
      field: "p",
      heading: "h2",
      row: "li",
      statement: 'p class="statement"'
    };
    let body = "",
      inList = false;
    record.lines.forEach((l) => {
      if (l[0] !== "row" && inList) {
        body += "</ul>\n";
        inList = false;
      }
      if (l[0] === "row" && !inList) {
        body += "<ul>\n";
        inList = true;
      }
      if (tags[l[0]]) {
        body += "<" + tags[l[0]] + ">" + esc(l[1]) + "</" + tags[l[0]].split(" ")[0] + ">\n";
      }
    });
    return (
      '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Record of course completion: ' +
      esc(record.name) +
      "</title><style>" +
      window.kapcourseFinal.record.css +
      "</style></head><body>\n" +
      body +
      "</body></html>\n"
    );
  }

  /* The browser makes the PDF: the HTML record goes into a hidden frame (as a Blob, so no inline
   * script is needed) and that frame's print() opens the print window, where "Save as PDF" is a
   * printer. This replaced a hand-written PDF writer whose fonts lacked letters such as Ł. */
  function printRecord(html) {
    all(document, "iframe.kp-print").forEach((old) => old.remove()); // one at a time
    const url = URL.createObjectURL(new Blob([html], { type: "text/html" }));
    const frame = h("iframe", {
      class: "kp-print",
      title: "Completion record, for printing",
      "aria-hidden": "true",
      tabindex: "-1"
    });
    Object.assign(frame.style, { position: "fixed", right: "0", bottom: "0", width: "0", height: "0", border: "0" });
    frame.addEventListener("load", () => {
      const view = frame.contentWindow,
        style = frame.contentDocument.querySelector("style");
      if (style && !style.sheet) {
        // a strict style-src blocked the record's <style>; not this
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
    const status = box.querySelector(".kp-record-status"),
      day = localDay(Date.now()),
      data = load();
    let html;
    const commitment = window.kapeval ? window.kapeval.recordCommitment() : ""; // only if the learner chose it
    try {
      html = recordHtml(
        recordLines(
          box.querySelector(".kp-record-name").value,
          data ? versions().scored(data.items) : {},
          day,
          data ? data.final : null,
          commitment
        )
      );
    } catch (e) {
      status.textContent = e.message;
      return;
    }
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
    const saved = read(),
      nodes = changedNodes(saved.data ? saved.data.items : {});
    box.textContent = "";
    box.append(
      ...(nodes.length
        ? nodes
        : [h("p", {}, ["None of the answers saved in this browser is to a question that changed since."])])
    );
  }

  function start() {
    const box = document.getElementById("kp-progress"),
      finalBox = document.getElementById("kf-final");
    const changedBox = document.getElementById("kp-changed");
    if (box) {
      render(box, "");
      box.dataset.ready = "1";
    }
    if (changedBox) {
      renderChanged(changedBox);
      changedBox.dataset.ready = "1";
    }
    if (finalBox && window.kapcourseFinal) {
      setUpFinal(finalBox);
      // when, as kapquiz.js stamps each lesson quiz (make bench reads it)
      finalBox.dataset.ready = String(Math.round(performance.now()));
    }
  }
  // read-only, for tests (tests/golden) and for anyone checking the import rules in the console
  window.kapprogress = Object.freeze({
    localDay: localDay,
    reason: reason,
    parse: parse,
    readCsv: readCsv,
    merge: merge,
    toCsv: toCsv,
    load: load,
    results: results,
    reviewNext: reviewNext,
    knownQuestions: knownQuestions,
    recordLines: recordLines,
    recordHtml: recordHtml,
    currentAttempt: currentAttempt,
    drawn: (n) => drawn(n).map((q) => q.id),
    finalResult: finalResult,
    lastReview: lastReview,
    finalScore: finalScore,
    showAnswer: showAnswer,
    reviewNode: reviewNode
  }); // the last three: for kappretest.js
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
