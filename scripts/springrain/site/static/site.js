// springrain: the small things every page may need, without a framework. Every value is
// written with textContent.
// - a page opened from disk (file://) says how to open the site properly;
// - tables written in Markdown get their column labels, to become cards on a phone;
// - [data-copy=ID] buttons copy the text of element ID (citations);
// - <select data-sr-switch=NAME> shows the one [data-switch=NAME][data-key=…] it names;
// - <form data-filter=TABLE> filters the rows of table TABLE by status and words, read as
//   search reads them (text.js, which a page with such a form loads).
(function () {
  "use strict";
  if (location.protocol === "file:") {
    var article = document.querySelector("article");
    if (article) {
      var note = document.createElement("p");
      note.className = "sr-empty sr-filenote";
      note.setAttribute("role", "note");
      note.textContent = "您是直接从磁盘打开的本页：项目目录、企业名录和搜索在这种方式下无法使用，部分链接也可能打不开。" +
        "请在仓库目录运行 make serve，再用浏览器打开它显示的地址（http://127.0.0.1:…）。";
      article.insertBefore(note, article.firstChild);
    }
  }

  // Tables written in Markdown become cards on a narrow screen, as the generated ones do
  // (extra.css, table.sr-cards): each cell labelled by its column.
  document.querySelectorAll("article table:not([class])").forEach(function (table) {
    var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) { return th.textContent.trim(); });
    if (!heads.length) return;
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        Array.prototype.forEach.call(row.cells, function (cell, i) { if (heads[i]) cell.setAttribute("data-label", heads[i]); });
      });
    });
    table.classList.add("sr-cards");
  });

  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var source = document.getElementById(button.getAttribute("data-copy"));
      if (!source) return;
      var text = source.textContent;
      var done = function () {
        button.textContent = "已复制";
        button.setAttribute("data-copied", "true");
        setTimeout(function () { button.textContent = "复制"; }, 2000);
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, function () { select(source); });
      } else {
        select(source);
        try { if (document.execCommand("copy")) done(); } catch (e) { /* the text stays selected */ }
      }
    });
  });
  function select(node) {
    var range = document.createRange();
    range.selectNodeContents(node);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  document.querySelectorAll("select[data-sr-switch]").forEach(function (select) {
    var name = select.getAttribute("data-sr-switch");
    var parts = document.querySelectorAll("[data-switch='" + name + "']");
    function show() {
      parts.forEach(function (part) { part.hidden = part.getAttribute("data-key") !== select.value; });
    }
    select.addEventListener("change", function () {
      show();
      var q = new URLSearchParams(location.search);
      if (select.value) q.set(name, select.value); else q.delete(name);
      history.replaceState(null, "", location.pathname + (q.toString() ? "?" + q : "") + location.hash);
    });
    var wanted = new URLSearchParams(location.search).get(name);
    if (wanted !== null && select.querySelector("option[value='" + CSS.escape(wanted) + "']")) select.value = wanted;
    show();
  });

  var fold = window.SpringrainText ? window.SpringrainText.fold : function (text) { return text; };
  document.querySelectorAll("form[data-filter]").forEach(function (form) {
    var table = document.getElementById(form.getAttribute("data-filter"));
    if (!table) return;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var shown = form.querySelector("[data-sr=shown]");
    function apply() {
      var status = form.elements.status ? form.elements.status.value : "";
      var words = fold(form.elements.q ? form.elements.q.value : "").trim().toLowerCase().split(/\s+/).filter(Boolean);
      var n = 0;
      rows.forEach(function (row) {
        var text = fold(row.textContent).toLowerCase();
        var ok = (!status || row.getAttribute("data-status") === status) &&
          words.every(function (w) { return text.indexOf(w) >= 0; });
        row.hidden = !ok;
        if (ok) n++;
      });
      if (shown) shown.textContent = "显示 " + n + " / " + rows.length + " 个";
    }
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    apply();
  });
})();
