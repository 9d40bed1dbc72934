// Pagefind's own UI, served from this site; it downloads only the index chunks a query needs.
(function () {
  "use strict";
  if (!window.PagefindUI) return;
  var ui = new PagefindUI({
    element: "#sr-search",
    // Result links relative to where the site is served (GitHub Pages may serve it under
    // /<repository>/); search.html sits at the site's root.
    baseUrl: location.pathname.replace(/[^/]*$/, ""), showSubResults: false, showImages: false, resetStyles: false,
    // Cut the query as the index was cut (records.search_terms): Chinese runs into
    // overlapping character pairs, other words lower-cased; Pagefind matches each as a prefix.
    processTerm: function (term) {
      var words = [], runs = term.match(/[\u3400-\u9fff\uf900-\ufaff]+|[A-Za-z0-9]+/g) || [];
      runs.forEach(function (run) {
        if (/^[A-Za-z0-9]+$/.test(run)) words.push(run.toLowerCase());
        else if (run.length === 1) words.push(run);
        else for (var i = 0; i + 1 < run.length; i++) words.push(run.slice(i, i + 2));
      });
      return words.join(" ") || term;
    },
    translations: { placeholder: "搜索项目和企业", zero_results: "没有找到与“[SEARCH_TERM]”相关的结果" }
  });
  // Pagefind's input has only a placeholder; give it a real accessible name.
  (function label() {
    var input = document.querySelector("#sr-search input");
    if (input) input.setAttribute("aria-label", "搜索项目和企业");
    else requestAnimationFrame(label);
  })();
  var q = new URLSearchParams(location.search).get("q");
  if (q) ui.triggerSearch(q);
})();
