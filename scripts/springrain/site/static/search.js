// springrain search: Pagefind's JS API over the site's own index, with results grouped by type
// (项目 first, unless the query names an enterprise), each with its province, class and status
// and an excerpt with the match highlighted. Pagefind downloads only the index chunks a query
// needs, and a result's fragment only when it is shown.
// The index holds each run of Chinese characters as its overlapping pairs, in order
// (search_index.search_terms); the query is cut the same way, and an excerpt's pairs are put
// back together here. Both read each character as its NFKC form (search_index.fold), so a
// query typed in full-width forms (Ｓｉｅｍｅｎｓ, ３Ｄ打印) is the one written in ASCII.
// Every value from the data is written with textContent, never as HTML.
(function () {
  "use strict";
  var root = document.getElementById("sr-search");
  if (!root) return;
  var SHOWN = 10;
  var input = root.querySelector("input[name=q]");
  var statusBox = root.querySelector("[data-sr=status]");
  var tabs = root.querySelector(".sr-tabs");
  var hits = root.querySelector("[data-sr=hits]");
  var more = root.querySelector("[data-sr=more]");
  var CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
  var RUN = /[\u3400-\u9fff\uf900-\ufaff]+|[A-Za-z0-9]+/g;
  var pagefind, current = { query: "", type: "", groups: {}, order: [], shown: 0 }, serial = 0;

  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (attrs) for (var k in attrs) node.setAttribute(k, attrs[k]);
    return node;
  }
  // search_index.fold: each character as its NFKC form, one at a time (never composed with
  // the next), as the index reads a record's text; ASCII and the common Chinese characters
  // are their own. A character this browser knows and the build's Python did not is in no
  // record: the validator refuses it.
  function fold(text) { return window.SpringrainText.fold(text); }  // text.js
  // The query as the index was cut: Chinese runs as overlapping pairs, other words as they are.
  function pairs(query) {
    var words = [];
    (fold(query).match(RUN) || []).forEach(function (run) {
      if (!CJK.test(run)) words.push(run.toLowerCase());
      else if (run.length === 1) words.push(run);
      else for (var i = 0; i + 1 < run.length; i++) words.push(run.slice(i, i + 2));
    });
    return words;
  }
  // What is searched for: of a longer run's pairs, only enough to cover it (人工晶体 → 人工
  // 晶体, 可降解镁 → 可降 降解 解镁 → 可降 解镁). A record holding the run holds every pair, so
  // nothing is lost, and each pair left out is an index chunk per bundle less to download.
  function terms(query) {
    var words = [];
    (fold(query).match(RUN) || []).forEach(function (run) {
      if (!CJK.test(run) || run.length < 4) { words = words.concat(pairs(run)); return; }
      for (var i = 0; i + 1 < run.length; i += 2) words.push(run.slice(i, i + 2));
      if (run.length % 2) words.push(run.slice(-2));
    });
    return words.join(" ");
  }
  // The record's text as indexed (after the ¶ mark), around the first place the query's
  // words follow each other (else any of them): [[word, marked], ...] for readable().
  var WINDOW = 28;
  function excerptTokens(content, query) {
    var start = content.indexOf("¶");
    var words = content.slice(start + 1).split(" ").filter(Boolean);
    var wanted = pairs(query);
    var at = -1, length = wanted.length;
    for (var i = 0; at < 0 && i + length <= words.length; i++) {
      var ok = true;
      for (var k = 0; ok && k < length; k++) ok = words[i + k].toLowerCase() === wanted[k];
      if (ok) at = i;
    }
    if (at < 0) {
      length = 1;
      for (var j = 0; at < 0 && j < words.length; j++) if (wanted.indexOf(words[j].toLowerCase()) >= 0) at = j;
    }
    var from = at < 0 ? 0 : Math.max(0, at - WINDOW / 2), to = Math.min(words.length, from + WINDOW * 1.5);
    var tokens = words.slice(from, to).map(function (w, n) {
      return [w, at >= 0 && from + n >= at && from + n < at + length];
    });
    if (from > 0) tokens.unshift(["…", false]);
    if (to < words.length) tokens.push(["…", false]);
    return tokens;
  }
  // Words as indexed back into text: [[text, marked], ...]. Each pair gives its first
  // character; the last pair of a run gives both; a character is marked if a marked pair
  // covers it.
  function readable(tokens) {
    var out = [];
    function push(ch, marked) {
      var lastPart = out[out.length - 1];
      if (lastPart && lastPart[1] === marked) lastPart[0] += ch; else out.push([ch, marked]);
    }
    var run = [];
    function flush() {
      if (!run.length) return;
      var marks = new Array(run.length + 1).fill(false);
      run.forEach(function (t, i) { if (t[1]) { marks[i] = true; marks[i + 1] = true; } });
      run.forEach(function (t, i) { push(t[0].charAt(0), marks[i]); });
      push(run[run.length - 1][0].charAt(1), marks[run.length]);
      run = [];
    }
    var lastLatin = false;
    tokens.forEach(function (t) {
      var word = t[0];
      if (word.length === 2 && CJK.test(word.charAt(0)) && CJK.test(word.charAt(1))) {
        if (run.length && run[run.length - 1][0].charAt(1) !== word.charAt(0)) flush();
        run.push(t);
        lastLatin = false;
        return;
      }
      flush();
      if (word === "·") { push(" ", false); lastLatin = false; return; }
      if (word === "…") { push("…", false); lastLatin = false; return; }
      var latin = /^[A-Za-z0-9]/.test(word);
      if (latin && lastLatin) push(" ", false);
      push(word, t[1] && (latin || CJK.test(word)));
      lastLatin = latin;
    });
    flush();
    return out;
  }
  function badge(text) { return el("span", text, { "class": "sr-badge" }); }
  function resultItem(d, type) {
    var m = d.meta || {}, li = el("li", null, { "class": "sr-hit" });
    var h = el("h3");
    h.appendChild(el("a", m.title || d.url, { href: d.url }));
    li.appendChild(h);
    var line = el("p", null, { "class": "sr-badges" });
    [type, m.province, m.city, m["class"], m.stage, m.status, m.fields]
      .filter(Boolean).forEach(function (t) { line.appendChild(badge(t)); });
    if (m.institution) line.appendChild(el("span", m.institution, { "class": "sr-meta" }));
    li.appendChild(line);
    var p = el("p", null, { "class": "sr-excerpt" });
    readable(excerptTokens(d.content || "", current.query)).forEach(function (part) {
      p.appendChild(part[1] ? el("mark", part[0]) : document.createTextNode(part[0]));
    });
    li.appendChild(p);
    return li;
  }
  function setStatus(text) { statusBox.textContent = text; }

  // ------------------------------------------------------------ the bundles, by type
  // One Pagefind bundle per type, or per part of a type (search_index.bundles). The first
  // (projects) is loaded, with the other parts of its type before its first search; the
  // other types are merged in when a query needs them (no project found, or their tab is
  // opened), each marked with its type by a synthetic filter, so telling the types apart
  // costs no download, and a query for a project word does not fetch the enterprises' index.
  var bundles = JSON.parse(root.getAttribute("data-bundles") || "[]");
  var TYPES = bundles.map(function (b) { return b.type; })
    .filter(function (t, i, all) { return all.indexOf(t) === i; });
  var merged = {}, base = location.pathname.replace(/[^/]*$/, "");
  // Pagefind takes the page's language (zh) as the query's, and then cuts a Chinese query
  // into words with the browser's segmenter: a pair such as 注泵 (from 输注泵) is no word,
  // so it would search 注 and 泵 apart and miss. The index is of one forced language
  // (data-language, search_index.INDEX_LANGUAGE): Pagefind starts with that one, and the
  // page's language is put back.
  var INDEX_LANGUAGE = root.getAttribute("data-language");
  async function asIndexed(step) {
    var html = document.documentElement, language = html.getAttribute("lang");
    html.setAttribute("lang", INDEX_LANGUAGE);
    try { return await step(); } finally { html.setAttribute("lang", language); }
  }
  async function need(type) {
    if (!merged[type]) {
      var parts = bundles.filter(function (b, i) { return i > 0 && b.type === type; });
      merged[type] = asIndexed(async function () {
        for (var i = 0; i < parts.length; i++) {
          await pagefind.mergeIndex(new URL(parts[i].path, location.href).href, { baseUrl: base, mergeFilter: { type: type, part: parts[i].path } });
        }
      });
    }
    await merged[type];
  }
  // The pages of a type (or of every type) holding every word of ``cut``, best first.
  // Pagefind leaves out a query word that is in no page of a bundle, so a part without 脑血
  // would answer 脑血管 with every page holding 血管, and a part without Guangdong's records
  // would answer 广东支架 with every 支架. How many pages hold a word, over every part, costs
  // no ranking when the filter matches no page (NO_PART): a word no page holds leaves
  // nothing to find, and one held by more pages than all parts but the smallest together
  // is in every part. Any other word is checked part by part (each bundle marked by a
  // synthetic filter: a page's id is unique within a part only), searched alone, and a
  // page of the whole query stays if that word finds it too. Counting costs a fifth of a
  // second a word at 20,000 projects, so a query of more words than CHECKED_WORDS (a pasted
  // sentence) is searched whole, as Pagefind does.
  var NO_PART = "-", CHECKED_WORDS = 4;
  async function everyWord(cut, type) {
    var words = cut.split(" ").filter(function (w, i, all) { return w && all.indexOf(w) === i; });
    var whole = words.join(" "), byType = type ? { filters: { type: type } } : {};
    if (words.length < 2 || words.length > CHECKED_WORDS) return (await pagefind.search(whole, byType)).results;
    var sizes = Object.values((await pagefind.filters()).part || {});
    var spare = sizes.reduce(function (a, b) { return a + b; }, 0) - Math.min.apply(null, sizes);
    var unsure = [];
    for (var i = 0; i < words.length; i++) {
      var held = (await pagefind.search(words[i], { filters: { part: NO_PART } })).unfilteredResultCount;
      if (!held) return [];
      if (held <= spare) unsure.push(words[i]);
    }
    if (!unsure.length) return (await pagefind.search(whole, byType)).results;
    var hits = [], parts = bundles.filter(function (b) { return !type || b.type === type; });
    for (var p = 0; p < parts.length; p++) {
      var inPart = { filters: { part: parts[p].path } };
      var found = (await pagefind.search(whole, inPart)).results;
      for (var k = 0; k < unsure.length && found.length; k++) {
        var here = new Set((await pagefind.search(unsure[k], inPart)).results.map(function (r) { return r.id; }));
        found = found.filter(function (r) { return here.has(r.id); });
      }
      hits = hits.concat(found);
    }
    return hits.sort(function (a, b) { return b.score - a.score; });
  }
  async function searchType(type, cut) {
    await need(type);
    return everyWord(cut, type);
  }

  // ------------------------------------------------------------ results
  // Which group first: projects, unless the query is in an enterprise's name and in no
  // project's name among the best results.
  async function order(query) {
    var groups = current.groups, types = TYPES.slice();
    if (types.length < 2 || !groups[types[1]]) return types;
    var p = groups[types[0]], e = groups[types[1]];
    if (!p.length || !e.length) return p.length ? types : [types[1], types[0]];
    var top = await Promise.all([p[0].data(), e[0].data()]), folded = fold(query);
    var inFirst = fold(top[0].meta.title || "").indexOf(folded) >= 0;
    var inSecond = fold(top[1].meta.title || "").indexOf(folded) >= 0;
    return inSecond && !inFirst ? [types[1], types[0]] : types;
  }
  function loaded(type) {
    return Object.prototype.hasOwnProperty.call(current.groups, type) && current.groups[type] !== null;
  }
  function drawTabs() {
    tabs.textContent = "";
    var all = TYPES.every(loaded) ? TYPES.reduce(function (n, t) { return n + current.groups[t].length; }, 0) : null;
    tabs.hidden = false;
    current.order.concat(TYPES.length > 1 ? [""] : []).forEach(function (type) {
      var n = type ? (loaded(type) ? current.groups[type].length : null) : all;
      var tab = el("button", (type || "全部") + (n === null ? "（点击搜索）" : "（" + n + "）"), {
        type: "button", role: "tab", "aria-selected": String(current.type === type), "data-type": type
      });
      tab.disabled = n === 0;
      tab.addEventListener("click", function () { choose(type); });
      tabs.appendChild(tab);
    });
  }
  async function choose(type) {
    var mine = serial, cut = terms(current.query), wanted = type ? [type] : TYPES;
    root.setAttribute("data-ready", "false");
    for (var i = 0; i < wanted.length; i++) {
      if (!loaded(wanted[i])) current.groups[wanted[i]] = await searchType(wanted[i], cut);
    }
    if (mine !== serial) return;
    current.type = type;
    current.order = await order(current.query);
    drawTabs();
    writeUrl();
    summary();
    await show(true);
  }
  function summary() {
    var parts = TYPES.filter(loaded).map(function (t) { return t + " " + current.groups[t].length + " 个"; });
    var any = TYPES.some(function (t) { return loaded(t) && current.groups[t].length; });
    setStatus(any ? "找到 " + parts.join("、") + "。" : "没有找到与“" + current.query + "”相关的项目或企业。可以换一个更短的词，或到项目目录按条件筛选。");
  }
  // The results shown, each with its type: one group, or every loaded group in order.
  function list() {
    var types = current.type ? [current.type] : current.order;
    return types.filter(loaded).reduce(function (acc, type) {
      return acc.concat(current.groups[type].map(function (r) { return [r, type]; }));
    }, []);
  }
  async function show(reset) {
    var mine = serial;
    if (reset) { hits.textContent = ""; current.shown = 0; }
    var items = list(), next = items.slice(current.shown, current.shown + SHOWN);
    var data = await Promise.all(next.map(function (item) { return item[0].data(); }));
    if (mine !== serial) return;
    data.forEach(function (d, i) { hits.appendChild(resultItem(d, next[i][1])); });
    current.shown += next.length;
    more.hidden = current.shown >= items.length;
    root.setAttribute("data-ready", "true");
  }
  function writeUrl() {
    var q = new URLSearchParams(location.search);
    if (current.query) q.set("q", current.query); else q.delete("q");
    if (current.type) q.set("type", current.type); else q.delete("type");
    history.replaceState(null, "", location.pathname + (q.toString() ? "?" + q : ""));
  }
  // No results on screen: an empty or refused query leaves nothing of the one before it
  // (its hits, its tabs and their counts).
  function clear(message) {
    current.groups = {}; current.order = []; current.type = ""; current.shown = 0;
    hits.textContent = ""; tabs.textContent = ""; tabs.hidden = true; more.hidden = true;
    setStatus(message);
    writeUrl();
    root.setAttribute("data-ready", "true");
  }
  async function run(query, type) {
    var mine = ++serial;
    query = query.trim();
    current.query = query;
    root.setAttribute("data-ready", "false");
    if (!query) { clear(""); return; }
    var cut = terms(query);
    if (!cut) { clear("请输入中文词语、英文单词或数字。"); return; }
    setStatus("正在搜索……");
    current.groups = {};
    TYPES.forEach(function (t) { current.groups[t] = null; });
    current.groups[TYPES[0]] = await searchType(TYPES[0], cut);
    // Other types are searched at once only when they are asked for or no project is found.
    for (var i = 1; i < TYPES.length; i++) {
      if (type === TYPES[i] || type === "" || !current.groups[TYPES[0]].length) {
        current.groups[TYPES[i]] = await searchType(TYPES[i], cut);
      }
    }
    if (mine !== serial) return;
    current.order = await order(query);
    if (mine !== serial) return;
    var first = current.order.filter(function (t) { return loaded(t) && current.groups[t].length; })[0] || TYPES[0];
    current.type = type !== undefined && (type === "" || loaded(type)) ? type : first;
    drawTabs();
    writeUrl();
    summary();
    await show(true);
  }
  more.addEventListener("click", function () { show(false); });
  var typing;
  input.addEventListener("input", function () {
    clearTimeout(typing);
    typing = setTimeout(function () { run(input.value); }, 200);
  });
  root.querySelector("form").addEventListener("submit", function (e) { e.preventDefault(); run(input.value); });

  if (location.protocol === "file:") {
    setStatus("您是直接从磁盘打开的本页，浏览器不允许它读取搜索索引。请在仓库目录运行 make serve，再打开它显示的地址。");
    return;
  }
  import(new URL(bundles[0].path, location.href).href + "pagefind.js").then(async function (module) {
    pagefind = module;
    // Result links relative to where the site is served (GitHub Pages may serve it under
    // /<repository>/); search.html sits at the site's root. No worker: one file less to fetch.
    await pagefind.options({ baseUrl: base, excerptLength: 40, noWorker: true, mergeFilter: { type: TYPES[0], part: bundles[0].path } });
    await asIndexed(function () { return pagefind.init(); });
    window.srSearch = {
      fold: fold, terms: terms, pairs: pairs, everyWord: everyWord, readable: readable, excerptTokens: excerptTokens, pagefind: pagefind,
      // Every bundle merged, for a search over all records at once (the benchmark's recall).
      loadAll: async function () { for (var i = 0; i < TYPES.length; i++) await need(TYPES[i]); }
    };
    var q = new URLSearchParams(location.search);
    root.setAttribute("data-loaded", "true");
    // A type from the link only if it is one (?type=__proto__ is none).
    var linked = q.get("type"), known = linked === "" || TYPES.indexOf(linked) >= 0;
    if (q.get("q")) { input.value = q.get("q"); run(q.get("q"), q.has("type") && known ? linked : undefined); }
  }).catch(function () {
    setStatus("搜索索引加载失败，请刷新页面。");
  });
})();
