// Knowledge-base help on the intake form (tickets/new.html), in two parts:
// 1. suggestions while the reporter types the description, each with "这解决了我的问题" (counted as a
//    deflection: the form is replaced by a thank-you) and "没有解决" (remembered in the hidden input
//    suggested_articles, which the form submits);
// 2. the self-check list of the chosen system, as checkboxes the reporter ticks before filing.
// DOM contract with the form: #suggestions[data-suggest-url], textarea[name=description], select[name=system].
// No framework, no build step; the form works without this file.
(() => {
  "use strict";
  const box = document.getElementById("suggestions");
  const description = document.querySelector("textarea[name=description]");
  if (!box || !description) return;
  const form = description.form;
  const system = form ? form.querySelector("select[name=system]") : null;
  const en = document.documentElement.lang === "en";
  const t = (zh, english) => (en ? english : zh);
  const suggestUrl = box.dataset.suggestUrl || "/api/v1/kb/suggest";
  const base = suggestUrl.replace(/\/suggest\/?$/, "");
  const DEBOUNCE_MS = 150;
  // The form page does not know about kb.css; bring it along from next to this script.
  const me = document.currentScript;
  if (me && me.src && !document.querySelector("link[data-kb-css]")) {
    const css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = me.src.replace(/suggest\.js(\?.*)?$/, "kb.css");
    css.dataset.kbCss = "";
    document.head.appendChild(css);
  }

  function csrfToken() {
    const field = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    if (field) return field.value;
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function systemName() {
    if (!system || !system.value) return "";
    const option = system.options[system.selectedIndex];
    return option ? option.textContent.trim() : "";
  }

  // ---- suggestions --------------------------------------------------------------------------
  const rejected = new Set();
  let hidden = form ? form.querySelector("input[name=suggested_articles]") : null;
  if (form && !hidden) {
    hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = "suggested_articles";
    form.appendChild(hidden);
  }

  let timer = null;
  let sequence = 0;
  let controller = null;

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([key, value]) => node.setAttribute(key, value));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function render(items, startedAt) {
    box.textContent = "";
    const shown = items.filter((item) => !rejected.has(item.slug));
    if (!shown.length) {
      box.removeAttribute("data-count");
      return;
    }
    const wrap = el("div", { class: "kb-suggestions" });
    wrap.appendChild(el("p", { class: "muted" }, t("这些文章也许能直接解决您的问题：", "These articles may already answer your question:")));
    const list = el("ul");
    shown.forEach((item) => {
      const li = el("li", { class: "kb-suggestion", "data-slug": item.slug });
      const link = el("a", { href: item.url, target: "_blank", rel: "noopener" }, item.title);
      li.appendChild(link);
      li.appendChild(el("p", { class: "muted excerpt" }, item.excerpt));
      // For the survey article the links are the answer: shown whole, an expired one marked, never offered.
      if (item.links && item.links.length) {
        const links = el("ul", { class: "kb-links" });
        item.links.forEach((l) => {
          const row = el("li", {}, `${[l.label, l.title].filter(Boolean).join("·")}：`);
          if (l.expired) row.appendChild(el("span", { class: "muted" }, t("已过期", "expired")));
          else row.appendChild(el("a", { href: l.url, target: "_blank", rel: "noopener" }, l.url));
          links.appendChild(row);
        });
        li.appendChild(links);
      }
      const actions = el("div", { class: "actions" });
      const solved = el("button", { type: "button", class: "primary solved" }, t("这解决了我的问题", "This solved my problem"));
      const notSolved = el("button", { type: "button", class: "not-solved" }, t("没有解决", "Not solved"));
      solved.addEventListener("click", () => deflect(item, solved));
      notSolved.addEventListener("click", () => {
        rejected.add(item.slug);
        if (hidden) hidden.value = Array.from(rejected).join(",");
        li.remove();
        if (!list.children.length) box.textContent = "";
      });
      actions.append(solved, notSolved);
      li.appendChild(actions);
      list.appendChild(li);
    });
    wrap.appendChild(list);
    box.appendChild(wrap);
    // Keystroke-to-list time, read by the browser test (and handy in the console).
    box.dataset.count = String(shown.length);
    box.dataset.renderedMs = String(Math.round(performance.now() - startedAt));
  }

  async function fetchSuggestions(startedAt) {
    const text = description.value.trim();
    const mine = ++sequence;
    if (controller) controller.abort();
    if (text.length < 2) {
      box.textContent = "";
      return;
    }
    controller = typeof AbortController !== "undefined" ? new AbortController() : null;
    // In the body, never in the URL: what a reporter types may hold a password, and URLs are logged.
    const payload = JSON.stringify({ text: text.slice(0, 2000) });
    try {
      const response = await fetch(suggestUrl, {
        method: "POST",
        body: payload,
        headers: { Accept: "application/json", "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
        credentials: "same-origin",
        signal: controller ? controller.signal : undefined,
      });
      if (!response.ok || mine !== sequence) return;
      const items = await response.json();
      if (mine === sequence) render(items, startedAt);
    } catch (err) {
      // Aborted by a newer keystroke, or offline: the form works without suggestions.
    }
  }

  function schedule() {
    const startedAt = performance.now();
    clearTimeout(timer);
    timer = setTimeout(() => fetchSuggestions(startedAt), DEBOUNCE_MS);
  }

  async function deflect(item, button) {
    button.disabled = true;
    const body = new URLSearchParams({ article: item.slug, text: description.value });
    try {
      const response = await fetch("/kb/deflect", {
        method: "POST",
        headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
        credentials: "same-origin",
        body,
      });
      const data = await response.json();
      if (!response.ok) throw new Error((data.error && data.error.message) || "error");
      const thanks = el("section", { class: "card kb-thanks", role: "status" });
      thanks.appendChild(el("h2", {}, t("太好了，问题已解决！", "Great — problem solved!")));
      thanks.appendChild(el("p", {}, t("无需再提交。感谢您的反馈，这能帮助更多同事自助解决问题。", "Nothing to file. Thank you — this helps others help themselves.")));
      const again = el("a", { href: item.url }, item.title);
      thanks.appendChild(again);
      if (form) {
        form.hidden = true;
        form.parentNode.insertBefore(thanks, form);
      } else {
        box.replaceWith(thanks);
      }
    } catch (err) {
      button.disabled = false;
      box.appendChild(el("p", { class: "error", role: "alert" }, t("没能记录，请稍后再试。", "Could not record that; please try again.")));
    }
  }

  description.addEventListener("input", schedule);
  if (system) system.addEventListener("change", () => { if (description.value.trim().length >= 2) schedule(); });

  // ---- self-check lists ---------------------------------------------------------------------
  const checklistBox = el("fieldset", { class: "kb-checklist", id: "kb-checklist", hidden: "" });
  if (system) {
    const anchor = system.closest("label") || system;
    anchor.parentNode.insertBefore(checklistBox, anchor.nextSibling);
  }

  async function loadChecklist() {
    checklistBox.textContent = "";
    checklistBox.hidden = true;
    const name = systemName();
    if (!name) return;
    try {
      const response = await fetch(`${base}/checklists?${new URLSearchParams({ system: name })}`, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) return;
      const lists = await response.json();
      if (!lists.length || systemName() !== name) return;
      checklistBox.appendChild(el("legend", {}, t("提交前请先逐项自查", "Please check each item before filing")));
      lists.forEach((list) => {
        const title = el("p", { class: "muted" });
        title.appendChild(el("a", { href: list.url, target: "_blank", rel: "noopener" }, list.title));
        checklistBox.appendChild(title);
        list.items.forEach((item, index) => {
          const label = el("label");
          const box = el("input", { type: "checkbox", name: "kb_checklist", value: `${list.slug}:${index + 1}`, required: "" });
          label.append(box, document.createTextNode(item));
          checklistBox.appendChild(label);
        });
      });
      checklistBox.hidden = false;
    } catch (err) {
      // No checklist offline; the report can still be filed.
    }
  }

  if (system) {
    system.addEventListener("change", loadChecklist);
    if (system.value) loadChecklist();
  }

  if (form) {
    // The form is novalidate (the server re-shows errors), so the ticks are checked here.
    form.addEventListener("submit", (event) => {
      const open = Array.from(checklistBox.querySelectorAll("input[type=checkbox]")).filter((box) => !box.checked);
      const old = checklistBox.querySelector(".error");
      if (old) old.remove();
      if (!checklistBox.hidden && open.length) {
        event.preventDefault();
        checklistBox.appendChild(el("p", { class: "error", role: "alert" }, t("请先逐项确认自查清单，再提交。", "Please tick every item of the self-check first.")));
        open[0].focus();
      }
    });
  }
})();
