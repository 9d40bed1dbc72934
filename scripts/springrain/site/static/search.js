// Pagefind's own UI, served from this site; it downloads only the index chunks a query needs.
(function () {
  "use strict";
  if (!window.PagefindUI) return;
  var ui = new PagefindUI({
    element: "#sr-search", showSubResults: false, showImages: false, resetStyles: false,
    translations: { placeholder: "搜索项目和企业", zero_results: "没有找到与“[SEARCH_TERM]”相关的结果" }
  });
  var q = new URLSearchParams(location.search).get("q");
  if (q) ui.triggerSearch(q);
})();
