/* kapcourse course evaluation for the static book: the form (Likert statements and free text),
 * kept in this browser only; the anonymous block a results export carries (My progress); and
 * the commitment to change that the completion record may quote. Mirrors
 * src/kapcourse/record/evaluation.py with the same rules and messages (tests/golden/evaluation.yml);
 * the form, its limits and messages come from Python through kapquiz-data/course.js
 * (window.kapcourseEvaluation). */
(() => {
  "use strict";
  const form = () => window.kapcourseEvaluation;
  const has = (obj, key) => Object.prototype.hasOwnProperty.call(obj, key);
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (m, name) => String(values[name]));
  const chars = (s) => Array.from(String(s)).length; // code points, as Python counts them
  const strip = (s) => s.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, ""); // evaluation._EDGE
  const whole = (v, low, high) => typeof v === "number" && Number.isInteger(v) && v >= low && v <= high;
  const isObject = (v) => !!v && typeof v === "object" && !Array.isArray(v);

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

  /* Why a saved evaluation cannot be used ("" when it can): evaluation.problem. */
  function problem(saved) {
    const f = form(),
      says = f.messages;
    if (!isObject(saved)) {
      return says.record;
    }
    const answers = has(saved, "answers") ? saved.answers : undefined;
    if (!isObject(answers)) {
      return says.answers;
    }
    for (const q of f.questions) {
      if (!has(answers, q.id)) {
        continue;
      }
      const v = answers[q.id];
      if (q.kind === "likert" && !whole(v, 1, f.scale.length)) {
        return fill(says.likert, { id: q.id, top: f.scale.length });
      }
      if (q.kind === "text" && !(typeof v === "string" && chars(v) <= f.max_answer)) {
        return fill(says.text, { id: q.id, most: f.max_answer });
      }
    }
    if (has(saved, "on_record") && typeof saved.on_record !== "boolean") {
      return says.on_record;
    }
    return "";
  }

  /* The usable evaluation (call after problem() found none): evaluation.clean. */
  function clean(saved) {
    const answers = {};
    form().questions.forEach((q) => {
      let v = has(saved.answers, q.id) ? saved.answers[q.id] : null;
      if (typeof v === "string") {
        v = strip(v);
      }
      if (v !== null && v !== undefined && v !== "") {
        answers[q.id] = v;
      }
    });
    return { answers: answers, on_record: has(saved, "on_record") ? saved.on_record : false };
  }

  /* What a results export carries, or null: evaluation.export_block. */
  function exportBlock(saved) {
    if (saved === null || saved === undefined || problem(saved)) {
      return null;
    }
    const answers = clean(saved).answers;
    return Object.keys(answers).length ? { version: form().version, answers: answers } : null;
  }

  /* evaluation.to_csv: the export block as a spreadsheet, quoted as Python's csv module does. */
  function toCsv(block) {
    const f = form(),
      special = window.kapcourseShared.progress.csv_special;
    const cell = (v) => {
      let t = String(v);
      if (special.some((c) => t.indexOf(c) === 0)) {
        t = "'" + t;
      }
      return /[",\r\n]/.test(t) ? '"' + t.replace(/"/g, '""') + '"' : t;
    };
    const rows = [["id", "question", "answer"]].concat(
      f.questions
        .filter((q) => has(block.answers, q.id))
        .map((q) => {
          const v = block.answers[q.id];
          return [q.id, q.text, q.kind === "likert" ? v + " (" + f.scale[v - 1] + ")" : v];
        })
    );
    return rows.map((r) => r.map(cell).join(",")).join("\r\n") + "\r\n";
  }

  /* {saved, raw, why}: the stored evaluation when usable, else saved is null and why says why. */
  function read() {
    let raw, data;
    try {
      raw = localStorage.getItem(form().storage_key);
    } catch (e) {
      return { saved: null, raw: null, why: "" };
    }
    if (raw === null) {
      return { saved: null, raw: null, why: "" };
    }
    try {
      data = JSON.parse(raw);
    } catch (e) {
      return { saved: null, raw: raw, why: form().messages.record };
    }
    const why = problem(data);
    return { saved: why ? null : clean(data), raw: raw, why: why };
  }

  const load = () => read().saved;

  /* The commitment for the completion record: evaluation.record_commitment. */
  function recordCommitment(saved) {
    if (!form()) {
      return "";
    } // a course without an evaluation
    const s = saved === undefined ? load() : saved,
      q = form().questions.filter((x) => x.commitment)[0];
    if (!s || !q || problem(s)) {
      return "";
    }
    const usable = clean(s);
    return usable.on_record && has(usable.answers, q.id) ? usable.answers[q.id] : "";
  }

  /* Add the evaluation to an export that carries no name: evaluation.add_to_export. */
  function addToExport(exported, saved) {
    if (!form()) {
      return false;
    }
    const block = exportBlock(saved === undefined ? load() : saved);
    if (!block || exported.learner) {
      return false;
    }
    exported.evaluation = block;
    return true;
  }

  function render(box, message) {
    const f = form(),
      stored = read(),
      saved = stored.saved || { answers: {}, on_record: false };
    const nodes = [];
    if (stored.why) {
      nodes.push(
        h("p", { class: "kp-msg" }, [
          "Your saved evaluation could not be read (" +
            stored.why +
            "). It is kept in this browser; saving a new one keeps the old one beside it."
        ])
      );
    }
    f.questions.forEach((q) => {
      const answer = has(saved.answers, q.id) ? saved.answers[q.id] : null;
      if (q.kind === "likert") {
        nodes.push(
          h(
            "fieldset",
            { class: "ke-q", "data-id": q.id },
            [h("legend", {}, [q.text])].concat(
              f.scale.map((label, i) => {
                const input = h("input", {
                  type: "radio",
                  name: "ke-" + q.id,
                  value: String(i + 1),
                  id: "ke-" + q.id + "-" + (i + 1)
                });
                input.checked = answer === i + 1;
                return h("label", { class: "ke-point", for: "ke-" + q.id + "-" + (i + 1) }, [input, " " + label]);
              })
            )
          )
        );
        return;
      }
      const area = h("textarea", {
        id: "ke-" + q.id,
        class: "ke-text",
        "data-id": q.id,
        rows: "3",
        cols: "60",
        maxlength: String(f.max_answer)
      });
      area.value = answer || "";
      nodes.push(
        h("p", { class: "ke-q" }, [
          h("label", { for: "ke-" + q.id }, [q.text]),
          h("br"),
          area,
          h("br"),
          h("small", {}, ["At most " + f.max_answer + " characters."])
        ])
      );
      if (q.commitment) {
        const tick = h("input", { type: "checkbox", id: "ke-on-record", class: "ke-on-record" });
        tick.checked = saved.on_record === true;
        nodes.push(
          h("p", {}, [
            h("label", { for: "ke-on-record" }, [tick, " Include my commitment to change on my completion record"])
          ])
        );
      }
    });
    nodes.push(
      h("p", {}, [
        h("button", { type: "button", class: "ke-save" }, ["Save my evaluation"]),
        " ",
        h("button", { type: "button", class: "ke-csv" }, ["Export my evaluation (CSV)"])
      ]),
      h("p", { class: "ke-status", role: "status", "aria-live": "polite" }, [message || ""])
    );
    box.textContent = "";
    box.append(...nodes);
    box.querySelector(".ke-save").addEventListener("click", () => saveForm(box));
    box.querySelector(".ke-csv").addEventListener("click", () => exportCsv(box));
  }

  function saveForm(box) {
    const f = form(),
      answers = {},
      status = (text) => {
        box.querySelector(".ke-status").textContent = text;
      };
    f.questions.forEach((q) => {
      if (q.kind === "likert") {
        const chosen = box.querySelector('input[name="ke-' + q.id + '"]:checked');
        if (chosen) {
          answers[q.id] = Number(chosen.value);
        }
      } else {
        answers[q.id] = box.querySelector("#ke-" + q.id).value;
      }
    });
    const tick = box.querySelector(".ke-on-record"),
      saved = { answers: answers, on_record: !!(tick && tick.checked) };
    const why = problem(saved);
    if (why) {
      status("Not saved: " + why + ".");
      return;
    }
    const stored = read(),
      value = JSON.stringify(clean(saved));
    try {
      if (stored.why) {
        localStorage.setItem(f.storage_key + ":unreadable:" + Date.now(), stored.raw);
      } // never dropped
      localStorage.setItem(f.storage_key, value);
    } catch (e) {
      status("Not saved: this browser has no room to store your evaluation (its storage is full).");
      return;
    }
    render(
      box,
      "Saved your evaluation in this browser. Nobody else sees it unless you export your results " +
        "without your name on My progress."
    );
  }

  /* The saved evaluation as an anonymous CSV file (no name, no date inside). */
  function exportCsv(box) {
    const block = exportBlock(load()),
      status = box.querySelector(".ke-status");
    if (!block) {
      status.textContent = "Nothing to export yet: save your evaluation first.";
      return;
    }
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([toCsv(block)], { type: "text/csv" }));
    link.download = "kapcourse-evaluation.csv";
    document.body.appendChild(link);
    link.click();
    link.remove();
    status.textContent = "Exported your saved evaluation (CSV, without your name).";
  }

  function start() {
    const box = document.getElementById("ke-evaluation");
    if (box && form()) {
      render(box, "");
      box.dataset.ready = "1";
    }
  }
  // read-only, for kapprogress.js (exports, the record) and the golden tests
  window.kapeval = Object.freeze({
    problem: problem,
    clean: clean,
    exportBlock: exportBlock,
    load: load,
    recordCommitment: recordCommitment,
    addToExport: addToExport,
    toCsv: toCsv
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
