/* kapcourse pharmacokinetics simulator for the static book (lesson 03): route, dose and body
 * weight in, an SVG chart and a summary line out.
 *
 * Why the model is re-implemented here: the book has no kernel, so src/kapcourse/content/pk.py cannot
 * run in it. Only the equations are repeated (the closed-form two-compartment sum of
 * exponentials, with a zero-order infusion or first-order absorption, as in pk.concentration);
 * every number (constants, routes, bands, input limits, the chart's time grid) comes from
 * Python through _static/kapquiz-data/kapsim.js (window.kapsimData, written by
 * kapcourse.book.sphinx_ext from kapcourse.content.figures.pk.simulator_data). tests/test_kapsim_js.py
 * runs this file in node and compares it with pk.concentration and pk.validate_inputs.
 * A population-average teaching model, not a dosing tool. */
(() => {
  "use strict";
  const data = () => window.kapsimData;
  const SVG = "http://www.w3.org/2000/svg";

  /* pk.validate_inputs: the same checks and the same messages. Numbers typed into a form
   * arrive as text, so text is parsed first ("" and words are not numbers). */
  function number(value, name) {
    let v = value;
    if (typeof v === "string") {
      const text = v.trim();
      v = text === "" ? undefined : Number(text);
      if (Number.isNaN(v)) {
        v = undefined;
      }
    }
    if (typeof v !== "number") {
      throw new Error(`The ${name} must be a number.`);
    }
    if (!Number.isFinite(v)) {
      throw new Error(`The ${name} must be a finite number.`);
    }
    return v;
  }

  function validate(route, dose, weight) {
    const d = data(),
      routes = d.model.routes,
      limits = d.model.inputs;
    if (typeof route !== "string" || !Object.prototype.hasOwnProperty.call(routes, route)) {
      const names = Object.keys(routes)
        .map((k) => `'${k}'`)
        .join(", ");
      throw new Error(
        `Unknown route '${String(route)}'. Choose one of: ${names}. ` +
          "Intramuscular and swallowed oral ketamine are not modelled."
      );
    }
    const doseValue = number(dose, "dose"),
      weightValue = number(weight, "body weight");
    if (doseValue <= 0) {
      throw new Error("The dose must be greater than 0 mg/kg.");
    }
    if (doseValue > limits.dose_max_mg_per_kg) {
      throw new Error(
        `A dose above ${limits.dose_max_mg_per_kg} mg/kg is outside this teaching ` +
          "model. Enter a dose between 0 and 10 mg/kg."
      );
    }
    const [low, high] = limits.weight_range_kg;
    if (!(weightValue >= low && weightValue <= high)) {
      throw new Error(`Enter a body weight between ${low} and ${high} kg.`);
    }
    return { route, dose: doseValue, weight: weightValue };
  }

  /* pk.Disposition.exponentials: [[lambda, c], ...] of the unit-dose response. */
  function exponentials() {
    const disp = data().model.disposition,
      k21 = disp.derived.k21_per_h;
    const a = Math.LN2 / disp.alpha_half_life_h,
      b = Math.LN2 / disp.beta_half_life_h;
    return [
      [a, (a - k21) / (a - b)],
      [b, (k21 - b) / (a - b)]
    ];
  }

  /* pk.concentration: plasma ketamine (ng/mL) at t hours after dosing starts. */
  function concentration(route, dose, weight, t) {
    const v = validate(route, dose, weight),
      spec = data().model.routes[v.route];
    if (typeof t !== "number" || !Number.isFinite(t) || t < 0) {
      throw new Error("Times must be finite and not negative (hours after dosing).");
    }
    const v1 = data().model.disposition.derived.v1_l_per_kg * v.weight;
    const absorbed = spec.bioavailability * v.dose * v.weight; // mg
    let mgPerL = 0;
    if (spec.infusion_h !== null) {
      const duration = spec.infusion_h,
        rate = absorbed / duration;
      exponentials().forEach(([lam, c]) => {
        mgPerL +=
          ((c * (1 - Math.exp(-lam * Math.min(t, duration)))) / lam) * Math.exp(-lam * Math.max(t - duration, 0));
      });
      mgPerL *= rate / v1;
    } else {
      const ka = spec.ka_per_h;
      exponentials().forEach(([lam, c]) => {
        mgPerL += (c * (Math.exp(-lam * t) - Math.exp(-ka * t))) / (ka - lam);
      });
      mgPerL *= (absorbed / v1) * ka;
    }
    return mgPerL * 1000; // mg/L -> ng/mL
  }

  /* The chart's time grid (figures.pk.TIMES_H): hours from 0 to chart.hours. */
  function grid() {
    const c = data().chart,
      out = [];
    for (let i = 0; i < c.samples; i += 1) {
      out.push((c.hours * i) / (c.samples - 1));
    }
    return out;
  }

  /* figures.pk.summary_numbers: total dose, peak and when, time at or above the lower edge of
   * the dissociative band, on the chart's grid. */
  function summary(route, dose, weight) {
    const v = validate(route, dose, weight),
      times = grid();
    const values = times.map((t) => concentration(v.route, v.dose, v.weight, t));
    let index = 0;
    values.forEach((c, i) => {
      if (c > values[index]) {
        index = i;
      }
    });
    const low = data().chart.dissociative_low_ng_per_ml,
      step = times[1] - times[0];
    return {
      total_mg: v.dose * v.weight,
      peak_ng_per_ml: values[index],
      peak_minutes: times[index] * 60,
      minutes_at_or_above_dissociative: values.filter((c) => c >= low).length * step * 60
    };
  }

  /* ---- The page: controls, an SVG chart, a summary; all text set as text, never HTML. ---- */
  function h(tag, attrs, children) {
    const node = document.createElement(tag);
    Object.keys(attrs || {}).forEach((k) => {
      if (k === "class") {
        node.className = attrs[k];
      } else {
        node.setAttribute(k, attrs[k]);
      }
    });
    (children || []).forEach((c) => node.append(typeof c === "string" ? document.createTextNode(c) : c));
    return node;
  }
  function s(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach((k) => node.setAttribute(k, String(attrs[k])));
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }
  const fmt = (x, digits) => Number(x.toPrecision(digits || 4)).toString();
  const round = (x) => Math.round(x).toString();

  const W = 640,
    H = 400,
    M = { left: 64, right: 16, top: 16, bottom: 52 };

  function niceStep(top) {
    const raw = top / 6,
      mag = Math.pow(10, Math.floor(Math.log10(raw)));
    return [1, 2, 2.5, 5, 10].map((m) => m * mag).find((st) => st >= raw);
  }

  /* Draw the chart for valid inputs into svg (emptied first). */
  function draw(svg, ids, v, compare) {
    const d = data(),
      times = grid(),
      routes = d.model.routes;
    const keys = compare ? Object.keys(routes) : [v.route];
    const curves = {};
    keys.forEach((k) => {
      curves[k] = times.map((t) => concentration(k, v.dose, v.weight, t));
    });
    const peak = Math.max(...keys.map((k) => Math.max(...curves[k])));
    const top = Math.max(d.chart.min_top_ng_per_ml, peak * 1.15);
    const x = (t) => M.left + ((W - M.left - M.right) * t) / d.chart.hours;
    const y = (c) => H - M.bottom - ((H - M.top - M.bottom) * c) / top;
    while (svg.firstChild) {
      svg.removeChild(svg.firstChild);
    }
    const label = routes[v.route].label,
      sum = summary(v.route, v.dose, v.weight);
    svg.append(
      s("title", { id: ids.title }, `Modelled plasma ketamine: ${label}, ${fmt(v.dose)} mg/kg for ${fmt(v.weight)} kg`)
    );
    svg.append(
      s(
        "desc",
        { id: ids.desc },
        `Line chart over ${d.chart.hours} hours. Peak about ${round(sum.peak_ng_per_ml)} ng/mL ` +
          `at about ${round(sum.peak_minutes)} minutes. Dashed lines mark the edges of the approximate bands: ` +
          d.model.bands.map((b) => `${b.label} ${b.low_ng_per_ml} to ${b.high_ng_per_ml} ng/mL`).join("; ") +
          "."
      )
    );
    const axes = s("g", { class: "ks-axes" });
    const step = niceStep(top);
    for (let c = 0; c <= top + 1e-9; c += step) {
      axes.append(s("line", { class: "ks-grid", x1: M.left, x2: W - M.right, y1: y(c), y2: y(c) }));
      axes.append(s("text", { class: "ks-tick", x: M.left - 6, y: y(c) + 4, "text-anchor": "end" }, fmt(c)));
    }
    for (let t = 0; t <= d.chart.hours; t += 1) {
      axes.append(s("text", { class: "ks-tick", x: x(t), y: H - M.bottom + 16, "text-anchor": "middle" }, String(t)));
    }
    axes.append(s("line", { class: "ks-axis", x1: M.left, x2: W - M.right, y1: y(0), y2: y(0) }));
    axes.append(s("line", { class: "ks-axis", x1: M.left, x2: M.left, y1: M.top, y2: y(0) }));
    axes.append(
      s(
        "text",
        { class: "ks-label", x: (M.left + W - M.right) / 2, y: H - 10, "text-anchor": "middle" },
        "Hours after the start of dosing"
      )
    );
    axes.append(
      s(
        "text",
        {
          class: "ks-label",
          x: 0,
          y: 0,
          "text-anchor": "middle",
          transform: `translate(16 ${(M.top + H - M.bottom) / 2}) rotate(-90)`
        },
        "Modelled plasma ketamine (ng/mL)"
      )
    );
    svg.append(axes);
    /* Bands as their edges (dashed lines with a text label), so overlapping bands stay legible. */
    const bands = s("g", { class: "ks-bands" });
    const above = [],
      labelled = [];
    d.model.bands.forEach((b, i) => {
      if (b.low_ng_per_ml >= top) {
        above.push(b);
        return;
      }
      [b.low_ng_per_ml, b.high_ng_per_ml]
        .filter((c) => c < top)
        .forEach((c, j) => {
          bands.append(s("line", { class: `ks-band ks-band-${i}`, x1: M.left, x2: W - M.right, y1: y(c), y2: y(c) }));
          /* A label only where it does not collide with another (the legend names every band). */
          if (labelled.some((other) => Math.abs(other - y(c)) < 18)) {
            return;
          }
          labelled.push(y(c));
          bands.append(
            s(
              "text",
              { class: `ks-band-label ks-band-${i}`, x: W - M.right - 4, y: y(c) - 3, "text-anchor": "end" },
              `${b.label.replace(" (approx.)", "")} ${j === 0 ? "from" : "to"} ${b[j === 0 ? "low_ng_per_ml" : "high_ng_per_ml"]}`
            )
          );
        });
    });
    if (above.length) {
      bands.append(
        s(
          "text",
          { class: "ks-band-label", x: W - M.right - 4, y: M.top + 12, "text-anchor": "end" },
          "Above this chart: " +
            above
              .map((b) => `${b.label.replace(" (approx.)", "")} (${b.low_ng_per_ml}-${b.high_ng_per_ml} ng/mL)`)
              .join("; ")
        )
      );
    }
    svg.append(bands);
    const lines = s("g", { class: "ks-curves" });
    keys
      .filter((k) => k !== v.route)
      .concat([v.route])
      .forEach((k) => {
        const path = times.map((t, i) => `${i ? "L" : "M"}${x(t).toFixed(2)} ${y(curves[k][i]).toFixed(2)}`).join(" ");
        lines.append(
          s("path", { class: `ks-curve ks-route-${k}${k === v.route ? " ks-selected" : ""}`, d: path, "data-route": k })
        );
      });
    svg.append(lines);
    return sum;
  }

  /* Each source as its citation with its DOI link (the data's "references", from the course
   * bibliography), as the quizzes show them; a key with no entry, or a link that is not
   * https, stays plain text. Text nodes only: nothing from the data is parsed as HTML. */
  function sourceLinks(keys) {
    const refs = (data() || {}).references || {};
    const parts = [];
    keys.forEach((key, i) => {
      if (i) {
        parts.push("; ");
      }
      const ref = refs[key];
      const text = ref && typeof ref.text === "string" ? ref.text : key;
      parts.push(ref && /^https:\/\//.test(ref.url || "") ? h("a", { href: ref.url }, [text]) : text);
    });
    return parts;
  }

  function setup(box, n) {
    const d = data();
    if (!d || box.dataset.kapsimReady) {
      return;
    }
    const ids = {
      route: `kapsim-${n}-route`,
      dose: `kapsim-${n}-dose`,
      weight: `kapsim-${n}-weight`,
      compare: `kapsim-${n}-compare`,
      title: `kapsim-${n}-title`,
      desc: `kapsim-${n}-desc`
    };
    const defaults = d.chart.defaults;
    const route = h("select", { id: ids.route });
    Object.keys(d.model.routes).forEach((k) => {
      const o = h("option", { value: k }, [d.model.routes[k].label]);
      if (k === defaults.route) {
        o.selected = true;
      }
      route.append(o);
    });
    const dose = h("input", {
      id: ids.dose,
      type: "number",
      step: "0.05",
      inputmode: "decimal",
      value: String(defaults.dose_mg_per_kg)
    });
    const weight = h("input", {
      id: ids.weight,
      type: "number",
      step: "1",
      inputmode: "decimal",
      value: String(defaults.weight_kg)
    });
    const compare = h("input", { id: ids.compare, type: "checkbox" });
    compare.checked = true;
    const message = h("p", { class: "ks-message", role: "alert" });
    const svg = s("svg", {
      class: "ks-chart",
      viewBox: `0 0 ${W} ${H}`,
      role: "img",
      "aria-labelledby": `${ids.title} ${ids.desc}`
    });
    const text = h("p", { class: "ks-summary", "aria-live": "polite" });
    const note = h("p", { class: "ks-note" });
    const controls = h("div", { class: "ks-controls" }, [
      h("label", { for: ids.route }, ["Route"]),
      route,
      h("label", { for: ids.dose }, ["Dose (mg/kg)"]),
      dose,
      h("label", { for: ids.weight }, ["Weight (kg)"]),
      weight,
      h("span", {}, []),
      h("span", { class: "ks-check" }, [compare, h("label", { for: ids.compare }, ["Show the other routes"])])
    ]);
    /* Legend: each route's line sample (colour and dash pattern) with its name. */
    const legend = h(
      "ul",
      { class: "ks-legend" },
      Object.keys(d.model.routes)
        .map((k) => {
          const sample = s("svg", {
            width: 36,
            height: 10,
            viewBox: "0 0 36 10",
            "aria-hidden": "true",
            focusable: "false"
          });
          sample.append(s("line", { class: `ks-curve ks-selected ks-route-${k}`, x1: 0, x2: 36, y1: 5, y2: 5 }));
          return h("li", {}, [sample, ` ${d.model.routes[k].label}`]);
        })
        .concat(
          d.model.bands.map((b, i) => {
            const sample = s("svg", {
              width: 36,
              height: 10,
              viewBox: "0 0 36 10",
              "aria-hidden": "true",
              focusable: "false"
            });
            sample.append(s("line", { class: `ks-band ks-band-${i}`, x1: 0, x2: 36, y1: 5, y2: 5 }));
            return h("li", {}, [
              sample,
              ` Edges of ${b.label.replace(" (approx.)", "").toLowerCase()}, ${b.low_ng_per_ml}-${b.high_ng_per_ml} ng/mL (approx.)`
            ]);
          })
        )
    );
    const live = h("div", { class: "ks-live" }, [controls, message, svg, legend, text, note]);
    box.append(live);

    function update() {
      let v;
      try {
        v = validate(route.value, dose.value, weight.value);
      } catch (e) {
        message.textContent = `⚠ ${e.message} The chart below still shows the last valid input.`;
        return;
      }
      message.textContent = "";
      const sum = draw(svg, ids, v, compare.checked),
        spec = d.model.routes[v.route];
      text.textContent =
        `Total dose: ${fmt(sum.total_mg)} mg. Modelled peak: ${round(sum.peak_ng_per_ml)} ng/mL at about ` +
        `${round(sum.peak_minutes)} minutes after dosing starts (bioavailability used: ${round(spec.bioavailability * 100)}%). ` +
        `Time at or above ${d.chart.dissociative_low_ng_per_ml} ng/mL (the lower edge of the dissociative band): about ` +
        `${round(sum.minutes_at_or_above_dissociative)} minutes.`;
      note.replaceChildren(`${spec.note} Sources: `, ...sourceLinks(spec.sources), ".");
    }
    [route, dose, weight, compare].forEach((el) => {
      el.addEventListener("input", update);
      el.addEventListener("change", update);
    });
    update();
    box.dataset.kapsimReady = "1";
    box.classList.add("ks-ready");
  }

  function start() {
    Array.from(document.querySelectorAll(".kapsim")).forEach(setup);
  }

  window.kapsim = Object.freeze({ validate, concentration, summary, exponentials });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
