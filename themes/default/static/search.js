/* Search page: reads the index casebook writes (search-index/, see casebook/searchindex.py).
   A query is folded and cut into terms as the index was (Traditional to Simplified, full-width
   to ASCII, lower case; overlapping Han bigrams, one character alone, Latin words), the shards
   holding its terms are fetched, their postings intersected and ranked (BM25 weights), and the
   top documents fetched: they prove the exact phrase and give the excerpt.
   Works offline and under a sub-path: the index URL and the site base come from data attributes. */
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  if (!form) return;
  var input = document.getElementById("q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("results");
  var base = form.getAttribute("data-base") || "/";
  var root = form.getAttribute("data-index");
  var SHOWN = 10, SHARDS = 7, CONTEXT = 24, LENGTH = 96;  // first search: 1 + 7 + 10 index requests at most
  var RUN = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\u{20000}-\u{3134f}]+|[0-9a-z\u00c0-\u024f]+/gu;
  var meta = null, shards = {}, docs = {}, timer = 0, seq = 0;
  var intro = status.textContent;
  var utf8 = new TextDecoder();

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text) node.textContent = text;
    return node;
  }

  function get(path, kind) {
    return fetch(root + path).then(function (r) {
      if (!r.ok) throw new Error(path + ": " + r.status);
      return r[kind]();
    });
  }

  function loadMeta() {
    if (!meta) {
      meta = fetch(root + "meta.json", { cache: "no-cache" }).then(function (r) {
        if (!r.ok) throw new Error("meta.json: " + r.status);
        return r.json();
      }).then(function (m) {
        m.map = {};
        for (var i = 0; i < m.fold[0].length; i++) m.map[m.fold[0][i]] = m.fold[1][i];
        m.foldable = new RegExp("[A-Z\\u00c0-\\u024f\\uff10-\\uff5a" + m.fold[0] + "]", "g");
        m.bounds = m.shards.map(function (s) { return s[0]; });
        m.dead = new Set(m.dead);
        m.total = m.docs + m.dead.size;
        return m;
      });
      meta.catch(function () { meta = null; });
    }
    return meta;
  }

  // The index's spelling, one UTF-16 unit for one (so offsets stay valid in the original):
  // the index's Traditional characters, full-width letters and digits, upper-case Latin.
  function fold(m, text) {
    return text.replace(m.foldable, function (c) {
      if (m.map[c]) return m.map[c];
      var code = c.charCodeAt(0);
      var plain = code >= 0xff10 ? String.fromCharCode(code - 0xfee0) : c;
      if (code >= 0xff10 && !/[0-9A-Za-z]/.test(plain)) return c;
      var low = plain.toLowerCase();
      return low.length === 1 ? low : c;
    });
  }

  // Query runs (each must appear as written) and the terms looked up for them: a Han run's
  // bigrams at even offsets plus the last cover every character ("cover"); the bigrams in
  // between ("joins") are added while their shards stay within SHARDS files: only a document
  // holding the run as written has them all, so they rank the exact phrase first.
  function analyse(m, q) {
    var runs = fold(m, q).match(RUN) || [];
    var cover = [], joins = [];
    runs.forEach(function (run) {
      var chars = Array.from(run);
      if (chars[0] < "\u3000" || chars.length === 1) { cover.push(run); return; }
      for (var i = 0; i + 1 < chars.length; i++) {
        (i % 2 === 0 || i === chars.length - 2 ? cover : joins).push(chars[i] + chars[i + 1]);
      }
    });
    var terms = Array.from(new Set(cover));
    var files = new Set(terms.map(function (t) { return shardOf(m, t); }));
    joins.forEach(function (t) {
      var file = shardOf(m, t);
      if (terms.indexOf(t) < 0 && (files.has(file) || files.size < SHARDS)) { files.add(file); terms.push(t); }
    });
    return { runs: runs, terms: terms };
  }

  function shardOf(m, term) {
    var lo = 0, hi = m.bounds.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (m.bounds[mid] <= term) lo = mid; else hi = mid - 1;
    }
    return m.shards[lo][1];
  }

  function varint(b, pos) {
    var n = 0, shift = 0, byte;
    do { byte = b[pos.i++]; n += (byte & 0x7f) * Math.pow(2, shift); shift += 7; } while (byte & 0x80);
    return n;
  }

  // The postings of `wanted` terms in one shard: term -> {df, bytes}.
  function readShard(buf, wanted, found) {
    var b = new Uint8Array(buf), pos = { i: 0 };
    while (pos.i < b.length) {
      var len = b[pos.i++];
      var term = utf8.decode(b.subarray(pos.i, pos.i + len));
      pos.i += len;
      var df = varint(b, pos), size = varint(b, pos);
      if (wanted.has(term)) found[term] = { df: df, bytes: b.subarray(pos.i, pos.i + size) };
      pos.i += size;
    }
  }

  function lookup(m, terms) {
    var wanted = new Set(terms), names = Array.from(new Set(terms.map(function (t) { return shardOf(m, t); })));
    return Promise.all(names.map(function (name) {
      shards[name] = shards[name] || get("s/" + name + ".bin", "arrayBuffer");
      return shards[name];
    })).then(function (bufs) {
      performance.mark("search-index-in");
      var found = {};
      bufs.forEach(function (buf) { readShard(buf, wanted, found); });
      return found;
    });
  }

  // Postings as sorted ids and idf-weighted scores (typed arrays: a common term is in most documents).
  function postings(m, p) {
    var ids = new Int32Array(p.df), scores = new Float64Array(p.df), pos = { i: 0 }, doc = 0, b = p.bytes;
    var idf = Math.log(1 + (m.total - p.df + 0.5) / (p.df + 0.5));
    for (var n = 0; n < p.df; n++) {
      doc += varint(b, pos);
      ids[n] = doc;
      scores[n] = b[pos.i++] * idf;
    }
    return { ids: ids, scores: scores, length: p.df };
  }

  // Sorted lists intersected by a merge, rarest first; the scores add up.
  function intersect(a, b) {
    var i = 0, j = 0, n = 0, ids = new Int32Array(Math.min(a.length, b.length)), scores = new Float64Array(ids.length);
    while (i < a.length && j < b.length) {
      if (a.ids[i] < b.ids[j]) i++;
      else if (a.ids[i] > b.ids[j]) j++;
      else { ids[n] = a.ids[i]; scores[n++] = a.scores[i++] + b.scores[j++]; }
    }
    return { ids: ids, scores: scores, length: n };
  }

  // The SHOWN best live documents holding every term (ties: lower id first), and how many hold them.
  function rank(m, terms, found) {
    if (terms.some(function (t) { return !found[t]; })) return { ids: [], total: 0 };
    terms.sort(function (a, b) { return found[a].df - found[b].df; });
    var all = terms.map(function (t) { return postings(m, found[t]); }).reduce(intersect);
    var top = [], total = 0;
    for (var i = 0; i < all.length; i++) {
      if (m.dead.has(all.ids[i])) continue;
      total++;
      var s = all.scores[i];
      if (top.length === SHOWN && s <= top[SHOWN - 1].s) continue;
      var at = top.length;
      while (at > 0 && top[at - 1].s < s) at--;
      top.splice(at, 0, { id: all.ids[i], s: s });
      if (top.length > SHOWN) top.pop();
    }
    return { ids: top.map(function (t) { return t.id; }), total: total };
  }

  function fetchDoc(id) {
    docs[id] = docs[id] || get("d/" + id + ".json", "json");
    return docs[id];
  }

  // The top SHOWN documents, those holding every run as written (the postings cannot tell
  // a phrase from its bigrams apart), and how many candidates remain after the proof.
  function verify(m, runs, ranked) {
    return Promise.all(ranked.ids.map(fetchDoc)).then(function (got) {
      var shown = got.filter(function (d) {
        var all = fold(m, [d.t, d.p, d.k.join("、"), d.x].join("\n"));
        d.folded = all.slice(all.length - d.x.length);
        return runs.every(function (r) { return all.indexOf(r) >= 0; });
      });
      return { docs: shown, total: ranked.total - (got.length - shown.length) };
    });
  }

  function isWord(c) { return /[0-9A-Za-z\u00c0-\u024f]/.test(c || ""); }

  // A window of the text around the first hit: it starts at a sentence or clause start when
  // one is near, never inside a Latin word or number, and stays within the paragraph.
  function excerpt(d, runs) {
    var text = d.x, hit = -1, len = 0;
    runs.slice().sort(function (a, b) { return b.length - a.length; }).some(function (r) {
      hit = d.folded.indexOf(r); len = r.length; return hit >= 0;
    });
    if (hit < 0) { hit = 0; len = 0; }
    var lineStart = text.lastIndexOf("\n", hit - 1) + 1, lineEnd = text.indexOf("\n", hit + len);
    if (lineEnd < 0) lineEnd = text.length;
    var start = Math.max(lineStart, hit - CONTEXT);
    var stop = text.slice(start, hit).search(/[。！？；][^。！？；]*$/);
    if (stop >= 0) start += stop + 1;
    else if (start > lineStart) {
      var comma = text.slice(start, hit).search(/[，、：][^，、：]*$/);
      if (comma >= 0) start += comma + 1;
      while (start > lineStart && isWord(text[start]) && isWord(text[start - 1])) start--;
    }
    var end = Math.min(lineEnd, Math.max(start + LENGTH, hit + len));
    while (end < lineEnd && isWord(text[end]) && isWord(text[end - 1])) end++;
    return { start: start, end: end, head: start > lineStart, tail: end < lineEnd };
  }

  // The excerpt as DOM: every occurrence of a query run marked (matched on folded text).
  function marked(d, runs, cut) {
    var p = el("p"), text = d.x, folded = d.folded, i = cut.start, plain = cut.start;
    if (cut.head) p.appendChild(document.createTextNode("…"));
    while (i < cut.end) {
      var len = 0;
      runs.forEach(function (r) { if (r.length > len && folded.startsWith(r, i)) len = r.length; });
      if (!len) { i++; continue; }
      if (i > plain) p.appendChild(document.createTextNode(text.slice(plain, i)));
      p.appendChild(el("mark", "", text.slice(i, i + len)));
      i += len;
      plain = i;
    }
    if (cut.end > plain) p.appendChild(document.createTextNode(text.slice(plain, cut.end)));
    if (cut.tail) p.appendChild(document.createTextNode("…"));
    return p;
  }

  function section(d, at) {
    var found = null;
    d.h.forEach(function (h) { if (h[0] <= at) found = h; });
    return found;
  }

  function render(q, runs, result) {
    list.textContent = "";
    result.docs.forEach(function (d) {
      var li = el("li", "result"), h = el("h2"), a = el("a", "", d.t || d.u);
      a.href = base + d.u;
      h.appendChild(a);
      li.appendChild(h);
      if (d.p) li.appendChild(el("p", "meta", d.p));
      var cut = excerpt(d, runs);
      li.appendChild(marked(d, runs, cut));
      var sec = section(d, cut.start);
      if (sec) {
        var ul = el("ul", "subs"), sli = el("li"), sa = el("a", "", sec[2]);
        sa.href = base + d.u + "#" + encodeURIComponent(sec[1]);
        sli.appendChild(sa);
        ul.appendChild(sli);
        li.appendChild(ul);
      }
      list.appendChild(li);
    });
    var n = Math.max(result.total, result.docs.length);
    status.textContent = n ? "“" + q + "”：找到 " + n + " 篇案例" : "没有找到与“" + q + "”相关的案例，换个词试试。";
    performance.mark("search-done");
  }

  function search(q) {
    return loadMeta().then(function (m) {
      var a = analyse(m, q);
      if (!a.terms.length) return { runs: a.runs, result: { docs: [], total: 0 } };
      return lookup(m, a.terms).then(function (found) {
        var ranked = rank(m, a.terms, found);
        performance.mark("search-docs-out");
        return verify(m, a.runs, ranked).then(function (result) {
          performance.mark("search-docs-in");
          return { runs: a.runs, result: result };
        });
      });
    });
  }

  function run(q, push) {
    var mine = ++seq;
    q = q.trim();
    if (push) {
      var url = window.location.pathname + (q ? "?q=" + encodeURIComponent(q) : "");
      window.history.replaceState(null, "", url);
    }
    if (!q) { list.textContent = ""; status.textContent = intro; return; }
    status.textContent = "正在搜索…";
    search(q).then(function (s) { if (mine === seq) render(q, s.runs, s.result); })
      .catch(function () {
        if (mine === seq) status.textContent = "搜索索引加载失败。请确认网站已完整发布（search-index 文件夹）。";
      });
  }

  var now = function () {
    window.clearTimeout(timer);
    run(input.value, true);
    input.blur();
  };
  // Enter submits (but not while an IME is composing Chinese); so does the button.
  input.addEventListener("keydown", function (e) { if (e.key === "Enter" && !e.isComposing) now(); });
  document.getElementById("search-go").addEventListener("click", now);
  var later = function (e) {
    if (e && e.isComposing) return;  // wait for the IME to commit the Chinese characters
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { run(input.value, true); }, 250);
  };
  input.addEventListener("input", later);
  input.addEventListener("compositionend", function () { later(); });
  input.addEventListener("focus", function () { loadMeta().catch(function () {}); }, { once: true });

  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) { input.value = initial; run(initial, false); }
})();
