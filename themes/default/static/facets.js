/* Faceted browsing on /cases/: one facet per [data-facet] section (province × practice × year),
   instant, shareable URL. Without JavaScript the chips stay links to the term pages.
   Data: cases.json (one row per case: url, title, place, date, year, province[], practice[], summary);
   a facet's name is its field there. */
(function () {
  "use strict";
  var box = document.getElementById("facets");
  if (!box || !window.fetch || !window.URLSearchParams || !window.history.replaceState) return;

  var KEYS = Array.prototype.map.call(box.querySelectorAll("[data-facet]"), function (f) {
    return f.getAttribute("data-facet");
  });
  var all = document.getElementById("all-cases");
  var out = document.getElementById("filtered");
  var status = document.getElementById("facet-count");
  var clear = document.getElementById("facet-clear");
  var names = {}, chips = {}, state = {};
  KEYS.forEach(function (k) { names[k] = {}; chips[k] = []; state[k] = ""; });
  var rows = [];

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text) node.textContent = text;
    return node;
  }

  function makeChip(facet, value, label) {
    var b = el("button", "chip");
    b.type = "button";
    b.setAttribute("aria-pressed", "false");
    b.setAttribute("data-value", value);
    b.appendChild(el("span", "chip-label", label));
    var n = el("span", "chip-n");
    b.appendChild(n);
    b.addEventListener("click", function () {
      state[facet] = state[facet] === value ? "" : value;
      update(true);
    });
    chips[facet].push({ button: b, value: value, count: n });
    names[facet][value] = label;
    return b;
  }

  // Server-rendered links -> toggle buttons with the same label.
  function enhance(facet) {
    var links = box.querySelectorAll('[data-facet="' + facet + '"] a.chip[data-value]');
    for (var i = 0; i < links.length; i++) {
      var a = links[i];
      var label = a.firstChild && a.firstChild.nodeType === 3 ? a.firstChild.nodeValue.trim() : a.textContent.trim();
      a.parentNode.replaceChild(makeChip(facet, a.getAttribute("data-value"), label), a);
    }
  }

  function matches(row, except) {
    for (var i = 0; i < KEYS.length; i++) {
      var k = KEYS[i], want = state[k];
      if (!want || k === except) continue;
      var have = row[k];
      if (Array.isArray(have) ? have.indexOf(want) < 0 : String(have) !== want) return false;
    }
    return true;
  }

  function has(row, facet, value) {
    var have = row[facet];
    return Array.isArray(have) ? have.indexOf(value) >= 0 : String(have) === value;
  }

  function card(row) {
    var li = el("li", "card");
    var h = el("h3", "card-title");
    var a = el("a", "", row.title.replace(/\s*([|｜])/g, "\u2060$1"));
    a.href = row.url;
    h.appendChild(a);
    li.appendChild(h);
    var meta = el("p", "meta");
    meta.appendChild(el("span", "", row.place));
    if (row.date) {
      var t = el("time", "", row.date);
      t.setAttribute("datetime", row.date);
      var p = row.date.split("-");
      t.textContent = p[0] + "年" + (p[1] ? Number(p[1]) + "月" : "") + (p[2] ? Number(p[2]) + "日" : "");
      meta.appendChild(t);
    }
    li.appendChild(meta);
    if (row.summary) li.appendChild(el("p", "summary", row.summary));
    var tags = el("ul", "tags");
    tags.setAttribute("aria-label", "实践类型");
    // Matching practice first, then the most common ones; at most four, then "+N".
    var order = chips.practice.map(function (c) { return c.value; });
    var mine = row.practice.slice().sort(function (x, y) {
      if (x === state.practice) return -1;
      if (y === state.practice) return 1;
      return order.indexOf(x) - order.indexOf(y);
    });
    for (var i = 0; i < mine.length && i < 4; i++) {
      tags.appendChild(el("li", state.practice === mine[i] ? "is-match" : "", names.practice[mine[i]] || mine[i]));
    }
    if (mine.length > 4) tags.appendChild(el("li", "more-tags", "等 " + mine.length + " 类"));
    li.appendChild(tags);
    return li;
  }

  function readUrl() {
    var q = new URLSearchParams(window.location.search);
    for (var i = 0; i < KEYS.length; i++) {
      var v = q.get(KEYS[i]) || "";
      state[KEYS[i]] = names[KEYS[i]][v] ? v : "";
    }
  }

  function writeUrl() {
    var q = new URLSearchParams(window.location.search);
    for (var i = 0; i < KEYS.length; i++) {
      if (state[KEYS[i]]) q.set(KEYS[i], state[KEYS[i]]); else q.delete(KEYS[i]);
    }
    var s = q.toString();
    window.history.replaceState(null, "", window.location.pathname + (s ? "?" + s : "") + window.location.hash);
  }

  function update(fromClick) {
    var active = KEYS.some(function (k) { return state[k]; });
    for (var f = 0; f < KEYS.length; f++) {
      var facet = KEYS[f];
      for (var c = 0; c < chips[facet].length; c++) {
        var chip = chips[facet][c], n = 0;
        for (var r = 0; r < rows.length; r++) if (matches(rows[r], facet) && has(rows[r], facet, chip.value)) n++;
        chip.count.textContent = n;
        chip.button.setAttribute("aria-pressed", state[facet] === chip.value ? "true" : "false");
        chip.button.classList.toggle("is-empty", n === 0);
      }
    }
    var hits = rows.filter(function (row) { return matches(row, null); });
    out.textContent = "";
    if (active) {
      for (var i = 0; i < hits.length; i++) out.appendChild(card(hits[i]));
      if (!hits.length) out.appendChild(el("li", "empty-note", "没有同时符合这些条件的案例，试试减少一个筛选条件。"));
    }
    out.hidden = !active;
    all.hidden = !!active;
    clear.hidden = !active;
    var parts = [];
    for (var k = 0; k < KEYS.length; k++) if (state[KEYS[k]]) parts.push(names[KEYS[k]][state[KEYS[k]]]);
    status.textContent = active ? parts.join(" + ") + "：" + hits.length + " 篇" : "共 " + rows.length + " 篇";
    if (fromClick) writeUrl();
  }

  clear.addEventListener("click", function () {
    KEYS.forEach(function (k) { state[k] = ""; });
    update(true);
  });

  fetch(box.getAttribute("data-cases"), { credentials: "same-origin" })
    .then(function (res) { if (!res.ok) throw new Error(res.status); return res.json(); })
    .then(function (data) {
      rows = data;
      KEYS.forEach(enhance);
      readUrl();
      update(false);
      // A restored choice may sit off-screen in its swipeable row: bring it into view.
      KEYS.forEach(function (k) {
        chips[k].forEach(function (c) {
          if (c.value !== state[k]) return;
          var row = c.button.parentNode.parentNode;
          var dx = c.button.getBoundingClientRect().left - row.getBoundingClientRect().left;
          row.scrollLeft = Math.max(0, row.scrollLeft + dx - 24);
        });
      });
      box.classList.add("is-ready");
    })
    .catch(function () {
      status.textContent = "筛选数据加载失败，可点击上方链接按省份或实践类型浏览。";
    });
})();
