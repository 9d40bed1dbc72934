// springrain directories (the project catalogue and the enterprise directory), in the browser:
// multi-select filters whose counts respect the other selections, a keyword, sorting, pages,
// export of the filtered list as CSV or Excel (written here, nothing leaves the browser), and
// an empty result that says which condition to drop, and where else to look. The keyword
// matches a record's name and id and the labels of the dimensions the index names
// (catalogue.keyword_dimensions: province, status, class, institution …), as the site's
// search finds records by them; each character read as its NFKC form on both sides, as search
// reads text (search_index.fold): ＳＨ－２０２６－００８７ is SH-2026-0087. The view lives in the
// URL query (?province=GD&province=SH&class=第二类&page=2) so it can be shared.
// Every value from the data is written with textContent, never as HTML.
(function () {
  "use strict";
  var root = document.getElementById("sr-catalogue");
  if (!root) return;
  // Fewer rows a page on a phone, where each row is a card.
  var PAGE = window.matchMedia("(max-width: 44.9375em)").matches ? 20 : 50, SHORT_LIST = 12;
  var noun = root.getAttribute("data-noun") || "项目";
  var collator = new Intl.Collator("zh-Hans-CN");
  var form = root.querySelector("form");
  var status = root.querySelector("[data-sr=count]");
  var emptyBox = root.querySelector("[data-sr=empty]");
  var facetList = root.querySelector(".sr-facet-list");
  var chosenBox = root.querySelector("[data-sr=chosen]");
  var exportBox = root.querySelector(".sr-dir-export");
  var head = root.querySelector(".sr-results thead tr");
  var tbody = root.querySelector(".sr-results tbody");
  var pager = root.querySelector(".sr-pager");
  var data, dims, cols, keys, columns, sorts, expanded = {}, texts, labelTexts;

  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (attrs) for (var k in attrs) node.setAttribute(k, attrs[k]);
    return node;
  }
  function cmp(x, y) { return x < y ? -1 : x > y ? 1 : 0; }
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
  // The code numbers a row holds in a dimension (one, a bit mask, or a list).
  function codesOf(key, i) {
    var dim = dims[key], v = cols[key][i];
    if (dim.multi === "one") return [v];
    if (dim.multi === "list") return v;
    var out = [];
    for (var b = 0; v; b++, v >>>= 1) if (v & 1) out.push(b);
    return out;
  }
  function labelOf(key, i) {
    var dim = dims[key];
    return codesOf(key, i).map(function (k) { return dim.labels[k]; }).join("、");
  }

  // ---------------------------------------------------------------- state in the URL
  function state() {
    var q = new URLSearchParams(location.search), s = { q: q.get("q") || "", sel: {} };
    keys.forEach(function (key) {
      var wanted = {};
      q.getAll(key).forEach(function (value) {
        // A value as a whole first: a city may hold a comma. Else a list written by hand
        // (?province=GD,FJ).
        var parts = dims[key].codes.indexOf(value) >= 0 ? [value] : value.split(",");
        parts.forEach(function (c) {
          var k = dims[key].codes.indexOf(c);
          if (k >= 0) wanted[k] = true;
        });
      });
      if (Object.keys(wanted).length) s.sel[key] = wanted;
    });
    // Own keys only: ?sort=__proto__ is no sort.
    s.sort = Object.prototype.hasOwnProperty.call(sorts, q.get("sort")) ? q.get("sort") : Object.keys(sorts)[0];
    s.page = Math.max(1, parseInt(q.get("page"), 10) || 1);
    return s;
  }
  function writeState(s, push) {
    var q = new URLSearchParams();
    if (s.q) q.set("q", s.q);
    keys.forEach(function (key) {
      if (!s.sel[key]) return;
      Object.keys(s.sel[key]).map(Number).sort(function (a, b) { return a - b; }).forEach(function (k) {
        q.append(key, dims[key].codes[k]);
      });
    });
    if (s.sort !== Object.keys(sorts)[0]) q.set("sort", s.sort);
    if (s.page > 1) q.set("page", String(s.page));
    var url = location.pathname + (q.toString() ? "?" + q.toString() : "") + location.hash;
    if (push) history.pushState(null, "", url); else history.replaceState(null, "", url);
  }

  // ---------------------------------------------------------------- filtering and counting
  // search_index.fold: each character as its NFKC form, one at a time (ASCII and the
  // common Chinese characters are their own, and skipped: 25,000 names are folded at once);
  // then lower case.
  function fold(text) { return window.SpringrainText.fold(text).toLowerCase(); }  // text.js
  // The keyword's words, each with what holds it: the rows' names and ids are folded once,
  // on the first keyword; each word is matched against each keyword dimension's labels
  // (none against the missing value's), and a row then holds it if one of its codes does.
  function keyword(q) {
    if (!texts) {
      texts = cols.name.map(function (name, i) { return fold(name + " " + cols.id[i]); });
      labelTexts = {};
      (data.keyword || []).forEach(function (key) {
        labelTexts[key] = dims[key].labels.map(function (text, k) { return dims[key].codes[k] === "" ? "" : fold(text); });
      });
    }
    return fold(q).split(/\s+/).filter(Boolean).map(function (word) {
      var held = [];
      Object.keys(labelTexts).forEach(function (key) {
        var codes = {}, any = false;
        labelTexts[key].forEach(function (text, k) {
          if (text && text.indexOf(word) >= 0) { codes[k] = true; any = true; }
        });
        if (any) held.push({ key: key, codes: codes });
      });
      return { word: word, held: held };
    });
  }
  function matchesWord(i, words) {
    for (var k = 0; k < words.length; k++) {
      var w = words[k];
      if (texts[i].indexOf(w.word) >= 0) continue;
      var found = false;
      for (var h = 0; !found && h < w.held.length; h++) found = passes(w.held[h].key, i, w.held[h].codes);
      if (!found) return false;
    }
    return true;
  }
  function passes(key, i, wanted) {
    var dim = dims[key], v = cols[key][i];
    if (dim.multi === "one") return wanted[v] === true;
    if (dim.multi === "bits") { for (var k in wanted) if (v & (1 << k)) return true; return false; }
    for (var j = 0; j < v.length; j++) if (wanted[v[j]]) return true;
    return false;
  }
  // One pass: the rows shown, each dimension's counts given every other selection, and how
  // many rows each single selection (or the keyword) is keeping out.
  function select(s) {
    var active = keys.filter(function (key) { return s.sel[key]; });
    var words = s.q ? keyword(s.q) : [];
    var counts = {}, without = { q: 0 }, rows = [];
    keys.forEach(function (key) { counts[key] = new Array(dims[key].codes.length).fill(0); without[key] = 0; });
    for (var i = 0; i < data.n; i++) {
      var failed = null, twice = false;
      for (var a = 0; a < active.length; a++) {
        if (!passes(active[a], i, s.sel[active[a]])) {
          if (failed !== null) { twice = true; break; }
          failed = active[a];
        }
      }
      if (twice) continue;
      var wordOk = matchesWord(i, words);
      if (!wordOk) { if (failed === null) without.q++; continue; }
      var list = failed === null ? keys : [failed];
      for (var d = 0; d < list.length; d++) {
        var key = list[d];
        if (!dims[key].facet) continue;
        var held = codesOf(key, i);
        for (var h = 0; h < held.length; h++) counts[key][held[h]]++;
      }
      if (failed === null) rows.push(i); else without[failed]++;
    }
    var by = sorts[s.sort][1];
    rows.sort(function (a, b) { return by(a, b); });
    return { rows: rows, counts: counts, without: without };
  }

  // ---------------------------------------------------------------- the filters
  function buildFacets() {
    facetList.textContent = "";
    keys.forEach(function (key) {
      var dim = dims[key];
      if (!dim.facet || dim.codes.length < 2) return;
      var box = el("details", null, { "class": "sr-facet", "data-key": key });
      var summary = el("summary", dim.short);
      summary.appendChild(el("span", "", { "class": "sr-facet-n" }));
      box.appendChild(summary);
      var fieldset = el("fieldset");
      fieldset.appendChild(el("legend", dim.short, { "class": "sr-vh" }));
      dim.codes.forEach(function (code, k) {
        var lab = el("label"), box2 = el("input", null, { type: "checkbox", name: key, value: code });
        box2.setAttribute("data-k", String(k));
        lab.appendChild(box2);
        lab.appendChild(el("span", dim.labels[k]));
        lab.appendChild(el("span", "", { "class": "sr-n" }));
        fieldset.appendChild(lab);
      });
      box.appendChild(fieldset);
      if (dim.codes.length > SHORT_LIST) {
        var more = el("button", "", { type: "button", "class": "sr-more" });
        more.addEventListener("click", function () { expanded[key] = !expanded[key]; render(false); });
        box.appendChild(more);
      }
      facetList.appendChild(box);
    });
  }
  function syncFacets(s, result) {
    facetList.querySelectorAll(".sr-facet").forEach(function (box) {
      var key = box.getAttribute("data-key"), wanted = s.sel[key] || {}, counts = result.counts[key];
      var chosen = Object.keys(wanted).length;
      box.querySelector(".sr-facet-n").textContent = chosen ? "（已选 " + chosen + "）" : "";
      var order = counts.map(function (n, k) { return [n, k]; }).sort(function (x, y) { return y[0] - x[0] || x[1] - y[1]; });
      var shown = {};
      order.slice(0, expanded[key] ? order.length : SHORT_LIST).forEach(function (pair) { shown[pair[1]] = true; });
      box.querySelectorAll("label").forEach(function (lab) {
        var input = lab.querySelector("input"), k = Number(input.getAttribute("data-k"));
        input.checked = wanted[k] === true;
        input.disabled = !counts[k] && !input.checked;
        lab.querySelector(".sr-n").textContent = "（" + counts[k] + "）";
        lab.hidden = !(shown[k] || input.checked);
      });
      var more = box.querySelector(".sr-more");
      if (more) more.textContent = expanded[key] ? "只显示常见的 " + SHORT_LIST + " 项" : "显示全部 " + counts.length + " 项";
    });
    chosenBox.textContent = "";
    var chips = conditions(s);
    chips.forEach(function (c) {
      var chip = el("button", c.text + " ×", { type: "button", "class": "sr-chip", "aria-label": "去掉条件：" + c.text });
      chip.addEventListener("click", function (e) { e.preventDefault(); apply(c.drop(s)); });
      chosenBox.appendChild(chip);
    });
  }
  // Each active condition, its words, and the state without it.
  function conditions(s) {
    var out = [];
    if (s.q) out.push({ key: "q", text: "关键词“" + s.q + "”", drop: function (t) { var c = copy(t); c.q = ""; return c; } });
    keys.forEach(function (key) {
      if (!s.sel[key]) return;
      var names = Object.keys(s.sel[key]).map(function (k) { return dims[key].labels[k]; });
      out.push({ key: key, text: dims[key].short + "：" + names.join("或"), drop: function (t) { var c = copy(t); delete c.sel[key]; return c; } });
    });
    return out;
  }
  function copy(s) {
    var c = { q: s.q, sort: s.sort, page: 1, sel: {} };
    Object.keys(s.sel).forEach(function (k) { c.sel[k] = Object.assign({}, s.sel[k]); });
    return c;
  }
  function apply(s, keepPage) {
    if (!keepPage) s.page = 1;
    writeState(s, true);
    render(false);
  }
  function readForm() {
    var s = copy(state());
    s.q = form.elements.q.value.trim();
    s.sort = form.elements.sort.value;
    s.sel = {};
    facetList.querySelectorAll("input:checked").forEach(function (input) {
      var key = input.name;
      (s.sel[key] = s.sel[key] || {})[Number(input.getAttribute("data-k"))] = true;
    });
    return s;
  }

  // ---------------------------------------------------------------- the list
  function buildHead() {
    head.textContent = "";
    columns.forEach(function (c) { head.appendChild(el("th", c[0], { scope: "col" })); });
  }
  function row(i) {
    var tr = el("tr");
    columns.forEach(function (c, n) {
      var td = el("td", null, { "data-label": c[0] });
      if (n === 1) {
        td.appendChild(el("a", cols.name[i] || cols.id[i], { href: data.folder + "/" + encodeURIComponent(cols.id[i]) + ".html" }));
      } else td.textContent = c[1](i);
      tr.appendChild(td);
    });
    return tr;
  }
  function explainEmpty(s, result) {
    emptyBox.textContent = "";
    var parts = conditions(s);
    emptyBox.appendChild(el("p", "没有同时符合全部条件的" + noun + "。" + (parts.length ? "可以去掉其中一个条件：" : "")));
    var list = el("ul");
    parts.forEach(function (c) {
      var n = result.without[c.key] || 0;
      var li = el("li"), btn = el("button", "去掉" + c.text, { type: "button", "class": "md-button" });
      btn.addEventListener("click", function () { apply(c.drop(s)); });
      li.appendChild(btn);
      li.appendChild(el("span", n ? "：会有 " + n + " 个" + noun : "：仍然没有结果", { "class": "sr-meta" }));
      list.appendChild(li);
    });
    if (parts.length) emptyBox.appendChild(list);
    if (parts.length > 1) {
      var all = el("button", "清除全部条件", { type: "button", "class": "md-button md-button--primary" });
      all.addEventListener("click", function () { apply({ q: "", sort: s.sort, page: 1, sel: {} }); });
      emptyBox.appendChild(all);
    }
    if (s.q) emptyBox.appendChild(keywordHint(s.q));
  }
  // Where else a keyword that finds nothing may be looked for: the province and status
  // filters (those of them this directory has), and the search page, which reads every
  // field's words.
  function keywordHint(q) {
    var filters = ["province", "status"].filter(function (key) { return dims[key] && dims[key].facet; })
      .map(function (key) { return "“" + dims[key].short + "”"; }).join("");
    var p = el("p", "也可以" + (filters ? "改用上方筛选条件中的" + filters + "，或" : "") + "用", { "data-sr": "hint" });
    p.appendChild(el("a", "搜索", { href: "search.html?q=" + encodeURIComponent(q) }));
    p.appendChild(document.createTextNode("页查找“" + q + "”：搜索查找项目和企业各栏的文字。"));
    return p;
  }
  var last;
  function render() {
    var s = state(), result = select(s), rows = result.rows;
    var pages = Math.max(1, Math.ceil(rows.length / PAGE));
    if (s.page > pages) s.page = pages;
    form.elements.q.value = s.q;
    form.elements.sort.value = s.sort;
    syncFacets(s, result);
    tbody.textContent = "";
    var frag = document.createDocumentFragment();
    rows.slice((s.page - 1) * PAGE, s.page * PAGE).forEach(function (i) { frag.appendChild(row(i)); });
    tbody.appendChild(frag);
    root.querySelector(".sr-results").hidden = !rows.length;
    emptyBox.hidden = rows.length > 0;
    if (!rows.length) explainEmpty(s, result);
    exportBox.hidden = !rows.length;
    status.textContent = "共 " + rows.length + " 个" + noun + (rows.length ? "，第 " + s.page + " / " + pages + " 页" : "");
    pager.hidden = pages < 2;
    pager.querySelector("[data-sr=prev]").disabled = s.page <= 1;
    pager.querySelector("[data-sr=next]").disabled = s.page >= pages;
    pager.querySelector("[data-sr=page]").textContent = "第 " + s.page + " / " + pages + " 页";
    last = rows;
    if (!root.hasAttribute("data-ready")) root.setAttribute("data-ready-ms", String(Math.round(performance.now())));
    root.setAttribute("data-ready", "true");
  }
  function go(delta) {
    var s = state(); s.page += delta; writeState(s, true); render();
    root.querySelector("[data-sr=count]").scrollIntoView();
  }

  // ---------------------------------------------------------------- export
  function table() {
    var header = [data.titles.id, data.titles.name];
    var dimKeys = keys.slice();
    dimKeys.forEach(function (key) { header.push(dims[key].title); });
    header.push(data.titles.submitted);
    if (cols.updated) header.push(data.titles.updated);
    header.push("页面地址");
    var base = new URL(data.folder + "/", location.href).href;
    var body = last.map(function (i) {
      var r = [cols.id[i], cols.name[i]];
      dimKeys.forEach(function (key) { r.push(labelOf(key, i)); });
      r.push(day(cols.submitted[i]));
      if (cols.updated) r.push(day(cols.updated[i]));
      r.push(base + encodeURIComponent(cols.id[i]) + ".html");
      return r;
    });
    return [header].concat(body);
  }
  // A cell a spreadsheet would read as a formula is written as text.
  function safe(value) {
    var v = String(value === undefined || value === null ? "" : value);
    return /^[=+\-@\t\r]/.test(v) ? "'" + v : v;
  }
  function fileName(ext) {
    return (noun === "企业" ? "春雨行动企业名录" : "春雨行动项目目录") + "-筛选结果-" + new Date().toISOString().slice(0, 10) + "." + ext;
  }
  function save(blob, name) {
    var a = el("a", null, { href: URL.createObjectURL(blob), download: name });
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }
  function csv() {
    var text = table().map(function (r) {
      return r.map(function (v) { return '"' + safe(v).replace(/"/g, '""') + '"'; }).join(",");
    }).join("\r\n") + "\r\n";
    // A byte order mark, so that Excel reads the file as UTF-8.
    save(new Blob(["\ufeff" + text], { type: "text/csv;charset=utf-8" }), fileName("csv"));
  }
  // ---- a minimal .xlsx: one sheet of inline strings, in a stored (uncompressed) zip
  var CRC = (function () {
    var t = new Uint32Array(256);
    for (var n = 0; n < 256; n++) { var c = n; for (var k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; t[n] = c >>> 0; }
    return t;
  })();
  function crc32(bytes) {
    var c = 0xffffffff;
    for (var i = 0; i < bytes.length; i++) c = CRC[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  }
  function zip(files) {
    var enc = new TextEncoder(), parts = [], central = [], offset = 0;
    function u16(v) { return [v & 255, (v >>> 8) & 255]; }
    function u32(v) { return [v & 255, (v >>> 8) & 255, (v >>> 16) & 255, (v >>> 24) & 255]; }
    files.forEach(function (f) {
      var name = enc.encode(f[0]), body = enc.encode(f[1]), crc = crc32(body);
      var common = [].concat(u16(20), u16(0x0800), u16(0), u16(0), u16(0x21), u32(crc), u32(body.length), u32(body.length), u16(name.length), u16(0));
      var local = new Uint8Array([].concat(u32(0x04034b50), common));
      parts.push(local, name, body);
      central.push(new Uint8Array([].concat(u32(0x02014b50), u16(20), common, u16(0), u16(0), u16(0), u32(0), u32(offset))), name);
      offset += local.length + name.length + body.length;
    });
    var size = central.reduce(function (n, p) { return n + p.length; }, 0);
    var end = new Uint8Array([].concat(u32(0x06054b50), u16(0), u16(0), u16(files.length), u16(files.length), u32(size), u32(offset), u16(0)));
    return new Blob(parts.concat(central, [end]), { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" });
  }
  function xml(v) {
    return String(v === undefined || v === null ? "" : v)
      .replace(/[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd]/g, "")
      .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }
  function column(n) { var s = ""; n++; while (n) { var m = (n - 1) % 26; s = String.fromCharCode(65 + m) + s; n = Math.floor((n - 1) / 26); } return s; }
  function xlsx() {
    var rows = table();
    var sheet = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
      '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>' +
      rows.map(function (r, y) {
        return '<row r="' + (y + 1) + '">' + r.map(function (v, x) {
          // Every cell a string: nothing from the data can become a formula or a number.
          return '<c r="' + column(x) + (y + 1) + '" t="inlineStr"><is><t xml:space="preserve">' + xml(v) + "</t></is></c>";
        }).join("") + "</row>";
      }).join("") + "</sheetData></worksheet>";
    var ns = "http://schemas.openxmlformats.org/";
    save(zip([
      ["[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="' + ns + 'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'],
      ["_rels/.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="' + ns + 'package/2006/relationships"><Relationship Id="rId1" Type="' + ns + 'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'],
      ["xl/workbook.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="' + ns + 'spreadsheetml/2006/main" xmlns:r="' + ns + 'officeDocument/2006/relationships"><sheets><sheet name="' + xml(noun) + '" sheetId="1" r:id="rId1"/></sheets></workbook>'],
      ["xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="' + ns + 'package/2006/relationships"><Relationship Id="rId1" Type="' + ns + 'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'],
      ["xl/worksheets/sheet1.xml", sheet]
    ]), fileName("xlsx"));
  }

  // ---------------------------------------------------------------- set-up
  function setup(json) {
    decode(json);
    data = json; dims = json.dims; cols = json.cols; keys = Object.keys(dims);
    var project = json.kind === "project";
    var byName = function (a, b) { return collator.compare(cols.name[a], cols.name[b]) || cmp(cols.id[a], cols.id[b]); };
    var byId = function (a, b) { return cmp(cols.id[a], cols.id[b]); };
    sorts = project ? {
      updated: ["最近更新", function (a, b) { return cols.updated[b] - cols.updated[a] || byId(a, b); }],
      submitted: ["最新提交", function (a, b) { return cols.submitted[b] - cols.submitted[a] || byId(a, b); }],
      id: ["编号", byId],
      name: ["名称", byName],
      status: ["进展靠后的在前", function (a, b) { return cols.status[b] - cols.status[a] || byId(a, b); }]
    } : {
      id: ["编号", byId],
      name: ["名称", byName],
      submitted: ["最新登记", function (a, b) { return cols.submitted[b] - cols.submitted[a] || byId(a, b); }]
    };
    var place = function (i) {
      var p = dims.province.labels[cols.province[i]];
      return dims.city ? p + " " + dims.city.labels[cols.city[i]].replace("（未填）", "") : p;
    };
    columns = project ? [
      [json.titles.id, function (i) { return cols.id[i]; }],
      [json.titles.name, null],
      ["地区", place],
      [dims.institution.short, function (i) { return dims.institution.labels[cols.institution[i]]; }],
      [dims["class"].short, function (i) { return labelOf("class", i); }],
      [dims.stage.short, function (i) { return labelOf("stage", i); }],
      [dims.status.short, function (i) { return labelOf("status", i); }],
      ["最近更新", function (i) { return day(cols.updated[i]); }]
    ] : [
      [json.titles.id, function (i) { return cols.id[i]; }],
      [json.titles.name, null],
      [dims.province.short, place],
      [dims.field.short, function (i) { return labelOf("field", i); }],
      [dims["class"].short, function (i) { return labelOf("class", i); }],
      [dims.mode.short, function (i) { return labelOf("mode", i); }]
    ];
    var sortSelect = form.elements.sort;
    Object.keys(sorts).forEach(function (key) { sortSelect.appendChild(el("option", sorts[key][0], { value: key })); });
    buildFacets();
    buildHead();
    facetList.addEventListener("change", function () { apply(readForm()); });
    sortSelect.addEventListener("change", function () { apply(readForm(), false); });
    var typing;
    form.elements.q.addEventListener("input", function () {
      clearTimeout(typing);
      typing = setTimeout(function () { apply(readForm()); }, 250);
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); apply(readForm()); });
    root.querySelector("[data-sr=clear]").addEventListener("click", function () { apply({ q: "", sort: state().sort, page: 1, sel: {} }); });
    pager.querySelector("[data-sr=prev]").addEventListener("click", function () { go(-1); });
    pager.querySelector("[data-sr=next]").addEventListener("click", function () { go(1); });
    root.querySelector("[data-sr=csv]").addEventListener("click", csv);
    root.querySelector("[data-sr=xlsx]").addEventListener("click", xlsx);
    window.addEventListener("popstate", function () { render(); });
    if (window.matchMedia("(max-width: 44.9375em)").matches) root.querySelector(".sr-facets").open = false;
    render();
  }
  if (location.protocol === "file:") {
    status.textContent = "您是直接从磁盘打开的本页，浏览器不允许它读取目录数据。请在仓库目录运行 make serve，再打开它显示的地址。";
    return;
  }
  fetch(root.getAttribute("data-index")).then(function (r) {
    if (!r.ok) throw new Error(r.status);
    return r.json();
  }).then(setup).catch(function () {
    status.textContent = "目录数据加载失败，请刷新页面，或到“数据下载”页获取完整数据。";
  });
})();
