(function () {
  "use strict";
  var t0 = performance.now();
  var main = document.getElementById("review");
  var tbody = document.getElementById("rows");
  var $ = function (id) { return document.getElementById(id); };
  var controls = { q: $("q"), band: $("f-band"), industry: $("f-industry"), city: $("f-city"),
    warn: $("f-warn"), dec: $("f-dec"), sort: $("sort") };
  var key = "deckgen-review:" + main.getAttribute("data-folder");
  var store = { reviewer: "", decks: {} };
  var storage = null;
  try { storage = window.localStorage; var saved = JSON.parse(storage.getItem(key) || "null");
    if (saved && typeof saved === "object" && saved.decks) { store = saved; } } catch (e) { storage = null; }

  function save() {
    if (!storage) { return; }
    try { storage.setItem(key, JSON.stringify(store)); } catch (e) { say("The browser did not keep the marks: " + e); }
  }
  function say(text) { $("message").textContent = text; }

  var items = Array.prototype.map.call(tbody.rows, function (tr, i) {
    var d = tr.dataset, text = [];
    Array.prototype.forEach.call(tr.querySelectorAll(".s"), function (c) { text.push(c.textContent); });
    return { tr: tr, rank: i, band: d.band, score: d.score === "" ? -1 : +d.score,
      conf: d.conf === "" ? -1 : +d.conf, warn: +d.warn, industry: d.industry, city: d.city,
      file: d.file, sha: d.sha, company: d.company, text: text.join(" ").toLowerCase(),
      radios: tr.querySelectorAll("input[type=radio]"), remark: tr.querySelector(".remark"),
      stale: tr.querySelector(".stale"), dup: d.dup || "", decision: "" };
  });
  var byRow = new Map(items.map(function (it) { return [it.tr, it]; }));

  function show(it) {
    var m = store.decks[it.file];
    var current = m && m.sha === it.sha;
    it.decision = current ? (m.d || "") : "";
    if (!it.decision && it.dup) { it.decision = "hold"; }  // a duplicate is held until the reviewer says otherwise
    it.stale.hidden = !(m && !current && m.d);
    Array.prototype.forEach.call(it.radios, function (r) { r.checked = r.value === it.decision; });
    it.remark.value = current ? (m.m || "") : "";
    if (!it.remark.value && it.dup && it.decision === "hold") { it.remark.placeholder = it.dup; }
    if (it.decision) { it.tr.setAttribute("data-decision", it.decision); } else { it.tr.removeAttribute("data-decision"); }
  }
  function mark(it, decision, remark) {
    var m = store.decks[it.file];
    if (!m || m.sha !== it.sha) { m = { d: "", m: "", sha: it.sha }; }
    if (decision !== null) { m.d = decision; }
    if (remark !== null) { m.m = remark; }
    m.at = new Date().toISOString();
    store.decks[it.file] = m;
    save();
    show(it);
    counts();
  }
  function counts() {
    var ready = 0, hold = 0;
    items.forEach(function (it) { if (it.decision === "ready") { ready++; } else if (it.decision === "hold") { hold++; } });
    $("marked").textContent = ready + " ready, " + hold + " on hold, " + (items.length - ready - hold) + " not marked";
  }

  var order = "rank";
  var sorters = {
    rank: function (a, b) { return a.rank - b.rank; },
    "score-desc": function (a, b) { return b.score - a.score || a.rank - b.rank; },
    "score-asc": function (a, b) { return a.score - b.score || a.rank - b.rank; },
    "conf-desc": function (a, b) { return b.conf - a.conf || a.rank - b.rank; },
    "warn-desc": function (a, b) { return b.warn - a.warn || a.rank - b.rank; },
    company: function (a, b) { return a.company.localeCompare(b.company) || a.rank - b.rank; }
  };

  function apply() {
    var t = performance.now();
    var q = controls.q.value.trim().toLowerCase(), band = controls.band.value, ind = controls.industry.value,
      city = controls.city.value, warn = controls.warn.value, dec = controls.dec.value, shown = 0;
    if (controls.sort.value !== order && sorters[controls.sort.value]) {
      order = controls.sort.value;
      var table = tbody.parentNode, after = tbody.nextSibling;
      table.removeChild(tbody);  // reorder off the document: one style and layout pass instead of 1,000
      items.slice().sort(sorters[order]).forEach(function (it) { tbody.appendChild(it.tr); });
      table.insertBefore(tbody, after);
    }
    items.forEach(function (it) {
      var ok = (!band || it.band === band) && (!ind || it.industry === ind) && (!city || it.city === city) &&
        (!warn || (warn === "1") === (it.warn > 0)) &&
        (!dec || (dec === "none" ? !it.decision : it.decision === dec)) && (!q || it.text.indexOf(q) >= 0);
      if (it.tr.hidden === ok) { it.tr.hidden = !ok; }
      if (ok) { shown++; }
    });
    $("shown").textContent = "Showing " + shown + " of " + items.length + " decks";
    var state = new URLSearchParams();
    Object.keys(controls).forEach(function (k) {
      var v = controls[k].value; if (v && !(k === "sort" && v === "rank")) { state.set(k, v); }
    });
    var hash = state.toString();
    if (location.hash.slice(1) !== hash) { history.replaceState(null, "", hash ? "#" + hash : location.pathname); }
    main.setAttribute("data-filter-ms", (performance.now() - t).toFixed(1));
  }

  function fromHash() {
    var state = new URLSearchParams(location.hash.slice(1));
    Object.keys(controls).forEach(function (k) {
      var el = controls[k], v = state.get(k);
      if (v === null) { return; }
      if (el.tagName === "SELECT" && !Array.prototype.some.call(el.options, function (o) { return o.value === v; })) { return; }
      el.value = v;
    });
  }

  function neutral(v) {
    v = v == null ? "" : String(v);
    if (v && "=+-@\t\r|".indexOf(v.charAt(0)) >= 0 && !/^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(v)) {
      v = "'" + v;
    }
    return '"' + v.replace(/"/g, '""') + '"';
  }
  function exportCsv() {
    var reviewer = $("reviewer").value.trim();
    if (!reviewer) { say("Add your name first: the release records who approved each deck."); $("reviewer").focus(); return; }
    var lines = [["file", "company", "decision", "remark", "reviewer", "decided_at", "deck_sha256"].join(",")];
    items.forEach(function (it) {
      var m = store.decks[it.file];
      if (m && m.sha !== it.sha) { m = null; }
      if (!it.decision || !(m || it.dup)) { return; }
      m = m || { m: it.dup, at: "" };  // a duplicate held by default: the remark says why
      lines.push([it.file, it.company, it.decision, m.m || (it.dup && it.decision === "hold" ? it.dup : ""),
        reviewer, m.at || "", it.sha].map(neutral).join(","));
    });
    var csv = lines.join("\r\n") + "\r\n";
    var out = $("export-text");
    out.value = csv;
    out.hidden = false;
    try {
      var a = document.createElement("a");
      a.href = URL.createObjectURL(new Blob(["\ufeff" + csv], { type: "text/csv;charset=utf-8" }));
      a.download = "review-decisions.csv";
      document.body.appendChild(a);
      a.click();
      a.remove();
    } catch (e) { /* the text box below still holds the CSV */ }
    say((lines.length - 1) + " decision(s) exported as review-decisions.csv; put it in the folder and run " +
      "deckgen release with --approved review-decisions.csv.");
  }

  tbody.addEventListener("change", function (ev) {
    var it = byRow.get(ev.target.closest("tr"));
    if (it && ev.target.type === "radio") { mark(it, ev.target.value, null); apply(); }
  });
  tbody.addEventListener("input", function (ev) {
    var it = byRow.get(ev.target.closest("tr"));
    if (it && ev.target.classList.contains("remark")) { mark(it, null, ev.target.value); }
  });
  $("filters").addEventListener("input", apply);
  $("filters").addEventListener("change", apply);
  $("filters").addEventListener("submit", function (ev) { ev.preventDefault(); });
  $("export").addEventListener("click", exportCsv);
  $("reviewer").value = store.reviewer || "";
  $("reviewer").addEventListener("input", function () { store.reviewer = $("reviewer").value; save(); });

  function visibleRows() { return items.filter(function (it) { return !it.tr.hidden; })
    .sort(function (a, b) { return sorters[order](a, b); }); }
  document.addEventListener("keydown", function (ev) {
    var tag = ev.target.tagName, typing = (tag === "INPUT" && ev.target.type !== "radio") || tag === "SELECT" ||
      tag === "TEXTAREA";
    if (typing || ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
    var it = byRow.get(ev.target.closest && ev.target.closest("tr"));
    if (ev.key === "/") { ev.preventDefault(); controls.q.focus(); return; }
    if (ev.key === "j" || ev.key === "k") {
      var rows = visibleRows(), at = it ? rows.indexOf(it) : -1;
      var next = rows[ev.key === "j" ? at + 1 : Math.max(at - 1, 0)];
      if (next) { ev.preventDefault(); (next.tr.querySelector("input[type=radio]:checked") || next.radios[0]).focus(); }
      return;
    }
    if (it && (ev.key === "r" || ev.key === "h")) {
      ev.preventDefault();
      mark(it, ev.key === "r" ? "ready" : "hold", null);
      apply();
    }
  });

  items.forEach(show);
  counts();
  fromHash();
  apply();
  main.setAttribute("data-ready-ms", (performance.now() - t0).toFixed(1));
})();
