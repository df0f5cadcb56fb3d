// Copy buttons: copy exactly the value, with no surrounding whitespace (survey links break on spaces).
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button.copy");
  if (!button) return;
  const value = button.dataset.copy.trim();
  try {
    await navigator.clipboard.writeText(value);
  } catch (err) {
    const area = document.createElement("textarea");
    area.value = value;
    document.body.appendChild(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
  const label = button.textContent;
  button.textContent = document.documentElement.lang === "en" ? "Copied" : "已复制";
  setTimeout(() => { button.textContent = label; }, 1500);
});
