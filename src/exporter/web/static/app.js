// The clerk's page: upload, the form, progress (the job's status, and a clock that keeps
// ticking between its changes, so a long conversion never looks frozen), preview, downloads.
// Document text and file names are only ever set as textContent, never parsed as HTML.
"use strict";

(function () {
  const T = JSON.parse(document.getElementById("i18n").textContent);
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const $ = (id) => document.getElementById(id);
  const uploadForm = $("upload-form");
  const convertForm = $("convert-form");
  const fileInput = $("files");
  const drop = $("drop");
  let jobId = null;
  let found = {};
  let shown = 1;
  let last = null;
  let ticker = null;
  let label = "";
  let fraction = 0;
  let startedAt = 0;

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    Object.assign(node, props || {});
    for (const child of children) {
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  function fmt(template, values) {
    return template.replace(/\{(\w+)\}/g, (_, k) => String(values[k]));
  }

  function showError(message) {
    $("error").textContent = T.error + ": " + message;
    $("error").hidden = false;
    $("status").hidden = true;
  }

  function progress(fraction, text) {
    $("status").hidden = false;
    $("error").hidden = true;
    $("progress-fill").style.width = Math.round(fraction * 100) + "%";
    $("status-text").textContent = text;
  }

  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST",
      body: body,
      headers: { "X-CSRF-Token": csrf },
      credentials: "same-origin",
    });
    let data = {};
    try {
      data = await response.json();
    } catch (e) {
      data = { error: response.status + " " + response.statusText };
    }
    if (response.status === 503) data.error = T.busy;
    return { ok: response.ok, status: response.status, data: data };
  }

  async function upload(body) {
    $("convert").disabled = true;
    $("result").hidden = true;
    $("empty").hidden = true;
    progress(0.05, T.reading);
    const r = await post("/api/jobs", body);
    if (!r.ok) {
      showError(r.data.error || String(r.status));
      $("empty").hidden = false;
      return;
    }
    jobId = r.data.job;
    found = r.data.fields;
    const list = $("file-list");
    list.replaceChildren();
    for (const input of r.data.inputs) {
      const title = input.title ? " — " + input.title : "";
      list.append(el("li", {}, el("strong", { textContent: input.name }), title));
    }
    for (const field of document.querySelectorAll("[data-field]")) {
      field.value = found[field.dataset.field] || "";
    }
    $("status").hidden = true;
    $("convert").disabled = false;
    $("empty").hidden = false;
  }

  function filesBody(files) {
    const body = new FormData();
    body.append("csrf", csrf);
    for (const file of files) body.append("files", file, file.name);
    return body;
  }

  fileInput.addEventListener("change", () => {
    if (fileInput.files.length) upload(filesBody(fileInput.files));
  });
  for (const kind of ["dragenter", "dragover"]) {
    drop.addEventListener(kind, (e) => {
      e.preventDefault();
      drop.classList.add("over");
    });
  }
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    if (e.dataTransfer.files.length) upload(filesBody(e.dataTransfer.files));
  });
  uploadForm.addEventListener("submit", (e) => {
    e.preventDefault();
    const body = new FormData();
    body.append("csrf", csrf);
    body.append("text", $("text").value);
    upload(body);
  });

  function toggleFields() {
    const profile = convertForm.querySelector('input[name="profile"]:checked').value;
    $("gongwen-fields").hidden = profile === "standard";
  }
  for (const radio of convertForm.querySelectorAll('input[name="profile"]')) {
    radio.addEventListener("change", toggleFields);
  }
  toggleFields();

  convertForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (!jobId) return;
    $("convert").disabled = true;
    startedAt = Date.now();
    label = T.queued;
    fraction = 0;
    tick();
    clearInterval(ticker);
    ticker = setInterval(tick, 250);
    $("status").classList.add("running");
    const r = await post("/api/jobs/" + encodeURIComponent(jobId) + "/convert", new FormData(convertForm));
    if (!r.ok) {
      stop();
      showError(r.data.error || String(r.status));
      return;
    }
    poll();
  });

  function tick() {
    const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
    progress(fraction, label + " · " + seconds + " " + T.seconds);
  }

  function stop() {
    clearInterval(ticker);
    ticker = null;
    $("status").classList.remove("running");
    $("convert").disabled = false;
  }

  async function poll(since) {
    let job;
    const wait = since === undefined ? "" : "?since=" + since;
    try {
      const response = await fetch("/api/jobs/" + encodeURIComponent(jobId) + wait, { credentials: "same-origin" });
      job = await response.json();
      if (!response.ok) throw new Error(job.error || response.statusText);
    } catch (err) {
      stop();
      showError(String(err.message || err));
      return;
    }
    const name = job.current ? job.inputs[job.current - 1].name : "";
    const stage = T[job.stage] || T.queued;
    label = job.state === "queued" ? T.queued : stage + (name ? "：" + name : "");
    fraction = job.steps_done / (job.steps_total || 1);
    tick();
    if (job.state === "done") {
      stop();
      progress(1, T.done + " · " + job.seconds.toFixed(1) + " " + T.seconds);
      last = job;
      shown = Math.min(shown, job.inputs.length);
      render();
    } else if (job.state === "failed") {
      stop();
      showError(job.error);
    } else {
      // the server answers at the job's next change (or after 10 s): no busy polling
      poll(job.version);
    }
  }

  function render() {
    const job = last;
    $("empty").hidden = true;
    $("result").hidden = false;
    const tabs = $("tabs");
    tabs.replaceChildren();
    if (job.inputs.length > 1) {
      job.inputs.forEach((input, i) => {
        const tab = el("button", { type: "button", className: "tab", textContent: input.name });
        tab.setAttribute("aria-pressed", String(i + 1 === shown));
        tab.addEventListener("click", () => {
          shown = i + 1;
          render();
        });
        tabs.append(tab);
      });
    }
    const input = job.inputs[shown - 1];
    const downloads = $("downloads");
    downloads.replaceChildren();
    for (const [format, url] of Object.entries(input.downloads)) {
      downloads.append(el("a", { href: url, className: "button primary", download: "", textContent: T.download + " " + format.toUpperCase() }));
    }
    if (job.zip) downloads.append(el("a", { href: job.zip, className: "button secondary", download: "", textContent: T.download_all }));
    if (job.report) downloads.append(el("a", { href: job.report, className: "button secondary", download: "", textContent: T.report }));

    const warnings = $("warnings");
    warnings.replaceChildren();
    for (const message of input.errors) warnings.append(el("li", { className: "bad", textContent: message }));
    for (const message of input.warnings) warnings.append(el("li", { textContent: message }));
    if (!input.errors.length && !input.warnings.length) {
      warnings.append(el("li", { className: "ok", textContent: T.no_warnings }));
    }

    const outline = $("outline");
    outline.replaceChildren();
    for (const item of input.outline) {
      const link = el("button", { type: "button", className: "link", textContent: item.title });
      if (item.page) {
        link.append(el("span", { className: "page-no", textContent: " " + item.page }));
        link.addEventListener("click", () => {
          const target = document.getElementById("page-" + item.page);
          if (target) target.scrollIntoView({ behavior: "smooth", block: "start" });
        });
      }
      const li = el("li", {}, link);
      li.style.marginLeft = item.level * 1 + "em";
      outline.append(li);
    }

    const pages = $("pages");
    pages.replaceChildren();
    $("pages-note").textContent =
      input.rendered < input.pages ? fmt(T.pages_shown, { n: input.rendered, total: input.pages }) : input.pages + " " + T.pages;
    for (let n = 1; n <= input.rendered; n++) {
      const img = el("img", { src: input.page_url + n + ".png", alt: fmt(T.page, { n: n }), className: "page", loading: "lazy" });
      pages.append(el("figure", { id: "page-" + n }, img, el("figcaption", { textContent: fmt(T.page, { n: n }) })));
    }
  }
})();
