/* kapcourse pre-test for the static book (issue #19): one question per learning objective,
 * kept in this browser only, no feedback until Submit, then the score per lesson and every
 * question's answer with its feedback; My progress's "Pre-test and final" section; the block a
 * results export carries and an import merges. Mirrors src/kapcourse/record/pretest.py and
 * pretest_view.py with the same rules and messages (tests/golden/pretest.yml); the questions,
 * their fingerprints and the rules come from Python through kapquiz-data/course.js
 * (window.kapcoursePretest); the review rows are kapprogress.js's (the final's). */
(() => {
  "use strict";
  const cfg = () => window.kapcoursePretest;
  const fin = () => window.kapcourseFinal;
  const has = (obj, key) => Object.prototype.hasOwnProperty.call(obj, key);
  const isObject = (v) => !!v && typeof v === "object" && !Array.isArray(v);
  const whole = (v, low, high) => typeof v === "number" && Number.isInteger(v) && v >= low && v <= high;
  const shared = () => window.kapcourseShared.progress;
  const STARTED =
    "You have already answered questions in the lessons: the pre-test will show some of what you learned there, " +
    "so your gain will look smaller than it is. You can still take it.";

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

  /* records.is_response: an answer the course could have saved. */
  function isResponse(v) {
    const r = shared();
    if (v === null || typeof v === "boolean") {
      return true;
    }
    if (typeof v === "string") {
      return Array.from(v).length <= r.max_text;
    }
    if (Array.isArray(v)) {
      return v.length <= r.max_indices && v.every((i) => whole(i, 0, r.max_indices));
    }
    return whole(v, 0, r.max_indices);
  }

  /* pretest.problem: why a saved or exported pre-test cannot be used ("" when it can). */
  function problem(block) {
    const p = cfg(),
      says = p.messages;
    if (!isObject(block)) {
      return says.record;
    }
    if (!whole(has(block, "version") ? block.version : null, p.version, p.version)) {
      return says.version;
    }
    if (
      has(block, "submitted") &&
      !(typeof block.submitted === "string" && new RegExp("^(?:" + shared().date + ")$").test(block.submitted))
    ) {
      return says.submitted;
    }
    const answers = has(block, "answers") ? block.answers : null;
    if (!isObject(answers) || Object.keys(answers).length > p.max_answers) {
      return says.answers;
    }
    const fp = new RegExp("^(?:" + shared().fp + ")$");
    const bad = Object.keys(answers).some((id) => {
      const a = answers[id],
        length = Array.from(id).length;
      return !(
        length > 0 &&
        length <= p.max_text &&
        isObject(a) &&
        typeof a.correct === "boolean" &&
        has(a, "response") &&
        isResponse(a.response) &&
        typeof a.fp === "string" &&
        fp.test(a.fp)
      );
    });
    return bad ? says.answer : "";
  }

  /* pretest.clean: known fields only (call after problem() found none). */
  function clean(block) {
    const answers = {};
    Object.keys(block.answers)
      .sort()
      .forEach((id) => {
        const a = block.answers[id];
        Object.defineProperty(answers, id, {
          value: { correct: a.correct, response: a.response, fp: a.fp },
          enumerable: true,
          writable: true,
          configurable: true
        });
      });
    const out = { version: cfg().version, answers: answers };
    if (has(block, "submitted")) {
      out.submitted = block.submitted;
    }
    return out;
  }

  const usable = (block) => (block === null || block === undefined || problem(block) ? null : clean(block));

  /* pretest.merge: a submitted pre-test beats one under way; of two submitted, the earlier. */
  function merge(current, incoming) {
    const mine = usable(current),
      theirs = usable(incoming);
    if (!theirs) {
      return current;
    }
    if (!mine) {
      return theirs;
    }
    if (!has(theirs, "submitted")) {
      return current;
    }
    return !has(mine, "submitted") || theirs.submitted < mine.submitted ? theirs : current;
  }

  /* {saved, raw, why}: the stored pre-test when usable, else saved is null and why says why. */
  function read() {
    let raw, data;
    try {
      raw = localStorage.getItem(cfg().storage_key);
    } catch (e) {
      return { saved: null, raw: null, why: "" };
    }
    if (raw === null) {
      return { saved: null, raw: null, why: "" };
    }
    try {
      data = JSON.parse(raw);
    } catch (e) {
      return { saved: null, raw: raw, why: cfg().messages.record };
    }
    const why = problem(data);
    return { saved: why ? null : clean(data), raw: raw, why: why };
  }

  const load = () => read().saved;

  /* pretest.save: store change(usable block or null); an unreadable one is kept aside, never
   * dropped. False (with the reason said) when this browser cannot store it. */
  function write(change, say) {
    const stored = read(),
      key = cfg().storage_key;
    try {
      if (stored.why) {
        localStorage.setItem(key + ":unreadable:" + Date.now(), stored.raw);
      }
      localStorage.setItem(key, JSON.stringify(change(stored.saved)));
    } catch (e) {
      say("Not saved: this browser cannot store your answers (private mode, or its storage is full).");
      return false;
    }
    return true;
  }

  /* pretest.first_submitted: the final's first submitted attempt still saved, or null. */
  function firstSubmitted(items, state) {
    const last = window.kapprogress.currentAttempt(items, state);
    for (let n = 1; n <= last; n += 1) {
      if (window.kapprogress.finalScore(items, n).submitted) {
        return n;
      }
    }
    return null;
  }

  /* pretest.comparison(...).as_json(): the pre-test beside the final's first submitted attempt. */
  function comparison(block, items, state) {
    const kept = usable(block),
      p = cfg(),
      f = fin();
    if (!kept || !has(kept, "submitted")) {
      return null;
    }
    const of = new Map(f.questions.map((q) => [q.id, q])),
      counts = new Map();
    const add = (objective, slot, right) => {
      if (!counts.has(objective)) {
        counts.set(objective, [0, 0, 0, 0]);
      }
      counts.get(objective)[slot] += right ? 1 : 0;
      counts.get(objective)[slot + 1] += 1;
    };
    Object.keys(kept.answers).forEach((id) => {
      if (of.has(id) && has(p.fp, id) && kept.answers[id].fp === p.fp[id]) {
        add(of.get(id).objective, 0, kept.answers[id].correct === true);
      }
    });
    const attempt = firstSubmitted(items, state);
    if (attempt !== null) {
      window.kapprogress.drawn(attempt).forEach((id) => add(of.get(id).objective, 2, items[id].correct === true));
    }
    const gain = (c) => (c[1] && c[3] ? Math.floor((100 * c[2]) / c[3]) - Math.floor((100 * c[0]) / c[1]) : null);
    const row = (key, title, lesson, c) => ({
      key: key,
      title: title,
      lesson: lesson,
      pre: [c[0], c[1]],
      final: [c[2], c[3]],
      gain: gain(c)
    });
    const objectives = p.objectives.filter((o) => counts.has(o[0])).map((o) => row(o[0], o[1], o[2], counts.get(o[0])));
    const lessons = f.lessons
      .map((l) => {
        const mine = objectives.filter((r) => r.lesson === l[0]);
        if (!mine.length) {
          return null;
        }
        const sum = (part, i) => mine.reduce((n, r) => n + r[part][i], 0);
        return row(l[0], l[1], l[0], [sum("pre", 0), sum("pre", 1), sum("final", 0), sum("final", 1)]);
      })
      .filter(Boolean);
    return { submitted: kept.submitted, final_attempt: attempt, lessons: lessons, objectives: objectives };
  }

  /* pretest.add_to_export: a results export carries the usable pre-test. */
  function addToExport(exported, block) {
    if (!cfg()) {
      return false;
    }
    const kept = usable(arguments.length > 1 ? block : load());
    if (!kept) {
      return false;
    }
    exported.pretest = kept;
    return true;
  }

  /* pretest.import_into: merge the pre-test of an imported file; a sentence for the learner. */
  function importFrom(text) {
    if (!cfg()) {
      return "";
    }
    let data;
    try {
      data = JSON.parse(String(text).replace(/^\ufeff/, ""));
    } catch (e) {
      return "";
    }
    if (!isObject(data) || !has(data, "pretest") || data.pretest === null) {
      return "";
    }
    const why = problem(data.pretest);
    if (why) {
      return "The pre-test in the file could not be read (" + why + "); it was not imported.";
    }
    const incoming = clean(data.pretest);
    let kept = null;
    const ok = write(
      (current) => {
        kept = merge(current, incoming);
        return kept;
      },
      () => {}
    );
    if (!ok) {
      return "The pre-test in the file could not be stored in this browser (its storage is full).";
    }
    return JSON.stringify(kept) === JSON.stringify(incoming) ? "Imported your pre-test." : "";
  }

  /* pretest_view.comparison_html: My progress's "Pre-test and final" section. */
  function progressNodes(items, state) {
    if (!cfg() || !fin() || !window.kapprogress) {
      return [];
    }
    const found = comparison(load(), items, state);
    if (!found) {
      return [];
    }
    const attempt = found.final_attempt,
      when = found.submitted.slice(0, 10);
    const sign = (g) => (g === null ? "" : (g >= 0 ? "+" : "") + g);
    const table = (rows, head, label) => {
      const heads = [head, "Pre-test right"].concat(
        attempt ? ["Final (attempt " + attempt + ") right", "Gain (points)"] : []
      );
      return h("div", { class: "kp-scroll", role: "region", "aria-label": label, tabindex: "0" }, [
        h(
          "table",
          { class: "kp-table kpt-compare" },
          [
            h(
              "tr",
              {},
              heads.map((t) => h("th", {}, [t]))
            )
          ].concat(
            rows.map((r) =>
              h(
                "tr",
                {},
                [r.title, r.pre[0] + " of " + r.pre[1]]
                  .concat(attempt ? [r.final[0] + " of " + r.final[1], sign(r.gain)] : [])
                  .map((t) => h("td", {}, [t]))
              )
            )
          )
        )
      ]);
    };
    const lead = attempt
      ? "Your pre-test (" +
        when +
        ") beside the first final-assessment attempt you submitted. Gain: the final's " +
        "share right minus the pre-test's, in percentage points. With one pre-test question per objective, one answer moves an " +
        "objective's gain a long way: read the lessons' rows first."
      : "Your pre-test (" + when + "). Submit the final assessment in lesson 09 to see your gain beside it.";
    return [
      h("div", { class: "kpt-progress" }, [
        h("h2", {}, ["Pre-test and final"]),
        h("p", {}, [lead]),
        table(found.lessons, "Lesson", "Pre-test and final by lesson"),
        h("h3", {}, ["By learning objective"]),
        table(found.objectives, "Learning objective", "Pre-test and final by objective")
      ])
    ];
  }

  /* pretest_view.score_html: after Submit, the score per lesson. */
  function scoreNodes(block) {
    const found = comparison(block, {}, null),
      right = found.lessons.reduce((n, r) => n + r.pre[0], 0);
    const asked = found.lessons.reduce((n, r) => n + r.pre[1], 0);
    return [
      h("p", { class: "kpt-score" }, [
        h("strong", {}, ["Submitted: " + right + " of " + asked + " right."]),
        " This is your starting point; My progress sets it beside your final assessment."
      ]),
      h(
        "table",
        { class: "kp-table" },
        [h("tr", {}, [h("th", {}, ["Lesson"]), h("th", {}, ["Right"])])].concat(
          found.lessons.map((r) => h("tr", {}, [h("td", {}, [r.title]), h("td", {}, [r.pre[0] + " of " + r.pre[1]])]))
        )
      )
    ];
  }

  /* The page: PreTest in pretest_view.py. */
  function setUp(box) {
    const p = cfg(),
      f = fin(),
      quiz = document.querySelector(".kq[data-final]"),
      data = (window.kapquizData || {})[f.bank];
    if (!quiz || !data || !window.kapquiz || !window.kapprogress) {
      box.textContent = "The pre-test did not load: reload the page.";
      return;
    }
    const stored = read(),
      block = stored.saved,
      submitted = !!(block && has(block, "submitted"));
    const progress = window.kapprogress.load(),
      lessons = new Set(f.lessons.map((l) => l[0]));
    const started = !!progress && Object.keys(progress.items).some((id) => lessons.has(progress.items[id].bank));
    const notes = (
      stored.why
        ? [
            "Your saved pre-test could not be read (" +
              stored.why +
              "). It is kept in this browser; a new one is saved beside it."
          ]
        : []
    ).concat(started && !submitted ? [STARTED] : []);
    const status = h("p", { class: "kpt-status", role: "status", "aria-live": "polite" }),
      say = (text) => {
        status.textContent = text;
      };
    const submit = h("button", { type: "button", class: "kpt-submit" }, ["Submit"]),
      result = h("div", { class: "kpt-result" });
    box.textContent = "";
    box.append(h("p", {}, [submit]), status, result);
    notes.forEach((n) => quiz.parentNode.insertBefore(h("p", { class: "kp-msg" }, [n]), quiz));
    submit.hidden = submitted;
    const safety = new Map(f.questions.map((q) => [q.id, q.safety]));
    p.questions.forEach((id) => {
      const q = document.getElementById("kq-" + id),
        d = data[id];
      if (!q || !d) {
        return;
      }
      const saved = block && has(block.answers, id) ? block.answers[id] : null;
      if (q.dataset.type === "ordering") {
        window.kapquiz.addMoveButtons(q);
      }
      const line = h("div", { class: "kq-r", role: "status", "aria-live": "polite" });
      q.append(line);
      if (saved && saved.response !== null) {
        try {
          window.kapprogress.showAnswer(q, d, saved.response);
        } catch (e) {
          /* an answer that no longer fits is not shown */
        }
      }
      if (submitted) {
        Array.from(q.querySelectorAll("input, button")).forEach((i) => {
          i.disabled = true;
        });
        q.append(
          window.kapprogress.reviewNode(q, d, { last_response: saved ? saved.response : null }, safety.get(id), false)
        );
        return;
      }
      const changed = () => {
        const resp = window.kapquiz.response(q, d),
          graded = window.kapquiz.grade(q.dataset.type, d, resp);
        if (graded.correct === null) {
          line.textContent = graded.hint;
          return;
        }
        const saveAnswer = (b) => {
          const out = b || { version: p.version, answers: {} };
          out.answers = Object.assign({}, out.answers);
          Object.defineProperty(out.answers, id, {
            value: { correct: graded.correct, response: resp, fp: p.fp[id] },
            enumerable: true,
            writable: true,
            configurable: true
          });
          return out;
        };
        if (write(saveAnswer, say)) {
          line.textContent = "Saved.";
        }
      };
      q.addEventListener("change", changed);
      if (q.dataset.type === "ordering") {
        Array.from(q.querySelectorAll(".kq-up, .kq-dn")).forEach((b) => b.addEventListener("click", changed));
      }
    });
    if (submitted) {
      result.append(...scoreNodes(block));
    }
    submit.addEventListener("click", () => {
      const done = write((b) => {
        const out = b || { version: p.version, answers: {} };
        out.answers = Object.assign({}, out.answers);
        p.questions.forEach((id) => {
          if (!has(out.answers, id)) {
            out.answers[id] = { correct: false, response: null, fp: p.fp[id] };
          }
        });
        out.submitted = new Date().toISOString().slice(0, 19) + "Z";
        return out;
      }, say);
      if (done) {
        location.reload();
      }
    });
  }

  function start() {
    const box = document.getElementById("kpt-pretest");
    if (box && cfg() && fin()) {
      setUp(box);
      box.dataset.ready = "1";
    }
  }
  // read-only, for kapprogress.js (My progress, exports, imports) and the golden tests
  window.kappretest = Object.freeze({
    problem: problem,
    clean: clean,
    merge: merge,
    load: load,
    comparison: comparison,
    addToExport: addToExport,
    importFrom: importFrom,
    progressNodes: progressNodes
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
