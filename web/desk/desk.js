"use strict";
// The desk: plain JS over the services' own APIs. Every action is one API call; a refusal
// shows the API's problem detail. Nothing here decides who may see what: the APIs do.

const S = { config: null, token: null, me: null, bank: null };
const TOKEN_KEY = "desk_token";
const BANK_KEY = "desk_bank";
const SHANGHAI = "Asia/Shanghai";

// ---------- small helpers ----------
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}
let fieldSeq = 0;
function field(label, input) {
  const id = input.id || `f${++fieldSeq}`;
  input.id = id;
  return h("div", { class: "field" }, h("label", { for: id }, label), input);
}
function input(name, attrs) { return h("input", { name, ...(attrs || {}) }); }
function select(name, options, attrs) {
  return h("select", { name, ...(attrs || {}) },
    options.map(([value, label]) => h("option", { value }, label)));
}
function when(value) {
  if (!value) return "–";
  return new Intl.DateTimeFormat("zh-CN", {
    timeZone: SHANGHAI, year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", hour12: false,
  }).format(new Date(value));
}
function today() {
  return new Intl.DateTimeFormat("en-CA", { timeZone: SHANGHAI }).format(new Date());
}
function daysPastDue(since) {
  if (!since) return null;
  return Math.max(0, Math.round((Date.parse(today()) - Date.parse(since.slice(0, 10))) / 86400000));
}
function table(headers, rows, attrs) {
  return h("table", attrs || {},
    h("thead", {}, h("tr", {}, headers.map((x) => h("th", { scope: "col" }, x)))),
    h("tbody", {}, rows));
}
function notice(text, ok) {
  const box = document.getElementById("notice");
  box.className = ok ? "ok" : "";
  box.textContent = text || "";
}
function formData(form) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name || el.type === "file" || el.type === "submit") continue;
    if (el.value !== "") out[el.name] = el.value;
  }
  return out;
}
// Date-and-time fields are Shanghai time (UTC+8, no daylight saving) wherever the browser
// is, as every time the desk shows; the APIs get UTC.
function localToUtc(value) { return value ? new Date(`${value}+08:00`).toISOString() : null; }
function nowLocalInput() {
  return new Date(Date.now() + 8 * 3600000).toISOString().slice(0, 19);
}

