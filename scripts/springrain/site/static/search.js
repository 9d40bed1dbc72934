// Pagefind's own UI, served from this site; it downloads only the index chunks a query needs.
(function () {
  "use strict";
  if (!window.PagefindUI) return;
  var ui = new PagefindUI({
    element: "#sr-search", showSubResults: false, showImages: false, resetStyles: false,
    // Cut a Chinese query into words as the index was cut (Pagefind does not segment queries).
    processTerm: function (term) {
      if (!window.Intl || !Intl.Segmenter) return term;
      var words = [], seg = new Intl.Segmenter("zh", { granularity: "word" });
      for (var part of seg.segment(term)) if (part.isWordLike) words.push(part.segment);
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
