// The ticket page for handlers: tell the server "I have this open" every few seconds (and "I am
// typing" while a reply is written), and show who else has it open. Presence is a hint only; the
// server still asks to confirm a reply sent after someone else's answer. No framework, no build step.
(() => {
  "use strict";
  // The picker: a saved reply or a KB article goes into the reply box where the cursor is.
  const picker = document.getElementById("canned");
  const replyBox = document.querySelector("#reply-form textarea[name=body]");
  const csrf = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (picker && replyBox) {
    picker.addEventListener("change", async () => {
      if (!picker.value) return;
      const error = document.getElementById("canned-error");
      const response = await fetch(picker.dataset.url, {
        method: "POST", credentials: "same-origin", body: new URLSearchParams({ choice: picker.value }),
        headers: { "X-CSRFToken": csrf ? csrf.value : "" },
      });
      const data = await response.json();
      picker.value = "";
      if (!response.ok) { error.textContent = data.error.message; error.hidden = false; return; }
      error.hidden = true;
      const at = replyBox.selectionStart ?? replyBox.value.length;
      replyBox.value = replyBox.value.slice(0, at) + data.text + replyBox.value.slice(replyBox.selectionEnd ?? at);
      replyBox.focus();
      replyBox.dispatchEvent(new Event("input"));
    });
  }
})();

(() => {
  "use strict";
  const box = document.getElementById("presence");
  if (!box || !box.dataset.url) return;
  const en = document.documentElement.lang === "en";
  const token = document.querySelector("input[name=csrfmiddlewaretoken]");
  const EVERY = 5000;
  let typingSince = 0;

  function show(others) {
    box.replaceChildren(
      ...others.map((p) => {
        const span = document.createElement("span");
        span.className = "present" + (p.typing ? " typing" : "");
        span.textContent = p.typing
          ? (en ? `${p.name} is typing a reply…` : `${p.name} 正在输入回复…`)
          : (en ? `${p.name} is also viewing this ticket` : `${p.name} 也在查看此工单`);
        return span;
      }),
    );
    box.hidden = others.length === 0;
  }

  async function ping(typing) {
    const body = new URLSearchParams({ typing: typing ? "1" : "0" });
    try {
      const response = await fetch(box.dataset.url, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": token ? token.value : "" },
      });
      if (response.ok) show((await response.json()).others || []);
    } catch (error) {
      // Offline for a moment: the next beat tries again.
    }
  }

  for (const area of document.querySelectorAll("#reply-form textarea, #actions textarea")) {
    area.addEventListener("input", () => {
      const now = Date.now();
      if (now - typingSince > 2000) {
        typingSince = now;
        ping(true);
      }
    });
  }
  setInterval(() => { if (!document.hidden) ping(false); }, EVERY);
  ping(false);
})();