// ---------- calling the APIs ----------
class Refusal extends Error {
  constructor(status, problem) {
    super(explain(status, problem));
    this.status = status;
    this.problem = problem;
  }
}
const PLAIN = {
  400: "请求有误 The request is not right",
  401: "请重新登录 Please sign in again",
  403: "您的角色不能这样做 Your role may not do this",
  404: "未找到 Not found — it does not exist, or it is not yours to see",
  409: "现在不能这样做 This cannot be done now",
  413: "文件太大 The file is too large",
  415: "文件类型不对 This kind of file is not accepted",
  422: "请检查填写的内容 Please check what you entered",
  429: "太频繁了，请稍后再试 Too many requests, try again shortly",
};
function explain(status, problem) {
  const lead = PLAIN[status] || `出错了 Something went wrong (${status})`;
  const parts = [lead];
  if (problem && problem.detail && typeof problem.detail === "string") parts.push(problem.detail);
  const errors = (problem && (problem.errors || (Array.isArray(problem.detail) && problem.detail))) || [];
  for (const e of errors) {
    const where = Array.isArray(e.loc) ? e.loc.filter((x) => x !== "body").join(".") : (e.field || e.pointer || "");
    const text = `${e.msg || e.message || e.detail || JSON.stringify(e)}`;
    if (parts.some((p) => p.includes(text))) continue;
    parts.push(`${where ? where + ": " : ""}${text}`);
  }
  return parts.join(" · ");
}
async function call(service, path, opts) {
  const o = opts || {};
  const headers = Object.assign({}, o.headers || {});
  if (S.token && !o.anonymous) headers.Authorization = "Bearer " + S.token;
  let body = o.body;
  if (o.json !== undefined) { headers["Content-Type"] = "application/json"; body = JSON.stringify(o.json); }
  const base = S.config.services[service];
  const answer = await fetch(base + path, { method: o.method || (body ? "POST" : "GET"), headers, body });
  if (!answer.ok) {
    let problem = null;
    try { problem = await answer.json(); } catch (_) { problem = null; }
    if (answer.status === 401 && !o.anonymous) signOut();
    throw new Refusal(answer.status, problem);
  }
  if (o.raw) return answer;
  if (answer.status === 204) return null;
  return answer.json();
}
// Lists come whole or as keyset pages ({items, next_cursor}); the desk reads either.
async function list(service, path) {
  const got = await call(service, path);
  return Array.isArray(got) ? got : (got && got.items) || [];
}
async function download(service, path, name) {
  const answer = await call(service, path, { raw: true });
  const url = URL.createObjectURL(await answer.blob());
  const link = h("a", { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}
// Runs an action from a button or form; shows its refusal in words, or a short ok.
async function act(what, done) {
  notice("");
  try {
    const result = await what();
    if (done) notice(done, true);
    return result;
  } catch (e) {
    notice(e instanceof Refusal ? e.message : String(e.message || e));
    return undefined;
  }
}
function onSubmit(form, handler) {
  form.addEventListener("submit", (event) => { event.preventDefault(); handler(form); });
  return form;
}

// ---------- sign-in ----------
function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(BANK_KEY);
  S.token = null; S.me = null; S.bank = null;
  KEPT = {};
  start();
}
async function staffSignIn(form) {
  const body = new URLSearchParams({ username: form.username.value, password: form.password.value });
  const answer = await fetch(S.config.token_url, { method: "POST", body });
  if (!answer.ok) { notice("登录失败 Sign-in failed: wrong username or password"); return; }
  sessionStorage.setItem(TOKEN_KEY, (await answer.json()).access_token);
  notice("");
  start();
}
async function bankSignIn(form) {
  const got = await act(() => call("intake", "/auth/bank-token", {
    method: "POST", anonymous: true, headers: { "X-API-Key": form["api-key"].value },
  }));
  if (!got) return;
  sessionStorage.setItem(TOKEN_KEY, got.access_token);
  sessionStorage.setItem(BANK_KEY, got.client_id);
  start();
}

// ---------- pages by person ----------
const PAGES = {
  phone_collector: [["queue", "我的队列 My queue"], ["visit-list", "外访清单 Visit list"]],
  field_collector: [["visits", "外访任务 Visit orders"]],
  team_lead: [["team", "团队 Team"], ["handover", "交接 Handover"], ["approvals", "审批 Approvals"], ["reports", "报告 Reports"]],
  supervisor: [["team", "团队 Team"], ["approvals", "审批 Approvals"], ["handover", "交接 Handover"],
    ["visits-review", "外访审核 Visit sign-off"], ["reports", "报告 Reports"]],
  admin: [["team", "队列 Queue"], ["approvals", "审批 Approvals"], ["handover", "交接 Handover"],
    ["visits-review", "外访审核 Visit sign-off"], ["reports", "报告 Reports"]],
  bank: [["bank", "案件文件 Case files"], ["bank-case", "案件 Cases"], ["bank-statement", "对账 Statement"]],
};
const HOME = { phone_collector: "queue", field_collector: "visits", bank: "bank" };
function role() { return S.bank ? "bank" : (S.me && S.me.role) || "phone_collector"; }
function pagesFor() { return PAGES[role()] || PAGES.supervisor; }

function drawNav(current) {
  const nav = document.getElementById("nav");
  nav.replaceChildren(...pagesFor().map(([key, label]) =>
    h("a", { href: "#/" + key, "aria-current": key === current ? "page" : null }, label)));
}

async function route() {
  if (!S.token) return;
  const [, name, arg] = (location.hash || "").split("/");
  const page = name || HOME[role()] || "team";
  drawNav(page);
  const view = document.getElementById("view");
  view.replaceChildren(h("p", { class: "muted" }, "加载中 loading…"));
  document.body.dataset.page = page;
  document.body.dataset.loaded = "no";
  performance.mark(`desk-route:${page}`);
  const draw = VIEWS[page] || VIEWS.queue;
  try {
    view.replaceChildren(...[await draw(arg ? decodeURIComponent(arg) : null)].flat());
  } catch (e) {
    if (e instanceof Refusal && e.status === 404) {
      view.replaceChildren(h("div", { class: "notfound", id: "not-found" },
        "未找到 Not found", h("p", { class: "muted" }, e.message)));
    } else {
      view.replaceChildren(h("p", { id: "page-error" }, e.message || String(e)));
    }
  }
  document.body.dataset.loaded = "yes";
  performance.mark(`desk-loaded:${page}`); // what bench/desk_screen.py times
  view.focus();
}

// ---------- phone collector: queue ----------
const ACTIONS = {
  first_contact: "首次联系 first contact",
  phone: "电话 phone", visit: "外访 visit", visit_and_guarantor: "外访并联系担保人 visit + guarantor",
  overdue_notice: "逾期催收函 overdue notice", legal: "法律程序 legal",
};
function why(item) {
  const action = ACTIONS[item.next_action] || item.next_action || "首次联系 first contact";
  if (!item.next_action_due) return `${action}`;
  return item.overdue
    ? `${action} · 已逾期 overdue since ${when(item.next_action_due)}`
    : `${action} · 到期 due ${when(item.next_action_due)}`;
}
// A keyset-paged list ({items, next_cursor}) as a table with previous / next buttons.
// `cursors` kept by the caller keeps the list on its page when the view redraws.
function pagedTable({ service, path, params, headers, row, id, empty, cursors }) {
  const stack = cursors || [null];
  const box = h("div", { class: "paged" });
  async function load(focus) {
    const q = new URLSearchParams({ limit: "20", ...((typeof params === "function" ? params() : params) || {}) });
    const after = stack[stack.length - 1];
    if (after) q.set("after", after);
    const page = await call(service, `${path}?${q}`);
    const turn = (step, where) => act(async () => {
      const popped = step < 0 ? stack.pop() : (stack.push(page.next_cursor), null);
      try { await load(where); } catch (e) { if (step < 0) stack.push(popped); else stack.pop(); throw e; }
    });
    const prev = h("button", { type: "button", class: "previous", disabled: stack.length < 2,
      onclick: () => turn(-1, "previous") }, "上一页 previous");
    const next = h("button", { type: "button", class: "next", disabled: !page.next_cursor,
      onclick: () => turn(1, "next") }, "下一页 next page");
    box.replaceChildren(
      page.items.length ? table(headers, page.items.map(row), { id }) : h("p", { class: "muted", id: `${id}-empty` }, empty),
      h("div", { class: "pager" }, prev, next, h("span", { class: "muted page-number" }, `第 ${stack.length} 页 page ${stack.length}`)));
    if (focus) ([next, prev].find((b) => b.classList.contains(focus) && !b.disabled) || [prev, next].find((b) => !b.disabled) || box).focus();
    return page;
  }
  return { box, load };
}
// What a view keeps between redraws (a list's page, a filter); forgotten at sign-out.
let KEPT = {};
function kept(name, fresh) {
  if (!KEPT[name]) KEPT[name] = fresh();
  return KEPT[name];
}
function queuePage(path, title, withCollector) {
  const list = pagedTable({
    service: "assignment", path, id: "queue", empty: "队列为空 Nothing due",
    headers: ["案件 case", ...(withCollector ? ["催收员 collector"] : []), "委托方 client",
      "为何到期 why due", "账龄 bucket", "金额 amount", "处置 treatment"],
    row: (item) => h("tr", { dataset: { case: item.case_id } },
      h("td", {}, h("a", { href: `#/case/${encodeURIComponent(item.case_id)}` }, item.case_id.slice(0, 8))),
      withCollector ? h("td", {}, item.collector_id.slice(0, 8)) : null,
      h("td", {}, item.client_id),
      h("td", { class: "why" }, item.overdue ? h("span", { class: "badge late" }, "逾期 late") : null, " ", why(item)),
      h("td", {}, item.bucket || "–"),
      h("td", {}, item.amount || "–"),
      h("td", {}, item.treatment || "–")),
  });
  const box = h("section", { class: "card", "aria-label": title }, h("h2", {}, title), list.box);
  return { box, load: () => list.load() };
}
const VIEWS = {};
VIEWS.queue = async () => {
  const q = queuePage("/work-queue", "我的工作队列 My work queue — 最紧急在前 most urgent first", false);
  await q.load(null);
  return q.box;
};

// ---------- phone collector: the case ----------
const RULES = {
  quiet_hours: "静默时段（债务人当地时间） Quiet hours in the debtor's local time",
  daily_cap: "每日上限 Daily limit", weekly_cap: "每周上限 Weekly limit",
  third_party: "第三方限制 Third-party limit", dispute: "争议未解决 Open dispute",
  invalid_number: "号码无效 Invalid number", cease_requested: "要求停止联系 Asked to stop",
};
function verdictBox(v) {
  const blocks = v.blocks.map((b) => h("li", { dataset: { rule: b.rule } },
    `${RULES[b.rule] || b.rule}: ${b.detail}`, b.until ? ` — 直到 until ${when(b.until)}` : ""));
  return h("div", { class: "verdict " + (v.allowed ? "allowed" : "blocked"), id: "verdict",
    dataset: { allowed: v.allowed ? "yes" : "no" } },
    v.allowed ? "可以联系 Allowed now" : "现在不可联系 Blocked now",
    v.allowed && v.disclosure !== "full" ? h("div", {}, `披露 disclosure: ${v.disclosure}`) : null,
    blocks.length ? h("ul", {}, blocks) : null,
    v.next_allowed_at ? h("div", {}, `最早可联系 next allowed ${when(v.next_allowed_at)}`) : null,
    v.suggested_call_at ? h("div", {}, `建议拨打 suggested ${when(v.suggested_call_at)}`) : null);
}
const OUTCOMES = ["right_party_contact", "no_answer", "busy", "voicemail", "message_left", "third_party",
  "wrong_number", "disconnected", "refused", "promise_to_pay", "already_paid", "waiting_for_customer_payment",
  "invoice_not_received", "reorganising", "hardship", "dispute", "fraud_claimed", "cease_requested", "other"];
const PARTIES = [["debtor", "债务人 debtor"], ["guarantor", "担保人 guarantor"], ["contact", "联系人 contact"]];
const CHANNELS = [["phone", "电话 phone"], ["sms", "短信 SMS"], ["fax", "传真 fax"], ["email", "邮件 email"]];

function checkCard(caseId) {
  const out = h("div", { id: "check-result" });
  const form = onSubmit(h("form", { id: "check-form" },
    field("渠道 channel", select("channel", CHANNELS)),
    field("对象 party", select("party", PARTIES)),
    h("button", { type: "submit" }, "拨打前检查 Check before calling")), async (f) => {
    const v = await act(() => call("contact", `/cases/${caseId}/contact-check`, { json: formData(f) }));
    if (v) out.replaceChildren(verdictBox(v));
  });
  return h("section", { class: "card" }, h("h3", {}, "拨打前检查 Check before calling"), form, out);
}
function attemptCard(caseId, reload) {
  const form = onSubmit(h("form", { id: "attempt-form" },
    field("渠道 channel", select("channel", CHANNELS)),
    field("对象 party", select("party", PARTIES)),
    field("结果 outcome", select("outcome", OUTCOMES.map((o) => [o, o]))),
    field("开始时间 started at (北京时间 Shanghai time)", input("started_at", { type: "datetime-local", step: 1, value: nowLocalInput(), required: true })),
    field("备注 note", h("textarea", { name: "notes", rows: 2 })),
    field("录音 recording (wav, mp3, m4a, amr)", input("recording", { type: "file", accept: ".wav,.mp3,.m4a,.amr" })),
    h("button", { type: "submit" }, "记录联系 Log the attempt")), async (f) => {
    const body = formData(f);
    body.started_at = localToUtc(body.started_at);
    const file = f.recording.files[0];
    const done = await act(async () => {
      if (file) {
        const upload = new FormData();
        upload.append("file", file);
        const rec = await call("contact", `/cases/${caseId}/recordings`, { body: upload });
        body.recording_sha256 = rec.sha256;
      }
      return call("contact", `/cases/${caseId}/attempts`, { json: body });
    }, "已记录 Attempt logged");
    if (done) reload();
  });
  return h("section", { class: "card" }, h("h3", {}, "记录联系 Log an attempt"), form);
}
function promiseCard(caseId, reload) {
  const rows = h("div", { id: "instalments" });
  const addRow = () => rows.append(h("div", { class: "inline instalment" },
    field("分期日期 instalment date", input("due_on", { type: "date", required: true })),
    field("分期金额 instalment amount", input("amount", { inputmode: "decimal", required: true }))));
  const form = onSubmit(h("form", { id: "promise-form" },
    field("承诺金额 amount (一次性 single payment)", input("amount", { inputmode: "decimal" })),
    field("承诺日期 date", input("due_on", { type: "date" })),
    rows,
    h("button", { type: "button", onclick: addRow }, "加分期 add an instalment"),
    h("button", { type: "submit" }, "记录承诺 Record the promise")), async (f) => {
    const parts = [...rows.querySelectorAll(".instalment")].map((row) => ({
      due_on: row.querySelector("[name=due_on]").value, amount: row.querySelector("[name=amount]").value }));
    const body = parts.length ? { instalments: parts } : { amount: f.amount.value || null, due_on: f.due_on.value || null };
    const done = await act(() => call("contact", `/cases/${caseId}/promises`, { json: body }), "已记录承诺 Promise recorded");
    if (done) reload();
  });
  return h("section", { class: "card" }, h("h3", {}, "还款承诺 Promise to pay"), form);
}
function fieldsFor(kind) {
  const props = (kind.fields && kind.fields.properties) || {};
  return Object.entries(props).map(([name, p]) => {
    const type = p.format === "date" ? "date" : "text";
    const complex = p.type === "array" || p.type === "object";
    const el = complex
      ? h("textarea", { name, rows: 2, dataset: { json: "yes" }, placeholder: "JSON" })
      : input(name, { type, value: p.default !== undefined && p.default !== null ? String(p.default) : "" });
    return field(`${p.title || name}${p.description ? " — " + p.description : ""}`, el);
  });
}
function letterFields(form) {
  const out = {};
  for (const el of form.querySelectorAll(".kind-fields [name]")) {
    if (el.value === "") continue;
    out[el.name] = el.dataset.json ? JSON.parse(el.value) : el.value;
  }
  return out;
}
async function letterCard(caseId, reload) {
  const kinds = await list("letters", "/letter-kinds");
  const preview = h("div", { id: "letter-preview" });
  const kindFields = h("div", { class: "kind-fields" });
  const kindSelect = select("kind", kinds.map((k) => [k.kind, `${k.title} ${k.kind}`]), { id: "letter-kind" });
  const redraw = () => kindFields.replaceChildren(...fieldsFor(kinds.find((k) => k.kind === kindSelect.value)));
  kindSelect.addEventListener("change", redraw);
  redraw();
  const body = (f) => ({ kind: f.kind.value, fields: letterFields(f) });
  const form = onSubmit(h("form", { id: "letter-form" },
    field("函件 letter", kindSelect), kindFields,
    h("div", { class: "actions" },
      h("button", { type: "button", id: "letter-preview-button", onclick: async () => {
        const answer = await act(() => call("letters", `/cases/${caseId}/letters/preview`, { json: body(form), raw: true }));
        if (!answer) return;
        const img = h("img", { class: "letter", alt: "函件预览 letter preview", src: URL.createObjectURL(await answer.blob()) });
        preview.replaceChildren(img);
        await img.decode();
        preview.dataset.shown = "yes";
      } }, "预览 Preview"),
      " ",
      h("button", { type: "submit" }, "开具 Issue the letter"))), async (f) => {
    const done = await act(() => call("letters", `/cases/${caseId}/letters`, { json: body(f) }), "函件已开具 Letter issued");
    if (done) reload();
  });
  return h("section", { class: "card" }, h("h3", {}, "开具函件 Issue a letter"), form, preview);
}
function letterRows(caseId, letters) {
  return letters.map((l) => h("tr", {},
    h("td", {}, l.title), h("td", {}, when(l.issued_at)), h("td", {}, l.recipient_name),
    h("td", {}, l.dispatch ? `${l.dispatch.channel || ""} ${l.dispatch.tracking_number || ""}` : "未寄出 not mailed"),
    h("td", {}, l.delivery ? l.delivery.outcome : "–"),
    h("td", {},
      h("button", { type: "button", onclick: () => act(() => download("letters", `/cases/${caseId}/letters/${l.id}/pdf`, `${l.kind}-${l.id.slice(0, 8)}.pdf`)) }, "PDF"), " ",
      h("button", { type: "button", onclick: () => act(() => download("letters", `/cases/${caseId}/letters/${l.id}/evidence.zip`, `evidence-${l.id.slice(0, 8)}.zip`)) }, "证据包 evidence"))));
}
function timelineTable(entries) {
  return table(["时间 when", "事件 event", "内容 detail"], entries.map((e) => h("tr", {},
    h("td", {}, when(e.at)), h("td", {}, e.event_type),
    h("td", { class: "muted" }, Object.entries(e.detail || {}).slice(0, 6).map(([k, v]) => `${k}: ${cell(v)}`).join(" · ")))),
  { id: "timeline" });
}
async function optional(promise, fallback) {
  try { return await promise; } catch (e) { if (e instanceof Refusal && e.status !== 404) throw e; return fallback; }
}
VIEWS.case = async (caseId) => {
  if (!caseId) return h("p", {}, "请选择案件 Choose a case from the queue");
  const id = encodeURIComponent(caseId);
  const held = await call("contact", `/cases/${id}`); // 404 when not yours: the page says "not found"
  const [strategy, money, details, promises, attempts, letters, timeline, followUps] = await Promise.all([
    optional(call("assignment", `/cases/${id}/strategy`), null),
    optional(call("letters", `/cases/${id}`), null),
    list("contact", `/cases/${id}/contact-details`),
    list("contact", `/cases/${id}/promises`),
    list("contact", `/cases/${id}/attempts`),
    optional(list("letters", `/cases/${id}/letters`), []),
    optional(list("reporting", `/cases/${id}/timeline`), []),
    optional(list("contact", `/cases/${id}/follow-ups`), []),
  ]);
  const reload = () => route();
  const named = details.find((d) => d.party === "debtor" && d.party_name);
  const debtor = (money && money.debtor_name) || (named && named.party_name);
  const since = (money && money.overdue_since) || (strategy && strategy.overdue_since);
  const dpd = daysPastDue(since);
  const facts = h("section", { class: "card", id: "case-facts" }, h("h2", {}, `案件 Case ${held.case_id}`),
    h("dl", { class: "facts" },
      h("dt", {}, "债务人 debtor"), h("dd", { id: "debtor" }, debtor || "–"),
      h("dt", {}, "委托方 client"), h("dd", {}, held.client_id),
      h("dt", {}, "欠款 owed"), h("dd", { id: "owed" }, money ? `¥ ${money.total_owed}` : "–"),
      h("dt", {}, "逾期起 overdue since"), h("dd", {}, since || "–"),
      h("dt", {}, "逾期天数 days past due"), h("dd", { id: "dpd" }, dpd === null ? "–" : String(dpd)),
      h("dt", {}, "阶梯步骤 ladder step"), h("dd", { id: "ladder" }, strategy ? (ACTIONS[strategy.next_action] || strategy.next_action || "–") : "–"),
      h("dt", {}, "下一步到期 next action due"), h("dd", {}, strategy ? when(strategy.next_action_due) : "–"),
      h("dt", {}, "处置 treatment"), h("dd", {}, (strategy && strategy.treatment) || "–"),
      h("dt", {}, "诉讼时效止 limitation ends"), h("dd", {}, (money && money.limitation_ends_on) || "–")));
  const contacts = h("section", { class: "card" }, h("h3", {}, "联系方式（已遮蔽） Contact details (masked)"),
    table(["对象 party", "姓名 name", "类型 kind", "号码/地址 value", "状态 status"], details.map((d) => h("tr", {},
      h("td", {}, d.party), h("td", {}, d.party_name || "–"), h("td", {}, d.kind), h("td", {}, d.value), h("td", {}, d.status))), { id: "contacts" }));
  const promiseList = h("section", { class: "card" }, h("h3", {}, "承诺 Promises"),
    promises.length ? table(["金额 amount", "状态 state", "分期 instalments"], promises.map((p) => h("tr", {},
      h("td", {}, p.amount), h("td", {}, p.state),
      h("td", {}, p.instalments.map((i) => `${i.due_on} ¥${i.amount} ${i.state || ""}`).join("; ")))), { id: "promises" })
      : h("p", { class: "muted" }, "暂无 none yet"));
  const attemptList = h("section", { class: "card" }, h("h3", {}, "联系记录 Contact log"),
    table(["时间 when", "渠道 channel", "对象 party", "结果 outcome", "备注 note"], attempts.map((a) => h("tr", {},
      h("td", {}, when(a.started_at)), h("td", {}, a.channel), h("td", {}, a.party), h("td", {}, a.outcome), h("td", {}, a.notes || ""))), { id: "attempts" }),
    followUps.length ? h("div", {}, h("h3", {}, "跟进 Follow-ups"), h("ul", { id: "follow-ups" },
      followUps.map((f) => h("li", {}, `${f.kind || f.type || ""} ${f.due_at ? when(f.due_at) : ""} ${f.detail || f.what || ""}`)))) : null);
  const letterList = h("section", { class: "card" }, h("h3", {}, "函件 Letters"),
    letters.length ? table(["函件 letter", "开具 issued", "收件人 to", "寄送 dispatch", "送达 delivery", ""], letterRows(id, letters), { id: "letters" })
      : h("p", { class: "muted" }, "暂无 none yet"));
  const timelineCard = h("section", { class: "card" }, h("h3", {}, "时间线 Timeline"), timelineTable(timeline));
  return h("div", { class: "grid" },
    h("div", {}, facts, checkCard(id), attemptCard(id, reload), promiseCard(id, reload)),
    h("div", {}, contacts, promiseList, attemptList, letterList, await letterCard(id, reload), timelineCard));
};

// ---------- phone collector: today's field-visit list ----------
VIEWS["visit-list"] = async () => {
  const rows = h("div", { id: "visit-rows" });
  const addRow = () => rows.append(h("div", { class: "inline visit-row" },
    field("案件 case id", input("case_id", { required: true })),
    field("目的 purpose", input("purpose"))));
  addRow();
  const result = h("div");
  const form = onSubmit(h("form", { id: "visit-list-form" },
    field("外访员 field collector id", input("field_collector_id", { required: true })),
    rows, h("button", { type: "button", onclick: addRow }, "加一案 add a case"),
    h("button", { type: "submit" }, "提交今日外访清单 File today's list")), async (f) => {
    const visits = [...rows.querySelectorAll(".visit-row")].map((r) => ({
      case_id: r.querySelector("[name=case_id]").value, purpose: r.querySelector("[name=purpose]").value || "外访 visit" }));
    const made = await act(() => call("assignment", "/field-visits", { json: { field_collector_id: f.field_collector_id.value, visits } }), "清单已提交 List filed");
    if (made) result.replaceChildren(visitTable(made));
  });
  return h("section", { class: "card" }, h("h2", {}, "今日外访清单 Today's field-visit list"), form, result);
};
function visitTable(visits, extra) {
  return table(["案件 case", "目的 purpose", "状态 status", "期限 due by", "计划 plan", ""], visits.map((v) => h("tr", { dataset: { visit: v.id } },
    h("td", {}, v.case_id.slice(0, 8)), h("td", {}, v.purpose),
    h("td", {}, v.overdue ? h("span", { class: "badge late" }, "逾期 overdue") : null, " ", v.status),
    h("td", {}, when(v.due_by)), h("td", {}, v.planned_for ? `${when(v.planned_for)} ${v.place || ""}` : "–"),
    h("td", {}, extra ? extra(v) : null))), { class: "visits" });
}

// ---------- field collector ----------
VIEWS.visits = async () => {
  const visits = await list("assignment", "/field-visits?limit=100");
  const detail = h("div", { id: "visit-detail" });
  const open = (v) => detail.replaceChildren(visitForms(v));
  return [h("section", { class: "card" }, h("h2", {}, "我的外访任务 My visit orders"),
    visits.length ? visitTable(visits, (v) => h("button", { type: "button", onclick: () => open(v) }, "处理 work on it"))
      : h("p", { id: "no-visits" }, "暂无外访任务 No visit orders")), detail];
};
function visitForms(v) {
  const plan = onSubmit(h("form", { id: "plan-form" },
    field("计划时间 planned for (北京时间 Shanghai time)", input("planned_for", { type: "datetime-local", required: true })),
    field("地点 place", input("place", { required: true })),
    field("人员 people", input("people", { required: true })),
    field("车辆 vehicle", input("vehicle")),
    h("button", { type: "submit" }, "备案计划 File the plan")), (f) => {
    const body = formData(f);
    body.planned_for = localToUtc(body.planned_for);
    act(() => call("assignment", `/field-visits/${v.id}/plan`, { method: "PUT", json: body }), "计划已备案 Plan filed");
  });
  const report = onSubmit(h("form", { id: "report-form" },
    field("外访时间 visited at (北京时间 Shanghai time)", input("visited_at", { type: "datetime-local", step: 1, value: nowLocalInput(), required: true })),
    field("地点 place", input("place", { required: true })),
    field("见到 people met", input("people_met")),
    field("结果 outcome", select("outcome", OUTCOMES.map((o) => [o, o]))),
    field("发现 what was found", h("textarea", { name: "found", rows: 3, required: true })),
    field("录音 recording", input("recording", { type: "file", accept: ".wav,.mp3,.m4a,.amr" })),
    h("button", { type: "submit" }, "提交外访报告 Report the visit")), (f) => {
    const body = formData(f);
    body.visited_at = localToUtc(body.visited_at);
    const file = f.recording.files[0];
    act(async () => {
      if (file) {
        const upload = new FormData();
        upload.append("file", file);
        body.recording_sha256 = (await call("contact", `/field-visits/${v.id}/recordings`, { body: upload })).sha256;
      }
      return call("contact", `/field-visits/${v.id}/report`, { json: body });
    }, "报告已提交 Visit reported");
  });
  return h("div", { class: "grid" },
    h("section", { class: "card" }, h("h3", {}, `计划 Plan — ${v.case_id.slice(0, 8)}`), plan),
    h("section", { class: "card" }, h("h3", {}, "外访报告 Visit report"), report));
}

// ---------- supervisor / team lead ----------
VIEWS.team = async () => {
  const q = queuePage("/work-queue", "团队队列 Team queue", true);
  const page = await q.load(null);
  const counts = {};
  for (const item of page.items) counts[item.collector_id] = (counts[item.collector_id] || 0) + 1;
  const people = await Promise.all(Object.keys(counts).map((id) => optional(call("assignment", `/staff/${id}`), { id, name: id, capacity: "–", open_cases: "–" })));
  const load = h("section", { class: "card" }, h("h2", {}, "工作量 Workload per collector"),
    table(["催收员 collector", "本页到期 due on this page", "在催 open cases", "容量 capacity"], people.map((p) => h("tr", {},
      h("td", {}, `${p.name} (${p.id.slice(0, 8)})`), h("td", {}, counts[p.id]), h("td", {}, p.open_cases), h("td", {}, p.capacity))), { id: "workload" }));
  const breaches = await optional(call("reporting", "/reports/sla-breaches?period=month"), null);
  const sla = h("section", { class: "card", id: "sla" }, h("h2", {}, "时限违规 SLA breaches — 本月 this month"),
    breaches ? reportView(breaches, 50) : h("p", { class: "muted" }, "–"));
  return h("div", { class: "grid" }, q.box, h("div", {}, load, sla));
};
VIEWS.approvals = async () => {
  const pending = await list("assignment", "/approvals?status=pending&limit=100");
  const rows = pending.map((a) => {
    const note = input("note", { "aria-label": "备注/理由 note or reason" });
    return h("tr", { dataset: { approval: a.id } },
      h("td", {}, h("a", { href: `#/case/${a.case_id}` }, a.case_id.slice(0, 8))), h("td", {}, a.kind), h("td", {}, a.reason),
      h("td", {}, a.requested_by.slice(0, 8)), h("td", {}, when(a.requested_at)),
      h("td", {}, note, " ",
        h("button", { type: "button", class: "grant", onclick: async () => {
          if (await act(() => call("assignment", `/approvals/${a.id}/grant`, { json: { note: note.value || null } }), "已批准 Granted")) route();
        } }, "批准 grant"), " ",
        h("button", { type: "button", class: "reject", onclick: async () => {
          if (await act(() => call("assignment", `/approvals/${a.id}/reject`, { json: { reason: note.value } }), "已驳回 Rejected")) route();
        } }, "驳回 reject")));
  });
  return h("section", { class: "card" }, h("h2", {}, "待审批 Requests for your decision"),
    h("p", { class: "muted" }, "四眼原则：不能审批自己提出的请求 Four eyes: nobody decides their own request"),
    pending.length ? table(["案件 case", "类型 kind", "理由 reason", "提出人 by", "时间 when", "决定 decide"], rows, { id: "approvals" })
      : h("p", { id: "no-approvals" }, "没有待审批 Nothing to decide"));
};
VIEWS.handover = async () => {
  const result = h("div", { id: "handover-result" });
  const form = onSubmit(h("form", { id: "handover-form" },
    field("离开的催收员 leaving collector id", input("from_collector_id", { required: true })),
    field("原因 reason", select("reason", [["left", "离职 left"], ["on_leave", "休假 on leave"]])),
    field("接手人 successors (id, 逗号分隔 comma-separated)", input("successor_ids")),
    field("备注 notes", h("textarea", { name: "notes", rows: 2 })),
    h("button", { type: "submit" }, "交接 Hand over")), async (f) => {
    const body = formData(f);
    body.successor_ids = (body.successor_ids || "").split(",").map((s) => s.trim()).filter(Boolean);
    const done = await act(() => call("assignment", "/handovers", { json: body }), "交接完成 Handed over");
    if (done) result.replaceChildren(handoverTable(done));
  });
  const past = await optional(list("assignment", "/handovers?limit=20"), []);
  return h("div", { class: "grid" },
    h("section", { class: "card" }, h("h2", {}, "交接 Handover"), form, result),
    h("section", { class: "card" }, h("h2", {}, "最近交接 Recent handovers"),
      past.length ? past.map((x) => h("div", {}, h("h3", {}, `${when(x.at)} · ${x.from_collector_id.slice(0, 8)} · ${x.moved} 案 moved, ${x.queued} 排队 queued`), handoverTable(x)))
        : h("p", { class: "muted" }, "暂无 none")));
};
function handoverTable(x) {
  return table(["案件 case", "去向 went to"], x.cases.map((c) => h("tr", {},
    h("td", {}, c.case_id.slice(0, 8)), h("td", {}, c.to_collector_id ? c.to_collector_id.slice(0, 8) : `排队 queued: ${c.queued_reason}`))), { class: "handed" });
}
VIEWS["visits-review"] = async () => {
  const all = await list("assignment", "/field-visits?limit=100");
  const done = await list("assignment", "/field-visits?status=completed&limit=100");
  const signOff = (v) => h("button", { type: "button", onclick: async () => {
    if (await act(() => call("assignment", `/field-visits/${v.id}/sign-off`, { json: {} }), "已签核 Signed off")) route();
  } }, "签核 sign off");
  return h("div", { class: "grid" },
    h("section", { class: "card" }, h("h2", {}, "待签核 Completed, to sign off"), done.length ? visitTable(done, (v) => (v.signed_off_at ? "✓" : signOff(v))) : h("p", { class: "muted" }, "暂无 none")),
    h("section", { class: "card" }, h("h2", {}, "团队外访与计划 Team visits and filed plans (逾期标红 overdue flagged)"),
      all.length ? visitTable(all) : h("p", { class: "muted" }, "暂无 none")));
};
const REPORT_NAMES = {
  collector_weekly: "催收员周报 collector's weekly", collector_monthly: "催收员月报 collector's monthly",
  branch_monthly: "分行月报 branch monthly",
};
const SUBMISSION_STATES = [["submitted", "待审核 waiting for review"], ["returned", "已退回 returned"],
  ["approved", "已批准 approved"], ["", "全部 all"]];
function reviewButtons(s, done) {
  const note = input("note", { "aria-label": `意见 note — ${REPORT_NAMES[s.report] || s.report} ${s.period}` });
  const decide = (verb, said) => async () => {
    const got = await act(() => call("reporting", `/reports/submissions/${s.submission_id}/${verb}`, { json: { note: note.value } }));
    if (!got) return;
    notice(got.status === "submitted" ? "已批准，仍待另一位审批人 Approved; the other approver still has to" : said, true);
    done();
  };
  return [note, " ",
    h("button", { type: "button", class: "approve", onclick: decide("approve", "已批准 Approved") }, "批准 approve"), " ",
    h("button", { type: "button", class: "return", onclick: decide("return", "已退回 Returned") }, "退回 return")];
}
function submissionDetail(s, done) {
  return h("section", { class: "card", id: "submission" },
    h("h2", {}, `${REPORT_NAMES[s.report] || s.report} · ${s.period}`),
    h("dl", { class: "facts" },
      h("dt", {}, "提交人 by"), h("dd", {}, s.submitted_by), h("dt", {}, "提交时间 submitted"), h("dd", {}, when(s.submitted_at)),
      h("dt", {}, "状态 status"), h("dd", { id: "submission-status" }, s.status), h("dt", {}, "版本 version"), h("dd", {}, s.version),
      h("dt", {}, "说明 remarks"), h("dd", {}, s.remarks || "–"), h("dt", {}, "快照 SHA-256"), h("dd", { class: "muted" }, s.body_sha256)),
    s.reviews.length ? table(["审核人 reviewer", "角色 role", "决定 decision", "意见 note", "时间 when"], s.reviews.map((r) => h("tr", {},
      h("td", {}, r.reviewer_id.slice(0, 8)), h("td", {}, r.reviewer_role), h("td", {}, r.decision), h("td", {}, r.note || "–"), h("td", {}, when(r.at)))), { id: "reviews" }) : null,
    s.status === "submitted" ? h("div", { class: "actions" }, reviewButtons(s, done)) : null,
    h("h3", {}, "提交时的报告 The report as submitted"), reportView(s.snapshot, 50));
}
VIEWS.reports = async (submissionId) => {
  const state = kept("reports", () => ({ status: "submitted", cursors: [null] }));
  const list = pagedTable({
    service: "reporting", path: "/reports/submissions", id: "submissions", cursors: state.cursors,
    params: () => (state.status ? { status: state.status } : {}), empty: "没有报告 No reports here",
    headers: ["报告 report", "期间 period", "对象 subject", "提交人 by", "提交时间 submitted", "说明 remarks", "状态 status", "审核 review"],
    row: (s) => h("tr", { dataset: { submission: s.submission_id }, "aria-current": s.submission_id === submissionId ? "true" : null },
      h("td", {}, h("a", { href: `#/reports/${s.submission_id}` }, REPORT_NAMES[s.report] || s.report)),
      h("td", {}, s.period), h("td", {}, s.subject_id.slice(0, 8)), h("td", {}, s.submitted_by.slice(0, 8)),
      h("td", {}, when(s.submitted_at)), h("td", {}, s.remarks || "–"),
      h("td", { class: "status" }, (SUBMISSION_STATES.find(([k]) => k === s.status) || [, s.status])[1], s.version > 1 ? ` (v${s.version})` : ""),
      h("td", {}, s.status === "submitted" ? reviewButtons(s, () => list.load()) : "–")),
  });
  const status = select("status", SUBMISSION_STATES, { id: "submission-status-filter" });
  status.value = state.status;
  status.addEventListener("change", () => act(() => { state.status = status.value; state.cursors.splice(0, state.cursors.length, null); return list.load(); }));
  await list.load();
  const detail = submissionId ? submissionDetail(await call("reporting", `/reports/submissions/${encodeURIComponent(submissionId)}`), () => route()) : null;
  return h("div", { class: "grid" },
    h("section", { class: "card", id: "reports" }, h("h2", {}, "提交的报告 Submitted reports — 最新在前 latest first"),
      h("div", { class: "inline" }, field("显示 show", status)), list.box),
    detail);
};

// Reporting's reports share one shape: title, summary, sections of rows.
function cell(v) {
  if (v === null || v === undefined) return "–";
  if (typeof v === "object") return JSON.stringify(v);
  return /^\d{4}-\d{2}-\d{2}T/.test(String(v)) ? when(v) : String(v);
}
function reportView(r, limit) {
  const summary = Object.entries(r.summary || {}).filter(([, v]) => typeof v !== "object");
  return h("div", { class: "report" },
    h("p", { class: "muted" }, `${r.title || r.report} · ${r.period || ""} · ${r.scope || ""}`),
    summary.length ? h("dl", { class: "facts" }, summary.map(([k, v]) => [h("dt", {}, k), h("dd", { dataset: { key: k } }, cell(v))])) : null,
    (r.sections || []).map((s) => h("div", {}, h("h3", {}, s.name),
      s.rows.length ? table(s.columns, s.rows.slice(0, limit || 200).map((row) => h("tr", {},
        s.columns.map((c) => h("td", {}, cell(Array.isArray(row) ? row[s.columns.indexOf(c)] : row[c]))))), { class: "rows", dataset: { section: s.name } })
        : h("p", { class: "muted" }, "无 none"))));
}

// ---------- bank ----------
function parseCsv(text) {
  const rows = [];
  let row = [], cell = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") { row.push(cell); cell = ""; }
    else if (c === "\n") { row.push(cell.replace(/\r$/, "")); rows.push(row); row = []; cell = ""; }
    else cell += c;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  return rows;
}
async function batchReport(batchId) {
  const base = `/clients/${S.bank}/case-files/${encodeURIComponent(batchId)}`;
  const b = await call("intake", base);
  const text = (await (await call("intake", `${base}/errors.csv`, { raw: true })).text()).replace(/^\ufeff/, "");
  const [head, ...rows] = parseCsv(text).filter((r) => r.some((c) => c !== ""));
  return h("section", { class: "card", id: "validation-report" }, h("h2", {}, `校验报告 Validation report — ${b.filename}`),
    h("dl", { class: "facts" },
      h("dt", {}, "状态 state"), h("dd", {}, b.state),
      h("dt", {}, "行数 rows"), h("dd", {}, `${b.rows_total}`),
      h("dt", {}, "导入 imported"), h("dd", { id: "rows-imported" }, `${b.rows_imported}`),
      h("dt", {}, "拒绝 rejected"), h("dd", { id: "rows-rejected" }, `${b.rows_rejected}`),
      h("dt", {}, "有警告 with warnings"), h("dd", {}, `${b.rows_with_warnings}`)),
    head ? table(head, rows.map((r) => h("tr", {}, r.map((c) => h("td", {}, c)))), { id: "report-rows" }) : h("p", {}, "没有错误或警告 No errors or warnings"),
    h("button", { type: "button", id: "download-report", onclick: () => act(() => download("intake", `${base}/errors.csv`, `errors-${batchId.slice(0, 8)}.csv`)) }, "下载报告 Download the report (CSV)"));
}
const BATCH_STATES = {
  received: "已收到 received", running: "导入中 importing", completed: "已完成 completed", failed: "失败 failed",
};
function batchList(shown) {
  return pagedTable({
    service: "intake", path: `/clients/${encodeURIComponent(S.bank)}/case-files`, id: "batches",
    cursors: kept("batches", () => [null]), empty: "还没有案件文件 No case files yet",
    headers: ["收到 received", "文件 file", "状态 state",
      "行数 rows", "导入 imported", "更新 updated", "拒绝 rejected", "有警告 warnings", "录入时限 entry"],
    row: (b) => h("tr", { dataset: { batch: b.id }, "aria-current": b.id === shown ? "true" : null },
      h("td", {}, when(b.received_at)),
      h("td", {}, h("a", { href: `#/bank/${encodeURIComponent(b.id)}`, title: "打开校验报告 open its validation report" }, b.filename)),
      h("td", {}, BATCH_STATES[b.state] || b.state, b.failure ? h("div", { class: "muted" }, b.failure) : null),
      h("td", {}, b.rows_total), h("td", {}, b.rows_imported), h("td", {}, b.rows_updated),
      h("td", { class: "rejected" }, b.rows_rejected ? h("span", { class: "badge late" }, b.rows_rejected) : "0"),
      h("td", {}, b.rows_with_warnings),
      h("td", {}, b.entry_overdue ? h("span", { class: "badge late" }, "超过2小时 over 2 hours") : "✓")),
  });
}
VIEWS.bank = async (batchId) => {
  const shown = h("div", {});
  if (batchId) shown.replaceChildren(await batchReport(batchId));
  const upload = onSubmit(h("form", { id: "case-file-form" },
    field("案件文件 case file (CSV, XLSX, JSON Lines)", input("file", { type: "file", required: true })),
    h("button", { type: "submit" }, "上传 Send the file")), async (f) => {
    const data = new FormData();
    data.append("file", f.file.files[0]);
    const b = await act(() => call("intake", `/clients/${S.bank}/case-files`, { body: data }), "已收到 File received");
    if (b) { KEPT.batches = [null]; location.hash = `#/bank/${b.id}`; }
  });
  const open = onSubmit(h("form", { class: "inline", id: "batch-form" },
    field("批次编号 batch id", input("batch", { required: true })),
    h("button", { type: "submit" }, "查看报告 Show its report")), (f) => { location.hash = `#/bank/${encodeURIComponent(f.batch.value)}`; });
  const files = batchList(batchId);
  await files.load();
  return [shown,
    h("section", { class: "card", id: "case-files" }, h("h2", {}, `${S.bank} · 案件文件 Case files — 最新在前 newest first`), files.box),
    h("section", { class: "card" }, h("h2", {}, "上传或查找 Send or find a file"), h("div", { class: "grid" }, upload, open))];
};
function bankCaseList(shown) {
  const state = kept("bank-cases", () => ({ prefix: "", cursors: [null] }));
  const list = pagedTable({
    service: "intake", path: `/clients/${encodeURIComponent(S.bank)}/cases`, id: "bank-cases", cursors: state.cursors,
    params: () => (state.prefix ? { account_ref: state.prefix } : {}), empty: "没有案件 No cases",
    headers: ["账号 account", "债务人 debtor", "状态 state", "欠款 owed", "逾期天数 days past due", "账龄 bucket"],
    row: (c) => h("tr", { dataset: { ref: c.account_ref }, "aria-current": c.account_ref === shown ? "true" : null },
      h("td", {}, h("a", { href: `#/bank-case/${encodeURIComponent(c.account_ref)}` }, c.account_ref)),
      h("td", {}, c.debtor_name), h("td", {}, c.state), h("td", {}, `¥ ${c.total_owed}`),
      h("td", {}, c.days_past_due ?? "–"), h("td", {}, c.bucket || "–")),
  });
  const filter = onSubmit(h("form", { class: "inline", id: "bank-cases-filter" },
    field("按账号开头筛选 filter by how the reference begins", input("prefix", { value: state.prefix })),
    h("button", { type: "submit" }, "筛选 Filter")), (f) => act(() => {
    state.prefix = f.prefix.value.trim();
    state.cursors.splice(0, state.cursors.length, null);
    return list.load();
  }));
  return { box: h("div", {}, filter, list.box), load: () => list.load() };
}
VIEWS["bank-case"] = async (ref) => {
  const shown = h("div", {});
  const cases = bankCaseList(ref);
  await cases.load();
  const form = onSubmit(h("form", { class: "inline", id: "bank-case-form" },
    field("账号 account reference", input("ref", { required: true, value: ref || "" })),
    h("button", { type: "submit" }, "查找 Find")), (f) => { location.hash = `#/bank-case/${encodeURIComponent(f.ref.value)}`; });
  if (ref) {
    const c = await call("intake", `/clients/${S.bank}/cases/${encodeURIComponent(ref)}`);
    const [timeline, letters] = await Promise.all([
      optional(list("reporting", `/cases/${c.id}/timeline`), []),
      optional(list("letters", `/cases/${c.id}/letters`), []),
    ]);
    shown.replaceChildren(h("div", { class: "grid" },
      h("section", { class: "card", id: "bank-case" }, h("h2", {}, `${c.account_ref} · ${c.debtor_name}`),
        h("dl", { class: "facts" },
          h("dt", {}, "状态 state"), h("dd", {}, c.state), h("dt", {}, "欠款 owed"), h("dd", {}, `¥ ${c.total_owed}`),
          h("dt", {}, "逾期天数 days past due"), h("dd", {}, c.days_past_due ?? "–"), h("dt", {}, "账龄 bucket"), h("dd", {}, c.bucket || "–")),
        h("h3", {}, "函件与证据 Letters and evidence"),
        letters.length ? table(["函件 letter", "开具 issued", "寄送 dispatch", "送达 delivery", ""], letterRows(c.id, letters).map((r) => { r.children[2].remove(); return r; }))
          : h("p", { class: "muted" }, "暂无 none")),
      h("section", { class: "card" }, h("h3", {}, "时间线 Timeline"), timelineTable(timeline))));
  }
  return [shown, h("section", { class: "card", id: "bank-case-list" }, h("h2", {}, "我的案件 My cases — 按账号 by account reference"), form, cases.box)];
};
VIEWS["bank-statement"] = async () => {
  const shown = h("div", { id: "statement" });
  const month = new Intl.DateTimeFormat("en-CA", { timeZone: SHANGHAI }).format(new Date()).slice(0, 7);
  const form = onSubmit(h("form", { class: "inline", id: "statement-form" },
    field("月份 month", input("month", { type: "month", value: month, required: true })),
    h("button", { type: "submit" }, "查看 Show"),
    h("button", { type: "button", id: "download-statement", onclick: () => act(() => download("reporting", `/reports/reconciliation/${S.bank}?month=${form.month.value}&format=csv`, `reconciliation-${S.bank}-${form.month.value}.csv`), "已下载 Downloaded") }, "下载 Download (CSV)"),
    h("button", { type: "button", onclick: () => act(() => download("reporting", `/reports/reconciliation/${S.bank}?month=${form.month.value}&format=xlsx`, `reconciliation-${S.bank}-${form.month.value}.xlsx`)) }, "下载 Download (XLSX)")), async (f) => {
    const s = await act(() => call("reporting", `/reports/reconciliation/${S.bank}?month=${f.month.value}`));
    if (!s) return;
    shown.replaceChildren(reportView(s));
  });
  return h("section", { class: "card" }, h("h2", {}, `${S.bank} · 月度对账单 Monthly reconciliation statement`), form, shown);
};

// ---------- start ----------
async function start() {
  if (!S.config) S.config = await (await fetch("/desk/config.json")).json();
  S.token = sessionStorage.getItem(TOKEN_KEY);
  S.bank = sessionStorage.getItem(BANK_KEY);
  const signedIn = !!S.token;
  document.getElementById("signin").hidden = signedIn;
  document.getElementById("signout").hidden = !signedIn;
  document.getElementById("view").hidden = !signedIn;
  document.getElementById("nav").replaceChildren();
  document.getElementById("who").textContent = "";
  if (!signedIn) { document.body.dataset.loaded = "yes"; document.body.dataset.page = "signin"; return; }
  if (!S.bank) {
    try { S.me = await call("assignment", "/auth/me"); } catch (e) { notice(e.message); return; }
  }
  document.getElementById("who").textContent = S.bank ? `银行 bank ${S.bank}` : `${S.me.id.slice(0, 8)} · ${S.me.role}`;
  await route();
}
document.addEventListener("DOMContentLoaded", () => {
  onSubmit(document.getElementById("staff-signin"), staffSignIn);
  onSubmit(document.getElementById("bank-signin"), bankSignIn);
  document.getElementById("signout").addEventListener("click", signOut);
  window.addEventListener("hashchange", route);
  start();
});
