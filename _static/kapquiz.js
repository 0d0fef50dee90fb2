/* kapcourse quizzes for the static book: grading, feedback, explanation, score and retry with
 * no kernel and no dependencies; progress is kept in this browser's localStorage. The page
 * holds the questions (src/kapcourse/quiz/static.py); answers and feedback come from the bank's
 * data script (_static/kapquiz-data/<bank>.js). Grading mirrors src/kapcourse/quiz/grading.py. */
(() => {
  "use strict";
  /* Units, messages and the number pattern come from Python (grading.py) through the course
   * data script kapquiz-data/shared.js, so both renderers read one table. */
  const shared = () => window.kapcourseShared || null;
  const KEY = () => shared().progress.storage_key; // summary.STORAGE_KEY
  let warning = "";

  const fresh = () => ({ format: shared().progress.formats.progress, version: versions().version, items: {} });
  const all = (root, sel) => Array.from(root.querySelectorAll(sel));
  const el = (tag, cls, text) => {
    const node = document.createElement(tag);
    node.className = cls;
    if (text) {
      node.textContent = text;
    }
    return node;
  };
  const say = (key, values) => shared().grading.messages[key].replace(/\{(\w+)\}/g, (m, name) => String(values[name]));

  const textOf = (html) => {
    const box = document.createElement("div");
    box.innerHTML = html; // the course's own safe HTML, never page input
    return box.textContent;
  };

  /* --- course versions: src/kapcourse/record/versions.py, with the same rules (tests/golden/versions.yml).
   * Python ships the tables (kapquiz-data/versions.js): the fingerprint of every current question
   * ("current"), those of release 0.2.0 for version 1 records ("legacy"), question ids released
   * before and gone now ("retired") and the renames of quizzes/migrations.yml. No hashing here. */
  const NO_TABLES = {
    version: 2,
    current: {},
    legacy: {},
    retired: [],
    banks: {},
    questions: {},
    changed: "",
    changed_hint: ""
  };
  const versions = () => window.kapcourseVersions || NO_TABLES;
  const own = (obj, key) => Object.prototype.hasOwnProperty.call(obj, key);
  const isRecord = (e) => !!e && typeof e === "object" && !Array.isArray(e);
  const put = (obj, key, value) =>
    Object.defineProperty(obj, key, { value: value, enumerable: true, writable: true, configurable: true });

  function follow(name, renames) {
    const seen = new Set([name]);
    while (own(renames, name) && !seen.has(renames[name])) {
      name = renames[name];
      seen.add(name);
    }
    return name;
  }
  const renamedQuestion = (id) =>
    id.indexOf("final-") === 0
      ? "final-" + follow(id.slice(6), versions().questions)
      : follow(id, versions().questions);

  /* versions.UPGRADES: from_version -> the step to the next version. v1 (0.2.0) records had no
   * fingerprint: each gets its question's 0.2.0 fingerprint where known, so a question changed
   * since 0.2.0 is flagged and any other counts as answered (versions.py states the rule). */
  const UPGRADES = {
    1: (items) => {
      const legacy = versions().legacy,
        out = {};
      Object.keys(items).forEach((id) => {
        const e = items[id];
        put(out, id, isRecord(e) && !own(e, "fp") && own(legacy, id) ? Object.assign({}, e, { fp: legacy[id] }) : e);
      });
      return out;
    }
  };
  const fileVersion = (data) => (Number.isInteger(data.version) && data.version >= 1 ? data.version : 1);

  function upgradeItems(items, from) {
    let out = items;
    for (let v = from; v < versions().version; v += 1) {
      out = UPGRADES[v](out);
    }
    return out;
  }

  /* versions.migrate: records under their current question and lesson names; where an old and a
   * new id both have one, the more recently answered is kept. */
  function migrate(items) {
    const out = {},
      last = (e) => (isRecord(e) && typeof e.last === "string" ? e.last : "");
    Object.keys(items)
      .sort()
      .forEach((id) => {
        let e = items[id];
        if (isRecord(e) && typeof e.bank === "string") {
          e = Object.assign({}, e, { bank: follow(e.bank, versions().banks) });
        }
        const to = renamedQuestion(id);
        if (own(out, to) && last(out[to]) >= last(e)) {
          return;
        }
        put(out, to, e);
      });
    return out;
  }
  const upToDate = (items, from) => migrate(upgradeItems(items, from));

  /* versions.answer_state: "current", "changed" (answered before the question changed) or "removed". */
  function answerState(id, e) {
    const current = versions().current;
    if (!own(current, id)) {
      return "removed";
    }
    return e && e.fp && e.fp !== current[id] ? "changed" : "current";
  }
  /* versions.scored: the answers that count toward scores. */
  function scored(items) {
    const out = {};
    Object.keys(items).forEach((id) => {
      if (answerState(id, items[id]) !== "changed") {
        put(out, id, items[id]);
      }
    });
    return out;
  }

  /* A saved answer record that the pages can use (the import rules of summary.py, without the
   * checks of the answers themselves, which restore() makes); anything else is left out. */
  const isDate = (v) =>
    v === undefined ||
    v === "" ||
    (typeof v === "string" && v.length <= 40 && new RegExp("^(?:" + shared().progress.date + ")$").test(v));
  const usable = (e) =>
    !!e &&
    typeof e === "object" &&
    !Array.isArray(e) &&
    typeof e.bank === "string" &&
    Number.isInteger(e.attempts) &&
    e.attempts >= 1 &&
    typeof e.first_correct === "boolean" &&
    (e.correct === undefined || typeof e.correct === "boolean") &&
    isDate(e.first) &&
    isDate(e.last) &&
    (e.answer_shown === undefined || typeof e.answer_shown === "boolean") && // optional: not in 0.2.0's records
    (e.fp === undefined || (typeof e.fp === "string" && new RegExp("^(?:" + shared().progress.fp + ")$").test(e.fp)));

  /* Keep one copy of an unreadable stored value (the same text is never copied twice);
   * false when the browser has no room for it. */
  function keepCopy(raw) {
    const prefix = KEY() + ":corrupt:";
    try {
      for (let i = 0; i < localStorage.length; i += 1) {
        const key = localStorage.key(i);
        if (key && key.indexOf(prefix) === 0 && localStorage.getItem(key) === raw) {
          return true;
        }
      }
      localStorage.setItem(prefix + Date.now(), raw);
      return true;
    } catch (e) {
      return false;
    }
  }

  let unsafeToSave = false; // the stored value is unreadable and no copy of it could be kept

  function load() {
    let raw; // set below, or the function returns
    try {
      raw = localStorage.getItem(KEY());
    } catch (e) {
      return fresh();
    }
    if (!raw) {
      return fresh();
    }
    let data = null;
    try {
      data = JSON.parse(raw);
    } catch (e) {
      /* kept below */
    }
    const ok =
      data &&
      typeof data === "object" &&
      data.format === shared().progress.formats.progress &&
      data.items &&
      typeof data.items === "object" &&
      !Array.isArray(data.items);
    if (ok) {
      // an older format is upgraded here and written back at the next answer; a lesson page's
      // tables (partial: its own questions only) upgrade its answers but not the record's
      // version, so a page with the whole tables still upgrades the others (versions.py)
      data = Object.assign({}, data, {
        version: versions().partial ? fileVersion(data) : Math.max(fileVersion(data), versions().version),
        items: upToDate(data.items, fileVersion(data))
      });
    }
    const items = {};
    if (ok) {
      Object.keys(data.items).forEach((id) => {
        if (usable(data.items[id])) {
          items[id] = data.items[id];
        }
      });
    }
    if (ok && Object.keys(items).length === Object.keys(data.items).length) {
      return data;
    }
    if (keepCopy(raw)) {
      warning = "Saved progress was unreadable: a copy was kept and a new record started.";
      unsafeToSave = false;
    } else {
      warning = "Saved progress was unreadable and this browser has no room to keep a copy: new answers are not saved.";
      unsafeToSave = true;
    }
    return ok ? Object.assign({}, data, { items: items }) : fresh();
  }

  function save(bank, id, correct, response) {
    const data = load(),
      now = new Date().toISOString().slice(0, 19) + "Z";
    if (unsafeToSave) {
      return;
    } // never overwrite the only copy of what was saved
    const fp = own(versions().current, id) ? versions().current[id] : "";
    // an answer to the question as it is now replaces one given before it changed (progress._attempt)
    if (fp && own(data.items, id) && (data.items[id].fp || fp) !== fp) {
      delete data.items[id];
    }
    const entry =
      data.items[id] ||
      (data.items[id] = { bank: bank, attempts: 0, first_correct: correct, first_response: response, first: now });
    entry.attempts += 1;
    Object.assign(entry, { correct: correct, last_response: response, last: now });
    if (fp) {
      entry.fp = fp;
    }
    store(data);
  }

  function store(data) {
    try {
      localStorage.setItem(KEY(), JSON.stringify(data));
    } catch (e) {
      warning = "This browser cannot save your answers (private mode?).";
    }
  }

  /* progress.ProgressStore.show_answer: the learner asked to see the key of a wrong answer. */
  function saveShown(bank, id) {
    const data = load(),
      entry = data.items[id];
    if (unsafeToSave || !entry || entry.bank !== bank) {
      return;
    }
    entry.answer_shown = true;
    store(data);
  }

  /* progress.ProgressStore.retake: clear a lesson's current answers, keep its first tries. */
  function saveRetake(bank) {
    const data = load();
    if (unsafeToSave) {
      return;
    }
    Object.keys(data.items).forEach((id) => {
      const entry = data.items[id];
      if (entry.bank === bank) {
        delete entry.last_response;
        delete entry.answer_shown;
        entry.correct = false;
      }
    });
    store(data);
  }

  /* grading.py's parse_number: {value} or {hint}. */
  function parseNumber(text, unit) {
    const g = shared().grading,
      space = "[" + g.space + "]+";
    const strip = (s) => s.replace(new RegExp("^" + space), "").replace(new RegExp(space + "$"), "");
    const norm = (s) => strip(s).toLowerCase().replace(new RegExp(space, "g"), " ");
    const example = ("for example 12.5 " + unit).replace(/ +$/, "");
    const raw = String(text || "");
    // characters as Python counts them (code points), so the cap is the same in both
    if (raw.length > g.max_answer && Array.from(raw).length > g.max_answer) {
      return { hint: say("not_number", { example: example }) };
    }
    const t = strip(raw),
      m = new RegExp("^(?:" + g.number + ")").exec(t);
    if (!m) {
      return { hint: say("not_number", { example: example }) };
    }
    if (new RegExp("^(?:" + g.ambiguous + ")$").test(m[0])) {
      return { hint: say("thousands", { example: example }) };
    }
    const base = norm(unit),
      names = (g.units[base] || []).concat([base, base.replace(/ /g, "")]);
    const rest = t.slice(m[0].length);
    if (rest && names.indexOf(norm(rest)) < 0) {
      return { hint: say("wrong_unit", { expected: unit ? "in " + unit : "without a unit", example: example }) };
    }
    const shown = m[0].split(",").length === 2 && m[0].indexOf(".") < 0 ? m[0].replace(",", ".") : m[0];
    return { value: parseFloat(shown), shown: shown };
  }

  /* Right answers now among the bank's current questions, as progress.bank_score counts them. */
  function score(items, ids) {
    return ids.filter((id) => own(items, id) && items[id].correct === true && answerState(id, items[id]) !== "changed")
      .length;
  }

  /* Right at the first try, as progress.first_try_score counts them. */
  function firstTry(items, ids) {
    return ids.filter((id) => Object.prototype.hasOwnProperty.call(items, id) && items[id].first_correct === true)
      .length;
  }

  /* grading.option_label */
  function label(chosen, ok, type) {
    if (chosen) {
      return ok ? "✓ Your choice: correct." : "✗ Your choice: incorrect.";
    }
    if (ok) {
      return type === "multiple" ? "✓ Correct, not selected." : "✓ The correct answer.";
    }
    return "Incorrect option.";
  }

  /* grading.reveal, the one rule of what a graded answer shows: a right answer, a second wrong
   * try or "Show answer" reveals the key (correct options marked, explanation, sources); a
   * first wrong try shows the feedback on the learner's own choice and a hint. */
  function reveal(type, correct, wrongTries, shown) {
    if (correct) {
      return { key: true, chosen_only: false, note: say("revealed"), offer: false };
    }
    if (shown) {
      return { key: true, chosen_only: false, note: say("shown_answer"), offer: false };
    }
    if (wrongTries >= shared().grading.reveal_after) {
      return { key: true, chosen_only: false, note: say("revealed"), offer: false };
    }
    const hint = { numeric: "look_again_number", ordering: "look_again_order" }[type] || "look_again";
    return { key: false, chosen_only: true, note: say(hint), offer: true };
  }

  /* grading.status_line */
  const statusLine = (result, rv) => (result.correct ? "✓ " : "✗ ") + result.message + " " + rv.note;

  /* grading.shown_feedback for the choice types: [[bank index, label]] of the rows shown, in
   * bank order; resp is the response as saved (a bank index, a list of them, or a boolean). */
  function rows(type, d, resp, rv) {
    const picked = type === "multiple" ? resp : [type === "truefalse" ? (resp ? 0 : 1) : resp];
    return d.f
      .map((f, n) => [n, picked.indexOf(n) >= 0, d.c.indexOf(n) >= 0])
      .filter((r) => !rv.chosen_only || r[1])
      .map((r) => [r[0], label(r[1], r[2], type)]);
  }

  const scoreText = (right, first, total) => say("lesson_score", { right: right, first: first, total: total });
  /* widget_view.fold_label */
  const foldLabel = (first, expanded) => say("fold", { mark: first ? "✓" : "✗", action: expanded ? "hide" : "show" });

  /* The bank's index of an option input. The page may number options by display position
   * with d.o mapping position -> bank index (security review m12); without d.o, value is the
   * bank index. */
  const optionIndex = (d, input) => (Array.isArray(d.o) ? d.o[+input.value] : +input.value);
  /* The bank's index of an ordering step (its data-s is its position on the page, mapped by d.o). */
  const stepIndex = (d, li) => (Array.isArray(d.o) ? d.o[+li.dataset.s] : +li.dataset.s);
  const stepItem = (list, d, index) => all(list, "li").find((li) => stepIndex(d, li) === index);

  /* The learner's response, in the same form as the Python views store it. */
  function response(q, d) {
    const type = q.dataset.type;
    if (type === "numeric") {
      return q.querySelector("input").value;
    }
    if (type === "ordering") {
      return all(q, ".kq-ord > li").map((li) => stepIndex(d, li));
    }
    const chosen = all(q, ".kq-o input")
      .filter((i) => i.checked)
      .map((i) => optionIndex(d, i))
      .sort((a, b) => a - b);
    if (type === "multiple") {
      return chosen;
    }
    if (!chosen.length) {
      return null;
    }
    return type === "truefalse" ? chosen[0] === 0 : chosen[0];
  }

  /* grading.py's grade(): {correct: true|false|null, hint | message}; type is the question's. */
  function grade(type, d, resp) {
    if (type === "numeric") {
      if (
        !String(resp === null || resp === undefined ? "" : resp).replace(
          new RegExp("[" + shared().grading.space + "]", "g"),
          ""
        )
      ) {
        return { correct: null, hint: say("type_answer") };
      }
      const p = parseNumber(resp, d.u),
        tol = d.t + 1e-9;
      if (p.hint) {
        return { correct: null, hint: p.hint };
      }
      if (Math.abs(p.value - d.a) <= tol) {
        return { correct: true, message: say("correct") };
      }
      const common = d.e.filter((c) => Math.abs(p.value - c[0]) <= tol)[0];
      if (common) {
        return { correct: false, message: say("common_error", { feedback: textOf(common[1]) }) };
      }
      return { correct: false, message: say("too", { value: p.shown, direction: p.value > d.a ? "high" : "low" }) };
    }
    if (type === "ordering") {
      const sorted = (resp || []).slice().sort((a, b) => a - b);
      if (!sorted.length || sorted.some((s, i) => s !== i)) {
        return { correct: null, hint: say("order_all") };
      }
      const placed = resp.filter((s, i) => s === i).length;
      return placed === resp.length
        ? { correct: true, message: say("order_right") }
        : { correct: false, message: say("order_wrong", { placed: placed, count: resp.length }) };
    }
    if (type === "multiple") {
      const chosen = Array.from(new Set(resp || []));
      if (!chosen.length) {
        return { correct: null, hint: say("choose_many") };
      }
      const missed = d.c.filter((i) => chosen.indexOf(i) < 0).length;
      const extra = chosen.filter((i) => d.c.indexOf(i) < 0).length;
      return missed + extra === 0
        ? { correct: true, message: say("multiple_right") }
        : { correct: false, message: say("multiple_wrong", { missed: missed, extra: extra }) };
    }
    if (resp === null || resp === undefined) {
      return { correct: null, hint: say(type === "truefalse" ? "choose_tf" : "choose_one") };
    }
    const right = d.c.indexOf(type === "truefalse" ? (resp ? 0 : 1) : resp) >= 0;
    return { correct: right, message: say(right ? "correct" : "not_quite") };
  }

  function showFeedback(q, d, resp, rv) {
    const type = q.dataset.type;
    if (type === "ordering") {
      all(q, ".kq-ord > li").forEach((li, pos) => {
        const ok = stepIndex(d, li) === pos;
        li.classList.add(ok ? "kq-ok" : "kq-bad");
        li.dataset.mark = ok ? "✓ in place" : "✗ not in place";
      });
      return;
    }
    if (type === "numeric") {
      return;
    } // its feedback is the status line
    const shown = new Map(rows(type, d, resp, rv));
    all(q, ".kq-o > li").forEach((li) => {
      const n = optionIndex(d, li.querySelector("input")),
        ok = d.c.indexOf(n) >= 0,
        on = li.querySelector("input").checked;
      if (!shown.has(n)) {
        return;
      } // the key waits: nothing on the options not chosen
      const fb = li.querySelector(".kq-f") || li.appendChild(el("div", "kq-f"));
      fb.innerHTML = d.f[n]; // built by the course's safe Markdown renderer
      fb.dataset.label = shown.get(n);
      fb.hidden = false;
      li.classList.toggle("kq-ok", ok && (on || rv.key));
      li.classList.toggle("kq-bad", on && !ok);
    });
  }

  function clearFeedback(q) {
    all(q, ".kq-f, .kq-x, .kq-show").forEach((node) => {
      node.hidden = true;
    });
    all(q, ".kq-ok, .kq-bad").forEach((node) => {
      node.classList.remove("kq-ok", "kq-bad");
      delete node.dataset.mark;
    });
    q.querySelector(".kq-r").textContent = "";
  }

  function updateScores(bank) {
    const items = load().items,
      ids = Object.keys((window.kapquizData || {})[bank] || {});
    const right = score(items, ids),
      first = firstTry(items, ids);
    const current = ids.some((id) => items[id] && items[id].last_response != null);
    // Quizzes further down the page may not be parsed yet: they score when they are set up.
    all(document, ".kq-sc")
      .filter((line) => line.parentNode.dataset.bank === bank)
      .forEach((line) => {
        const quiz = line.parentNode;
        line.textContent = (warning ? "⚠ " + warning + " " : "") + scoreText(right, first, +quiz.dataset.total);
      });
    all(document, ".kq-rt")
      .filter((box) => box.parentNode.dataset.bank === bank)
      .forEach((box) => {
        const button = box.querySelector(".kq-retake");
        // offered once there is something to clear; never hidden under the learner's focus
        if (button !== document.activeElement) {
          button.hidden = !current;
        }
      });
  }

  /* Grade and show; q.kqWrong counts wrong tries since the question was opened or retaken. */
  function check(q, bank, d, restoring) {
    const resp = response(q, d),
      result = grade(q.dataset.type, d, resp),
      status = q.querySelector(".kq-r");
    if (result.correct === null) {
      status.textContent = result.hint;
      return;
    }
    if (!restoring) {
      q.kqWrong = (q.kqWrong || 0) + (result.correct ? 0 : 1);
      if (q.kqReview) {
        reviewed(q, result.correct);
      } else {
        save(bank, q.id.slice(3), result.correct, resp);
      }
    } else {
      q.kqWrong = result.correct ? 0 : 1; // a saved wrong answer counts as one wrong try
      result.message += " (your saved answer)";
    }
    show(
      q,
      bank,
      d,
      resp,
      result,
      reveal(q.dataset.type, result.correct, Math.max(q.kqWrong, 1), !!q.kqShown),
      restoring
    );
  }

  function show(q, bank, d, resp, result, rv, restoring) {
    clearFeedback(q);
    showFeedback(q, d, resp, rv);
    const explanation = q.querySelector(".kq-x");
    explanation.innerHTML = rv.key ? d.x + (d.v ? '<div class="kq-vx">' + d.v + "</div>" : "") : "";
    explanation.hidden = !rv.key;
    q.querySelector(".kq-retry").hidden = false;
    q.querySelector(".kq-show").hidden = !rv.offer;
    q.querySelector(".kq-r").textContent = statusLine(result, rv);
    const next = q.nextElementSibling; // a case reveals its next step once this one is settled
    if (next && next.classList.contains("kq-q") && (rv.key || restoring) && !q.kqReview) {
      next.hidden = false;
    }
    updateScores(bank);
  }

  /* A review answer (kapreview.js rates the question's card from the first one): nothing is
   * saved to the lesson, the Review page hears of it. */
  function reviewed(q, correct) {
    q.dispatchEvent(new CustomEvent("kapquiz:checked", { bubbles: true, detail: { correct: correct } }));
  }

  /* "Show answer": the key of the answer just checked, saved as asked for. */
  function showAnswer(q, bank, d) {
    const resp = response(q, d),
      result = grade(q.dataset.type, d, resp);
    if (result.correct === null) {
      q.querySelector(".kq-r").textContent = result.hint;
      return;
    }
    q.kqShown = true;
    if (!q.kqReview) {
      saveShown(bank, q.id.slice(3));
    }
    show(q, bank, d, resp, result, reveal(q.dataset.type, result.correct, q.kqWrong || 0, true), false);
    q.querySelector(".kq-retry").focus(); // the button pressed is hidden now
  }

  /* An answered question of a reopened lesson folds into one line (review problem 8). */
  function fold(q, first, expanded) {
    const button = q.querySelector(".kq-fold"),
      body = q.querySelector(".kq-body");
    button.hidden = false;
    button.dataset.first = first ? "1" : "";
    button.textContent = foldLabel(first, expanded);
    button.setAttribute("aria-expanded", String(expanded));
    body.hidden = !expanded;
  }

  function unfold(q) {
    q.querySelector(".kq-fold").hidden = true;
    q.querySelector(".kq-body").hidden = false;
  }

  /* Retake (the lesson's questions): ask first, then clear the current answers of every
   * question of the lesson on this page (first tries are kept). The button keeps the focus. */
  function retake(button, bank) {
    const status = button.parentNode.querySelector(".kq-rt-s");
    if (!button.dataset.armed) {
      button.dataset.armed = "1";
      button.textContent = say("retake_confirm");
      status.textContent = say("retake_ask");
      return;
    }
    delete button.dataset.armed;
    saveRetake(bank);
    all(document, ".kq")
      .filter((quiz) => quiz.dataset.bank === bank)
      .forEach((quiz) =>
        all(quiz, ".kq-q").forEach((q) => {
          retry(q, false);
          q.kqWrong = 0;
          q.kqShown = false;
          unfold(q);
          const before = q.previousElementSibling; // a case's later steps wait for the earlier ones again
          if (before && before.classList.contains("kq-q")) {
            q.hidden = true;
          }
        })
      );
    button.textContent = say("retake");
    status.textContent = say("retake_done");
    updateScores(bank);
  }

  function retry(q, focus) {
    clearFeedback(q);
    all(q, "input[type=radio], input[type=checkbox]").forEach((i) => {
      i.checked = false;
    });
    all(q, "input[type=text]").forEach((i) => {
      i.value = "";
    });
    q.querySelector(".kq-retry").hidden = true;
    const first = q.querySelector("input, .kq-ord button");
    if (first && focus !== false) {
      first.focus();
    }
  }

  function move(q, li, step) {
    const items = all(li.parentNode, ":scope > li"),
      to = items.indexOf(li) + step;
    if (to < 0 || to >= items.length) {
      return;
    }
    li.parentNode.insertBefore(li, step < 0 ? items[to] : items[to].nextSibling);
    q.querySelector(".kq-r").textContent = "Moved to position " + (to + 1) + " of " + items.length + ".";
    li.querySelector(step < 0 ? ".kq-up" : ".kq-dn").focus();
  }

  function addMoveButtons(q) {
    all(q, ".kq-ord > li").forEach((li) => {
      const text = li.textContent;
      [
        ["kq-up", "↑", "Move up: ", -1],
        ["kq-dn", "↓", "Move down: ", 1]
      ].forEach((spec) => {
        const b = el("button", spec[0], spec[1]);
        b.type = "button";
        b.setAttribute("aria-label", spec[2] + text);
        b.addEventListener("click", () => move(q, li, spec[3]));
        li.appendChild(b);
      });
    });
  }

  function restore(q, bank, d, entry) {
    const type = q.dataset.type,
      resp = entry.last_response;
    const indices = Array.isArray(resp) && resp.length <= 50 && resp.every((i) => Number.isInteger(i) && i >= 0);
    const fits = {
      numeric: typeof resp === "string",
      ordering: indices,
      multiple: indices,
      truefalse: typeof resp === "boolean",
      single: Number.isInteger(resp)
    }[type];
    if (!fits) {
      return;
    } // a saved answer of the wrong shape is not shown again
    if (type === "numeric") {
      q.querySelector("input").value = resp;
    } else if (type === "ordering") {
      const list = q.querySelector(".kq-ord");
      resp.forEach((s) => {
        const li = stepItem(list, d, s);
        if (li) {
          list.appendChild(li);
        }
      });
    } else {
      const picks = type === "multiple" ? resp : [type === "truefalse" ? (resp ? 0 : 1) : resp];
      all(q, ".kq-o input").forEach((i) => {
        i.checked = picks.indexOf(optionIndex(d, i)) >= 0;
      });
    }
    check(q, bank, d, true);
  }

  function setUp(q, bank, d, saved) {
    const buttons = el("div", "kq-b"),
      checkButton = el("button", "kq-check", "Check");
    const again = el("button", "kq-retry", "Try again"),
      status = el("div", "kq-r");
    const reveal = el("button", "kq-show", "Show answer");
    checkButton.type = again.type = reveal.type = "button";
    again.hidden = reveal.hidden = true;
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    buttons.append(checkButton, again, reveal);
    const explanation = el("div", "kq-x");
    explanation.hidden = true;
    // everything but the prompt goes into a body that an answered question can fold away
    const body = el("div", "kq-body"),
      folder = el("button", "kq-fold");
    body.id = q.id + "-body";
    body.append(q.querySelector(":scope > .kq-o, :scope > .kq-n, :scope > .kq-ord"), buttons, status, explanation);
    folder.type = "button";
    folder.hidden = true;
    folder.setAttribute("aria-controls", body.id);
    folder.setAttribute("aria-expanded", "true");
    q.append(folder, body);
    if (q.dataset.type === "ordering") {
      addMoveButtons(q);
    }
    checkButton.addEventListener("click", () => check(q, bank, d, false));
    again.addEventListener("click", () => retry(q));
    reveal.addEventListener("click", () => showAnswer(q, bank, d));
    folder.addEventListener("click", () => fold(q, !!folder.dataset.first, body.hidden));
    all(q, "input[type=text]").forEach((i) =>
      i.addEventListener("keydown", (e) => {
        if (e.key === "Enter") {
          e.preventDefault();
          check(q, bank, d, false);
        }
      })
    );
    if (saved && answerState(q.id.slice(3), saved) === "changed") {
      // answered before the question changed: the answer is kept, not shown on the new question
      const note = el("p", "kq-changed");
      note.append(el("strong", "", versions().changed), " " + versions().changed_hint);
      buttons.parentNode.insertBefore(note, buttons);
    } else if (saved && saved.last_response != null) {
      q.kqShown = saved.answer_shown === true;
      try {
        restore(q, bank, d, saved);
        if (q.querySelector(".kq-r").textContent) {
          fold(q, saved.first_correct === true, false);
        }
      } catch (e) {
        /* a stale record never breaks the page */
      }
    }
  }

  /* One "Retake" per lesson page, under its first quiz; the final has its own new attempt. */
  function addRetake(quiz, bank) {
    const box = el("p", "kq-rt"),
      button = el("button", "kq-retake", say("retake")),
      status = el("span", "kq-rt-s");
    button.type = "button";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    box.append(button, " ", status);
    quiz.appendChild(box);
    button.addEventListener("click", () => retake(button, bank));
  }

  function init(quiz) {
    const bank = quiz.dataset.bank,
      data = (window.kapquizData || {})[bank];
    if (!data || !shared()) {
      quiz.querySelector(".kq-sc").textContent = "Quiz answers did not load: reload the page.";
      return;
    }
    if (quiz.dataset.review) {
      // the Review page (kapreview.js): no saved answer shown, no retake
      all(quiz, ".kq-q").forEach((q) => {
        q.kqReview = true;
        setUp(q, bank, data[q.id.slice(3)], undefined);
      });
      quiz.querySelector(".kq-sc").hidden = true;
      quiz.dataset.ready = String(Math.round(performance.now()));
      return;
    }
    const items = load().items;
    all(quiz, ".kq-q").forEach((q) => setUp(q, bank, data[q.id.slice(3)], items[q.id.slice(3)]));
    const first = all(document, ".kq").filter((other) => other.dataset.bank === bank)[0];
    if (first === quiz && bank !== shared().grading.final_bank) {
      addRetake(quiz, bank);
    }
    updateScores(bank);
    quiz.dataset.ready = String(Math.round(performance.now()));
  }

  /* Each quiz is set up as soon as the browser has parsed it, not when the whole page has:
   * on a long lesson the first quizzes can be answered while the rest still loads. This
   * script runs from the page head, before the body; a quiz is complete once the parser has
   * moved past its end tag, that is, once a node follows it. */
  const started = new WeakSet(),
    quizzes = document.getElementsByClassName("kq");
  const parsedPast = (node) => {
    for (let n = node; n && n !== document.body; n = n.parentNode) {
      if (n.nextSibling) {
        return true;
      }
    }
    return false;
  };
  const setUpQuiz = (quiz) => {
    started.add(quiz);
    quiz.appendChild(el("p", "kq-sc")).setAttribute("aria-live", "polite");
    init(quiz);
  };
  const setUpParsed = (all) => {
    // the final assessment (data-final) is run by kapprogress.js: no feedback until Submit
    Array.from(quizzes)
      .filter((quiz) => !started.has(quiz) && !quiz.dataset.final && (all || parsedPast(quiz)))
      .forEach(setUpQuiz);
  };
  // read-only, for tests (tests/golden) and for anyone checking the grading rules in the console
  window.kapquiz = Object.freeze({
    parseNumber: parseNumber,
    grade: grade,
    score: score,
    firstTry: firstTry,
    load: load,
    save: save,
    usable: usable,
    reveal: reveal,
    rows: rows,
    statusLine: statusLine,
    scoreText: scoreText,
    foldLabel: foldLabel,
    saveShown: saveShown,
    saveRetake: saveRetake,
    response: response,
    addMoveButtons: addMoveButtons,
    keepCopy: keepCopy,
    stepItem: stepItem, // these four: for kapprogress.js
    versions: Object.freeze({
      upgrade: upgradeItems,
      migrate: migrate,
      upToDate: upToDate,
      fileVersion: fileVersion,
      state: answerState,
      scored: scored
    })
  });
  if (document.readyState === "loading") {
    const watcher = new MutationObserver(() => setUpParsed(false));
    watcher.observe(document.documentElement, { childList: true, subtree: true });
    document.addEventListener("DOMContentLoaded", () => {
      watcher.disconnect();
      setUpParsed(true);
    });
  } else {
    setUpParsed(true);
  }
})();
