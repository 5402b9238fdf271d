/* Search page: a small UI on Pagefind's JS API (pagefind/pagefind.js, built with the site).
   Works offline and under a sub-path: the module URL and the site base come from data attributes. */
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  if (!form) return;
  var input = document.getElementById("q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("results");
  var base = form.getAttribute("data-base") || "/";
  var engine = null, timer = 0, seq = 0;
  var intro = status.textContent;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text) node.textContent = text;
    return node;
  }

  // Pagefind excerpts are plain text with <mark> around hits: rebuild them as DOM, never as HTML.
  function excerpt(target, html) {
    // Pagefind separates the segmented words of a Chinese query with a space: join adjacent hits.
    var joined = String(html || "").replace(/([\u3400-\u9fff])<\/mark>\s*<mark>([\u3400-\u9fff])/g, "$1$2");
    var parts = joined.split(/(<mark>|<\/mark>)/);
    var inMark = false;
    for (var i = 0; i < parts.length; i++) {
      if (parts[i] === "<mark>") { inMark = true; continue; }
      if (parts[i] === "</mark>") { inMark = false; continue; }
      var text = parts[i].replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
      target.appendChild(inMark ? el("mark", "", text) : document.createTextNode(text));
    }
    return target;
  }

  function load() {
    if (!engine) {
      engine = import(form.getAttribute("data-pagefind")).then(function (pf) {
        return Promise.resolve(pf.options({ baseUrl: base })).then(function () { return pf; });
      });
    }
    return engine;
  }

  function render(q, results) {
    list.textContent = "";
    results.forEach(function (r) {
      var li = el("li", "result");
      var h = el("h2");
      var a = el("a", "", (r.meta && r.meta.title) || r.url);
      a.href = r.url;
      h.appendChild(a);
      li.appendChild(h);
      if (r.meta && r.meta.place) li.appendChild(el("p", "meta", r.meta.place));
      li.appendChild(excerpt(el("p"), r.excerpt));
      var subs = (r.sub_results || []).filter(function (s) { return s.url.indexOf("#") > 0 && s.title !== (r.meta && r.meta.title); }).slice(0, 3);
      if (subs.length) {
        var ul = el("ul", "subs");
        subs.forEach(function (s) {
          var sli = el("li");
          var sa = el("a", "", s.title);
          sa.href = s.url;
          sli.appendChild(sa);
          ul.appendChild(sli);
        });
        li.appendChild(ul);
      }
      list.appendChild(li);
    });
    status.textContent = results.length ? "“" + q + "”：找到 " + results.length + " 篇案例" : "没有找到与“" + q + "”相关的案例，换个词试试。";
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
    load()
      .then(function (pf) { return pf.search(q); })
      .then(function (search) {
        return Promise.all(search.results.slice(0, 20).map(function (r) { return r.data(); }));
      })
      .then(function (results) { if (mine === seq) render(q, results); })
      .catch(function () {
        if (mine === seq) status.textContent = "搜索索引加载失败。请确认网站已完整发布（pagefind 文件夹）。";
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
  input.addEventListener("focus", load, { once: true });

  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) { input.value = initial; run(initial, false); }
})();
