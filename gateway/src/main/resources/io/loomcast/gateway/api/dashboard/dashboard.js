// Loomcast dashboard: plain modules, no build step. It polls the API every two seconds and renders what it
// gets; every text that comes from the gateway (stream names, errors) goes in through textContent, never HTML.
// The bearer token is asked for once and kept in sessionStorage, for this tab only.

const POLL_MS = 2000;
const THUMB_MS = 5000;
const TOKEN_KEY = "loomcast.token";
const thumbs = new Map(); // stream path -> {url, at}

function token() {
  return sessionStorage.getItem(TOKEN_KEY) || "";
}

async function api(method, path, body) {
  const headers = {};
  if (token()) headers["Authorization"] = "Bearer " + token();
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (res.status === 401) {
    askForToken();
    throw new Error("the API wants a token");
  }
  return res;
}

function askForToken() {
  const form = document.getElementById("token-form");
  form.hidden = false;
  setStatus("enter the API token");
}

function setStatus(text) {
  document.getElementById("status").textContent = text;
}

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k.startsWith("data-")) e.setAttribute(k, v);
    else e[k] = v;
  }
  for (const c of children) e.append(c);
  return e;
}

function bytes(n) {
  if (n < 1024) return n + " B";
  if (n < 1048576) return (n / 1024).toFixed(1) + " KiB";
  if (n < 1073741824) return (n / 1048576).toFixed(1) + " MiB";
  return (n / 1073741824).toFixed(2) + " GiB";
}

function duration(s) {
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = Math.floor(s % 60);
  return (h ? h + "h" : "") + (h || m ? m + "m" : "") + sec + "s";
}

// A small line chart of the last minutes' input bitrate, as SVG.
function chart(points) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("class", "chart");
  svg.setAttribute("viewBox", "0 0 300 40");
  svg.setAttribute("preserveAspectRatio", "none");
  if (points.length > 1) {
    const max = Math.max(1, ...points.map(p => p.kbps));
    const step = 300 / (points.length - 1);
    const line = document.createElementNS(ns, "polyline");
    line.setAttribute("points", points.map((p, i) => `${(i * step).toFixed(1)},${(38 - 36 * p.kbps / max).toFixed(1)}`).join(" "));
    svg.append(line);
    const title = document.createElementNS(ns, "title");
    title.textContent = `input kbps, last ${points.length * 5} s, peak ${max}`;
    svg.append(title);
  }
  return svg;
}

async function refreshThumb(img, path) {
  const now = Date.now();
  const known = thumbs.get(path);
  if (known) img.src = known.url;
  if (known && now - known.at < THUMB_MS) return;
  thumbs.set(path, { url: known ? known.url : "", at: now });
  try {
    const res = await api("GET", "/api/v1/streams/" + path.split("/").map(encodeURIComponent).join("/") + "/thumbnail.jpg");
    if (!res.ok) return;
    const url = URL.createObjectURL(await res.blob());
    if (known && known.url) URL.revokeObjectURL(known.url);
    thumbs.set(path, { url, at: now });
    img.src = url;
  } catch (e) { /* shown by the next poll's status */ }
}

function pushRow(p) {
  const toggle = el("input", { type: "checkbox", checked: p.enabled, class: "toggle", title: "switch this push on or off" });
  toggle.addEventListener("change", async () => {
    toggle.disabled = true;
    try {
      const res = await api("PATCH", `/api/v1/routes/${encodeURIComponent(p.route)}/pushes/${encodeURIComponent(p.id)}`,
        { enabled: toggle.checked });
      if (!res.ok) toggle.checked = !toggle.checked;
    } finally {
      toggle.disabled = false;
      poll();
    }
  });
  return el("tr", { "data-push": p.route + "/" + p.id, "data-state": p.state },
    el("td", {}, toggle),
    el("td", {}, el("span", { class: "state " + p.state, text: p.state })),
    el("td", { text: p.id, title: p.url }),
    el("td", { text: p.kbps.toFixed(0) + " kbps" }),
    el("td", { text: "↻ " + p.reconnects }),
    el("td", {}, el("span", { class: "lasterror", text: p.lastError })));
}

function streamCard(s) {
  const img = el("img", { class: "thumb", alt: "thumbnail of " + s.path });
  if (s.source.state === "live" && s.video) refreshThumb(img, s.path);
  const v = s.video ? `${s.video.codec} ${s.video.width}×${s.video.height} ${s.video.fps} fps ${s.video.kbps.toFixed(0)} kbps` : "no video";
  const a = s.audio ? `${s.audio.codec} ${s.audio.sampleRate} Hz ${s.audio.channels} ch ${s.audio.kbps.toFixed(0)} kbps` : "no audio";
  const facts = el("p", { class: "facts" });
  facts.append(
    el("span", { class: "state " + (s.source.state === "live" ? "live" : "idle"), text: s.source.state }), " ",
    el("span", { text: s.source.kind + (s.source.address ? " " + s.source.address : "") + (s.source.url ? " " + s.source.url : "") }),
    el("br"), el("span", { text: v, "data-field": "video" }),
    el("br"), el("span", { text: a, "data-field": "audio" }),
    el("br"), el("span", { text: `${s.players} players · in ${bytes(s.bytesIn)} · out ${bytes(s.bytesOut)} · dropped ${s.droppedFrames}`, "data-field": "players" }));
  const card = el("div", { class: "card", "data-stream": s.path },
    el("div", { class: "top" }, img, el("div", {}, el("h3", { text: s.path }), facts)),
    chart(s.history));
  if (s.pushes.length) {
    card.append(el("table", { class: "pushes" }, el("tbody", {}, ...s.pushes.map(pushRow))));
  }
  for (const r of s.renditions) {
    card.append(el("p", { class: "facts", text: `${r.name}: ${r.encoder} ${r.fps} fps, ${r.speed}× real time, dropped ${r.droppedFrames}` }));
  }
  return card;
}

