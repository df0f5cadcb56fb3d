// The queue from the keyboard: j/k move, Enter opens, x ticks, e escalates the ticked rows,
// r replies to the current one, ? shows the card. Keys typed into a field are left alone.
(() => {
  "use strict";
  const rows = Array.from(document.querySelectorAll("#queue li.ticket-row"));
  const card = document.getElementById("keys-card");
  const help = document.getElementById("keys-help");
  let current = -1;

  function focusRow(index) {
    if (!rows.length) return;
    current = Math.max(0, Math.min(rows.length - 1, index));
    rows.forEach((row, n) => row.classList.toggle("kb-current", n === current));
    rows[current].scrollIntoView({ block: "nearest" });
    rows[current].querySelector("a.open").focus({ preventScroll: true });
  }

  function toggleCard() {
    if (card) card.hidden = !card.hidden;
  }
  if (help) help.addEventListener("click", toggleCard);

  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
    const row = rows[current];
    switch (event.key) {
      case "j": focusRow(current + 1); break;
      case "k": focusRow(current - 1); break;
      case "Enter": if (row && target === document.body) window.location = row.querySelector("a.open").href; else return; break;
      case "x": if (row) { const box = row.querySelector("input.pick"); box.checked = !box.checked; } break;
      case "e": {
        const action = document.querySelector("#bulk select[name=action]");
        if (row && !document.querySelector("#queue input.pick:checked")) row.querySelector("input.pick").checked = true;
        if (action) { action.value = "escalate"; document.querySelector("#bulk select[name=owner]").focus(); }
        break;
      }
      case "r": if (row) window.location = row.querySelector("a.open").href + "#reply"; break;
      case "?": toggleCard(); break;
      default: return;
    }
    event.preventDefault();
  });
})();
