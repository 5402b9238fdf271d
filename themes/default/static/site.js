/* casebook default theme: colour-scheme toggle, copy link, deferred CSS. No dependencies.
   Loaded with `defer` from the theme's static folder (CSP: script-src 'self'). */
(function () {
  "use strict";
  var root = document.documentElement;
  var toggle = document.getElementById("theme-toggle");
  var dark = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function announce(text) {
    var box = document.getElementById("announce");
    if (!box) return;
    box.textContent = "";
    window.setTimeout(function () { box.textContent = text; }, 50);
  }

  function isDark() {
    var chosen = root.getAttribute("data-theme");
    if (chosen) return chosen === "dark";
    return !!(dark && dark.matches);
  }

  function sync() {
    if (!toggle) return;
    var on = isDark();
    toggle.setAttribute("aria-pressed", on ? "true" : "false");
    toggle.title = on ? "切换到浅色模式" : "切换到深色模式";
  }

  if (toggle) {
    sync();
    toggle.addEventListener("click", function () {
      var next = isDark() ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try { localStorage.setItem("theme", next); } catch (e) { /* private mode: not remembered */ }
      sync();
      announce(next === "dark" ? "已切换到深色模式" : "已切换到浅色模式");
    });
    if (dark && dark.addEventListener) dark.addEventListener("change", sync);
  }

  // Search boxes on other pages (home, 404): Enter or the button opens the search page with ?q=.
  var boxes = document.querySelectorAll(".searchbox[data-action]");
  Array.prototype.forEach.call(boxes, function (box) {
    var field = box.querySelector("input");
    var go = function () {
      var q = field.value.trim();
      window.location.href = box.getAttribute("data-action") + (q ? "?q=" + encodeURIComponent(q) : "");
    };
    field.addEventListener("keydown", function (e) { if (e.key === "Enter" && !e.isComposing) go(); });
    box.querySelector("button").addEventListener("click", go);
  });

  // Stylesheets that must not block the first render (Pygments on pages with code).
  var deferred = document.querySelectorAll("link.js-deferred-css");
  for (var i = 0; i < deferred.length; i++) deferred[i].media = "all";

  // "Copy link" on case pages: Clipboard API, with a selection fallback for old browsers.
  var copy = document.getElementById("copy-link");
  if (copy) {
    var label = copy.querySelector("span");
    var original = label ? label.textContent : "";
    var done = function (ok) {
      var text = ok ? "链接已复制" : "复制失败，请手动复制地址栏";
      if (label) label.textContent = ok ? "已复制" : "复制失败";
      announce(text);
      window.setTimeout(function () { if (label) label.textContent = original; }, 2000);
    };
    var fallback = function (url) {
      var field = document.createElement("textarea");
      field.value = url;
      field.setAttribute("readonly", "");
      field.className = "visually-hidden";
      document.body.appendChild(field);
      field.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(field);
      return ok;
    };
    copy.addEventListener("click", function () {
      var url = copy.getAttribute("data-url") || window.location.href.split("#")[0];
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(url).then(function () { done(true); }, function () { done(fallback(url)); });
      } else {
        done(fallback(url));
      }
    });
  }
})();
