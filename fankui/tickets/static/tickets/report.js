// 提交问题: screenshots pasted from the clipboard join the files picked with the file input,
// so the server receives one ordinary multipart upload either way. No framework, no build step.
(() => {
  "use strict";
  const form = document.getElementById("report-form");
  if (!form) return;
  const input = form.querySelector("input[type=file][name=files]");
  const previews = document.getElementById("file-previews");
  if (!input || !previews || typeof DataTransfer === "undefined") return;
  const en = document.documentElement.lang === "en";
  let pasted = 0;
  // What the reporter has chosen so far: picking more files adds to it instead of replacing it.
  let chosen = Array.from(input.files);

  function stamp() {
    const d = new Date();
    const pad = (n) => String(n).padStart(2, "0");
    return `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
  }

  // The input's FileList is read-only; a DataTransfer is the standard way to build a new one.
  function setFiles(files) {
    const transfer = new DataTransfer();
    files.forEach((file) => transfer.items.add(file));
    input.files = transfer.files;
    chosen = files;
    render();
  }

  function render() {
    previews.textContent = "";
    Array.from(input.files).forEach((file, index) => {
      const item = document.createElement("figure");
      item.className = "preview";
      if (file.type.startsWith("image/")) {
        const img = document.createElement("img");
        img.alt = file.name;
        img.src = URL.createObjectURL(file);
        img.onload = () => URL.revokeObjectURL(img.src);
        item.appendChild(img);
      }
      const caption = document.createElement("figcaption");
      caption.textContent = file.name;
      item.appendChild(caption);
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "remove";
      remove.textContent = "×";
      remove.setAttribute("aria-label", (en ? "Remove " : "移除 ") + file.name);
      remove.addEventListener("click", () => setFiles(chosen.filter((_, i) => i !== index)));
      item.appendChild(remove);
      previews.appendChild(item);
    });
  }

  form.addEventListener("paste", (event) => {
    const items = Array.from((event.clipboardData && event.clipboardData.items) || []);
    const images = items.filter((item) => item.kind === "file" && item.type.startsWith("image/"));
    if (!images.length) return; // plain text pastes go into the textarea as usual
    event.preventDefault();
    const added = images.map((item) => {
      const blob = item.getAsFile();
      const ext = (blob.type.split("/")[1] || "png").replace("jpeg", "jpg");
      pasted += 1;
      return new File([blob], `${en ? "screenshot" : "截图"}-${stamp()}-${pasted}.${ext}`, { type: blob.type });
    });
    setFiles([...chosen, ...added]);
  });

  input.addEventListener("change", () => setFiles([...chosen, ...Array.from(input.files)]));
  render();
})();
