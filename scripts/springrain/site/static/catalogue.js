// springrain catalogue: filters, sorts and pages the project index in the browser.
// Every value from the data is written with textContent, never as HTML. The current view
// lives in the URL query (?province=GD&class=第二类&sort=updated&page=2) so it can be shared.
(function () {
  "use strict";
  var root = document.getElementById("sr-catalogue");
  if (!root) return;
  var PAGE = 50;
  var SORTS = {
    updated: ["最近更新", function (c, a, b) { return c.updated[b] - c.updated[a] || cmp(c.id[a], c.id[b]); }],
    submitted: ["最新提交", function (c, a, b) { return c.submitted[b] - c.submitted[a] || cmp(c.id[a], c.id[b]); }],
    id: ["项目编号", function (c, a, b) { return cmp(c.id[a], c.id[b]); }],
    name: ["项目名称", function (c, a, b) { return collator.compare(c.name[a], c.name[b]) || cmp(c.id[a], c.id[b]); }],
    status: ["状态（进展靠后优先）", function (c, a, b) { return c.status[b] - c.status[a] || cmp(c.id[a], c.id[b]); }]
  };
  var collator = new Intl.Collator("zh-Hans-CN");
  function cmp(x, y) { return x < y ? -1 : x > y ? 1 : 0; }
  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (attrs) for (var k in attrs) node.setAttribute(k, attrs[k]);
    return node;
  }
  // Dates are days since 2000-01-01; ids a prefix (GD-2025-) and a delta-coded number.
  function day(n) { return n ? new Date(Date.UTC(2000, 0, 1) + n * 864e5).toISOString().slice(0, 10) : ""; }
  function undelta(values) {
    var out = new Array(values.length), sum = 0;
    for (var i = 0; i < values.length; i++) { sum += values[i]; out[i] = sum; }
    return out;
  }
  function decode(json) {
    var c = json.cols;
    (json.delta || []).forEach(function (key) { c[key] = undelta(c[key]); });
    if (json.ids.ids) { c.id = json.ids.ids; return; }
    var prefixes = json.ids.id_prefixes, numbers = undelta(json.ids.id_number), pre = json.ids.id_prefix;
    c.id = new Array(json.n);
    for (var i = 0; i < json.n; i++) {
      var num = String(numbers[i]);
      c.id[i] = prefixes[pre[i]] + (num.length < 4 ? "0000".slice(num.length) + num : num);
    }
  }

  var form = root.querySelector("form");
  var status = root.querySelector("[data-sr=count]");
  var tbody = root.querySelector(".sr-results tbody");
  var pager = root.querySelectorAll(".sr-pager");
  var data, dims, cols, selects = {};

  function state() {
    var q = new URLSearchParams(location.search), s = { page: 1, sort: "updated", q: q.get("q") || "" };
    Object.keys(dims).forEach(function (key) { s[key] = q.get(key) || ""; });
    if (SORTS[q.get("sort")]) s.sort = q.get("sort");
    s.page = Math.max(1, parseInt(q.get("page"), 10) || 1);
    return s;
  }
  function writeState(s, push) {
    var q = new URLSearchParams();
    Object.keys(dims).forEach(function (key) { if (s[key]) q.set(key, s[key]); });
    if (s.q) q.set("q", s.q);
    if (s.sort !== "updated") q.set("sort", s.sort);
    if (s.page > 1) q.set("page", String(s.page));
    var url = location.pathname + (q.toString() ? "?" + q.toString() : "");
    if (push) history.pushState(null, "", url); else history.replaceState(null, "", url);
  }
  function buildForm() {
    var fields = root.querySelector(".sr-filters");
    Object.keys(dims).forEach(function (key) {
      var dim = dims[key], wrap = el("label", dim.title), select = el("select", null, { name: key });
      select.appendChild(el("option", "全部", { value: "" }));
      var counts = new Array(dim.codes.length).fill(0), col = cols[key];
      for (var i = 0; i < col.length; i++) counts[col[i]]++;
      dim.codes.forEach(function (code, i) {
        select.appendChild(el("option", dim.labels[i] + "（" + counts[i] + "）", { value: code }));
      });
      wrap.appendChild(select);
      fields.appendChild(wrap);
      selects[key] = select;
    });
    var sortWrap = el("label", "排序"), sort = el("select", null, { name: "sort" });
    Object.keys(SORTS).forEach(function (key) { sort.appendChild(el("option", SORTS[key][0], { value: key })); });
    sortWrap.appendChild(sort);
    fields.appendChild(sortWrap);
    selects.sort = sort;
  }
  function syncForm(s) {
    Object.keys(selects).forEach(function (key) { selects[key].value = s[key] || ""; });
    selects.sort.value = s.sort;
    form.elements.q.value = s.q;
  }
  function readForm() {
    var s = { page: 1, sort: selects.sort.value || "updated", q: form.elements.q.value.trim() };
    Object.keys(dims).forEach(function (key) { s[key] = selects[key].value; });
    return s;
  }
  function select(s) {
    var wanted = [];
    Object.keys(dims).forEach(function (key) {
      if (!s[key]) return;
      var index = dims[key].codes.indexOf(s[key]);
      wanted.push([cols[key], index]);
    });
    var words = s.q ? s.q.toLowerCase().split(/\s+/) : [], inst = dims.institution.labels;
    var rows = [];
    outer: for (var i = 0; i < data.n; i++) {
      for (var w = 0; w < wanted.length; w++) if (wanted[w][0][i] !== wanted[w][1]) continue outer;
      if (words.length) {
        var hay = (cols.name[i] + " " + cols.id[i] + " " + inst[cols.institution[i]]).toLowerCase();
        for (var k = 0; k < words.length; k++) if (hay.indexOf(words[k]) < 0) continue outer;
      }
      rows.push(i);
    }
    var by = SORTS[s.sort][1];
    rows.sort(function (a, b) { return by(cols, a, b); });
    return rows;
  }
  function render(push) {
    var s = state(), rows = select(s), pages = Math.max(1, Math.ceil(rows.length / PAGE));
    if (s.page > pages) s.page = pages;
    syncForm(s);
    tbody.textContent = "";
    var frag = document.createDocumentFragment();
    rows.slice((s.page - 1) * PAGE, s.page * PAGE).forEach(function (i) {
      var tr = el("tr"), name = el("td"), link = el("a", cols.name[i], { href: "projects/" + encodeURIComponent(cols.id[i]) + ".html" });
      name.appendChild(link);
      tr.appendChild(el("td", cols.id[i]));
      tr.appendChild(name);
      tr.appendChild(el("td", dims.province.labels[cols.province[i]], { "class": "sr-optional" }));
      tr.appendChild(el("td", dims.institution.labels[cols.institution[i]], { "class": "sr-optional" }));
      tr.appendChild(el("td", dims["class"].labels[cols["class"][i]], { "class": "sr-optional" }));
      tr.appendChild(el("td", dims.status.labels[cols.status[i]]));
      tr.appendChild(el("td", day(cols.updated[i]), { "class": "sr-optional" }));
      frag.appendChild(tr);
    });
    tbody.appendChild(frag);
    status.textContent = "共 " + rows.length + " 个项目，第 " + s.page + " / " + pages + " 页";
    pager.forEach(function (p) {
      p.querySelector("[data-sr=prev]").disabled = s.page <= 1;
      p.querySelector("[data-sr=next]").disabled = s.page >= pages;
      p.querySelector("[data-sr=page]").textContent = s.page + " / " + pages;
    });
    if (!root.hasAttribute("data-ready")) root.setAttribute("data-ready-ms", String(Math.round(performance.now())));
    root.setAttribute("data-ready", "true");
  }
  function go(delta) {
    var s = state(); s.page += delta; writeState(s, true); render(); window.scrollTo(0, root.offsetTop);
  }
  fetch(root.getAttribute("data-index")).then(function (r) {
    if (!r.ok) throw new Error(r.status);
    return r.json();
  }).then(function (json) {
    decode(json);
    data = json; dims = json.dims; cols = json.cols;
    buildForm();
    form.addEventListener("change", function () { writeState(readForm(), true); render(); });
    form.addEventListener("submit", function (e) { e.preventDefault(); writeState(readForm(), true); render(); });
    form.addEventListener("reset", function (e) { e.preventDefault(); history.pushState(null, "", location.pathname); render(); });
    pager.forEach(function (p) {
      p.querySelector("[data-sr=prev]").addEventListener("click", function () { go(-1); });
      p.querySelector("[data-sr=next]").addEventListener("click", function () { go(1); });
    });
    window.addEventListener("popstate", function () { render(); });
    render();
  }).catch(function () {
    status.textContent = "目录数据加载失败，请刷新页面或到“数据下载”页获取完整数据。";
  });
})();
