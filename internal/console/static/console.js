// fargo console: live regions over server-sent events, the weight chart and countdowns.
// No build step and no library: the server renders HTML, this swaps it in.
"use strict";
(function () {
  const watch = document.body.dataset.watch;
  const points = [];

  // refresh fetches this page again and replaces each [data-live] region by id, so that open
  // forms and focus elsewhere stay as they are.
  async function refresh() {
    const resp = await fetch(location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } });
    if (resp.redirected || resp.status === 401) { location.href = "/signin?next=" + encodeURIComponent(location.pathname); return; }
    if (!resp.ok) return;
    const doc = new DOMParser().parseFromString(await resp.text(), "text/html");
    document.querySelectorAll("[data-live]").forEach(function (el) {
      const next = doc.getElementById(el.id);
      if (next && next.innerHTML !== el.innerHTML) {
        const active = document.activeElement && el.contains(document.activeElement) ? document.activeElement.id : "";
        el.replaceWith(next);
        if (active && document.getElementById(active)) document.getElementById(active).focus();
      }
    });
    sample();
    tick();
  }

  if (watch) {
    const es = new EventSource("/events?watch=" + encodeURIComponent(watch));
    let pending = false;
    es.addEventListener("change", function () {
      if (pending) return;
      pending = true;
      refresh().finally(function () { pending = false; });
    });
    es.addEventListener("signedout", function () { es.close(); location.href = "/signin"; });
  }

  // Container output: the last lines, then each new one, as text (never as markup).
  document.querySelectorAll("pre[data-logs]").forEach(function (pre) {
    const es = new EventSource(pre.dataset.logs);
    es.addEventListener("line", function (ev) {
      const l = JSON.parse(ev.data);
      const line = document.createElement("span");
      line.className = l.s === "stderr" ? "stderr" : "";
      line.textContent = l.t + "  " + l.x + "\n";
      pre.appendChild(line);
      while (pre.childNodes.length > 1000) pre.removeChild(pre.firstChild);
      pre.scrollTop = pre.scrollHeight;
    });
  });

  // The weight chart: the points the server knew, then one per update.
  const chart = document.getElementById("weight-chart");
  if (chart) {
    try { JSON.parse(chart.dataset.points).forEach(function (p) { points.push(p); }); } catch (e) { /* none */ }
  }
  function sample() {
    const live = document.getElementById("deployment-live");
    if (!chart || !live) return;
    points.push([Date.now(), Number(live.dataset.greenWeight)]);
    draw();
  }
  function draw() {
    if (!chart || points.length === 0) return;
    const t0 = points[0][0], t1 = Math.max(points[points.length - 1][0], t0 + 1000);
    const x = function (t) { return 40 + 550 * (t - t0) / (t1 - t0); };
    const y = function (w) { return 180 - 170 * w / 100; };
    let d = "M" + x(points[0][0]) + " " + y(points[0][1]);
    for (let i = 1; i < points.length; i++) {
      d += " H" + x(points[i][0]) + " V" + y(points[i][1]);
    }
    chart.innerHTML =
      '<line x1="40" y1="180" x2="590" y2="180" stroke="#767676"/>' +
      '<line x1="40" y1="10" x2="40" y2="180" stroke="#767676"/>' +
      '<text x="4" y="16" font-size="12">100%</text><text x="14" y="184" font-size="12">0%</text>' +
      '<text x="40" y="198" font-size="12">' + clock(t0) + '</text>' +
      '<text x="590" y="198" font-size="12" text-anchor="end">' + clock(t1) + '</text>' +
      '<path d="' + d + '" fill="none" stroke="#0b6b2f" stroke-width="3"/>';
  }

  function clock(ms) { return new Date(ms).toISOString().slice(11, 19) + " UTC"; }

  // Countdowns of waits, from the deadline the server gave.
  function tick() {
    document.querySelectorAll(".countdown[data-deadline]").forEach(function (el) {
      const left = Math.max(0, Number(el.dataset.deadline) - Date.now());
      const s = Math.round(left / 1000);
      el.textContent = Math.floor(s / 60) + " min " + String(s % 60).padStart(2, "0") + " s";
    });
  }
  setInterval(tick, 1000);
  sample();
  tick();
})();
