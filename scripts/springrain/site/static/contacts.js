// springrain: the contact-data detector of scripts/springrain/validate/contacts.py, ported
// step by step for the web form, so that the browser refuses exactly what validation, intake
// and the importer refuse. Every pattern and constant comes from the generated spec
// (springrain.intake.webform.contact_spec); only the steps are written here, in the order
// and with the names of the Python functions. tests/browser/test_webform.py runs both over
// the contact corpus and random text and compares the verdicts.
//
// Two differences of form, not of result:
// - Python scans the text first with a wide RE2 pattern and reads each wide run again with
//   the exact one; the exact pattern alone finds the same runs (its separators and digits
//   are subsets of the wide ones; tested), so only the exact one is used here.
// - Python counts characters in code points, JavaScript strings in UTF-16 units: lengths,
//   windows and slices are taken in code points below.
// {DIGIT} is filled with the runs of decimal digits Python's \d reads (the spec lists each
// run's zero), {SEP} with [^\p{L}\p{N}], which is Python's [\W_] (tested over all of Unicode).
(function (root) {
  "use strict";

  function make(spec) {
    var P = spec.patterns;
    var K = spec.kinds;
    var zeros = spec.digit_zeros;
    var numerals = spec.numerals;
    var SEP = "[^\\p{L}\\p{N}]";
    var DIGIT = zeros.map(function (z) { return "\\u{" + z.toString(16) + "}-\\u{" + (z + 9).toString(16) + "}"; }).join("");

    function fill(pattern) {
      return pattern.split("{SEP}").join(SEP).split("{DIGIT}").join(DIGIT);
    }

    var IGNORABLE_ONE = new RegExp(fill(P.ignorable), "u");
    var IGNORABLE_ALL = new RegExp(fill(P.ignorable), "gu");
    var RUN = new RegExp(fill(P.run), "gu");
    var MARKER = new RegExp(fill(P.marker), "gu");
    // A shape matches a whole number: from one group boundary to another (_compiled).
    var SHAPES = {};
    [K.mobile, K.landline, K.id_number].forEach(function (kind) {
      SHAPES[kind] = new RegExp("(?:^|(?<=\\|))(?=(" + fill(P[kind]) + ")(?:\\||$))", "g");
    });
    var SPACED = new RegExp(spec.spaced, "gu");
    var DOT_WORD = new RegExp(spec.dot_word, "gu");
    var EMAIL = new RegExp(spec.email, "gu");
    var HASH_EMAIL = new RegExp(spec.hash_email, "gu");
    var PREFIXES = {};
    spec.province_prefixes.forEach(function (p) { PREFIXES[p] = true; });

    function codePoints(text) { return Array.from(text); }

    function length(text) {
      var n = 0;
      for (var i = 0; i < text.length; i++) {
        var c = text.charCodeAt(i);
        if (c < 0xdc00 || c > 0xdfff || i === 0 || text.charCodeAt(i - 1) < 0xd800 || text.charCodeAt(i - 1) > 0xdbff) n++;
      }
      return n;
    }

    // unicodedata.decimal: the distance from the zero of the character's run, or null.
    function decimal(ch) {
      var cp = ch.codePointAt(0);
      var lo = 0, hi = zeros.length - 1, found = -1;
      while (lo <= hi) {
        var mid = (lo + hi) >> 1;
        if (zeros[mid] <= cp) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
      }
      if (found >= 0 && cp - zeros[found] <= 9) return cp - zeros[found];
      return null;
    }

    function Hit(kind, masked) { return { kind: kind, masked: masked }; }

    // is_id_number
    function realDate(year, month, day) {
      if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
      var leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
      var days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
      if (day > days) return false;
      return year >= 1880 && year <= 2100;
    }

    function isIdNumber(digits) {
      if (!PREFIXES[digits.slice(0, 2)]) return false;
      if (digits.length === 18 && /^[0-9]{17}$/.test(digits.slice(0, 17)) && /[0-9Xx]/.test(digits[17])) {
        var total = 0;
        for (var i = 0; i < 17; i++) total += Number(digits[i]) * spec.id_weights[i];
        return spec.id_check[total % 11] === digits[17].toUpperCase() &&
          realDate(Number(digits.slice(6, 10)), Number(digits.slice(10, 12)), Number(digits.slice(12, 14)));
      }
      if (digits.length === 15 && /^[0-9]{15}$/.test(digits)) {
        return realDate(1900 + Number(digits.slice(6, 8)), Number(digits.slice(8, 10)), Number(digits.slice(10, 12)));
      }
      return false;
    }

    function mask(kind, text) {
      if (kind === K.email) {
        var at = text.indexOf("@");
        var name = at >= 0 ? text.slice(0, at) : text;
        var domain = at >= 0 ? text.slice(at + 1) : "";
        return codePoints(name).slice(0, 1).join("") + "***@" + domain;
      }
      return text.slice(0, 3) + "****" + text.slice(-2);
    }

    // _digits_of: the run as digits (and a final X) with '|' between the writer's groups.
    function digitsOf(run) {
      var out = [];
      for (var ch of run.normalize("NFKC")) {
        var value;
        if (ch >= "0" && ch <= "9") out.push(ch);
        else if (Object.prototype.hasOwnProperty.call(numerals, ch)) out.push(numerals[ch]);
        else if (ch === "X" || ch === "x") out.push("X");
        else if ((value = decimal(ch)) !== null) out.push(String(value));
        else if (out.length && out[out.length - 1] !== "|") out.push("|");
      }
      return out.join("").replace(/^\|+|\|+$/g, "");
    }

    function writtenAsANumber(candidate, stretch) {
      var groups = candidate.split("|");
      if (groups.every(function (g) { return g.length === 1; })) return stretch <= spec.max_digit_by_digit;
      if (groups.length > spec.max_groups) return false;
      if ((groups[0] === "00" && groups[1] === "86") || groups[0] === "86" || groups[0] === "0086") {
        var rest = groups[0] === "00" ? groups.slice(2) : groups.slice(1);
        return rest.length > 0 && rest[0].length >= 2;
      }
      return groups[0].length >= 3;
    }

    function dateGroups(groups) {
      var marked = {};
      for (var i = 0; i < groups.length - 2; i++) {
        var year = groups[i], month = groups[i + 1], day = groups[i + 2];
        if (year.length === 4 && (year.slice(0, 2) === "19" || year.slice(0, 2) === "20") &&
            month.length >= 1 && month.length <= 2 && day.length >= 1 && day.length <= 2 &&
            /^[0-9]+$/.test(month) && /^[0-9]+$/.test(day) &&
            Number(month) >= 1 && Number(month) <= 12 && Number(day) >= 1 && Number(day) <= 31) {
          marked[i] = marked[i + 1] = marked[i + 2] = true;
        }
      }
      return marked;
    }

    function singleStretches(groups) {
      var lengths = groups.map(function () { return 0; });
      var start = 0;
      while (start < groups.length) {
        if (groups[start].length !== 1) { start++; continue; }
        var end = start;
        while (end < groups.length && groups[end].length === 1) end++;
        for (var i = start; i < end; i++) lengths[i] = end - start;
        start = end;
      }
      return lengths;
    }

    function segments(groups) {
      var dates = groups.length > 2 ? dateGroups(groups) : {};
      var found = [], segment = [];
      for (var index = 0; index <= groups.length; index++) {
        if (dates[index] || index === groups.length) {
          var total = 0;
          segment.forEach(function (g) { total += g.length; });
          if (total >= spec.min_run) found.push(segment);
          segment = [];
        } else {
          segment.push(groups[index]);
        }
      }
      return found;
    }

    // _numbers: the hits of one run; stops (budget below zero) when too many candidates.
    function numbers(run, budget, hits) {
      var parts = segments(digitsOf(run).split("|"));
      for (var s = 0; s < parts.length; s++) {
        var groups = parts[s];
        var digits = groups.join("|");
        var stretches = groups.length > spec.max_groups ? singleStretches(groups) : null;
        var kinds = [K.mobile, K.landline, K.id_number];
        for (var k = 0; k < kinds.length; k++) {
          var kind = kinds[k];
          var shape = SHAPES[kind];
          shape.lastIndex = 0;
          var match;
          while ((match = shape.exec(digits)) !== null) {
            shape.lastIndex = match.index + 1; // every match is empty (a lookahead)
            budget.left -= 1;
            if (budget.left < 0) return;
            var candidate = match[1];
            var plain = candidate.split("|").join("");
            var stretch = stretches ? stretches[digits.slice(0, match.index).split("|").length - 1] : 0;
            if (plain.slice(0, -1).indexOf("X") >= 0 || !writtenAsANumber(candidate, stretch)) continue;
            if (kind === K.id_number && !isIdNumber(plain)) continue;
            // A mobile with +86, 0086 or a trunk 0 is the same number as without.
            add(hits, Hit(kind, mask(kind, kind === K.mobile ? plain.slice(-11) : plain)));
          }
        }
      }
    }

    function add(hits, hit) {
      var key = hit.kind + "\u0000" + hit.masked;
      if (!hits.has(key)) hits.set(key, hit);
    }

    // ------------------------------------------------------------ e-mail

    function emailView(window) {
      var text = window.normalize("NFKC").toLowerCase();
      spec.at_forms.forEach(function (form) { if (text.indexOf(form) >= 0) text = text.split(form).join("@"); });
      spec.dot_forms.forEach(function (form) { if (text.indexOf(form) >= 0) text = text.split(form).join("."); });
      if (text.indexOf("点") >= 0) text = text.replace(DOT_WORD, ".");
      if (text.indexOf(" @") >= 0 || text.indexOf("@ ") >= 0 || text.indexOf(" .") >= 0) {
        text = text.replace(SPACED, function (m, at, dot) { return at || dot; });
      }
      return text;
    }

    // UTF-16 index → code point index, for texts with characters beyond the BMP.
    function indexer(text) {
      if (!/[\ud800-\udfff]/.test(text)) return function (i) { return i; };
      var map = new Int32Array(text.length + 1);
      var n = 0;
      for (var i = 0; i < text.length; i++) {
        map[i] = n;
        var c = text.charCodeAt(i);
        if (!(c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && text.charCodeAt(i + 1) >= 0xdc00 && text.charCodeAt(i + 1) <= 0xdfff)) n++;
      }
      map[text.length] = n;
      return function (i) { return map[i]; };
    }

    function windows(text) {
      var at = indexer(text);
      var found = [];
      var start = -1, end = -1;
      MARKER.lastIndex = 0;
      var match;
      while ((match = MARKER.exec(text)) !== null) {
        var first = at(match.index), last = at(match.index + match[0].length);
        if (first > end) {
          if (end >= 0) found.push([start, end]);
          start = Math.max(0, first - spec.window_before);
        }
        end = last + spec.window_after;
      }
      if (end >= 0) found.push([start, end]);
      return found;
    }

    function emails(text, hits) {
      var spans = windows(text);
      if (!spans.length) return;
      var points = codePoints(text);
      spans.forEach(function (span) {
        var view = emailView(points.slice(span[0], span[1]).join(""));
        var addresses = [];
        EMAIL.lastIndex = 0;
        var found;
        while ((found = EMAIL.exec(view)) !== null) addresses.push(found[0]);
        if (view.indexOf("#") >= 0) {
          HASH_EMAIL.lastIndex = 0;
          while ((found = HASH_EMAIL.exec(view)) !== null) addresses.push(found[1] + "@" + found[2]);
        }
        addresses.forEach(function (address) {
          var at = address.indexOf("@");
          var local = address.slice(0, at), domain = address.slice(at + 1);
          var domainLength = length(domain);
          if (length(local) >= 1 && domainLength <= 255) {
            var kept = codePoints(address);
            add(hits, Hit(K.email, mask(K.email, kept.slice(Math.max(0, kept.length - 64 - domainLength - 1)).join(""))));
          }
        });
      });
    }

    // ------------------------------------------------------------ the whole text

    // contacts.find: the text, and the text with its character references decoded.
    var REFERENCE = new RegExp(spec.reference, "g");
    function referenced(all, hex, decimal, name) {
      if (name) return String.fromCodePoint(spec.named_references[name]);
      var point = hex ? parseInt(hex, 16) : parseInt(decimal, 10);
      return point > 0 && point <= 0x10ffff && !(point >= 0xd800 && point <= 0xdfff)
        ? String.fromCodePoint(point) : "\ufffd";
    }
    function find(text) {
      text = String(text);
      var hits = findIn(text);
      if (text.indexOf("&") >= 0) {
        var decoded = text.replace(REFERENCE, referenced);
        if (decoded !== text) {
          var seen = {};
          hits.forEach(function (h) { seen[h.kind + "\u0000" + h.masked] = true; });
          findIn(decoded).forEach(function (h) { if (!seen[h.kind + "\u0000" + h.masked]) hits.push(h); });
        }
      }
      return hits;
    }

    // Every piece of contact data in text, each once: [{kind, masked}, …].
    function findIn(text) {
      if (IGNORABLE_ONE.test(text)) text = text.replace(IGNORABLE_ALL, "");
      var hits = new Map();
      var budget = { left: spec.max_candidates + Math.floor(length(text) / spec.candidate_spacing) };
      RUN.lastIndex = 0;
      var run;
      while ((run = RUN.exec(text)) !== null) {
        numbers(run[0], budget, hits);
        if (budget.left < 0) {
          add(hits, Hit(K.crowded, "…"));
          break;
        }
      }
      emails(text, hits);
      return Array.from(hits.values());
    }

    return { find: find, isIdNumber: isIdNumber, mask: mask, length: length };
  }

  root.SpringrainContacts = { make: make };
})(this);
