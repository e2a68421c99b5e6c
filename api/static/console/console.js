/* Operator console of Trợ lý Đề án 06. No dependencies, no CDN; texts are set with
 * textContent only (never innerHTML), every change sends the X-CSRF-Token header. */
(function () {
  "use strict";
  var csrf = "";
  var me = null;
  var current = null;   // id of the conversation on screen
  var units = [];
  var STATUS = { queued: "Đang chờ", assigned: "Đang xử lý", closed: "Đã kết thúc" };
  var ROLES = { operator: "Cán bộ trực", kb_editor: "Biên tập tri thức", admin: "Quản trị" };

  function $(id) { return document.getElementById(id); }
  function el(tag, text, cls) {
    var n = document.createElement(tag);
    if (text !== undefined && text !== null) { n.textContent = String(text); }
    if (cls) { n.className = cls; }
    return n;
  }
  function say(text) { $("status").textContent = text; }

  function call(method, path, body) {
    var opts = { method: method, headers: {}, credentials: "same-origin" };
    if (method !== "GET") { opts.headers["X-CSRF-Token"] = csrf; }
    if (body !== undefined) {
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(body);
    }
    return fetch("/console/api" + path, opts).then(function (r) {
      if (r.status === 204) { return {}; }
      return r.json().then(function (data) {
        if (!r.ok) { var e = new Error(data.message || "Lỗi"); e.status = r.status; throw e; }
        return data;
      });
    });
  }

  function button(text, handler, label) {
    var b = el("button", text);
    b.type = "button";
    if (label) { b.setAttribute("aria-label", label); }
    b.addEventListener("click", handler);
    return b;
  }

  // ---- login ----------------------------------------------------------------------------
  function showApp(data) {
    me = data; csrf = data.csrf_token;
    $("login-view").hidden = true; $("app-view").hidden = false; $("logout").hidden = false;
    $("who").textContent = data.name + " — " + (ROLES[data.role] || data.role) +
      (data.unit ? " — " + data.unit : "");
    $("tab-admin").hidden = data.role !== "admin";
    $("tab-kb").hidden = data.role === "operator";
    loadQueue();
    listen();
  }
  function showLogin() {
    $("app-view").hidden = true; $("login-view").hidden = false; $("logout").hidden = true;
    $("who").textContent = "";
    $("username").focus();
  }
  $("login-form").addEventListener("submit", function (e) {
    e.preventDefault();
    $("login-error").textContent = "";
    call("POST", "/login", { username: $("username").value, password: $("password").value })
      .then(function (data) { $("password").value = ""; showApp(data); })
      .catch(function (err) { $("login-error").textContent = err.message; });
  });
  $("logout").addEventListener("click", function () {
    call("POST", "/logout").then(function () { location.reload(); });
  });

  // ---- tabs (arrow keys move between them, as WAI-ARIA tabs do) -------------------------
  var tabs = Array.prototype.slice.call(document.querySelectorAll("[role=tab]"));
  function select(tab) {
    tabs.forEach(function (t) {
      var on = t === tab;
      t.setAttribute("aria-selected", on ? "true" : "false");
      t.tabIndex = on ? 0 : -1;
      $(t.getAttribute("aria-controls")).hidden = !on;
    });
    tab.focus();
    var loaders = { "tab-queue": loadQueue, "tab-unanswered": loadUnanswered,
                    "tab-analytics": loadAnalytics, "tab-kb": loadKb, "tab-admin": loadAdmin };
    loaders[tab.id]();
  }
  tabs.forEach(function (t, i) {
    t.addEventListener("click", function () { select(t); });
    t.addEventListener("keydown", function (e) {
      var visible = tabs.filter(function (x) { return !x.hidden; });
      var at = visible.indexOf(t);
      if (e.key === "ArrowRight") { select(visible[(at + 1) % visible.length]); }
      if (e.key === "ArrowLeft") { select(visible[(at - 1 + visible.length) % visible.length]); }
    });
  });

  // ---- queue ----------------------------------------------------------------------------
  function loadQueue() {
    return call("GET", "/queue").then(function (data) {
      units = data.units;
      var body = $("queue-body");
      body.textContent = "";
      if (!data.conversations.length) {
        var tr = el("tr"); var td = el("td", "Không có cuộc trò chuyện nào đang chờ.");
        td.colSpan = 6; tr.appendChild(td); body.appendChild(tr);
      }
      data.conversations.forEach(function (c) {
        var tr = el("tr");
        tr.setAttribute("data-conversation", c.id);
        tr.appendChild(el("td", c.label));
        tr.appendChild(el("td", c.channel));
        var unit = units.filter(function (u) { return u.id === c.unit; })[0];
        tr.appendChild(el("td", unit ? unit.name : c.unit));
        tr.appendChild(el("td", c.topic || "—"));
        tr.appendChild(el("td", (STATUS[c.status] || c.status) +
          (c.status === "queued" ? " (số " + c.position + ")" : " — " + (c.operator || "")) +
          (c.after_hours ? ", ngoài giờ" : "")));
        var td = el("td");
        td.appendChild(button("Xem", function () { openConversation(c.id); },
                              "Xem cuộc trò chuyện " + c.label));
        if (c.status === "queued") {
          td.appendChild(button("Tiếp nhận", function () { take(c.id); },
                                "Tiếp nhận cuộc trò chuyện " + c.label));
        }
        tr.appendChild(td);
        body.appendChild(tr);
      });
      var sel = $("transfer-unit");
      sel.textContent = "";
      units.forEach(function (u) { var o = el("option", u.name); o.value = u.id; sel.appendChild(o); });
      if (current) { openConversation(current, true); }
    }).catch(function (err) { if (err.status === 401) { showLogin(); } else { say(err.message); } });
  }

  function take(id) {
    call("POST", "/conversations/" + id + "/take").then(function () {
      say("Đã tiếp nhận cuộc trò chuyện.");
      current = id; loadQueue();
    }).catch(function (err) { say(err.message); });
  }

  function openConversation(id, quiet) {
    current = id;
    call("GET", "/conversations/" + id).then(function (data) {
      var c = data.conversation;
      $("conv-title").textContent = "Cuộc trò chuyện " + c.label + " — " + (STATUS[c.status] || c.status);
      var list = $("conv-messages");
      list.textContent = "";
      data.messages.forEach(function (m) {
        var who = m.author === "citizen" ? "Công dân" : (m.author === "operator" ? "Cán bộ" : "Hệ thống");
        var li = el("li", null, "msg msg-" + m.author);
        li.appendChild(el("span", who + ": ", "who"));
        li.appendChild(el("span", m.text));
        list.appendChild(li);
      });
      var mine = c.status === "assigned" && (c.operator === me.username || me.role === "admin");
      $("reply-form").hidden = !mine;
      if (mine && !quiet) { $("reply-text").focus(); }
    }).catch(function (err) { say(err.message); });
  }

  $("reply-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var text = $("reply-text").value;
    call("POST", "/conversations/" + current + "/reply", { text: text }).then(function () {
      $("reply-text").value = ""; say("Đã gửi trả lời."); openConversation(current, true);
    }).catch(function (err) { say(err.message); });
  });
  $("conv-close").addEventListener("click", function () {
    call("POST", "/conversations/" + current + "/close").then(function () {
      say("Đã kết thúc cuộc trò chuyện; trợ lý tự động trả lời lại."); loadQueue();
    }).catch(function (err) { say(err.message); });
  });
  $("conv-transfer").addEventListener("click", function () {
    call("POST", "/conversations/" + current + "/transfer", { unit: $("transfer-unit").value })
      .then(function () { say("Đã chuyển đơn vị."); current = null; loadQueue(); })
      .catch(function (err) { say(err.message); });
  });

  // ---- live updates (SSE; the browser reconnects by itself) ------------------------------
  var source = null;
  function listen() {
    if (source || !window.EventSource) { return; }
    source = new EventSource("/console/api/events");
    source.addEventListener("queue", function () {
      if (!$("panel-queue").hidden) { loadQueue(); }
    });
  }

  // ---- unanswered -----------------------------------------------------------------------
  function loadUnanswered() {
    call("GET", "/unanswered").then(function (data) {
      var body = $("unanswered-body");
      body.textContent = "";
      data.groups.forEach(function (g) {
        var tr = el("tr");
        tr.appendChild(el("td", g.text));
        tr.appendChild(el("td", g.count));
        tr.appendChild(el("td", g.not_sure));
        tr.appendChild(el("td", g.downvoted));
        tr.appendChild(el("td", Object.keys(g.units).map(function (u) {
          return u + " (" + g.units[u] + ")"; }).join(", ")));
        var td = el("td");
        if (me.role !== "operator") {
          td.appendChild(button("Soạn mục tri thức", function () { draft(g); },
                                "Soạn mục tri thức cho: " + g.text));
        }
        tr.appendChild(td);
        body.appendChild(tr);
      });
    }).catch(function (err) { say(err.message); });
  }
  function draft(group) {
    select($("tab-kb"));
    $("kb-title").value = group.text;
    $("kb-questions").value = group.examples.join("\n");
    $("kb-answer").focus();
  }

  // ---- analytics ------------------------------------------------------------------------
  var LABELS = { conversations: "Hội thoại", handoffs: "Chuyển cán bộ",
                 containment_rate: "Tỉ lệ tự giải quyết", fallback_rate: "Tỉ lệ chưa chắc",
                 handoff_rate: "Tỉ lệ chuyển cán bộ", turns: "Lượt hỏi" };
  function loadAnalytics() {
    call("GET", "/analytics").then(function (data) {
      var dl = $("figures");
      dl.textContent = "";
      Object.keys(LABELS).forEach(function (k) {
        dl.appendChild(el("dt", LABELS[k]));
        var v = data[k];
        dl.appendChild(el("dd", /_rate$/.test(k) ? Math.round(v * 100) + "%" : v));
      });
      dl.appendChild(el("dt", "Đánh giá 👍 / 👎"));
      dl.appendChild(el("dd", data.feedback.up + " / " + data.feedback.down));
      var ul = $("topics");
      ul.textContent = "";
      data.top_topics.forEach(function (t) {
        ul.appendChild(el("li", (t.unit || "?") + ", " + t.week + ": " + t.topics.map(function (x) {
          return x.topic + " (" + x.count + ")"; }).join(", ")));
      });
      $("chart").src = "/console/api/analytics.png?t=" + Date.now();
    }).catch(function (err) { say(err.message); });
  }

  // ---- knowledge base -------------------------------------------------------------------
  function loadKb() {
    call("GET", "/kb/proposals").then(function (data) {
      var body = $("kb-body");
      body.textContent = "";
      data.proposals.forEach(function (p) {
        var tr = el("tr");
        tr.appendChild(el("td", p.id)); tr.appendChild(el("td", p.entry_id));
        tr.appendChild(el("td", p.author)); tr.appendChild(el("td", p.status));
        var td = el("td");
        if (p.status === "pending" && p.author !== me.username) {
          td.appendChild(button("Duyệt", function () { review(p.id, true); }, "Duyệt đề xuất " + p.id));
          td.appendChild(button("Từ chối", function () { review(p.id, false); }, "Từ chối đề xuất " + p.id));
        }
        if (p.status === "approved") {
          td.appendChild(button("Xuất bản", function () { publish(p.id); }, "Xuất bản đề xuất " + p.id));
        }
        tr.appendChild(td);
        body.appendChild(tr);
      });
    }).catch(function (err) { say(err.message); });
  }
  function review(id, ok) {
    call("POST", "/kb/proposals/" + id + "/review", { approve: ok, note: "" })
      .then(function () { say(ok ? "Đã duyệt." : "Đã từ chối."); loadKb(); })
      .catch(function (err) { say(err.message); });
  }
  function publish(id) {
    call("POST", "/kb/proposals/" + id + "/publish")
      .then(function () { say("Đã xuất bản; chỉ mục đang được dựng lại."); loadKb(); })
      .catch(function (err) { say(err.message); });
  }
  $("kb-form").addEventListener("submit", function (e) {
    e.preventDefault();
    $("kb-error").textContent = "";
    var entry = {
      id: $("kb-id").value, kind: $("kb-kind").value, topic: $("kb-topic").value,
      title: $("kb-title").value, answer: $("kb-answer").value,
      questions: $("kb-questions").value.split("\n").filter(function (q) { return q.trim(); }),
      legal_basis: [{ doc: $("kb-legal-doc").value, article: $("kb-legal-article").value }],
      source: { title: $("kb-source-title").value, ref: $("kb-source-ref").value },
      official_page: $("kb-page").value, valid_from: $("kb-valid-from").value || null,
      verified: new Date().toISOString().slice(0, 10)
    };
    call("POST", "/kb/proposals", entry).then(function () {
      say("Đã gửi đề xuất; cần một người khác duyệt."); loadKb();
    }).catch(function (err) { $("kb-error").textContent = err.message; });
  });

  // ---- admin ----------------------------------------------------------------------------
  function loadAdmin() {
    call("GET", "/switch").then(function (d) { $("hotline-only").checked = d.hotline_only; });
    call("GET", "/audit").then(function (data) {
      var body = $("audit-body");
      body.textContent = "";
      data.events.forEach(function (a) {
        var tr = el("tr");
        [a.at.slice(0, 19).replace("T", " "), a.actor, a.action, a.target, a.detail]
          .forEach(function (v) { tr.appendChild(el("td", v)); });
        body.appendChild(tr);
      });
    }).catch(function (err) { say(err.message); });
  }
  $("hotline-only").addEventListener("change", function (e) {
    call("POST", "/switch", { hotline_only: e.target.checked })
      .then(function (d) { say(d.hotline_only ? "Trợ lý đã chuyển sang chế độ chỉ tổng đài." :
                                                "Trợ lý tự động hoạt động lại."); loadAdmin(); })
      .catch(function (err) { say(err.message); });
  });

  call("GET", "/me").then(showApp).catch(showLogin);
})();
