/* kapcourse: a learner's way through the book, on every page (see also kapnav.css).
 *
 * - Remembers the last lesson page and section the learner read (browser storage, key
 *   "kapcourse:last-visit"), and offers "Continue where you left off" on the landing page and
 *   on My progress.
 * - Marks each lesson in the sidebar as done, in progress or not started, in text (not colour
 *   alone), from the progress the quizzes save (key "kapcourse:progress", as My progress reads it).
 * - Glossary tips (sphinx-tippy): show on keyboard focus, stay inside the page's main landmark,
 *   and on a touch screen the first tap on a term shows its definition (a second tap follows
 *   the link), so the learner does not leave the lesson.
 * - Names the page's ".ipynb" download for what it is.
 *
 * Written by hand because no kept library does these: they are a few lines each on top of the
 * book's data (_static/kapnav-data/lessons.js, written by kapcourse.book.sphinx_nav from the notebooks
 * and item banks). Everything stored is validated when read and written into the page as text
 * or as attributes built from validated parts, never as HTML. */
(function () {
  "use strict";
  var VISIT_KEY = "kapcourse:last-visit";
  // summary.STORAGE_KEY: this script runs on every page, without the course data that gives it
  // to kapquiz.js (tests/test_storage_key.py pins the copy).
  var PROGRESS_KEY = "kapcourse:progress";
  var PAGE = /^notebooks\/\d\d_[a-z0-9_]+\.html$/; // a lesson page, relative to the book's root
  var SECTION = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/; // an id Sphinx gives a section
  var MAX_TITLE = 200;
  var script = document.currentScript;
  var root = script ? script.src.replace(/_static\/kapnav\.js.*$/, "") : "";

  function course() {
    var data = window.kapnavCourse;
    return data && Array.isArray(data.lessons) ? data : null;
  }

  /* This page's path relative to the book's root ("notebooks/03_duration.html"). */
  function pagePath() {
    var here = location.href.split("#")[0].split("?")[0];
    return here.indexOf(root) === 0 ? here.slice(root.length) : "";
  }

  function readJson(key) {
    try {
      return JSON.parse(localStorage.getItem(key) || "null");
    } catch (e) {
      return null; // unreadable or blocked storage: nothing to show, nothing is changed
    }
  }

  function text(value) {
    return typeof value === "string" && value.length > 0 && value.length <= MAX_TITLE;
  }

  /* The stored last visit, or null unless every field is as this script writes it. */
  function lastVisit() {
    var v = readJson(VISIT_KEY),
      data = course();
    if (!v || typeof v !== "object" || !data || typeof v.page !== "string" || !PAGE.test(v.page)) {
      return null;
    }
    var lesson = data.lessons.filter(function (l) {
      return l.page === v.page;
    })[0];
    if (!lesson || (v.section !== "" && !(typeof v.section === "string" && SECTION.test(v.section)))) {
      return null;
    }
    if (v.sectionTitle !== "" && !text(v.sectionTitle)) {
      return null;
    }
    return { page: v.page, title: lesson.title, section: v.section, sectionTitle: v.sectionTitle };
  }

  /* The section the learner is reading: the last section heading above the top third of the
   * window (none before the first section). */
  function currentSection() {
    var found = { section: "", sectionTitle: "" };
    var limit = window.innerHeight / 3;
    document.querySelectorAll("article section[id] > h2, article section[id] > h3").forEach(function (h) {
      if (h.getBoundingClientRect().top <= limit && SECTION.test(h.parentElement.id)) {
        var title = (h.textContent || "")
          .replace(/[#¶]\s*$/, "")
          .trim()
          .slice(0, MAX_TITLE);
        found = { section: h.parentElement.id, sectionTitle: title };
      }
    });
    return found;
  }

  function rememberVisit() {
    var page = pagePath();
    if (!PAGE.test(page)) {
      return;
    }
    var where = currentSection();
    try {
      localStorage.setItem(
        VISIT_KEY,
        JSON.stringify({
          page: page,
          section: where.section,
          sectionTitle: where.sectionTitle
        })
      );
    } catch (e) {
      /* storage full or blocked: the book works without this reminder */
    }
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      node.setAttribute(name, attrs[name]);
    });
    (children || []).forEach(function (c) {
      node.append(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  /* "Continue where you left off": in each .kn-continue box, or before My progress's own box. */
  function showContinue() {
    var boxes = Array.prototype.slice.call(document.querySelectorAll(".kn-continue"));
    var progress = document.getElementById("kp-progress");
    if (!boxes.length && progress) {
      boxes = [el("div", { class: "kn-continue" })];
      progress.parentNode.insertBefore(boxes[0], progress);
    }
    var visit = lastVisit();
    boxes.forEach(function (box) {
      box.textContent = "";
      if (!visit) {
        box.hidden = true;
        return;
      }
      var href = root + visit.page + (visit.section ? "#" + visit.section : "");
      var label = visit.title + (visit.sectionTitle ? " — " + visit.sectionTitle : "");
      box.append(
        el("p", {}, [
          el("strong", {}, ["Continue where you left off: "]),
          el("a", { href: href, class: "kn-continue-link" }, [label])
        ])
      );
      box.hidden = false;
    });
  }

  /* Per lesson: "done" (every question answered), "in progress" or "not started". */
  function lessonStates() {
    var data = course(),
      saved = readJson(PROGRESS_KEY),
      states = {};
    var items =
      saved &&
      typeof saved === "object" &&
      data &&
      saved.format === data.format &&
      saved.items &&
      typeof saved.items === "object" &&
      !Array.isArray(saved.items)
        ? saved.items
        : {};
    (data ? data.lessons : []).forEach(function (lesson) {
      var answered = lesson.questions.filter(function (id) {
        var entry = Object.prototype.hasOwnProperty.call(items, id) ? items[id] : null;
        return entry && typeof entry === "object" && typeof entry.bank === "string";
      }).length;
      states[lesson.page] = {
        answered: answered,
        total: lesson.questions.length,
        state: answered && answered >= lesson.questions.length ? "done" : answered ? "in progress" : "not started"
      };
    });
    return states;
  }

  var MARKS = { done: "✓", "in progress": "◐", "not started": "○" };

  function markSidebar() {
    var states = lessonStates();
    document
      .querySelectorAll(
        ".bd-sidebar-primary nav a.reference.internal, #pst-primary-sidebar-modal nav a.reference.internal"
      )
      .forEach(function (link) {
        var target = (link.href || "").split("#")[0];
        var page = target.indexOf(root) === 0 ? target.slice(root.length) : "";
        var s = states[page];
        var old = link.querySelector(".kn-mark");
        if (old) {
          old.remove();
        }
        if (!s) {
          return;
        }
        var mark = el("span", { class: "kn-mark kn-" + s.state.replace(" ", "-") }, [
          el("span", { "aria-hidden": "true" }, [MARKS[s.state] + " "]),
          el("span", { class: s.state === "not started" ? "kn-sr" : "kn-word" }, [
            s.state === "in progress" ? s.state + " (" + s.answered + " of " + s.total + ")" : s.state
          ])
        ]);
        link.append(" ", mark);
      });
  }

  /* Glossary tips from sphinx-tippy: its script creates them on window "load"; these defaults
   * are set first. Inside <main> (not at the end of <body>, outside every landmark: axe
   * "region"); also on keyboard focus (tippy's default), described to screen readers. */
  function tipDefaults() {
    if (window.tippy && window.tippy.setDefaultProps) {
      window.tippy.setDefaultProps({
        appendTo: function () {
          return document.querySelector("main") || document.body;
        },
        aria: { content: "describedby", expanded: false }
      });
    }
  }

  var lastPointer = "";
  var tappedTerm = null;

  /* On a touch screen the first tap on a glossary term shows its tip; a second tap on the same
   * term follows the link to the glossary. */
  function tapForTip(event) {
    var link = event.target.closest && event.target.closest("a");
    if (!link || !link._tippy || lastPointer !== "touch") {
      return;
    }
    if (tappedTerm !== link) {
      event.preventDefault();
      tappedTerm = link;
      link._tippy.show();
    }
  }

  /* The theme's download menu offers ".ipynb", which tells a clinician nothing. */
  function nameDownload() {
    document.querySelectorAll(".dropdown-download-buttons a[href$='.ipynb']").forEach(function (a) {
      var label = a.querySelector(".btn__text-container");
      if (label) {
        label.textContent = "Download notebook (.ipynb)";
      }
      a.setAttribute("title", "Download this lesson as a notebook for JupyterLab");
    });
  }

  var pending = false;
  function onScroll() {
    if (!pending) {
      pending = true;
      setTimeout(function () {
        pending = false;
        rememberVisit();
      }, 500);
    }
  }

  document.addEventListener(
    "pointerdown",
    function (e) {
      lastPointer = e.pointerType;
    },
    true
  );
  document.addEventListener("click", tapForTip, true);
  document.addEventListener("DOMContentLoaded", function () {
    tipDefaults();
    nameDownload();
    markSidebar();
    showContinue();
    if (PAGE.test(pagePath())) {
      rememberVisit();
      window.addEventListener("scroll", onScroll, { passive: true });
      window.addEventListener("pagehide", rememberVisit);
    }
  });
})();
