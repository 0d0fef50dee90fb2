/* kapcourse practice readiness self-assessment for the static book, with no kernel and no
 * dependencies. The markup (src/kapcourse/content/readiness/static.py, render_static) holds every question and,
 * hidden and already in priority order, every advice item; each answer input lists the advice it
 * leads to (data-advice when chosen, data-missing when a tick box is left empty). This script
 * reveals the advice for the answers, announces a summary and keeps the answers in this
 * browser's localStorage. The summary wording mirrors readiness.summary().
 *
 * "Print or save my plan" prints only the learner's plan: the plan is built as its own document
 * (with DOM APIs, text never parsed as HTML), copied into a sheet at the end of <body>, and the
 * class kr-printing on <html> makes the print style sheet hide everything else until
 * afterprint. "Save as a web page" downloads the same document (inline CSS, no script). Its
 * content mirrors readiness.plan_html(), which JupyterLab's "Save my plan" writes
 * (tests/test_readiness_plan_browser.py compares the two). */
(() => {
  "use strict";
  var FORMAT = "kapcourse-readiness";
  var MONTHS = [
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
  var PLAN_TITLE = "My practice readiness plan";
  // Kept identical to PLAN_CSS in src/kapcourse/content/readiness/plan.py (the browser test compares them).
  var PLAN_CSS =
    "body{font:11pt/1.45 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;" +
    "color:#111;background:#fff;max-width:46rem;margin:2rem auto;padding:0 1rem}" +
    "h1{font-size:1.6em;margin-bottom:.3em}h2{font-size:1.25em;margin-top:1.5em;" +
    "border-bottom:2px solid #333}h3{font-size:1.05em;margin:1.2em 0 .2em}" +
    "a{color:#0b4f8a;overflow-wrap:anywhere}dt{font-weight:700;margin-top:.5em}" +
    "dd{margin-left:1.2em}li{margin:.5em 0;break-inside:avoid}.more,.src{display:block;" +
    "font-size:.92em}.note{border:2px solid #333;padding:.4em .8em}" +
    "@media print{body{margin:0;max-width:none}a{color:#111}h2,h3{break-after:avoid}}";
  var NOT_ADVICE =
    "Educational material, not medical, legal or regulatory advice. Check each step " +
    "with your licensing board, your liability insurer, and a lawyer or regulator where you practise.";
  var NO_STEPS = "No next steps from these answers. Answer the questions, then make your plan again.";

  function $(root, sel) {
    return Array.from(root.querySelectorAll(sel));
  }

  function fresh() {
    return { format: FORMAT, version: 1, answers: {}, shown: false };
  }

  function load(key) {
    try {
      var data = JSON.parse(localStorage.getItem(key) || "null");
      if (data && data.format === FORMAT && data.answers && typeof data.answers === "object") {
        return data;
      }
    } catch (e) {
      /* unreadable or blocked storage: start afresh */
    }
    return fresh();
  }

  function store(key, data) {
    try {
      localStorage.setItem(key, JSON.stringify(data));
    } catch (e) {
      /* private mode or full */
    }
  }

  function answers(guide) {
    var out = {};
    $(guide, ".kr-q").forEach((q) => {
      var picked = $(q, "input:checked").map((i) => {
        return i.value;
      });
      out[q.dataset.id] = q.dataset.kind === "single" ? picked[0] || null : picked;
    });
    return out;
  }

  // --- the advice logic: pure functions of data, so that the golden cases
  // (tests/golden/readiness.yml) can run them in node against readiness.next_steps() ---------

  // fields: one per answer input {question, kind, value, advice: [ids], missing: [ids]};
  // levels: the advice ids of each priority level in page order, most urgent first;
  // answers: {question: option id (single) or [option ids] (multiple)}.
  // Returns the advice ids the answers lead to, in page order, and the summary sentence.
  function plan(fields, levels, answers) {
    var chosen = {},
      unanswered = {};
    fields.forEach((f) => {
      var answer = answers[f.question];
      var ticked = f.kind === "single" ? answer === f.value : Array.isArray(answer) && answer.indexOf(f.value) >= 0;
      (ticked ? f.advice : f.missing).forEach((id) => {
        chosen[id] = true;
      });
      if (f.kind === "single" && !answer) {
        unanswered[f.question] = true;
      }
    });
    var counts = levels.map((ids) => {
      return ids.filter((id) => {
        return chosen[id];
      }).length;
    });
    var ids = [].concat(...levels).filter((id) => {
      return chosen[id];
    });
    return { ids: ids, summary: summaryText(counts, Object.keys(unanswered).length) };
  }

  function plural(n, word) {
    return n + " " + word + (n === 1 ? "" : "s");
  }

  // Mirrors readiness.summary(): counts of revealed advice per level, unanswered questions.
  function summaryText(counts, open) {
    var total = counts.reduce((a, b) => {
      return a + b;
    }, 0);
    if (!total) {
      return "";
    }
    var text = plural(total, "next step") + ", " + (counts[0] || 0) + " of them first steps.";
    if (open) {
      text += " " + plural(open, "question") + " not answered yet.";
    }
    return text;
  }

  function words(text) {
    return (text || "").split(" ").filter((w) => {
      return w;
    });
  }

  // The page's questions and advice as plan()'s data.
  function fieldsOf(guide) {
    return $(guide, ".kr-q input").map((i) => {
      var q = i.closest(".kr-q");
      return {
        question: q.dataset.id,
        kind: q.dataset.kind,
        value: i.value,
        advice: words(i.dataset.advice),
        missing: words(i.dataset.missing)
      };
    });
  }

  function levelsOf(guide) {
    return $(guide, ".kr-level").map((level) => {
      return $(level, "li[data-id]").map((li) => {
        return li.dataset.id;
      });
    });
  }

  function currentPlan(guide) {
    return plan(fieldsOf(guide), levelsOf(guide), answers(guide));
  }

  // Reveal the advice for the current answers in place; returns the plan.
  function reveal(guide) {
    var result = currentPlan(guide),
      shown = {};
    result.ids.forEach((id) => {
      shown[id] = true;
    });
    $(guide, ".kr-level").forEach((level) => {
      var count = 0;
      $(level, "li[data-id]").forEach((li) => {
        li.hidden = !shown[li.dataset.id];
        if (!li.hidden) {
          count++;
        }
      });
      level.hidden = count === 0;
    });
    return result;
  }

  function show(guide, moveFocus) {
    var result = reveal(guide),
      total = result.ids.length;
    guide.querySelector(".kr-result").hidden = total === 0;
    guide.querySelector(".kr-status").textContent =
      result.summary || "No next steps from these answers. Answer the questions above, then try again.";
    if (moveFocus && total) {
      guide.querySelector(".kr-result h3").focus();
    }
  }

  // --- the plan on its own ---------------------------------------------------------------

  function longDate(day) {
    return day.getDate() + " " + MONTHS[day.getMonth()] + " " + day.getFullYear();
  }

  function isoDate(day) {
    var two = (n) => {
      return (n < 10 ? "0" : "") + n;
    };
    return day.getFullYear() + "-" + two(day.getMonth() + 1) + "-" + two(day.getDate());
  }

  // el(doc, "p", {class: "made"}, "text", node, ...): text arguments become text nodes.
  function el(doc, tag, attrs, ...children) {
    var node = doc.createElement(tag);
    Object.keys(attrs || {}).forEach((name) => {
      node.setAttribute(name, attrs[name]);
    });
    children.forEach((child) => {
      node.append(typeof child === "string" ? doc.createTextNode(child) : child);
    });
    return node;
  }

  function linkOut(doc, url) {
    return el(doc, "a", { href: url }, url);
  }

  function answerText(q) {
    var picked = $(q, "input:checked").map((i) => {
      return q.querySelector('label[for="' + i.id + '"]').textContent.trim();
    });
    if (picked.length) {
      return picked.join("; ");
    }
    return q.dataset.kind === "single" ? "Not answered yet" : "None of these ticked";
  }

  // One advice item as the plan writes it: topic, advice, lesson link and sources as text.
  function planStep(doc, li) {
    var item = el(doc, "li", {}, el(doc, "strong", {}, li.querySelector(".kr-topic").textContent.trim()), " ");
    var advice = li.cloneNode(true);
    $(advice, ".kr-topic, .kr-more, .kr-src").forEach((n) => {
      n.remove();
    });
    advice.normalize();
    var nodes = Array.from(advice.childNodes);
    nodes.forEach((node, index) => {
      var copy = doc.importNode(node, true);
      if (copy.nodeType === 3 && index === 0) {
        copy.data = copy.data.replace(/^\s+/, "");
      }
      if (copy.nodeType === 3 && index === nodes.length - 1) {
        copy.data = copy.data.replace(/\s+$/, "");
      }
      item.append(copy);
    });
    var more = li.querySelector(".kr-more"),
      url = new URL(more.getAttribute("href"), document.baseURI).href;
    item.append(" ", el(doc, "span", { class: "more" }, more.textContent.trim() + " (", linkOut(doc, url), ")"));
    var refs = $(li, ".kr-src .kr-ref");
    if (refs.length) {
      var src = el(doc, "span", { class: "src" }, "Source: ");
      refs.forEach((ref, index) => {
        var a = ref.querySelector("a");
        if (index) {
          src.append("; ");
        }
        src.append(ref.textContent.trim());
        if (a) {
          src.append(" (", linkOut(doc, a.getAttribute("href")), ")");
        }
      });
      item.append(" ", src);
    }
    return item;
  }

  // The plan as a standalone document (the same content as readiness.plan_html()).
  function planDocument(guide, made) {
    reveal(guide);
    var doc = document.implementation.createHTMLDocument(PLAN_TITLE);
    doc.documentElement.setAttribute("lang", "en");
    var viewport = el(doc, "meta", { name: "viewport", content: "width=device-width, initial-scale=1" });
    doc.head.prepend(el(doc, "meta", { charset: "utf-8" }), viewport);
    doc.head.append(el(doc, "style", {}, PLAN_CSS));
    var body = doc.body,
      answers = el(doc, "dl", {});
    $(guide, ".kr-q").forEach((q) => {
      answers.append(el(doc, "dt", {}, q.querySelector("legend").textContent.trim()), el(doc, "dd", {}, answerText(q)));
    });
    body.append(
      el(doc, "h1", {}, PLAN_TITLE),
      el(
        doc,
        "p",
        { class: "made" },
        "Plan made on " +
          longDate(made) +
          " from the course's readiness guide " +
          "(regulatory items as of " +
          (guide.dataset.asOf || "") +
          ")."
      ),
      el(doc, "p", { class: "note" }, NOT_ADVICE),
      el(doc, "h2", {}, "My answers"),
      answers,
      el(doc, "h2", {}, "My next steps"),
      el(doc, "p", {}, el(doc, "strong", {}, currentPlan(guide).summary || NO_STEPS))
    );
    $(guide, ".kr-level").forEach((level) => {
      var steps = $(level, "li[data-id]").filter((li) => {
        return !li.hidden;
      });
      if (!steps.length) {
        return;
      }
      body.append(
        el(doc, "h3", {}, level.querySelector("h4").textContent.trim()),
        el(doc, "p", {}, level.querySelector("p").textContent.trim()),
        el(
          doc,
          "ol",
          {},
          ...steps.map((li) => {
            return planStep(doc, li);
          })
        )
      );
    });
    return doc;
  }

  function planText(guide, made) {
    return "<!DOCTYPE html>\n" + planDocument(guide, made).documentElement.outerHTML + "\n";
  }

  function printPlan(guide) {
    var sheet =
      document.querySelector(".kr-plan-sheet") ||
      document.body.appendChild(el(document, "div", { class: "kr-plan-sheet" }));
    var plan = planDocument(guide, new Date());
    sheet.replaceChildren(
      ...Array.from(plan.body.childNodes).map((n) => {
        return document.importNode(n, true);
      })
    );
    document.documentElement.classList.add("kr-printing");
    window.print();
  }

  function savePlan(guide) {
    var made = new Date(),
      name = "readiness-plan-" + isoDate(made) + ".html";
    var url = URL.createObjectURL(new Blob([planText(guide, made)], { type: "text/html" }));
    var link = el(document, "a", { href: url, download: name, hidden: "" });
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => {
      URL.revokeObjectURL(url);
    }, 10000);
    guide.querySelector(".kr-status").textContent = "Your plan was saved as " + name + " (look in your downloads).";
  }

  function save(guide, key, shown) {
    var data = fresh();
    data.answers = answers(guide);
    data.shown = shown;
    store(key, data);
  }

  function restore(guide, data) {
    $(guide, ".kr-q").forEach((q) => {
      var saved = data.answers[q.dataset.id],
        picks = Array.isArray(saved) ? saved : [saved];
      $(q, "input").forEach((i) => {
        i.checked = picks.indexOf(i.value) >= 0;
      });
    });
  }

  function init(guide) {
    var key = guide.dataset.key || "kapcourse:readiness",
      shown = false,
      data = load(key);
    try {
      restore(guide, data);
    } catch (e) {
      /* a stale record never breaks the page */
    }
    if (data.shown) {
      shown = true;
      show(guide, false);
    }
    guide.querySelector(".kr-show").addEventListener("click", () => {
      shown = true;
      save(guide, key, true);
      show(guide, true);
    });
    guide.querySelector(".kr-print-plan").addEventListener("click", () => {
      printPlan(guide);
    });
    guide.querySelector(".kr-save-plan").addEventListener("click", () => {
      savePlan(guide);
    });
    guide.querySelector(".kr-clear").addEventListener("click", () => {
      $(guide, ".kr-q input").forEach((i) => {
        i.checked = false;
      });
      shown = false;
      guide.querySelector(".kr-result").hidden = true;
      guide.querySelector(".kr-status").textContent = "Your answers were cleared.";
      try {
        localStorage.removeItem(key);
      } catch (e) {
        /* nothing stored */
      }
    });
    $(guide, ".kr-q input").forEach((i) => {
      i.addEventListener("change", () => {
        save(guide, key, shown);
        if (shown) {
          show(guide, false);
        }
      });
    });
    guide.dataset.ready = "1";
  }

  function start() {
    $(document, ".kr[data-key]").forEach(init);
  }
  // Printing from the button adds kr-printing and the sheet; any print ends with the normal
  // page again (and no copy of the plan left in it).
  window.addEventListener("afterprint", () => {
    document.documentElement.classList.remove("kr-printing");
    $(document, ".kr-plan-sheet").forEach((sheet) => {
      sheet.remove();
    });
  });
  window.kapreadiness = { planText: planText, planDocument: planDocument, plan: plan };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
