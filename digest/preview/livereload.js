/* digest serve: live reload, stylesheet swap, scroll keeping and the build-error overlay.
   Injected only by `digest serve`; never part of a built site. */
(function () {
  "use strict";
  var me = document.currentScript;
  var build = me ? me.getAttribute("data-build") : "0";
  var scrollKey = "digest-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(scrollKey);
  if (saved !== null) {
    sessionStorage.removeItem(scrollKey);
    var restore = function () { window.scrollTo(0, parseFloat(saved) || 0); };
    restore();
    window.addEventListener("load", restore);
  }

  function clearOverlay() {
    var old = document.getElementById("digest-error-overlay");
    if (old) old.remove();
  }

  function el(tag, css, text) {
    var node = document.createElement(tag);
    if (css) node.style.cssText = css;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function showOverlay(errors) {
    clearOverlay();
    var box = el("div", "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:#1f0a0a;opacity:1;" +
      "color:#fff;font:15px/1.5 ui-monospace,Menlo,Consolas,monospace;padding:2rem;");
    box.id = "digest-error-overlay";
    box.setAttribute("role", "alert");
    box.appendChild(el("h2", "margin:0 0 1rem;font:bold 1.3rem system-ui,sans-serif;color:#ff8a80;",
      "Build failed: " + errors.length + " problem" + (errors.length === 1 ? "" : "s")));
    errors.forEach(function (e) {
      var item = el("div", "border-left:4px solid #ff5252;padding:.4rem .8rem;margin:0 0 .8rem;background:#2e1616;");
      item.className = "digest-error";
      var where = el("div", "color:#ffd180;font-weight:bold;", e.path + (e.line ? ":" + e.line : ""));
      where.className = "digest-error-where";
      item.appendChild(where);
      if (e.field) { var f = el("div", "color:#80d8ff;", "field: " + e.field); f.className = "digest-error-field"; item.appendChild(f); }
      var m = el("div", "", e.message); m.className = "digest-error-message"; item.appendChild(m);
      if (e.hint) { var h = el("div", "color:#b9f6ca;", "fix: " + e.hint); h.className = "digest-error-hint"; item.appendChild(h); }
      box.appendChild(item);
    });
    box.appendChild(el("p", "color:#ccc;font-family:system-ui,sans-serif;", "Save the file again once it is fixed; this page updates by itself."));
    (document.body || document.documentElement).appendChild(box);
  }

  function checkStatus() {
    return fetch("/__digest__/status", { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (s) { if (s.errors && s.errors.length) showOverlay(s.errors); else clearOverlay(); })
      .catch(function () {});
  }

  function swapStyles(number) {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    Array.prototype.forEach.call(links, function (link) {
      var url = new URL(link.href, location.href);
      if (url.origin !== location.origin) return;
      url.searchParams.set("digest-build", number);
      var fresh = link.cloneNode();
      fresh.href = url.toString();
      fresh.addEventListener("load", function () { link.remove(); });
      link.after(fresh);
    });
  }

  function reload() {
    sessionStorage.setItem(scrollKey, String(window.scrollY));
    location.reload();
  }

  function connect(delay) {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + "/__digest__/ws?since=" + encodeURIComponent(build));
    socket.onmessage = function (e) {
      var parts = String(e.data).split(" "), event = parts[0], number = parts[1];
      if (event === "reload") { reload(); return; }
      build = number;
      if (event === "css") swapStyles(number);
      checkStatus();
    };
    socket.onclose = function () {  // server restarted or stopped: try again, gently
      setTimeout(function () { connect(Math.min(delay * 2, 5000)); }, delay);
    };
    window.addEventListener("pagehide", function () { socket.onclose = null; socket.close(); });
  }

  checkStatus();
  if (window.WebSocket) connect(500);
})();
