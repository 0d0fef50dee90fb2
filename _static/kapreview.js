/* kapcourse spaced review for the static book: which lesson questions are due, in which order,
 * a session of up to ten of them (the lesson's own quiz, run by kapquiz.js in review mode) and
 * the streak, kept in this browser. Mirrors src/kapcourse/record/review.py with the same rules and
 * messages (tests/golden/review.yml). Scheduling is ts-fsrs's (kapvendor/ts-fsrs.umd.js,
 * window.FSRS), loaded on the Review page only: the due count on the landing page and My
 * progress reads the stored due dates and needs no library. Settings, limits and messages come
 * from Python (window.kapcourseReview, written into kapquiz-data/course.js). */
(() => {
  "use strict";
  const rules = () => window.kapcourseReview;
  const has = (obj, key) => Object.prototype.hasOwnProperty.call(obj, key);
  const isObject = (v) => !!v && typeof v === "object" && !Array.isArray(v);
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (m, name) => String(values[name]));
  const number = (v, low, high) => typeof v === "number" && Number.isFinite(v) && v >= low && v <= high;
  const whole = (v, low, high) => number(v, low, high) && Number.isInteger(v);
  const TIME = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$/;
  const DAY = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
  const MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December"
  ];

  /* A real calendar date (2026-02-30 is not): review._day. */
  function isDay(v) {
    if (typeof v !== "string" || !DAY.test(v)) {
      return false;
    }
    const d = new Date(v + "T00:00:00Z");
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
  }
  const isTime = (v) =>
    typeof v === "string" &&
    TIME.test(v) &&
    isDay(v.slice(0, 10)) &&
    !Number.isNaN(new Date(v).getTime()) &&
    new Date(v).toISOString().slice(11, 19) === v.slice(11, 19);
  const formatTime = (d) => d.toISOString().slice(0, 19) + "Z";
  const dayTime = (day) => day + "T00:00:00Z";

  /* The first malformed field of a card, "" when usable: review.card_problem. */
  function cardProblem(card) {
    const r = rules();
    if (!isObject(card)) {
      return "card";
    }
    if (!whole(card.state, 1, 3)) {
      return "state";
    }
    const step = has(card, "step") ? card.step : undefined;
    if (!(card.state === 2 ? step === null : whole(step, 0, r.max_step))) {
      return "step";
    }
    if (!number(card.stability, 0.001, r.max_stability)) {
      return "stability";
    }
    if (!number(card.difficulty, 1, 10)) {
      return "difficulty";
    }
    for (const name of ["due", "last_review"]) {
      if (!isTime(card[name])) {
        return name;
      }
    }
    return "";
  }

  /* Why a saved review record cannot be used ("" when it can): review.problem. */
  function problem(saved) {
    const r = rules(),
      says = r.messages;
    if (!isObject(saved)) {
      return says.record;
    }
    const version = saved.version;
    if (!whole(version, 1, r.version)) {
      return whole(version, r.version + 1, 1e9) ? fill(says.version, { found: version }) : says.record;
    }
    const cards = saved.cards;
    if (!isObject(cards) || Object.keys(cards).length > r.max_cards) {
      return says.cards;
    }
    for (const id of Object.keys(cards).sort()) {
      if (!(Array.from(id).length > 0 && Array.from(id).length <= r.max_id)) {
        return says.cards;
      }
      const field = cardProblem(cards[id]);
      if (field) {
        return fill(says.card, { id: Array.from(id).slice(0, r.shown).join(""), field: field });
      }
    }
    const days = saved.days;
    if (!(Array.isArray(days) && days.length <= r.max_days && days.every(isDay))) {
      return says.days;
    }
    return "";
  }

  const empty = () => ({ version: rules().version, cards: {}, days: [] });
  const uniqueSorted = (list) => Array.from(new Set(list)).sort();

  /* The record with known fields only (after problem() found none): review.clean. */
  function clean(saved) {
    const cards = {};
    Object.keys(saved.cards)
      .sort()
      .forEach((id) => {
        const c = saved.cards[id];
        cards[id] = {
          state: c.state,
          step: c.step,
          stability: c.stability,
          difficulty: c.difficulty,
          due: c.due,
          last_review: c.last_review
        };
      });
    return { version: rules().version, cards: cards, days: uniqueSorted(saved.days) };
  }

  /* --- scheduling with ts-fsrs -------------------------------------------------------------- */

  function scheduler(settings) {
    const F = window.FSRS,
      s = settings || rules().settings;
    return F.fsrs(
      F.generatorParameters({
        w: s.parameters,
        request_retention: s.desired_retention,
        maximum_interval: s.maximum_interval,
        enable_fuzz: s.enable_fuzz,
        enable_short_term: true,
        learning_steps: s.learning_steps.map((m) => m + "m"),
        relearning_steps: s.relearning_steps.map((m) => m + "m")
      })
    );
  }

  function toFsrs(card, at) {
    const F = window.FSRS;
    if (card === null || card === undefined) {
      return F.createEmptyCard(at);
    }
    const due = new Date(card.due),
      last = new Date(card.last_review);
    return {
      due: due,
      stability: card.stability,
      difficulty: card.difficulty,
      elapsed_days: 0,
      scheduled_days: Math.round((due - last) / 86400000),
      learning_steps: card.step === null ? 0 : card.step,
      reps: 1,
      lapses: 0,
      state: card.state,
      last_review: last
    };
  }

  /* The card after a review rated `rating` (1 Again .. 4 Easy) at `at`: review.schedule. */
  function schedule(card, rating, at, settings) {
    const when = new Date(at),
      next = scheduler(settings).next(toFsrs(card, when), when, rating).card;
    return {
      state: next.state,
      step: next.state === 2 ? null : next.learning_steps,
      stability: next.stability,
      difficulty: next.difficulty,
      due: formatTime(next.due),
      last_review: formatTime(when)
    };
  }

  /* Right at the first try: Good (3); a wrong first try: Again (1). review.rating */
  const rating = (firstTryRight) => (firstTryRight ? 3 : 1);

  /* --- what is due, in which order, and the streak: review.due_questions and the rest ------- */

  const answered = (items, id) => has(items, id) && isObject(items[id]) && items[id].bank !== "final";
  const isDue = (card, today) => card === null || card === undefined || card.due.slice(0, 10) <= today;

  function dueQuestions(items, cards, today, course) {
    const shaky = new Set();
    Object.keys(items).forEach((id) => {
      const e = items[id];
      if (
        has(course.final_group, id) &&
        isObject(e) &&
        e.bank === "final" &&
        e.confidence === "certain" &&
        e.correct === false
      ) {
        shaky.add(course.final_group[id]);
      }
    });
    const keyed = [];
    course.order.forEach((id, position) => {
      const card = has(cards, id) ? cards[id] : null;
      if (!answered(items, id) || !isDue(card, today)) {
        return;
      }
      const e = items[id],
        first = e.first_correct !== true || shaky.has(course.group[id]);
      const due = card ? card.due.slice(0, 10) : String(e.first || "").slice(0, 10);
      keyed.push([first ? 0 : 1, due, position, id]);
    });
    keyed.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) || a[2] - b[2]);
    return keyed.map((k) => k[3]);
  }

  const deck = (items, cards, today, course) =>
    dueQuestions(items, cards, today, course).slice(0, rules().session_size);
  const dueCount = (items, cards, today, course) => dueQuestions(items, cards, today, course).length;

  function previous(day) {
    const d = new Date(day + "T00:00:00Z");
    d.setUTCDate(d.getUTCDate() - 1);
    return d.toISOString().slice(0, 10);
  }

  function streak(days, today) {
    const done = new Set(days);
    let day = done.has(today) ? today : previous(today),
      count = 0;
    while (done.has(day)) {
      count += 1;
      day = previous(day);
    }
    return count;
  }

  const nextDue = (cards) =>
    Object.keys(cards)
      .map((id) => cards[id].due.slice(0, 10))
      .sort()[0] || "";

  function finish(saved, reviewed, today) {
    return {
      version: rules().version,
      cards: Object.assign({}, saved.cards, reviewed),
      days: uniqueSorted(saved.days.concat([today]))
    };
  }

  /* The card reviewed last wins per question (mine on a tie); days united: review.merge. */
  function merge(mine, theirs) {
    const cards = Object.assign({}, mine.cards);
    Object.keys(theirs.cards).forEach((id) => {
      if (!has(cards, id) || theirs.cards[id].last_review > cards[id].last_review) {
        cards[id] = theirs.cards[id];
      }
    });
    const sorted = {};
    Object.keys(cards)
      .sort()
      .forEach((id) => {
        sorted[id] = cards[id];
      });
    return { version: rules().version, cards: sorted, days: uniqueSorted(mine.days.concat(theirs.days)) };
  }

  /* "3 December 2026" for a YYYY-MM-DD day: review.long_day. */
  const longDay = (day) => Number(day.slice(8, 10)) + " " + MONTHS[Number(day.slice(5, 7)) - 1] + " " + day.slice(0, 4);

  /* --- this browser's storage ---------------------------------------------------------------- */

  /* {saved, raw, why}: the stored record when usable (else an empty one) and why not. */
  function read() {
    let raw, data;
    try {
      raw = localStorage.getItem(rules().storage_key);
    } catch (e) {
      return { saved: empty(), raw: null, why: "" };
    }
    if (raw === null) {
      return { saved: empty(), raw: null, why: "" };
    }
    try {
      data = JSON.parse(raw);
    } catch (e) {
      return { saved: empty(), raw: raw, why: rules().messages.record };
    }
    const why = problem(data);
    return { saved: why ? empty() : clean(data), raw: raw, why: why };
  }

  /* Store a changed record; an unreadable one is kept beside it first, never dropped. */
  function write(change) {
    const stored = read(),
      key = rules().storage_key;
    try {
      if (stored.why) {
        localStorage.setItem(key + ":unreadable:" + Date.now(), stored.raw);
      }
      localStorage.setItem(key, JSON.stringify(change(stored.saved)));
      return true;
    } catch (e) {
      return false;
    }
  }

  const localDay = (ms) =>
    window.kapprogress && window.kapprogress.localDay
      ? window.kapprogress.localDay(ms)
      : (() => {
          const d = new Date(ms),
            pad = (n) => String(n).padStart(2, "0");
          return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
        })();
  const lessonItems = () => (window.kapquiz && window.kapcourseShared ? window.kapquiz.load().items : {});

  /* The landing page's and My progress's line: "N questions due for review". */
  function dueLine(items, saved, today) {
    const course = rules().course,
      answeredAny = course.order.some((id) => answered(items, id));
    if (!answeredAny) {
      return "No questions due for review yet: answer a lesson's questions and they come back here.";
    }
    const n = dueCount(items, saved.cards, today, course);
    if (n === 0) {
      return (
        "No questions due for review today" +
        (nextDue(saved.cards) ? ": the next are due on " + longDay(nextDue(saved.cards)) + "." : ".")
      );
    }
    return n + (n === 1 ? " question" : " questions") + " due for review.";
  }

  /* --- the Review page --------------------------------------------------------------------- */

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

  /* Show one lesson question of the page's hidden quizzes (kapquiz.js runs them in review
   * mode) and hide every other: its quiz, its item, and in a case only this part. */
  function showOnly(page, id) {
    const q = document.getElementById("kq-" + id);
    if (!q || !page.contains(q)) {
      return null;
    }
    const quiz = q.closest(".kq"),
      block = q.closest(".kq-v") || q;
    Array.from(page.querySelectorAll(".kq[data-review]")).forEach((other) => {
      other.hidden = other !== quiz;
    });
    Array.from(quiz.children)
      .filter((c) => c.classList.contains("kq-q") || c.classList.contains("kq-v"))
      .forEach((c) => {
        c.hidden = c !== block;
      });
    if (block !== q) {
      Array.from(block.querySelectorAll(".kq-q")).forEach((part) => {
        part.hidden = part !== q;
      });
    }
    return q;
  }

  function render(page) {
    const box = page.querySelector("#kv-review"),
      controls = page.querySelector(".kv-controls");
    const today = localDay(Date.now()),
      stored = read(),
      items = lessonItems();
    const ids = deck(items, stored.saved.cards, today, rules().course).filter((id) => {
      const q = document.getElementById("kq-" + id);
      return !!q && page.contains(q);
    });
    const session = { ids: ids, index: 0, first: {}, today: today, page: page };
    box.textContent = "";
    controls.textContent = "";
    if (stored.why) {
      box.append(
        h("p", { class: "kp-msg" }, [
          "Your saved review could not be read (" +
            stored.why +
            "). It is kept in this browser; your next review session starts a new one beside it."
        ])
      );
    }
    const s = streak(stored.saved.days, today);
    box.append(
      h("p", { class: "kv-streak" }, [
        s ? "Review streak: " + s + (s === 1 ? " day." : " days in a row.") : "No review streak yet."
      ]),
      h("p", { class: "kv-count" }, [""])
    );
    controls.append(
      h("p", {}, [h("button", { type: "button", class: "kv-next", hidden: "" }, ["Next question"])]),
      h("p", { class: "kv-status", role: "status", "aria-live": "polite" }, [
        ids.length ? "" : dueLine(items, stored.saved, today)
      ])
    );
    if (!ids.length) {
      return;
    }
    page.querySelector(".kv-bank").hidden = false;
    controls.querySelector(".kv-next").addEventListener("click", () => advance(session));
    page.addEventListener("kapquiz:checked", (event) => answer(session, event));
    showQuestion(session);
  }

  function showQuestion(session) {
    const page = session.page,
      q = showOnly(page, session.ids[session.index]);
    page.querySelector(".kv-count").textContent = "Question " + (session.index + 1) + " of " + session.ids.length;
    page.querySelector(".kv-next").hidden = true;
    const first = q.querySelector("input, .kq-ord button");
    if (first && session.index > 0) {
      first.focus();
    }
  }

  /* The first check of a question rates its card; later tries only show the lesson's feedback. */
  function answer(session, event) {
    const id = session.ids[session.index];
    if (!event.target || event.target.id !== "kq-" + id || has(session.first, id)) {
      return;
    }
    session.first[id] = event.detail.correct === true;
    const card = schedule(read().saved.cards[id] || null, rating(session.first[id]), dayTime(session.today));
    const kept = write((saved) => Object.assign({}, saved, { cards: Object.assign({}, saved.cards, { [id]: card }) }));
    const next = session.page.querySelector(".kv-next");
    next.hidden = false;
    next.textContent = session.index + 1 < session.ids.length ? "Next question" : "Finish review";
    if (!kept) {
      session.page.querySelector(".kv-status").textContent =
        "This browser has no room to keep your review: it is not saved.";
    }
  }

  function advance(session) {
    const page = session.page;
    if (session.index + 1 < session.ids.length) {
      session.index += 1;
      showQuestion(session);
      return;
    }
    const kept = write((saved) => finish(saved, {}, session.today));
    const saved = read().saved;
    page.querySelector(".kv-bank").hidden = true;
    page.querySelector(".kv-next").hidden = true;
    page.querySelector(".kv-count").textContent = "";
    page.querySelector(".kv-streak").textContent = "";
    page.querySelector(".kv-status").textContent = kept
      ? summaryLine(session.ids.length, saved, session.today)
      : "This browser has no room to keep your review: it is not saved.";
  }

  /* review_view.summary_line */
  function summaryLine(n, saved, today) {
    const day = nextDue(saved.cards),
      days = streak(saved.days, today);
    return (
      n +
      (n === 1 ? " question" : " questions") +
      " reviewed" +
      (day ? ", next review due on " + longDay(day) + "." : ".") +
      " Review streak: " +
      days +
      (days === 1 ? " day." : " days.")
    );
  }

  function start() {
    if (!rules()) {
      return;
    }
    const box = document.getElementById("kv-review"),
      page = box && box.closest(".kv-page");
    if (page && window.FSRS) {
      render(page);
      box.dataset.ready = "1";
    }
    Array.from(document.querySelectorAll(".kv-due")).forEach((line) => {
      line.textContent = dueLine(lessonItems(), read().saved, localDay(Date.now()));
      line.dataset.ready = "1";
    });
  }

  /* --- exports and imports (kapprogress.js calls these): review.add_to_export, import_note --- */

  function addToExport(exported) {
    if (!rules()) {
      return false;
    }
    const saved = read().saved;
    if (!Object.keys(saved.cards).length && !saved.days.length) {
      return false;
    }
    exported.review = saved;
    return true;
  }

  /* Merge an imported JSON file's review record; a note when it is unreadable (left out). */
  function importNote(text) {
    if (!rules()) {
      return "";
    }
    let data;
    try {
      data = JSON.parse(String(text).replace(/^\ufeff/, ""));
    } catch (e) {
      return "";
    }
    const block = isObject(data) && has(data, "review") ? data.review : undefined;
    if (block === undefined || block === null) {
      return "";
    }
    const why = problem(block);
    if (why) {
      return " Its review schedule could not be read (" + why + ") and was left out.";
    }
    return write((saved) => merge(saved, clean(block)))
      ? ""
      : " Its review schedule could not be kept: this browser's storage is full.";
  }

  // read-only, for kapprogress.js (exports) and the golden tests
  window.kapreview = Object.freeze({
    problem: problem,
    clean: clean,
    schedule: schedule,
    rating: rating,
    dueQuestions: dueQuestions,
    deck: deck,
    dueCount: dueCount,
    streak: streak,
    nextDue: nextDue,
    finish: finish,
    merge: merge,
    addToExport: addToExport,
    importNote: importNote,
    longDay: longDay,
    dueLine: dueLine,
    summaryLine: summaryLine,
    read: read,
    write: write
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
