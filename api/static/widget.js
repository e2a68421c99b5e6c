/*!
 * Trợ lý Đề án 06 — portal chat widget. No dependencies, no external CDN.
 * Embed: <script src="https://host/widget.js" data-api="https://host" data-title="Trợ lý Đề án 06"
 *                 data-greeting="..." defer></script>
 * Talks to POST {data-api}/api/chat. Session id and conversation kept in localStorage.
 */
(function () {
  "use strict";
  if (window.__troly06Widget) { return; }
  window.__troly06Widget = true;

  var script = document.currentScript || (function () {
    var all = document.querySelectorAll("script[src*='widget.js']");
    return all[all.length - 1];
  })();
  var scriptUrl = new URL(script.getAttribute("src"), window.location.href);
  var api = (script.getAttribute("data-api") || scriptUrl.origin).replace(/\/+$/, "");
  var title = script.getAttribute("data-title") || "Trợ lý Đề án 06";
  var greeting = script.getAttribute("data-greeting") ||
    "Xin chào! Mình có thể giúp gì cho bạn về VNeID, thẻ căn cước, cư trú hay dịch vụ công trực tuyến?";
  var suggestions = (script.getAttribute("data-suggestions") ||
    "Làm thẻ căn cước cần giấy tờ gì?|Kích hoạt VNeID mức 2 thế nào?|Đăng ký thường trú online")
    .split("|").filter(Boolean);
  var unit = script.getAttribute("data-unit") || "";
  var STORE = "troly06.widget.";
  var MAX_HISTORY = 50;

  function store(key, value) {
    try {
      if (value === undefined) { return window.localStorage.getItem(STORE + key); }
      window.localStorage.setItem(STORE + key, value);
    } catch (e) { /* private mode: keep going without persistence */ }
    return null;
  }

  function sessionId() {
    var id = store("session");
    if (!id) {
      var rnd = (window.crypto && window.crypto.randomUUID) ? window.crypto.randomUUID() :
        (Date.now().toString(36) + Math.random().toString(36).slice(2));
      id = "w-" + rnd;
      store("session", id);
    }
    return id;
  }

  function loadHistory() {
    try { return JSON.parse(store("history") || "[]"); } catch (e) { return []; }
  }
  var history = loadHistory();
  function saveHistory() { store("history", JSON.stringify(history.slice(-MAX_HISTORY))); }

  // Stylesheet next to the script (same origin, no CDN).
  var css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = new URL("widget.css", scriptUrl).href;
  document.head.appendChild(css);

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  var root = el("div", "t06-root");
  root.setAttribute("data-troly06", "");
  var bubble = el("button", "t06-bubble");
  bubble.type = "button";
  bubble.setAttribute("aria-label", "Mở " + title);
  bubble.setAttribute("aria-expanded", "false");
  bubble.setAttribute("aria-controls", "t06-panel");
  bubble.innerHTML = '<svg aria-hidden="true" focusable="false" viewBox="0 0 24 24" width="28" ' +
    'height="28"><path fill="currentColor" d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 ' +
    '2 0 0 1 2-2zm3 6v2h2v-2H7zm4 0v2h2v-2h-2zm4 0v2h2v-2h-2z"/></svg>';

  var panel = el("section", "t06-panel");
  panel.id = "t06-panel";
  panel.hidden = true;
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-modal", "false");
  panel.setAttribute("aria-labelledby", "t06-title");

  var header = el("header", "t06-header");
  var h = el("h2", "t06-title", title);
  h.id = "t06-title";
  var close = el("button", "t06-close", "×");
  close.type = "button";
  close.setAttribute("aria-label", "Đóng cửa sổ trò chuyện");
  header.appendChild(h);
  header.appendChild(close);

  var log = el("div", "t06-log");
  log.setAttribute("role", "log");
  log.setAttribute("aria-live", "polite");
  log.setAttribute("aria-relevant", "additions");
  log.setAttribute("aria-label", "Nội dung trò chuyện");
  log.tabIndex = 0;

  var typing = el("div", "t06-typing");
  typing.hidden = true;
  typing.setAttribute("role", "status");
  typing.appendChild(el("span", "t06-dot"));
  typing.appendChild(el("span", "t06-dot"));
  typing.appendChild(el("span", "t06-dot"));
  typing.appendChild(el("span", "t06-sr", "Trợ lý đang trả lời…"));

  var form = el("form", "t06-form");
  form.setAttribute("aria-label", "Gửi câu hỏi");
  var label = el("label", "t06-sr", "Câu hỏi của bạn");
  label.setAttribute("for", "t06-input");
  var input = el("textarea", "t06-input");
  input.id = "t06-input";
  input.rows = 1;
  input.maxLength = 2000;
  input.placeholder = "Nhập câu hỏi…";
  input.setAttribute("autocomplete", "off");
  var send = el("button", "t06-send", "Gửi");
  send.type = "submit";
  form.appendChild(label);
  form.appendChild(input);
  form.appendChild(send);

  var note = el("p", "t06-note",
    "Không nhập số định danh cá nhân, số điện thoại. Thông tin chỉ mang tính tham khảo.");

  panel.appendChild(header);
  panel.appendChild(log);
  panel.appendChild(typing);
  panel.appendChild(form);
  panel.appendChild(note);
  root.appendChild(panel);
  root.appendChild(bubble);

  function scrollDown() { log.scrollTop = log.scrollHeight; }

  function firstUrl(s) {
    var m = /https?:\/\/[^\s;,()<>"]+/i.exec(s || "");
    return m ? m[0].replace(/[.]+$/, "") : null;
  }

  function renderSources(sources, container) {
    if (!sources || !sources.length) { return; }
    var box = el("div", "t06-sources");
    box.appendChild(el("span", "t06-sources-label", "Nguồn:"));
    var list = el("ul", "t06-sources-list");
    sources.forEach(function (s) {
      var li = el("li");
      var url = firstUrl(s.ref) || firstUrl(s.url);
      var legal = (s.ref || "").replace(/https?:\/\/[^\s;,()<>"]+/gi, "")
        .replace(/[;,\s]+$/, "").replace(/^[;,\s]+/, "").trim();
      if (url) {
        var a = el("a", "t06-source", s.title || legal || url);
        a.href = url;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        li.appendChild(a);
        if (legal && s.title) { li.appendChild(el("span", "t06-source-ref", " — " + legal)); }
      } else {
        li.appendChild(el("span", "t06-source",
          (s.title || legal) + (legal && s.title ? " (" + legal + ")" : "")));
      }
      list.appendChild(li);
    });
    box.appendChild(list);
    container.appendChild(box);
  }

  function renderButtons(buttons, container, live) {
    if (!buttons || !buttons.length) { return; }
    var group = el("div", "t06-quick");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Gợi ý trả lời nhanh");
    buttons.forEach(function (b) {
      var btn = el("button", "t06-quick-btn", b.title);
      btn.type = "button";
      btn.disabled = !live;
      btn.addEventListener("click", function () {
        group.querySelectorAll("button").forEach(function (x) { x.disabled = true; });
        ask(b.payload || b.title, b.title);
      });
      group.appendChild(btn);
    });
    container.appendChild(group);
  }

  function addMessage(msg, live) {
    var who = msg.from === "user" ? "user" : "bot";
    var row = el("div", "t06-msg t06-" + who + (msg.agent ? " t06-agent" : ""));
    row.appendChild(el("span", "t06-sr", who === "user" ? "Bạn: " :
      (msg.agent ? "Cán bộ: " : "Trợ lý: ")));
    var sources = (msg.custom && msg.custom.sources) || null;
    var text = msg.text || "";
    if (sources && sources.length) {
      text = text.split("\n").filter(function (l) { return !/^\s*Nguồn:/.test(l); })
        .join("\n").trim();
    }
    if (text) {
      text.split(/\n{2,}/).forEach(function (para) {
        row.appendChild(el("p", "t06-text", para));
      });
    }
    if (msg.image) {
      var img = el("img", "t06-image");
      img.src = msg.image;
      img.alt = "Biểu đồ số liệu";
      row.appendChild(img);
    }
    renderSources(sources, row);
    log.appendChild(row);
    renderButtons(msg.buttons, log, live);
    scrollDown();
  }

  function remember(msg) {
    history.push(msg);
    saveHistory();
  }

  var busy = false;
  function setBusy(on) {
    busy = on;
    typing.hidden = !on;
    send.disabled = on;
    panel.setAttribute("aria-busy", on ? "true" : "false");
    if (on) { scrollDown(); }
  }

  function ask(message, shown) {
    message = (message || "").trim();
    if (!message || busy) { return; }
    var userMsg = { from: "user", text: shown || message };
    addMessage(userMsg, false);
    remember(userMsg);
    setBusy(true);
    fetch(api + "/api/chat", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(unit ? { sender: sessionId(), message: message, unit: unit } :
                           { sender: sessionId(), message: message })
    }).then(function (resp) {
      return resp.json().then(function (data) { return { ok: resp.ok, data: data }; });
    }).then(function (r) {
      setBusy(false);
      var replies = r.ok ? (r.data.replies || []) :
        [{ text: (r.data && r.data.message) || "Xin lỗi, đã có lỗi xảy ra." }];
      var handoff = r.ok && r.data.handoff;
      if (handoff && (handoff.status === "queued" || handoff.status === "assigned")) {
        store("handoff", "1");
        watchInbox();
      }
      if (!replies.length && handoff) { return; }  // a person handles it: the bot is silent
      if (!replies.length) {
        replies = [{ text: "Xin lỗi, tôi chưa có câu trả lời. Bạn thử hỏi cách khác nhé." }];
      }
      replies.forEach(function (m) {
        var botMsg = { from: "bot", text: m.text, buttons: m.buttons, image: m.image,
                       custom: m.custom };
        addMessage(botMsg, true);
        remember(botMsg);
      });
    }).catch(function () {
      setBusy(false);
      addMessage({ from: "bot", text: "Không kết nối được máy chủ. Bạn vui lòng thử lại sau." },
                 false);
    });
  }

  // A person answers a handed-off conversation: their messages are fetched every 3 s until
  // the conversation is closed (also after a reload, and for answers left after hours).
  var inboxTimer = null;
  function watchInbox() {
    if (inboxTimer) { return; }
    pollInbox();
    inboxTimer = window.setInterval(pollInbox, 3000);
  }
  function pollInbox() {
    var after = parseInt(store("inbox") || "0", 10) || 0;
    fetch(api + "/api/chat/inbox?sender=" + encodeURIComponent(sessionId()) + "&after=" + after)
      .then(function (resp) { return resp.ok ? resp.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        (data.messages || []).forEach(function (m) {
          var msg = { from: "bot", text: m.text, agent: m.author === "operator" };
          addMessage(msg, false);
          remember(msg);
          store("inbox", String(m.id));
        });
        if (data.status !== "queued" && data.status !== "assigned") {
          store("handoff", "0");
          if (inboxTimer) { window.clearInterval(inboxTimer); inboxTimer = null; }
        }
      }).catch(function () { /* try again at the next tick */ });
  }

  function open() {
    panel.hidden = false;
    root.classList.add("t06-open");
    bubble.setAttribute("aria-expanded", "true");
    bubble.setAttribute("aria-label", "Đóng " + title);
    store("open", "1");
    scrollDown();
    input.focus();
  }

  function shut() {
    panel.hidden = true;
    root.classList.remove("t06-open");
    bubble.setAttribute("aria-expanded", "false");
    bubble.setAttribute("aria-label", "Mở " + title);
    store("open", "0");
    bubble.focus();
  }

  bubble.addEventListener("click", function () { if (panel.hidden) { open(); } else { shut(); } });
  close.addEventListener("click", shut);
  panel.addEventListener("keydown", function (e) { if (e.key === "Escape") { shut(); } });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var q = input.value;
    input.value = "";
    ask(q);
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey) {
      e.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit"));
    }
  });

  function start() {
    document.body.appendChild(root);
    if (history.length) {
      history.forEach(function (m, i) { addMessage(m, i === history.length - 1); });
    } else {
      addMessage({ from: "bot", text: greeting,
                   buttons: suggestions.map(function (s) { return { title: s, payload: s }; }) },
                 true);
    }
    if (store("open") === "1") { open(); }
    if (store("handoff") === "1") { watchInbox(); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
