// 提交问题 and the 问题反馈 panel (forms marked data-screenshots): screenshots pasted from the
// clipboard, or taken of the screen with the browser's permission (a [data-capture] button), join the
// files picked with the file input, so the server receives one ordinary multipart upload either way.
// No framework, no build step.
(() => {
  "use strict";
  const form = document.querySelector("form[data-screenshots]");
  if (!form) return;
  const input = form.querySelector("input[type=file][name=files]");
  const previews = form.querySelector(".previews");
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

  function named(blob) {
    const ext = (blob.type.split("/")[1] || "png").replace("jpeg", "jpg");
    pasted += 1;
    return new File([blob], `${en ? "screenshot" : "截图"}-${stamp()}-${pasted}.${ext}`, { type: blob.type });
  }

  form.addEventListener("paste", (event) => {
    const items = Array.from((event.clipboardData && event.clipboardData.items) || []);
    const images = items.filter((item) => item.kind === "file" && item.type.startsWith("image/"));
    if (!images.length) return; // plain text pastes go into the textarea as usual
    event.preventDefault();
    setFiles([...chosen, ...images.map((item) => named(item.getAsFile()))]);
  });

  // In the panel the page being reported sits behind it, in another origin's document: the panel asks
  // that page (button.js) to hide it while the frame is taken, and waits for the answer, or not long.
  function hostPanel(origin, state) {
    if (!origin || window.parent === window) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => { window.removeEventListener("message", answered); clearTimeout(timer); resolve(); };
      const answered = (event) => {
        if (event.origin === origin && event.data && event.data.fankuiPanel === (state === "hide" ? "hidden" : "shown")) done();
      };
      const timer = setTimeout(done, 500);
      window.addEventListener("message", answered);
      window.parent.postMessage({ fankuiPanel: state }, origin);
    });
  }

  // The next frame the capture delivers (the page as it is now), or after a short wait where the
  // browser does not report frames.
  function nextFrame(video) {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, 400);
      if (video.requestVideoFrameCallback) video.requestVideoFrameCallback(() => { clearTimeout(timer); resolve(); });
    });
  }

  // One frame of what the user picks in the browser's own dialog (this tab first, where the browser
  // can), as a PNG among the files; the capture stops at once. Nothing happens without that dialog.
  async function capture(button, status) {
    const origin = button.dataset.hostOrigin || "";
    let stream;
    status.textContent = "";
    try {
      stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false, preferCurrentTab: true });
    } catch (error) {
      status.textContent = button.dataset.refused;
      return;
    }
    const video = document.createElement("video");
    video.muted = true;
    video.srcObject = stream;
    try {
      await video.play();
      await hostPanel(origin, "hide");
      await nextFrame(video);
      await nextFrame(video);
      const canvas = document.createElement("canvas");
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      canvas.getContext("2d").drawImage(video, 0, 0);
      const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
      setFiles([...chosen, named(blob)]);
    } catch (error) {
      status.textContent = button.dataset.failed;
    } finally {
      stream.getTracks().forEach((track) => track.stop());
      await hostPanel(origin, "show");
    }
  }

  const shoot = form.querySelector("[data-capture]");
  const allowed = !document.featurePolicy || document.featurePolicy.allowsFeature("display-capture");
  // Phones have no screen capture in the browser: there the button stays hidden and paste or the file picker remain.
  if (shoot && navigator.mediaDevices && navigator.mediaDevices.getDisplayMedia && allowed) {
    const status = form.querySelector("[data-capture-status]");
    shoot.hidden = false;
    shoot.addEventListener("click", () => {
      shoot.disabled = true;
      capture(shoot, status).finally(() => { shoot.disabled = false; });
    });
  }

  input.addEventListener("change", () => setFiles([...chosen, ...Array.from(input.files)]));
  render();
})();