function sessionRow(s) {
  const kick = el("button", { text: "kick", class: "kick" });
  kick.addEventListener("click", async () => {
    kick.disabled = true;
    await api("DELETE", "/api/v1/sessions/" + encodeURIComponent(s.id), { message: "kicked from the dashboard" });
    poll();
  });
  return el("tr", { "data-session": s.id },
    el("td", { text: s.id }), el("td", { text: s.peer }), el("td", { text: s.kind }),
    el("td", { text: s.streams.join(", ") }), el("td", { text: duration(s.durationSeconds) }),
    el("td", { text: bytes(s.bytesIn) }), el("td", { text: bytes(s.bytesOut) }), el("td", {}, kick));
}

function fillRoutes(routes) {
  const select = document.getElementById("add-route");
  const chosen = select.value;
  const ids = routes.map(r => r.id);
  if (ids.join("\n") === [...select.options].map(o => o.value).join("\n")) return;
  select.replaceChildren(...routes.map(r => el("option", { value: r.id, text: `${r.id} (${r.stream})` })));
  if (ids.includes(chosen)) select.value = chosen;
}

async function poll() {
  try {
    const [streams, sessions, routes] = await Promise.all([
      api("GET", "/api/v1/streams"), api("GET", "/api/v1/sessions"), api("GET", "/api/v1/routes")]);
    if (!streams.ok || !sessions.ok || !routes.ok) throw new Error("HTTP " + streams.status);
    const s = (await streams.json()).streams;
    const container = document.getElementById("streams");
    container.replaceChildren(...(s.length ? s.map(streamCard) : [el("p", { class: "muted", text: "No stream yet." })]));
    const live = new Set(s.map(x => x.path));
    for (const [path, t] of thumbs) {
      if (!live.has(path)) { if (t.url) URL.revokeObjectURL(t.url); thumbs.delete(path); }
    }
    document.querySelector("#sessions tbody").replaceChildren(...(await sessions.json()).sessions.map(sessionRow));
    fillRoutes((await routes.json()).routes);
    setStatus("updated " + new Date().toLocaleTimeString());
  } catch (e) {
    setStatus(e.message);
  }
}

// The API's 400 details are `request:LINE:COL: path: message; hint`; each goes next to the field its path names.
function showErrors(details, fallback) {
  const fields = { url: "add-url", transcode: "add-transcode" };
  for (const id of Object.values(fields)) {
    document.getElementById(id + "-error").textContent = "";
    document.getElementById(id).removeAttribute("aria-invalid");
  }
  const general = [];
  for (const line of details) {
    const m = /^[^:]*(?::\d+:\d+)?: ([A-Za-z]+)[^:]*: (.*)$/.exec(line);
    const id = m && fields[m[1]];
    if (id) {
      const span = document.getElementById(id + "-error");
      span.textContent = (span.textContent ? span.textContent + "\n" : "") + m[2];
      document.getElementById(id).setAttribute("aria-invalid", "true");
    } else {
      general.push(line);
    }
  }
  document.getElementById("add-error").textContent = general.length ? general.join("\n") : (details.length ? "" : fallback);
}

async function addPush(ev) {
  ev.preventDefault();
  const route = document.getElementById("add-route").value;
  const url = document.getElementById("add-url").value.trim();
  const transcode = document.getElementById("add-transcode").value.trim();
  document.getElementById("add-ok").textContent = "";
  if (!route) { showErrors([], "no route to add to"); return; }
  const body = { url };
  if (transcode) body.transcode = transcode;
  const res = await api("POST", `/api/v1/routes/${encodeURIComponent(route)}/pushes`, body);
  const answer = await res.json();
  if (res.ok) {
    showErrors([], "");
    document.getElementById("add-url").value = "";
    document.getElementById("add-transcode").value = "";
    document.getElementById("add-ok").textContent = `added ${answer.id}`;
    poll();
  } else {
    showErrors(answer.details || [], answer.error);
  }
}

document.getElementById("token-form").addEventListener("submit", ev => {
  ev.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, document.getElementById("token").value);
  document.getElementById("token").value = "";
  document.getElementById("token-form").hidden = true;
  poll();
});
document.getElementById("add-push").addEventListener("submit", addPush);
poll();
setInterval(() => { if (document.visibilityState === "visible") poll(); }, POLL_MS);
