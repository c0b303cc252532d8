/* The shop's chat widget: one <script src=".../widget.js" async></script> tag.
   Optional data- attributes: data-user-id + data-signed-at + data-signature (a signed-in
   customer, signed by the shop's back end, with data-email and data-name when given), data-lang
   ("en" or "zh"). Every text is set with textContent. */
(function () {
  "use strict";
  if (window.__crmWidgetLoaded) { return; }
  window.__crmWidgetLoaded = true;
  var CONFIG = window.__crmWidgetConfig || {};
  var script = document.currentScript || document.querySelector("script[src*='widget.js']");
  var data = (script && script.dataset) || {};
  var base = new URL(script ? script.src : "/widget.js", location.href);
  var api = base.origin;
  var wsUrl = (base.protocol === "https:" ? "wss://" : "ws://") + base.host + "/widget/ws";
  var langSource = data.lang || document.documentElement.lang || navigator.language || "en";
  var lang = /^zh/i.test(langSource) ? "zh" : "en";
  var TEXT = {
    en: { open: "Open chat", close: "Close chat", send: "Send", placeholder: "Type your message…",
      typing: "typing…", agentTyping: " is typing…", sending: "sending…", offline: "offline — will send when back",
      rate: "You are sending messages quickly; it will be sent in a moment.", too_long: "This message is too long.",
      empty: "", format: "This message could not be sent.", identity: "We could not confirm who you are; please sign in again.",
      unavailable: "We could not store it yet; retrying…", you: "You", bot: "Assistant", failed: "not sent",
      menu: "More", agent: "Talk to a person", mydata: "What do you store about me?", forget: "Erase my data",
      attach: "Attach a photo or PDF", file_type: "Only photos (JPEG, PNG, WebP, GIF) and PDF files can be sent.",
      file_size: "This file is too large (at most {mb} MB).", file: "File", open_file: "Open", unread: "new",
      not_kept: "kept only while this page is open",
      team_away: "No one from our team is at work right now. Your case #{case} waits for them: they are back {back} and will answer here. You can close this page; their answer will be in this chat when you come back." },
    zh: { open: "打开在线客服", close: "关闭", send: "发送", placeholder: "请输入消息…",
      typing: "正在输入…", agentTyping: " 正在输入…", sending: "发送中…", offline: "网络断开，恢复后自动发送",
      rate: "您发送得太快了，稍后会自动发送。", too_long: "消息太长了。", empty: "",
      format: "这条消息无法发送。", identity: "无法确认您的身份，请重新登录。",
      unavailable: "暂时无法保存，正在重试…", you: "我", bot: "智能助手", failed: "未发送",
      menu: "更多", agent: "转人工客服", mydata: "你们保存了我的哪些信息？", forget: "删除我的数据",
      attach: "发送图片或PDF", file_type: "只能发送图片（JPEG、PNG、WebP、GIF）和PDF文件。",
      file_size: "文件太大了（最大 {mb} MB）。", file: "文件", open_file: "打开", unread: "条新消息",
      not_kept: "仅在此页面打开期间保留",
      team_away: "客服团队现在不在线。您的工单 #{case} 正在等待处理：他们将于{back}回来，并在这里答复您。您可以先关闭页面，回来时答复就在这个对话里。" }
  }[lang];
  // Kept per visitor: a signed-in customer's queue and token are not another's on a shared
  // browser (nor an anonymous visitor's from before they signed in).
  var KEY = "crmw:" + api + ":" + (data.userId ? "u:" + data.userId : "anon") + ":";
  // Kept in memory too: where the browser refuses storage (private mode, blocked cookies)
  // the page still keeps its token and queue for as long as it is open.
  var kept = {};
  var store = {
    get: function (k) {
      try { var v = localStorage.getItem(KEY + k); if (v !== null) { return v; } } catch (e) { /* blocked */ }
      return Object.prototype.hasOwnProperty.call(kept, k) ? kept[k] : null;
    },
    set: function (k, v) { kept[k] = v; try { localStorage.setItem(KEY + k, v); } catch (e) { /* private mode */ } }
  };
  // Pages before keys were per visitor kept an anonymous visitor's token and queue under
  // "crmw:<api>:": carried over once, so an upgrade does not make them a stranger (their
  // case, the agent's replies and the messages queued offline stay theirs).
  if (!data.userId) {
    try {
      var OLD = "crmw:" + api + ":";
      ["token", "queue", "open"].forEach(function (k) {
        var before = localStorage.getItem(OLD + k);
        if (before === null) { return; }
        if (localStorage.getItem(KEY + k) === null) { localStorage.setItem(KEY + k, before); }
        localStorage.removeItem(OLD + k);
      });
    } catch (e) { /* storage blocked: nothing was kept there before either */ }
  }
  // A signed-in page: the token this browser chatted with before signing in, sent with the
  // hello so that chat joins the customer's; forgotten (its queue carried over) once the
  // server says it joined, so whoever uses the browser anonymously next starts afresh.
  var ANON = "crmw:" + api + ":anon:";
  function anonToken() {
    if (!data.userId) { return null; }
    try { return localStorage.getItem(ANON + "token"); } catch (e) { return null; }
  }
  var queue = [];
  try { queue = JSON.parse(store.get("queue") || "[]"); } catch (e) { queue = []; }
  function saveQueue() { store.set("queue", JSON.stringify(queue)); }
  function newId() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return Date.now().toString(36) + Math.random().toString(36).slice(2, 12);
  }
  function el(tag, styles, text) {
    var node = document.createElement(tag);
    if (styles) { for (var k in styles) { node.style[k] = styles[k]; } }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  var colour = CONFIG.colour || "#2563eb", ink = CONFIG.textColour || "#fff";
  var side = CONFIG.position === "left" ? "left" : "right";
  var host = el("div", { position: "fixed", bottom: "16px", zIndex: "2147483000", fontFamily: "system-ui, sans-serif", fontSize: "15px" });
  host.style[side] = "16px";
  host.setAttribute("data-crm-widget", "");
  var bubble = el("button", { width: "56px", height: "56px", borderRadius: "50%", border: "none", background: colour,
    color: ink, cursor: "pointer", boxShadow: "0 4px 12px rgba(0,0,0,.25)", fontSize: "26px" }, "💬");
  bubble.type = "button";
  bubble.setAttribute("aria-label", TEXT.open);
  bubble.setAttribute("aria-expanded", "false");
  bubble.className = "crmw-bubble";
  bubble.style.position = "relative";
  // Replies that came while the panel was closed (on this page or since the last one): a
  // count on the bubble until the visitor opens it.
  var badge = el("span", { display: "none", position: "absolute", top: "-4px", right: "-4px", minWidth: "20px",
    height: "20px", lineHeight: "20px", padding: "0 5px", boxSizing: "border-box", borderRadius: "10px",
    background: "#dc2626", color: "#fff", fontSize: "12px", fontWeight: "bold", textAlign: "center" });
  badge.className = "crmw-unread";
  badge.setAttribute("aria-hidden", "true");
  bubble.appendChild(badge);
  var panel = el("div", { display: "none", flexDirection: "column", position: "absolute", bottom: "68px",
    width: "min(360px, calc(100vw - 32px))", height: "min(520px, calc(100vh - 100px))", background: "#fff",
    color: "#111", borderRadius: "12px", boxShadow: "0 8px 30px rgba(0,0,0,.3)", overflow: "hidden" });
  panel.style[side] = "0";
  panel.setAttribute("role", "dialog");
  panel.className = "crmw-panel";
  var title = (CONFIG.title && CONFIG.title[lang]) || "Chat";
  panel.setAttribute("aria-label", title);
  var header = el("div", { background: colour, color: ink, padding: "12px 14px", display: "flex", alignItems: "center" });
  var heading = el("strong", { flex: "1" }, title);
  var closer = el("button", { background: "transparent", border: "none", color: ink, fontSize: "20px", cursor: "pointer" }, "×");
  closer.type = "button";
  closer.setAttribute("aria-label", TEXT.close);
  var menuButton = el("button", { background: "transparent", border: "none", color: ink, fontSize: "18px", cursor: "pointer", marginRight: "6px" }, "☰");
  menuButton.type = "button";
  menuButton.className = "crmw-menu-button";
  menuButton.setAttribute("aria-label", TEXT.menu);
  menuButton.setAttribute("aria-expanded", "false");
  var menu = el("div", { display: "none", flexDirection: "column", background: "#fff", borderBottom: "1px solid #ddd" });
  menu.className = "crmw-menu";
  [["agent", "/agent"], ["mydata", "/mydata"], ["forget", "/forget"]].forEach(function (item) {
    var entry = el("button", { border: "none", background: "#fff", textAlign: "left", padding: "10px 14px", cursor: "pointer", font: "inherit" }, TEXT[item[0]]);
    entry.type = "button";
    entry.className = "crmw-menu-" + item[0];
    entry.addEventListener("click", function () { toggleMenu(false); send(TEXT[item[0]], "command", item[1]); });
    menu.appendChild(entry);
  });
  function toggleMenu(open) {
    menu.style.display = open ? "flex" : "none";
    menuButton.setAttribute("aria-expanded", open ? "true" : "false");
  }
  menuButton.addEventListener("click", function () { toggleMenu(menu.style.display === "none"); });
  header.appendChild(heading); header.appendChild(menuButton); header.appendChild(closer);
  // Asked for a person while the team is away (agents.hours): what happens next, until an
  // agent writes.
  var notice = el("div", { display: "none", background: "#fff7e6", color: "#4a3200", padding: "8px 12px",
    fontSize: "13px", borderBottom: "1px solid #f0d9a8" });
  notice.className = "crmw-notice";
  notice.setAttribute("role", "status");
  function showNotice(n) {
    if (!n || n.code !== "team_away") { notice.style.display = "none"; notice.textContent = ""; return; }
    notice.textContent = TEXT.team_away.replace("{case}", String(n["case"] || "")).replace("{back}", String(n.back || ""));
    notice.style.display = "block";
  }
  var log = el("div", { flex: "1", overflowY: "auto", padding: "12px", background: "#f6f7f9" });
  log.setAttribute("role", "log"); log.setAttribute("aria-live", "polite");
  log.className = "crmw-log";
  var status = el("div", { minHeight: "18px", padding: "0 12px", fontSize: "12px", color: "#666" });
  status.className = "crmw-status";
  var form = el("form", { display: "flex", borderTop: "1px solid #ddd", margin: "0" });
  var input = el("textarea", { flex: "1", border: "none", padding: "10px", resize: "none", font: "inherit", height: "44px" });
  input.setAttribute("aria-label", TEXT.placeholder);
  input.placeholder = TEXT.placeholder;
  input.maxLength = CONFIG.maxChars || 2000;
  input.className = "crmw-input";
  var MAX_UPLOAD = CONFIG.maxUploadBytes || 10485760;
  TEXT.file_size = TEXT.file_size.replace("{mb}", String(Math.floor(MAX_UPLOAD / 1048576)));
  var TYPES = CONFIG.uploadTypes || ["image/jpeg", "image/png", "image/webp", "image/gif", "application/pdf"];
  // A real <button> (reachable by Tab, pressed by Enter or Space) opening a hidden file input.
  var attachButton = el("button", { border: "none", background: "transparent", padding: "0 10px", cursor: "pointer", fontSize: "18px" }, "📎");
  attachButton.type = "button";
  attachButton.className = "crmw-attach";
  attachButton.setAttribute("aria-label", TEXT.attach);
  attachButton.title = TEXT.attach;
  var picker = el("input", { display: "none" });
  picker.type = "file";
  picker.accept = TYPES.join(",");
  picker.className = "crmw-file";
  picker.tabIndex = -1;
  picker.setAttribute("aria-hidden", "true");
  attachButton.addEventListener("click", function () { picker.click(); });
  picker.addEventListener("change", function () {
    var file = picker.files && picker.files[0];
    picker.value = "";
    if (file) { attach(file); }
  });
  var sendButton = el("button", { border: "none", background: colour, color: ink, padding: "0 16px", cursor: "pointer" }, TEXT.send);
  sendButton.type = "submit";
  sendButton.className = "crmw-send";
  form.appendChild(attachButton); form.appendChild(picker); form.appendChild(input); form.appendChild(sendButton);
  panel.appendChild(header); panel.appendChild(menu); panel.appendChild(notice); panel.appendChild(log); panel.appendChild(status); panel.appendChild(form);
  host.appendChild(panel); host.appendChild(bubble);
  function mount() { document.body.appendChild(host); }
  if (document.body) { mount(); } else { document.addEventListener("DOMContentLoaded", mount); }

  var seen = parseInt(store.get("seen") || "", 10);  // the last message read in an open panel
  var unread = 0;
  function paintUnread() {
    badge.textContent = unread > 9 ? "9+" : String(unread);
    badge.style.display = unread ? "block" : "none";
    bubble.setAttribute("aria-label", unread ? TEXT.open + " (" + unread + " " + TEXT.unread + ")" : TEXT.open);
  }
  function markSeen() {
    if (lastId > (seen || 0)) { seen = lastId; store.set("seen", String(seen)); }
    unread = 0; paintUnread();
  }
  function setOpen(open) {
    panel.style.display = open ? "flex" : "none";
    bubble.setAttribute("aria-expanded", open ? "true" : "false");
    store.set("open", open ? "1" : "");
    if (open) { markSeen(); }
    if (open) { input.focus(); log.scrollTop = log.scrollHeight; } else { bubble.focus(); }
  }
  bubble.addEventListener("click", function () { setOpen(panel.style.display === "none"); });
  closer.addEventListener("click", function () { setOpen(false); });
  panel.addEventListener("keydown", function (e) { if (e.key === "Escape") { setOpen(false); } });
  // Agents see "<visitor> is typing…" in the desk: told at most every 3 s while typing.
  var typingTold = 0;
  input.addEventListener("input", function () {
    var now = Date.now();
    if (!live || !ws || !input.value.trim() || now - typingTold < 3000) { return; }
    typingTold = now;
    ws.send(JSON.stringify({ type: "typing" }));
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); form.requestSubmit ? form.requestSubmit() : submit(); }
  });

  var shown = {};      // message id -> row
  var pending = {};    // client id -> row
  var lastId = 0;
  function row(from, text, who) {
    var mine = from === "visitor";
    var line = el("div", { display: "flex", flexDirection: "column", alignItems: mine ? "flex-end" : "flex-start", margin: "6px 0" });
    line.className = "crmw-msg crmw-" + from;
    if (!mine) { line.appendChild(el("div", { fontSize: "11px", color: "#666" }, who || TEXT.bot)); }
    var box = el("div", { maxWidth: "80%", padding: "8px 11px", borderRadius: "10px", whiteSpace: "pre-wrap",
      wordBreak: "break-word", background: mine ? colour : "#fff", color: mine ? ink : "#111",
      border: mine ? "none" : "1px solid #e3e3e3" }, text);
    box.className = "crmw-text";
    line.appendChild(box);
    log.appendChild(line);
    log.scrollTop = log.scrollHeight;
    return line;
  }
  function note(line, text) {
    var n = line.querySelector(".crmw-note");
    if (!n) { n = el("div", { fontSize: "11px", color: "#888" }); n.className = "crmw-note"; line.appendChild(n); }
    n.textContent = text || "";
  }
  function show(m) {
    if (m.id && shown[m.id]) { return; }
    if (m.id) { lastId = Math.max(lastId, m.id); }
    var line;
    if (m.from === "visitor" && m.client_id && pending[m.client_id]) {
      line = pending[m.client_id]; note(line, "");
    } else {
      line = row(m.from, m.text, m.from === "agent" ? m.agent : null);
    }
    if (m.id) { shown[m.id] = line; }
    if (m.from === "agent") { showNotice(null); }
    // Its line, should a file the page kept turn out to be this stored message (sent again
    // with its client id: acknowledged, recorded once, drawn once).
    if (m.from === "visitor" && m.client_id && !pending[m.client_id]) { pending[m.client_id] = line; }
    if (m.id && m.from !== "visitor" && isFinite(seen) && m.id > seen) {
      if (panel.style.display === "none") { unread += 1; paintUnread(); } else { markSeen(); }
    }
    if (m.file && !line.querySelector(".crmw-file-view")) { preview(line, m.file); }
    typing(null);
    if (m.buttons && m.buttons.length) {
      var bar = el("div", { display: "flex", flexWrap: "wrap", gap: "6px", marginTop: "6px" });
      m.buttons.forEach(function (b) {
        var button = el("button", { border: "1px solid " + colour, color: colour, background: "#fff",
          borderRadius: "14px", padding: "4px 10px", cursor: "pointer" }, b.label);
        button.type = "button";
        button.className = "crmw-choice";
        button.addEventListener("click", function () {
          Array.prototype.forEach.call(bar.querySelectorAll("button"), function (x) { x.disabled = true; });
          send(b.label, "button", b.payload);
        });
        bar.appendChild(button);
      });
      line.appendChild(bar);
    }
  }
  // A file in the conversation: fetched with the visitor's credentials (headers, so never a
  // bare URL), an image shown, anything else opened or saved from a button.
  function preview(line, f) {
    var box = el("div", { marginTop: "4px" });
    box.className = "crmw-file-view";
    var image = /^image\//.test(f.mime || "") || f.kind === "photo";
    function fetched() {
      return fetch(api + "/widget/api/media/" + f.id, { headers: headers() })
        .then(function (r) { if (!r.ok) { throw new Error("file " + r.status); } return r.blob(); });
    }
    if (image) {
      var img = el("img", { maxWidth: "220px", maxHeight: "220px", borderRadius: "8px", display: "block" });
      img.alt = f.name || TEXT.file;
      img.className = "crmw-image";
      box.appendChild(img);
      fetched().then(function (b) { img.src = URL.createObjectURL(b); }).catch(function () { img.alt = (f.name || TEXT.file) + " ✕"; });
    } else {
      var open = el("button", { border: "1px solid #ccc", background: "#fff", borderRadius: "8px", padding: "4px 10px", cursor: "pointer", font: "inherit" },
        "📄 " + (f.name || TEXT.file) + (f.size ? " (" + Math.max(1, Math.round(f.size / 1024)) + " KB)" : ""));
      open.type = "button";
      open.className = "crmw-download";
      open.setAttribute("aria-label", TEXT.open_file + " " + (f.name || TEXT.file));
      open.addEventListener("click", function () {
        fetched().then(function (b) {
          var a = document.createElement("a");
          a.href = URL.createObjectURL(b); a.download = f.name || "file"; document.body.appendChild(a); a.click(); a.remove();
        });
      });
      box.appendChild(open);
    }
    line.insertBefore(box, line.querySelector(".crmw-note"));
  }
  var typingTimer = null;
  function typing(ev) {
    clearTimeout(typingTimer);
    status.textContent = !ev ? "" : ev.from === "agent" && ev.agent ? ev.agent + TEXT.agentTyping : TEXT.typing;
    // An agent's "typing…" lasts a few seconds unless the desk says it again (every 3 s).
    if (ev) { typingTimer = setTimeout(function () { status.textContent = ""; }, ev.from === "agent" ? 5000 : 8000); }
  }

  function send(text, kind, payload) {
    var item = { client_id: newId(), text: payload || text, label: text, kind: kind || "message" };
    queue.push(item); saveQueue();
    pending[item.client_id] = row("visitor", text);
    note(pending[item.client_id], TEXT.sending);
    flush();
  }
  function submit() {
    var text = input.value;
    if (!text.trim()) { return; }
    input.value = "";
    send(text, "message");
  }
  form.addEventListener("submit", function (e) { e.preventDefault(); submit(); });

  // Files wait in the page's IndexedDB (kept whole, as the browser holds them, up to
  // widget.max_upload_mb), so a reload or another page of the shop sends them; each is sent
  // over HTTP one by one whichever transport carries the text, resent with the same client
  // id until answered, and dropped from storage once acknowledged or refused. Where the
  // browser keeps nothing (private mode, storage full) the panel says the file waits only
  // while the page is open.
  var files = [];
  function filesDb(run) {
    var opened;
    try { opened = window.indexedDB && indexedDB.open("crmw-files", 1); } catch (e) { opened = null; }
    if (!opened) { run(null); return; }
    opened.onupgradeneeded = function () { opened.result.createObjectStore("files", { keyPath: "client_id" }); };
    opened.onsuccess = function () { run(opened.result); };
    opened.onerror = function () { run(null); };
  }
  function filesTx(mode, work, done) {
    filesDb(function (db) {
      if (!db) { done(null); return; }
      try {
        var tx = db.transaction("files", mode), result = work(tx.objectStore("files"));
        tx.oncomplete = function () { db.close(); done(result && "result" in result ? result.result : true); };
        tx.onerror = tx.onabort = function () { db.close(); done(null); };
      } catch (e) { db.close(); done(null); }
    });
  }
  function keepFile(item) {
    filesTx("readwrite", function (os) {
      os.put({ client_id: item.client_id, owner: KEY, caption: item.caption, name: item.name, blob: item.file, at: Date.now() });
    }, function (ok) {
      item.kept = !!ok;
      if (!ok && files.indexOf(item) >= 0) { note(item.line, TEXT.sending + " — " + TEXT.not_kept); }
    });
  }
  function dropFile(clientId) { filesTx("readwrite", function (os) { os.delete(clientId); }, function () {}); }
  function drawFile(line, file, name) {
    if (/^image\//.test(file.type) && window.URL && URL.createObjectURL) {
      var img = el("img", { maxWidth: "220px", maxHeight: "220px", borderRadius: "8px", display: "block", marginTop: "4px" });
      img.alt = name; img.className = "crmw-image crmw-file-view"; img.src = URL.createObjectURL(file);
      line.appendChild(img);
    }
  }
  function attach(file) {
    var caption = input.value.trim() ? input.value : "";
    var line = row("visitor", caption || file.name);
    var item = { client_id: newId(), file: file, name: file.name, caption: caption, line: line };
    drawFile(line, file, file.name);
    // Refused before anything is kept: the type (by its name's type; the server checks the
    // bytes) and the size.
    if (TYPES.indexOf(file.type) < 0 && file.type) { note(line, TEXT.failed + " — " + TEXT.file_type); return; }
    if (file.size > MAX_UPLOAD) { note(line, TEXT.failed + " — " + TEXT.file_size); return; }
    if (caption) { input.value = ""; }
    pending[item.client_id] = line;
    note(line, TEXT.sending);
    files.push(item);
    keepFile(item);
    sendFiles();
  }
  // Files kept by an earlier page (a reload, another page, the network gone meanwhile).
  function restoreFiles(owner) {
    filesTx("readonly", function (os) { return os.getAll(); }, function (rows) {
      (rows || []).forEach(function (r) {
        if (!r || r.owner !== owner || !r.blob) { return; }
        if (owner !== KEY) { r.owner = KEY; filesTx("readwrite", function (os) { os.put(r); }, function () {}); }
        if (files.some(function (f) { return f.client_id === r.client_id; })) { return; }
        var line = pending[r.client_id] || row("visitor", r.caption || r.name);
        if (!pending[r.client_id]) { drawFile(line, r.blob, r.name); }
        pending[r.client_id] = line;
        note(line, TEXT.sending);
        files.push({ client_id: r.client_id, file: r.blob, name: r.name, caption: r.caption || "", line: line, kept: true });
      });
      sendFiles();
    });
  }
  var uploading = false;
  function sendFiles() {
    if (uploading || !files.length || stopped) { return; }
    if (!data.userId && !store.get("token")) { return; }  // no visitor yet: ready() sends them
    uploading = true;
    var item = files[0];
    var body = new FormData();
    body.append("client_id", item.client_id);
    body.append("caption", item.caption);
    body.append("file", item.file, item.name || "file");
    var h = headers(); delete h["Content-Type"];
    function done(text) { files.shift(); dropFile(item.client_id); note(item.line, text); sendFiles(); }
    fetch(api + "/widget/api/media", { method: "POST", headers: h, body: body })
      .then(function (r) { return r.json().catch(function () { return { type: "refused", reason: r.status === 413 ? "file_size" : "format" }; }); })
      .then(function (msg) {
        uploading = false;
        keepToken(msg);
        if (msg.type === "ack") { done(""); return; }
        if (msg.reason === "rate" || msg.reason === "unavailable") {
          note(item.line, TEXT[msg.reason]); setTimeout(sendFiles, msg.reason === "rate" ? 15000 : 3000); return;
        }
        done(TEXT.failed + (TEXT[msg.reason] ? " — " + TEXT[msg.reason] : ""));
      })
      .catch(function () {
        uploading = false;
        note(item.line, TEXT.offline + (item.kept === false ? " — " + TEXT.not_kept : ""));
        setTimeout(sendFiles, 3000);
      });
  }
  restoreFiles(KEY);

  function acked(clientId) {
    queue = queue.filter(function (q) { return q.client_id !== clientId; }); saveQueue();
    if (pending[clientId]) { note(pending[clientId], ""); }
  }
  var retryTimer = null;
  function refused(clientId, reason) {
    var line = pending[clientId];
    delete inflight[clientId];
    if (reason === "rate" || reason === "unavailable") {
      if (line) { note(line, TEXT[reason]); }
      clearTimeout(retryTimer);
      retryTimer = setTimeout(flush, reason === "rate" ? 15000 : 3000);
      return;
    }
    queue = queue.filter(function (q) { return q.client_id !== clientId; }); saveQueue();
    if (line) { note(line, TEXT.failed + (TEXT[reason] ? " — " + TEXT[reason] : "")); }
  }
  function hello() {
    return { token: store.get("token"), user_id: data.userId || null, signature: data.signature || null,
      signed_at: data.signedAt ? parseInt(data.signedAt, 10) : null, email: data.email || null,
      name: data.name || "", lang: lang, visitor_token: anonToken(), page: page() };
  }
  // The page the visitor is on, for the agents (an address past 1000 characters without its
  // query, which is where tracking parameters make addresses long).
  function page() {
    var url = location.href.length > 1000 ? (location.origin + location.pathname).slice(0, 1000) : location.href;
    return { url: url, title: (document.title || "").slice(0, 200) };
  }
  var pageShown = location.href;
  setInterval(function () {  // a shop that changes pages without loading them (history API)
    if (location.href === pageShown || !live || !ws) { return; }
    pageShown = location.href;
    var p = page(); p.type = "page";
    ws.send(JSON.stringify(p));
  }, 2000);
  function joined(msg) {
    if (!data.userId || msg.joined !== true) { return; }
    try {
      var left = JSON.parse(localStorage.getItem(ANON + "queue") || "[]");
      left.forEach(function (q) {
        if (q && q.client_id && !queue.some(function (x) { return x.client_id === q.client_id; })) { queue.push(q); }
      });
      ["token", "queue", "seen", "open"].forEach(function (k) { localStorage.removeItem(ANON + k); });
      restoreFiles(ANON);  // files attached before signing in go as the customer too
    } catch (e) { /* storage blocked: nothing was kept there */ }
    saveQueue();
  }
  var inflight = {};
  function showQueued() {
    queue.forEach(function (q) {
      if (!pending[q.client_id]) { pending[q.client_id] = row("visitor", q.label || q.text); note(pending[q.client_id], TEXT.sending); }
    });
  }
  // The server issues the token, and may answer any request with a new one (a token from
  // before tokens were marked, or one it never issued): kept from then on.
  function keepToken(msg) { if (msg && msg.token && !data.userId) { store.set("token", msg.token); } }
  function ready(msg) {
    keepToken(msg);
    joined(msg);
    sendFiles();
    inflight = {};
    var history = msg.history || msg.messages || [];
    // A queued message the history holds was stored (its ack was lost): not sent again.
    var stored = {};
    history.forEach(function (m) { if (m.from === "visitor" && m.client_id) { stored[m.client_id] = true; } });
    if (queue.some(function (q) { return stored[q.client_id]; })) {
      queue = queue.filter(function (q) { return !stored[q.client_id]; }); saveQueue();
    }
    if (!isFinite(seen)) {  // first visit, or a page from before the count: all read
      seen = history.reduce(function (top, m) { return Math.max(top, m.id || 0); }, 0);
      store.set("seen", String(seen));
    }
    history.forEach(show);
    showNotice(msg.notice);
    showQueued();
    if (!log.childNodes.length && CONFIG.welcome && CONFIG.welcome[lang]) {
      row("bot", CONFIG.welcome[lang]).className += " crmw-welcome";
    }
    flush();
  }
  function failedIdentity(detail) { row("bot", TEXT.identity); status.textContent = detail || ""; stopped = true; }

  // --- transport: a WebSocket, else HTTP long polling ---------------------------------------
  var ws = null, live = false, stopped = false, failures = 0, everOpen = false, polling = false;
  var capped = false;  // the server refused a socket (too many): long polling instead
  function frame(item) {
    if (item.kind === "button") { return { type: "button", client_id: item.client_id, payload: item.text }; }
    return { type: item.kind === "command" ? "command" : "message", client_id: item.client_id, text: item.text };
  }
  function flush() {
    if (!queue.length) { return; }
    if (live && ws) {
      // Each queued message once per connection; after a reconnect all again until acked.
      queue.forEach(function (q) {
        if (!inflight[q.client_id]) { inflight[q.client_id] = true; ws.send(JSON.stringify(frame(q))); }
      });
      return;
    }
    if (polling) { postQueue(); return; }
    queue.forEach(function (q) { if (pending[q.client_id]) { note(pending[q.client_id], TEXT.offline); } });
  }
  function connect() {
    if (stopped) { return; }
    try { ws = new WebSocket(wsUrl); } catch (e) { return fallback(); }
    ws.onopen = function () { everOpen = true; ws.send(JSON.stringify(hello())); };
    ws.onmessage = function (e) {
      var msg; try { msg = JSON.parse(e.data); } catch (x) { return; }
      if (msg.type === "ready") { live = true; failures = 0; ready(msg); }
      else if (msg.type === "message") { show(msg); }
      else if (msg.type === "ack") { acked(msg.client_id); }
      else if (msg.type === "refused") { refused(msg.client_id, msg.reason); }
      else if (msg.type === "typing") { typing(msg); }
      else if (msg.type === "notice") { showNotice(msg); }
      else if (msg.type === "error" && msg.code === "identity") { failedIdentity(msg.detail); }
      else if (msg.type === "error" && msg.code === "sockets") { capped = true; }
      else if (msg.type === "error" && msg.text) { row("bot", msg.text); }
    };
    ws.onclose = function () {
      live = false; ws = null; failures += 1;
      if (stopped) { return; }
      // Refused for too many sockets (an 11th tab, a busy office): reconnecting would be
      // refused again every second; long polling has no such cap.
      if (capped || (!everOpen && failures >= 3)) { return fallback(); }
      setTimeout(connect, Math.min(30000, 500 * Math.pow(2, failures)));
    };
  }
  window.addEventListener("online", function () { if (!live && !polling && !ws) { connect(); } });

  function headers() {
    var h = { "Content-Type": "application/json" };
    var t = store.get("token");
    if (data.userId) {
      h["X-Widget-User"] = data.userId; h["X-Widget-Signature"] = data.signature || "";
      if (data.signedAt) { h["X-Widget-Signed-At"] = data.signedAt; }
      if (data.email) { h["X-Widget-Email"] = encodeURIComponent(data.email); }
      if (data.name) { h["X-Widget-Name"] = encodeURIComponent(data.name); }
    }
    else if (t) { h["X-Widget-Token"] = t; }
    return h;
  }
  function fallback() {
    if (polling) { return; }
    polling = true;
    fetch(api + "/widget/api/session", { method: "POST", headers: headers(), body: JSON.stringify(hello()) })
      .then(function (r) { if (r.status === 401) { failedIdentity(""); throw new Error("identity"); } return r.json(); })
      .then(function (msg) { ready(msg); poll(); })
      .catch(function () { polling = false; setTimeout(fallback, 5000); });
  }
  var posting = false;
  function postQueue() {
    if (posting || !queue.length) { return; }
    posting = true;
    var item = queue[0];
    var body = { client_id: item.client_id, text: item.text, kind: item.kind === "message" ? "text" : item.kind };
    fetch(api + "/widget/api/messages", { method: "POST", headers: headers(), body: JSON.stringify(body) })
      .then(function (r) { return r.json(); })
      .then(function (msg) { posting = false; keepToken(msg); if (msg.type === "ack") { acked(msg.client_id); postQueue(); } else { refused(msg.client_id, msg.reason); } })
      .catch(function () { posting = false; setTimeout(postQueue, 3000); });
  }
  function poll() {
    if (stopped) { return; }
    fetch(api + "/widget/api/history?wait=25&after=" + lastId, { headers: headers() })
      .then(function (r) { if (!r.ok) { throw new Error("history " + r.status); } return r.json(); })
      .then(function (msg) { keepToken(msg); (msg.messages || []).forEach(show); poll(); })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(function () { if (!live && !polling) { showQueued(); flush(); } }, 3000);
  if (store.get("open")) { setTimeout(function () { setOpen(true); }, 0); }
  connect();
})();
