// springrain: text read as the site's search reads it, for every script that matches words
// (search, the directories, the tables' filters). Loaded before them, so they may call it
// at once: one definition, where each kept its own copy.
(function () {
  "use strict";
  // search_index.fold: each character as its NFKC form, one at a time (never composed with
  // the next), as the search index reads a record's text; ASCII and the common Chinese
  // characters are their own. A character this browser knows and the build's Python did not
  // is in no record: the validator refuses it.
  function fold(text) {
    return text.replace(/[^\x00-\x7f\u4e00-\u9fff]/gu, function (ch) { return ch.normalize("NFKC"); });
  }
  window.SpringrainText = { fold: fold };
})();
