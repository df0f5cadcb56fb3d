/* fankui 问题反馈 button. One script tag puts a button at the top right of the page; a click opens a
   panel (an iframe served by fankui) that files a report with this page's address, the browser, the
   system and the signed-in user. The host page vouches for its user with a signed identity, either
   as data-* attributes of this script tag (data-identity, data-timestamp, data-nonce, data-signature)
   or, to sign afresh on every click, a function window.fankuiIdentity() returning (a promise of)
   {identity, timestamp, nonce, signature}; see fankui's README. The button and the panel speak
   data-lang of this tag, else the page's <html lang>: English for "en…", Chinese otherwise. */
(function () {
  "use strict";
  var base = "{{ base|escapejs }}", key = "{{ key|escapejs }}";
  var script = document.currentScript;
  if (window.__fankuiFeedback) { return; }
  window.__fankuiFeedback = true;
  var strings = {{ strings|safe }};
  var asked = ((script && script.dataset.lang) || document.documentElement.lang || "").toLowerCase();
  var lang = asked.indexOf("en") === 0 ? "en" : "{{ default_language|escapejs }}";
  var t = strings[lang];

  function signedIdentity() {
    if (typeof window.fankuiIdentity === "function") { return Promise.resolve(window.fankuiIdentity()); }
    var d = (script && script.dataset) || {};
    return Promise.resolve({ identity: d.identity, timestamp: d.timestamp, nonce: d.nonce, signature: d.signature });
  }

  function build() {
    var button = document.createElement("button"), panel = null;
    button.type = "button";
    button.id = "fankui-feedback-button";
    button.textContent = t.label;
    button.style.cssText = "position:fixed;top:12px;right:12px;z-index:2147483000;padding:6px 14px;border:0;border-radius:16px;" +
      "background:#c8102e;color:#fff;font:14px/1.5 sans-serif;cursor:pointer;box-shadow:0 2px 6px rgba(0,0,0,.25)";

    function close() { if (panel) { panel.remove(); panel = null; } }
    function frame() {
      close();
      panel = document.createElement("div");
      panel.id = "fankui-feedback-panel";
      panel.style.cssText = "position:fixed;top:0;right:0;width:min(400px,100vw);height:100vh;z-index:2147483001;background:#f4f5f7;" +
        "box-shadow:-2px 0 12px rgba(0,0,0,.25);display:flex;flex-direction:column";
      var bar = document.createElement("div"), shut = document.createElement("button");
      bar.style.cssText = "display:flex;justify-content:space-between;align-items:center;padding:8px 12px;background:#fff;font:15px sans-serif";
      bar.textContent = t.label;
      shut.type = "button";
      shut.textContent = "×";
      shut.setAttribute("aria-label", t.close);
      shut.style.cssText = "border:0;background:none;font-size:22px;cursor:pointer";
      shut.addEventListener("click", close);
      bar.appendChild(shut);
      panel.appendChild(bar);
      document.body.appendChild(panel);
      return panel;
    }
    function say(text) {
      var box = document.createElement("p");
      box.setAttribute("role", "alert");
      box.style.cssText = "margin:16px;color:#c8102e;font:14px/1.5 sans-serif";
      box.textContent = text;
      frame().appendChild(box);
    }

    button.addEventListener("click", function () {
      if (panel) { close(); return; }
      button.disabled = true;
      signedIdentity().then(function (signed) {
        var body = { identity: signed.identity, timestamp: String(signed.timestamp), nonce: signed.nonce, signature: signed.signature,
                     page_url: location.href, browser: navigator.userAgent, lang: lang };
        return fetch(base + "/integrations/" + encodeURIComponent(key) + "/panel/start", {
          method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body), credentials: "omit"
        }).catch(function () { throw new Error(t.unreachable); });
      }).then(function (response) {
        return response.json().then(function (answer) {
          // fankui's API explains refusals in Chinese; other languages get their own words and the code.
          var error = answer.error || {};
          if (!response.ok) { throw new Error(lang === "en" ? t.refused + " (" + error.code + ")" : error.message || t.refused); }
          return answer;
        });
      }).then(function (answer) {
        var iframe = document.createElement("iframe");
        iframe.src = answer.url;
        iframe.title = t.label;
        // The panel (fankui's origin, not this page) may ask for a screenshot of the screen; the
        // browser still asks the user every time.
        iframe.allow = "display-capture";
        iframe.style.cssText = "flex:1;border:0;width:100%";
        frame().appendChild(iframe);
      }).catch(function (error) {
        say(error.message);
      }).then(function () { button.disabled = false; });
    });
    // While the user's screenshot is taken the panel and the button step aside, so the picture shows this page.
    window.addEventListener("message", function (event) {
      var iframe = panel && panel.querySelector("iframe");
      var data = event.data || {};
      if (!iframe || event.source !== iframe.contentWindow || event.origin !== new URL(base).origin) { return; }
      if (data.fankuiPanel === "hide" || data.fankuiPanel === "show") {
        panel.style.visibility = button.style.visibility = data.fankuiPanel === "hide" ? "hidden" : "visible";
        iframe.contentWindow.postMessage({ fankuiPanel: data.fankuiPanel === "hide" ? "hidden" : "shown" }, event.origin);
      }
    });
    document.body.appendChild(button);
  }

  if (document.body) { build(); } else { document.addEventListener("DOMContentLoaded", build); }
})();
