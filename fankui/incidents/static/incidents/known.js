// Known problems at intake: while a reporter types, show confirmed incidents that look the same
// ("已知问题：… 正在处理，预计 …") and let them follow one instead of filing.
//
// Contract with the intake form (owned by the tickets app):
//   <textarea name="description">            required; watched as the reporter types
//   <select|input name="system">             optional; narrows the match to that system
//   <div id="known-incidents" hidden></div>  optional; created after the textarea when absent
// Calls POST /api/v1/incidents/known {text, system} (never text in the URL) and POST /api/v1/incidents/{id}/follow (session + CSRF).
(function () {
  const area = document.querySelector('textarea[name="description"]');
  if (!area) return;
  let box = document.getElementById("known-incidents");
  if (!box) {
    box = document.createElement("div");
    box.id = "known-incidents";
    area.insertAdjacentElement("afterend", box);
  }
  box.setAttribute("aria-live", "polite");
  const en = document.documentElement.lang === "en";
  const text = {
    follow: en ? "Follow instead of reporting" : "关注此问题（无需重复提交）",
    following: en ? "Following — we will tell you when it is fixed" : "已关注，解决后会通知您",
    reports: en ? "reports" : "人已报告",
  };
  function csrf() {
    const input = document.querySelector('input[name="csrfmiddlewaretoken"]');
    if (input) return input.value;
    const m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  function render(items) {
    box.replaceChildren();
    box.hidden = items.length === 0;
    for (const item of items) {
      const card = document.createElement("div");
      card.className = "card known-incident";
      card.dataset.incident = String(item.id);
      const p = document.createElement("p");
      p.textContent = item.notice;  // text only: titles come from reports
      const meta = document.createElement("p");
      meta.className = "muted";
      meta.textContent = `${item.reports + item.followers} ${text.reports}`;
      const button = document.createElement("button");
      button.type = "button";
      button.className = "follow-incident";
      button.textContent = text.follow;
      button.addEventListener("click", async () => {
        button.disabled = true;
        const resp = await fetch(`/api/v1/incidents/${item.id}/follow`, {
          method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": csrf() },
        });
        if (resp.ok) { button.textContent = text.following; } else { button.disabled = false; }
      });
      card.append(p, meta, button);
      box.append(card);
    }
  }
  let timer = null;
  let last = "";
  async function lookup() {
    const q = area.value.trim();
    const systemField = area.form ? area.form.querySelector('[name="system"]') : null;
    const system = systemField ? systemField.value : "";
    const key = `${q}\u0000${system}`;
    if (key === last) return;
    last = key;
    if (q.length < 4) { render([]); return; }
    try {
      // In the body, never in the URL: what a reporter types may hold a password, and URLs are logged.
      const resp = await fetch("/api/v1/incidents/known", {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
        body: JSON.stringify({ text: q, system }),
      });
      if (resp.ok) render(await resp.json());
    } catch (err) { /* offline or logged out: intake works without it */ }
  }
  area.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(lookup, 400); });
  if (area.value.trim()) lookup();
})();
