// springrain: the web form (form.html). The forms, their limits, every message and the annex
// cell plans come from the generated spec (springrain.intake.webform), so this file holds
// only steps:
// - reading an answer as intake reads it from an issue body (a port of
//   intake/issues.py: split_sections, answer_value, _list_items, _number, _date, _key,
//   _short), and checking it as the validator will (the schema's limits with its messages,
//   the text rules, the contact-data detector of contacts.js, the record rules of
//   validate/checks/fields.py and dates.py);
// - writing the issue body GitHub renders from the form, and its prefilled address;
// - filling the annex's answer cells as the Python writer fills them (writer.cell_value).
// Every text from the submitter is written with textContent or as a form value, never as
// HTML. Nothing is sent anywhere: the answers leave only by the two buttons.
(function () {
  "use strict";
  var app = document.getElementById("sr-webform");
  if (!app || !window.SpringrainContacts || !window.SpringrainAnnex) return;
  var spec = JSON.parse(document.getElementById("sr-webform-spec").textContent);
  var site = JSON.parse(document.getElementById("sr-webform-site").textContent);
  var detector = window.SpringrainContacts.make(spec.contacts);
  var P = spec.parsing, M = spec.messages, CODES = M.codes;

  // ---------------------------------------------------------------- Python's text helpers

  var WS = "[" + Array.from(spec.contacts.whitespace).map(function (c) { return "\\u{" + c.codePointAt(0).toString(16) + "}"; }).join("") + "]";
  var LEAD = new RegExp("^" + WS + "+", "u"), TRAIL = new RegExp(WS + "+$", "u"), RUNS = new RegExp(WS + "+", "u");
  var BULLET = new RegExp(P.bullet, "u"), PART_SPLIT = new RegExp(P.part_split, "u");
  var NUMBER = new RegExp("^(?:" + P.number + ")$", "u");
  var NUMBER_UNIT = new RegExp("^(?:" + P.number_unit + ")$", "u");
  var HEADING = new RegExp(P.heading, "su");
  var CONTROL = new RegExp(P.control, "u"), ZERO_WIDTH = new RegExp(P.zero_width, "u");
  // Characters newer than the validator's Unicode (outside the CJK planes), as Python lists them.
  var UNKNOWN = new RegExp(P.unknown, "u");
  // intake.issues._date, which keeps its pattern inside the function (parity is tested).
  var DATE = new RegExp("^([0-9]{4})" + WS + "*[-/.年]" + WS + "*([0-9]{1,2})" + WS + "*[-/.月]" + WS + "*([0-9]{1,2})" + WS + "*日?$", "u");
  var USCC_SHAPE = new RegExp("^(?:" + P.uscc.shape + ")$", "u");

  function strip(text) { return text.replace(LEAD, "").replace(TRAIL, ""); }
  // intake.forms.list_items, line_items and list_text, step for step: items split at the
  // separators and list numbers outside quotes and brackets (a quote never closed is a plain
  // character), an item that would read otherwise written inside quotes.
  // opening → closing; OPENINGS in the order of preference (the page's JSON sorts keys).
  var QUOTES = {}, OPENINGS = P.list_quotes.map(function (pair) { QUOTES[pair[0]] = pair[1]; return pair[0]; });
  function unquoted(piece) {
    if (piece.length >= 2 && Object.prototype.hasOwnProperty.call(QUOTES, piece[0])) {
      if (piece.indexOf(QUOTES[piece[0]], 1) === piece.length - 1) return piece.slice(1, -1);
    }
    return piece;
  }
  // forms._comma_in_name: a comma after Latin text (spaces between allowed) and before a
  // legal form (Co., Ltd.), each read as its NFKC; code points, as Python counts them.
  var LEGAL_FORM = new RegExp("^(?:" + P.legal_form + ")", "iu");
  var LIST_NUMBER = new RegExp(P.list_number, "uy"), A_LIST_NUMBER = new RegExp(P.list_number, "u");
  function pointBefore(text, at) {  // the code point that ends at ``at`` (exclusive), and where it starts
    var low = text.charCodeAt(at - 1);
    if (at >= 2 && low >= 0xdc00 && low <= 0xdfff) {
      var high = text.charCodeAt(at - 2);
      if (high >= 0xd800 && high <= 0xdbff) return [text.slice(at - 2, at), at - 2];
    }
    return [text.slice(at - 1, at), at - 1];
  }
  function commaInName(text, at) {
    if (text[at] !== "," && text[at] !== "，") return false;
    var end = at, mark = "";
    while (end > 0) {
      var point = pointBefore(text, end);
      if (point[0] !== " " && point[0] !== "\u3000") { mark = point[0].normalize("NFKC"); break; }
      end = point[1];
    }
    if (!/^[A-Za-z0-9.)]$/.test(mark)) return false;
    var after = Array.from(text.slice(at + 1, at + 1 + 2 * P.legal_form_reach)).slice(0, P.legal_form_reach).join("");
    return LEGAL_FORM.test(after.normalize("NFKC"));
  }
  function closingOf(ch) {
    if (Object.prototype.hasOwnProperty.call(QUOTES, ch)) return QUOTES[ch];
    if (Object.prototype.hasOwnProperty.call(P.list_brackets, ch)) return P.list_brackets[ch];
    return null;
  }
  // forms._number_of, _chinese_number, _may_start_number and _next_number.
  function markRun(ch) {
    for (var i = 0; i < P.numbered_marks.length; i++) {
      var first = P.numbered_marks[i].charCodeAt(0), code = ch.charCodeAt(0);
      if (ch.length === 1 && code >= first && code < first + P.mark_run) return code - first + 1;
    }
    return 0;
  }
  function chineseNumber(numeral) {
    var digits = P.chinese_numerals.slice(0, 9), digit = function (c) { return digits.indexOf(c) + 1; };
    var at = numeral.indexOf("十");
    if (at < 0) return numeral.length === 1 && digit(numeral) ? digit(numeral) : -1;
    var tens = numeral.slice(0, at), ones = numeral.slice(at + 1);
    if (tens.length > 1 || ones.length > 1 || (tens && !digit(tens)) || (ones && !digit(ones))) return -1;
    return (tens ? digit(tens) : 1) * 10 + (ones ? digit(ones) : 0);
  }
  function numberOfMarker(marker) {
    var run = markRun(marker[0]);
    if (run) return run;
    var digits = Array.from(marker).filter(function (c) { return /^[0-9０-９]$/.test(c); }).join("").normalize("NFKC");
    if (digits) return parseInt(digits, 10);
    return chineseNumber(Array.from(marker).filter(function (c) { return P.chinese_numerals.indexOf(c) >= 0; }).join(""));
  }
  function mayStartNumber(ch) {
    return /^[0-9０-９(（]$/.test(ch) || (ch.length === 1 && P.chinese_numerals.indexOf(ch) >= 0) || markRun(ch) > 0;
  }
  function nextNumber(text, at, expected) {
    if (at && /^[A-Za-z0-9]$/.test(text[at - 1])) return null;
    LIST_NUMBER.lastIndex = at;
    var found = LIST_NUMBER.exec(text);
    return found && numberOfMarker(found[0]) === expected ? found : null;
  }
  // forms._pieces: each item, and whether it was written in quotes.
  function pieces(text) {
    var cut = [], at = 0, expected = null, unclosed = {};
    var lead = BULLET.exec(text);
    if (lead) {
      at = lead[0].length;
      var leadNumber = A_LIST_NUMBER.exec(lead[0]);
      expected = leadNumber ? numberOfMarker(leadNumber[0]) + 1 : null;
    }
    var start = at;
    while (at < text.length) {
      var ch = text[at];
      if (expected !== null && mayStartNumber(ch)) {
        var number = nextNumber(text, at, expected);
        if (number) {
          cut.push(text.slice(start, at));
          start = at = at + number[0].length;
          expected += 1;
          continue;
        }
      }
      var closingChar = closingOf(ch);
      if (closingChar !== null && !unclosed[ch]) {
        var closing = text.indexOf(closingChar, at + 1);
        if (closing !== -1) { at = closing + 1; continue; }
        unclosed[ch] = true;
      } else if (P.list_separators.indexOf(ch) >= 0 && !commaInName(text, at)) {
        cut.push(text.slice(start, at));
        start = at + 1;
      }
      at += 1;
    }
    cut.push(text.slice(start));
    var items = [];
    cut.forEach(function (piece) {
      piece = strip(piece);
      var item = unquoted(piece), quoted = item.length !== piece.length;
      item = strip(item);
      if (item) items.push({ item: item, quoted: quoted });
    });
    return items;
  }
  function splitList(text) { return pieces(text).map(function (p) { return p.item; }); }
  // forms.line_items: a line of names, but for the words that say there is none.
  function lineItems(line) {
    return pieces(line).filter(function (p) {
      return p.quoted || P.no_item_words.indexOf(p.item.replace(/[。.]+$/u, "")) < 0;
    }).map(function (p) { return p.item; });
  }
  // forms._closed: every quote and bracket opens and closes within the text.
  function closed(text) {
    var closings = OPENINGS.map(function (o) { return QUOTES[o]; })
      .concat(Object.keys(P.list_brackets).map(function (o) { return P.list_brackets[o]; }));
    var at = 0;
    while (at < text.length) {
      var closingChar = closingOf(text[at]);
      if (closingChar !== null) {
        var closing = text.indexOf(closingChar, at + 1);
        if (closing === -1) return false;
        at = closing + 1;
        continue;
      }
      if (closings.indexOf(text[at]) >= 0) return false;
      at += 1;
    }
    return true;
  }
  function sameList(a, b) { return a.length === b.length && a.every(function (x, i) { return x === b[i]; }); }
  function quoted(text) {
    var opening = OPENINGS.filter(function (o) { return text.indexOf(QUOTES[o]) < 0; })[0];
    return opening === undefined ? text : opening + text + QUOTES[opening];
  }
  // forms.list_text, step for step.
  function joinList(values) {
    var texts = values.map(String);
    var written = texts.map(function (text) {
      return !closed(text) || !sameList(lineItems(text), [text]) ? quoted(text) : text;
    }).join(P.owner_separator);
    if (!sameList(splitList(written), texts)) written = texts.map(quoted).join(P.owner_separator);
    return written;
  }

  function rstrip(text) { return text.replace(TRAIL, ""); }
  function length(text) { return detector.length(text); }
  function words(text) { return text.split(RUNS).filter(function (w) { return w !== ""; }); }
  // NFKC as Python's: a browser with a newer Unicode than the validator's reads characters
  // Python leaves alone (Unicode 16's outlined digits as 0-9), so text holding one is left
  // as it is, and read as nothing, as Python reads it.
  function nfkc(text) { return UNKNOWN.test(text) ? text : text.normalize("NFKC"); }
  function key(text) { return words(nfkc(text)).join("").toLowerCase(); }
  function short(text) {
    var flat = words(text).join(" ");
    var points = Array.from(flat);
    return points.length <= P.short ? flat : points.slice(0, P.short).join("") + "…";
  }
  function fill(template, slots) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(slots, name) ? String(slots[name]) : whole;
    });
  }
  function rule(code, slots) { return fill(M.rules[code].zh, slots || {}); }
  function codePoint(char) { return "U+" + char.codePointAt(0).toString(16).toUpperCase().padStart(4, "0"); }
  function today() {
    var d = new Date();
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
  }

  // ---------------------------------------------------------------- answers, as intake reads them

  // split_sections: each line right-stripped, the whole stripped; _No response_ is no answer.
  function section(raw) {
    var text = strip(String(raw).replace(/\r\n/g, "\n").replace(/\r/g, "\n").split("\n").map(rstrip).join("\n"));
    return text === "" || text === P.no_response ? null : text;
  }

  function numberOf(raw, integer) {
    var text = strip(nfkc(raw).split(" ").join(""));
    var unit = integer ? null : NUMBER_UNIT.exec(text);  // a unit is a capital's
    text = strip(unit ? unit[1] : text);
    if (!NUMBER.test(text)) return null;
    var value = Number(text.split(",").join(""));
    if (integer && !Number.isInteger(value)) return null;  // 2024.9 is no year
    return value;
  }

  function daysIn(year, month) {
    var leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  }

  function dateOf(raw) {
    var match = DATE.exec(strip(nfkc(raw)));
    if (!match) return null;
    var year = Number(match[1]), month = Number(match[2]), day = Number(match[3]);
    if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return null;
    return match[1] + "-" + String(month).padStart(2, "0") + "-" + String(day).padStart(2, "0");
  }

  // issues._vocab_choice: an option is [code, label, other spellings…].
  function vocabChoice(options, raw) {
    var wanted = key(raw);
    for (var i = 0; i < options.length; i++) {
      if (options[i].some(function (spelling) { return wanted === key(spelling); })) return options[i][0];
    }
    return null;
  }

  function listItems(el, raw, problems) {
    var required = el.parts.filter(function (p) { return p.required; }).length;
    var items = [];
    raw.split("\n").forEach(function (line, index) {
      var number = index + 1;
      line = strip(line.replace(BULLET, ""));
      if (!line) return;
      var parts = line.split(PART_SPLIT);
      if (parts.length < required) {
        problems.push(fill(el.messages.parts[String(parts.length)], { line: number }));
        return;
      }
      if (parts.length > el.parts.length) {  // the parts past the last are no field
        problems.push(fill(el.messages.too_many, { line: number, count: parts.length }));
        return;
      }
      var item = {};
      for (var k = 0; k < Math.min(el.parts.length, parts.length); k++) {
        var part = el.parts[k], text = strip(parts[k]);
        if (!text) continue;
        if (part.options.length) {
          var code = vocabChoice(part.options, text);
          if (code === null) {
            problems.push(fill(el.messages.vocab[part.name], { line: number, value: short(text) }));
            continue;
          }
          item[part.name] = code;
        } else if (part.list) {
          item[part.name] = splitList(text);
        } else if (part.integer) {  // a year, which may be written 2023年
          var value = numberOf(text.slice(-P.year.length) === P.year ? text.slice(0, -P.year.length) : text, true);
          if (value === null) {
            problems.push(fill(el.messages.integer[part.name], { line: number }));
            continue;
          }
          item[part.name] = value;
        } else {
          item[part.name] = text;
        }
      }
      items.push(item);
    });
    return items.length ? items : null;
  }

  // answer_value: the record value of one answer (null when unanswered or unreadable).
  function valueOf(el, answer, problems) {
    if (el.widget === "checkbox") return answer.checked ? true : null;
    if (el.widget === "dropdown") return answer.code || null;
    if (el.widget === "boolean") return answer.code ? answer.code === P.yes : null;
    if (el.widget === "multi") return answer.codes.length ? answer.codes.slice() : null;
    var raw = answer.text;
    if (raw === null) return null;
    if (el.widget === "number") {
      var number = numberOf(raw, el.integer);
      if (number === null) problems.push(fill(el.messages.number, { value: short(raw) }));
      return number;
    }
    if (el.widget === "date") {
      var date = dateOf(raw);
      if (date === null) {
        var unreal = DATE.exec(strip(nfkc(raw))) !== null;  // written as a date: no such day
        problems.push(fill(unreal ? el.messages.date_unreal : el.messages.date, { value: short(raw) }));
      }
      return date;
    }
    if (el.widget === "list") return listItems(el, raw, problems);
    if (el.widget === "lines") {
      var values = [];
      raw.split("\n").forEach(function (line) { Array.prototype.push.apply(values, lineItems(line)); });
      return values.length ? values : null;
    }
    return strip(raw);
  }

  // ---------------------------------------------------------------- checks, as the validator's

  // Each value under `path` (["*", "title"]…) with the list positions it was found at.
  function under(value, path, positions, visit) {
    if (!path.length) { visit(value, positions); return; }
    var head = path[0], rest = path.slice(1);
    if (head === "*") {
      if (Array.isArray(value)) value.forEach(function (item, i) { under(item, rest, positions.concat([i]), visit); });
    } else if (value && typeof value === "object" && !Array.isArray(value) && Object.prototype.hasOwnProperty.call(value, head)) {
      under(value[head], rest, positions, visit);
    }
  }

  function slotsOf(positions) {
    return { n: positions.length > 0 ? positions[0] + 1 : "", m: positions.length > 1 ? positions[1] + 1 : "" };
  }

  function broken(check, value) {
    var limit = check.value;
    switch (check.keyword) {
      case "maxLength": return typeof value === "string" && length(value) > limit ? { length: length(value) } : null;
      case "pattern": return typeof value === "string" && !new RegExp(limit, "u").test(value) ? {} : null;
      case "maximum": return typeof value === "number" && value > limit ? { value: value } : null;
      case "minimum": return typeof value === "number" && value < limit ? { value: value } : null;
      case "maxItems": return Array.isArray(value) && value.length > limit ? { length: value.length } : null;
      case "uniqueItems":
        if (!Array.isArray(value)) return null;
        var seen = {};
        for (var i = 0; i < value.length; i++) {
          var k = JSON.stringify(value[i]);
          if (seen[k]) return {};
          seen[k] = true;
        }
        return null;
    }
    return null;
  }

  // Every string of a value, with the key of its place in the element's labels.
  function strings(value, path, positions, visit) {
    if (typeof value === "string") visit(value, path.join("/"), positions);
    else if (Array.isArray(value)) value.forEach(function (item, i) { strings(item, path.concat(["*"]), positions.concat([i]), visit); });
    else if (value && typeof value === "object") Object.keys(value).forEach(function (name) { strings(value[name], path.concat([name]), positions, visit); });
  }

  function labelOf(el, place, positions) {
    var template = Object.prototype.hasOwnProperty.call(el.labels, place) ? el.labels[place] : el.label;
    return fill(template, slotsOf(positions));
  }

  function textRules(el, value, problems, masked) {
    strings(value, [], [], function (text, place, positions) {
      if (!text) return;
      var field = labelOf(el, place, positions);
      var control = CONTROL.exec(text), zero = ZERO_WIDTH.exec(text);
      if (control) problems.push(rule(CODES.control, { field: field, char: codePoint(control[0]) }));
      if (zero) problems.push(rule(CODES.zero_width, { field: field, char: codePoint(zero[0]) }));
      if (P.formula.indexOf(text[0]) >= 0) problems.push(rule(CODES.formula, { field: field, char: text[0] }));
      var unknown = UNKNOWN.exec(text);
      if (unknown) problems.push(rule(CODES.unknown_char, { field: field, char: codePoint(unknown[0]), version: P.unicode }));
      detector.find(text).forEach(function (hit) {
        masked[hit.masked] = true;
        problems.push(rule(CODES[hit.kind], { field: field, masked: hit.masked }));
      });
    });
  }

  function usccValid(code) {
    var alphabet = P.uscc.alphabet;
    if (!/^[0-9]{8}/.test(code)) return false;
    for (var i = 8; i < code.length; i++) if (alphabet.indexOf(code[i]) < 0) return false;
    var total = 0;
    for (var j = 0; j < 17; j++) total += alphabet.indexOf(code[j]) * P.uscc.weights[j];
    var n = alphabet.length;
    return alphabet[(((n - total) % n) + n) % n] === code[17];
  }

  // ---------------------------------------------------------------- one form

  function Form(node) {
    var name = node.getAttribute("data-form");
    this.node = node;
    this.spec = spec.forms.filter(function (f) { return f.form === name; })[0];
    this.plan = spec.annexes[this.spec.annex];
    this.touched = {};
    this.all = false;
    this.state = null;
    this.labelKeys = {};
    var self = this;
    this.spec.elements.forEach(function (el) { self.labelKeys[key(el.label)] = true; });
  }

  Form.prototype.field = function (el) { return this.node.querySelector("[data-id='" + el.id + "']"); };

  Form.prototype.answer = function (el) {
    var field = this.field(el);
    if (el.widget === "checkbox") return { checked: field.querySelector("input").checked };
    if (el.widget === "multi") {
      return { codes: Array.prototype.filter.call(field.querySelectorAll("input"), function (i) { return i.checked; }).map(function (i) { return i.value; }) };
    }
    var control = field.querySelector("[name]");
    if (el.widget === "dropdown" || el.widget === "boolean") return { code: control.value };
    return { text: section(control.value), raw: control.value };
  };

  // What the issue body carries for an answer (GitHub's rendering of the form).
  function shown(el, answer) {
    if (el.widget === "checkbox") return "- [" + (answer.checked ? "X" : " ") + "] " + el.option;
    var labels = {};
    el.options.forEach(function (o) { labels[o[0]] = o[1]; });
    if (el.widget === "dropdown" || el.widget === "boolean") return answer.code ? labels[answer.code] : null;
    if (el.widget === "multi") return answer.codes.length ? answer.codes.map(function (c) { return labels[c]; }).join(", ") : null;
    return answer.text;
  }

  // ---------------------------------------------------------------- texts read together

  // The record the answers make (each value at its element's path), and its texts as the
  // validator reads them together (TextContext.together, walk.walk_texts): in the
  // canonical key order, the codes left out, the words first and every other field after
  // a break nothing is read across.
  function recordOf(form, values) {
    var record = {};
    form.elements.forEach(function (el) {
      if (values[el.id] === null) return;
      var node = record;
      el.path.slice(0, -1).forEach(function (part) {
        if (!Object.prototype.hasOwnProperty.call(node, part)) node[part] = {};
        node = node[part];
      });
      node[el.path[el.path.length - 1]] = values[el.id];
    });
    return record;
  }
  // walk._plain: a plain field name holds nothing of its own.
  function plainKey(key) { return /^[a-z_][a-z0-9_]*$/.test(key) && /[a-z]/.test(key); }
  function keysInOrder(value, order) {
    var known = (order && order.__order__) || [];
    return known.filter(function (k) { return Object.prototype.hasOwnProperty.call(value, k); })
      .concat(Object.keys(value).filter(function (k) { return known.indexOf(k) < 0; }));
  }
  function textsOf(node, order, add) {
    if (typeof node === "string") add(node);
    else if (Array.isArray(node)) node.forEach(function (item) { textsOf(item, order, add); });
    else if (node !== null && typeof node === "object") {
      keysInOrder(node, order).forEach(function (k) {
        if (!plainKey(k)) add(k);
        textsOf(node[k], order && order[k], add);
      });
    }
  }
  function together(record, how) {
    var kept = [], after = [];
    keysInOrder(record, how.order).forEach(function (k) {
      if (!plainKey(k)) kept.push(k);
      if (how.codes.indexOf(k) >= 0) return;
      var into = kept;
      if (how.words.indexOf(k) < 0) { after.push(how.apart); into = after; }
      textsOf(record[k], how.order[k], function (text) { into.push(text); });
    });
    return kept.concat(after).join(how.separator);
  }

  Form.prototype.check = function () {
    var self = this, form = this.spec;
    var values = {}, answers = {}, problems = {}, masked = {};
    form.elements.forEach(function (el) {
      var found = [];
      var answer = self.answer(el);
      var value = valueOf(el, answer, found);
      answers[el.id] = answer;
      values[el.id] = value;
      if (value !== null) {
        el.checks.forEach(function (check) {
          under(value, check.at, [], function (v, positions) {
            var slots = broken(check, v);
            if (slots) found.push(fill(check.message, Object.assign(slotsOf(positions), slots)));
          });
        });
        textRules(el, value, found, masked);
      }
      if (answer.text) {
        // What no single string holds (a number split over the parts of a list line).
        detector.find(answer.text).forEach(function (hit) {
          if (masked[hit.masked]) return;
          masked[hit.masked] = true;
          found.push(rule(CODES[hit.kind], { field: el.label, masked: hit.masked }));
        });
        answer.text.split("\n").forEach(function (line) {
          var heading = HEADING.exec(line);
          if (heading && self.labelKeys[key(heading[1])]) found.push(fill(M.heading_in_answer, { field: el.label, line: short(line) }));
        });
      }
      problems[el.id] = found;
    });
    form.elements.forEach(function (el) {
      var value = values[el.id];
      var unless = el.required_unless;
      var needed = el.required || (unless && unless.values.indexOf(values[unless.field]) < 0);
      if (value === null && needed) problems[el.id].push(el.messages.required);
      if (el.id === P.stage.note && values[P.stage.field] === P.stage.value && !value) problems[el.id].push(rule(CODES.stage_note));
      if (el.widget === "date" && typeof value === "string" && value > today()) {
        problems[el.id].push(rule(CODES.date_future, { field: labelOf(el, "", []), value: value, today: today() }));
      }
      if (el.id === P.uscc.field && typeof value === "string") {
        if (USCC_SHAPE.test(value) && !usccValid(value)) problems[el.id].push(rule(CODES.uscc, { value: value }));
        if (detector.isIdNumber(value.toUpperCase())) {
          problems[el.id].push(rule(CODES.credit_code_id, { masked: detector.mask(spec.contacts.kinds.id_number, value) }));
        }
      }
    });
    var general = [];
    // What no single answer holds: read across the record's words as the validator reads
    // them, and across the whole issue body as intake reads it first.
    function split(hit) {
      if (masked[hit.masked]) return;
      masked[hit.masked] = true;
      general.push(rule(CODES.split, { what: M.what[hit.kind], masked: hit.masked }));
    }
    detector.find(together(recordOf(form, values), form.together)).forEach(split);
    var body = form.elements.map(function (el) {
      var text = shown(el, answers[el.id]);
      return "### " + el.label + "\n\n" + (text === null ? P.no_response : text);
    }).join("\n\n") + "\n";
    detector.find(body).forEach(split);
    if (length(body) > P.max_body) general.push(fill(M.body_too_long, { length: length(body) }));
    var count = general.length;
    Object.keys(problems).forEach(function (id) { count += problems[id].length; });
    this.state = { values: values, answers: answers, problems: problems, general: general, body: body, ok: count === 0, count: count };
    return this.state;
  };

  // ---------------------------------------------------------------- the two ways out

  Form.prototype.title = function () {
    var first = this.spec.elements.filter(function (el) { return el.widget === "input"; })[0];
    var value = first ? this.state.values[first.id] : null;
    return this.spec.title + (value ? Array.from(value).slice(0, 200).join("") : "");
  };

  // The issue form with every answer in its field (GitHub fills a field from the query
  // parameter named by its id); the pledges are left for the submitter to tick there.
  Form.prototype.githubUrl = function () {
    var state = this.state;
    var url = site.forms[this.spec.form] + "&title=" + encodeURIComponent(this.title());
    this.spec.elements.forEach(function (el) {
      if (el.widget === "checkbox") return;
      var text = shown(el, state.answers[el.id]);
      if (text !== null) url += "&" + encodeURIComponent(el.id) + "=" + encodeURIComponent(text);
    });
    return url;
  };

  // The text each answer cell of the annex holds (writer.cell_value), by cell.
  Form.prototype.cells = function () {
    var values = this.state.values, form = this.spec;
    var elements = {};
    form.elements.forEach(function (el) { elements[el.id] = el; });
    var out = [];
    this.plan.cells.forEach(function (cell) {
      if (cell.form !== form.form) return;
      var el = elements[cell.element], value = values[cell.element];
      var text = null;
      if (cell.ticks) {
        var chosen = [];
        if (cell.style === "checkbox") chosen = value === true ? [cell.accept] : [];
        else if (typeof value === "boolean") chosen = [value ? P.yes : P.no];
        else if (Array.isArray(value)) chosen = value;
        else if (value !== null) chosen = [value];
        var points = Array.from(cell.text);
        chosen.forEach(function (code) { if (cell.ticks[code] !== undefined) points[cell.ticks[code]] = spec.annexes[form.annex].tick; });
        var note = cell.note ? values[cell.note.element] : null;
        if (note) {
          var before = Array.from(cell.note.before).length, after = Array.from(cell.note.after).length;
          points = points.slice(0, before).concat(Array.from(note), points.slice(points.length - after));
        }
        if (chosen.length || note) text = points.join("");
      } else if (value !== null) {
        if (cell.style === "choice") {
          var printed = {};
          cell.options.forEach(function (o) { printed[o[0]] = o[1]; });
          text = Object.prototype.hasOwnProperty.call(printed, value) ? printed[value] : String(value);
        } else if (cell.style === "list") {
          text = value.map(function (item) { return listLine(el, item); }).join("\n");
        } else if (cell.style === "lines") {
          text = value.map(function (item) { return joinList([item]); }).join("\n");
        } else {
          text = String(value);
        }
      }
      if (text !== null) out.push({ ref: cell.ref, row: cell.row, width: cell.width, text: text });
    });
    return out;
  };

  // writer._list_line: the parts in form order, joined by " | ", empty ones at the end cut.
  function listLine(el, item) {
    var parts = el.parts.map(function (part) {
      var value = item[part.name];
      if (value === undefined || value === null) return "";
      if (part.options.length) {
        var label = part.options.filter(function (o) { return o[0] === value; })[0];
        return label ? label[1] : String(value);
      }
      if (Array.isArray(value)) return joinList(value);
      return String(value);
    });
    while (parts.length && !parts[parts.length - 1]) parts.pop();
    return parts.join(" " + P.part_separator + " ");
  }

  Form.prototype.fileName = function () {
    var plan = this.plan;
    var name = this.title().slice(this.spec.title.length).replace(/[\\/:*?"<>|\u0000-\u001f\u007f-\u009f]/g, "").trim();
    return "附件" + plan.number + "-" + (Array.from(name).slice(0, 40).join("") || plan.title) + ".xlsx";
  };

  Form.prototype.download = function () {
    var self = this, status = this.node.querySelector("[data-sr=downloaded]");
    var state = this.check();
    this.render();
    if (!state.ok) return;
    status.textContent = "正在生成文件……";
    fetch(site.templates + this.plan.file).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.arrayBuffer();
    }).then(function (template) {
      var bytes = window.SpringrainAnnex.make(template, self.plan, self.cells(), self.plan.date);
      var blob = new Blob([bytes], { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" });
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = self.fileName();
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(link.href); }, 60000);
      status.textContent = "已生成“" + link.download + "”，请在浏览器的下载列表中查看。";
    }).catch(function (error) {
      status.textContent = error instanceof window.SpringrainAnnex.Refused ? "无法生成文件：" + error.message :
        "无法生成文件：读取表格模板失败（直接从磁盘打开本页时会这样）。请通过网站地址打开本页，或下载空白模板填写。";
    });
  };

  Form.prototype.copy = function () {
    var body = this.state.body, note = this.node.querySelector("[data-sr=copied]");
    var done = function () { note.textContent = "已复制。请在 GitHub 空白议题的正文框中粘贴（Ctrl+V）。"; };
    var fallback = function () {
      var area = document.createElement("textarea");
      area.value = body;
      area.setAttribute("readonly", "");
      area.className = "sr-vh";
      document.body.appendChild(area);
      area.select();
      try { if (document.execCommand("copy")) done(); } catch (e) { /* shown below */ }
      area.remove();
      if (!note.textContent) note.textContent = "浏览器不允许复制：请展开上方的「查看将提交的全部内容」，手动全选复制。";
    };
    note.textContent = "";
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(body).then(done, fallback);
    else fallback();
  };

  // ---------------------------------------------------------------- showing the state

  Form.prototype.render = function () {
    var self = this, state = this.state, form = this.spec;
    var list = this.node.querySelector("[data-sr=problems]");
    var items = [];  // [target id, field label, message]; a general one has no target
    form.elements.forEach(function (el) {
      var field = self.field(el);
      var messages = state.problems[el.id];
      var shownHere = self.all || self.touched[el.id] === "left" ? messages :
        self.touched[el.id] ? messages.filter(function (m) { return m !== el.messages.required; }) : [];
      var error = field.querySelector("[data-sr=error]");
      error.textContent = "";
      shownHere.forEach(function (message, i) {
        if (i) error.appendChild(document.createElement("br"));
        error.appendChild(document.createTextNode(message));
      });
      error.hidden = !shownHere.length;
      var control = field.matches("fieldset") ? field : field.querySelector("[name]");
      control.setAttribute("aria-invalid", shownHere.length ? "true" : "false");
      field.classList.toggle("sr-wf-invalid", shownHere.length > 0);
      messages.forEach(function (message) {
        items.push([field.matches("fieldset") ? field.id : field.querySelector("[name]").id, el.label, message]);
      });
    });
    state.general.forEach(function (message) { items.push(["", "", message]); });
    // Drawn again only when it changed: leaving a field to click one of its links redraws
    // the form, and a link replaced under the pointer took no click.
    var drawn = JSON.stringify(items);
    if (drawn !== this.drawn) {
      this.drawn = drawn;
      list.textContent = "";
      items.forEach(function (entry) {
        var item = document.createElement("li");
        if (entry[0]) {
          var link = document.createElement("a");
          link.href = "#" + entry[0];
          link.textContent = entry[1];
          item.appendChild(link);
          item.appendChild(document.createTextNode("：" + entry[2]));
        } else {
          item.textContent = entry[2];
        }
        list.appendChild(item);
      });
    }
    this.node.querySelector("[data-sr=status]").textContent = state.ok ?
      "全部通过：必填项都已填写，没有发现问题。请再核对一遍内容，然后选择下面的一种方式提交。" :
      "还有 " + state.count + " 处需要填写或修改：";
    this.node.querySelector("[data-sr=preview]").textContent = state.body;
    this.node.querySelector("[data-sr=blocked]").hidden = state.ok;
    var github = this.node.querySelector("[data-sr=github]");
    var download = this.node.querySelector("[data-sr=download]");
    var long = this.node.querySelector("[data-sr=long]");
    download.disabled = !state.ok;
    long.hidden = !state.ok;
    github.removeAttribute("href");
    github.setAttribute("aria-disabled", "true");
    if (state.ok) {
      var url = this.githubUrl();
      var fits = url.length <= P.max_url;
      if (fits) {
        github.href = url;
        github.setAttribute("aria-disabled", "false");
      }
      github.hidden = !fits;
      this.node.querySelector("[data-sr=blank]").href = site.blank + "?title=" + encodeURIComponent(this.title());
      this.node.querySelector("[data-sr=longnote]").textContent = fits ?
        "如果打开的 GitHub 页面没有带出您的答案，也可以复制全部答案，再打开空白议题，粘贴到正文中提交：机器人同样能识别。" :
        "您的答案较长，无法全部放进 GitHub 的网址。请点击「复制全部答案」，再点击「打开空白议题」，把答案粘贴到正文框中提交：机器人会按栏目标题识别这是「" + form.name + "」。";
    } else {
      github.hidden = false;
    }
    this.node.querySelector("[data-sr=office]").textContent = this.office();
  };

  // The programme office the annex file goes to: the chosen programme's, or those of the
  // province named (for a cooperation, the project's); none is guessed beyond these (a
  // Sichuan project under the national programme was sent to Fujian's office).
  Form.prototype.office = function () {
    var values = this.state.values;
    var rows = [];
    if (values.programme) rows = site.offices.filter(function (o) { return o.programme === values.programme; });
    var province = values.province || (typeof values.project === "string" ? values.project.slice(0, 2) : "");
    if (!rows.length && province) rows = site.offices.filter(function (o) { return o.province === province; });
    var named = {};
    rows.forEach(function (o) {
      var text = [o.office, o.platform].filter(Boolean).join("（") + (o.office && o.platform ? "）" : "");
      if (text) named[text] = true;
    });
    var names = Object.keys(named);
    return names.length ? "请将文件发送给主管部门：" + names.join("；") + "。" :
      "请将文件发送给所属行动方案的主管部门（本站收录的各地渠道见本段末尾的链接；所在省份未列出的，请向所在省份的药品监督管理局咨询）。";
  };

  Form.prototype.update = function () {
    this.check();
    this.render();
  };

  // ---------------------------------------------------------------- wiring

  var forms = {};
  var pending = null;
  Array.prototype.forEach.call(app.querySelectorAll("form[data-form]"), function (node) {
    var form = new Form(node);
    forms[form.spec.form] = form;
    function touched(event, how) {
      var field = event.target.closest("[data-id]");
      if (!field) return;
      var id = field.getAttribute("data-id");
      if (how === "left" || form.touched[id] !== "left") form.touched[id] = how;
      clearTimeout(pending);
      if (how === "left") form.update();
      else pending = setTimeout(function () { form.update(); }, 150);
    }
    node.addEventListener("input", function (event) { touched(event, "typed"); });
    node.addEventListener("change", function (event) { touched(event, "left"); });
    node.addEventListener("focusout", function (event) { touched(event, "left"); });
    node.addEventListener("submit", function (event) { event.preventDefault(); });
    node.querySelector("[data-sr=github]").addEventListener("click", function (event) {
      form.all = true;
      form.update();
      if (!form.state.ok || form.githubUrl().length > P.max_url) {
        event.preventDefault();
        var first = node.querySelector("[data-sr=problems] a");
        if (first) first.focus();
      }
    });
    // A link of the check list takes the reader to the field, its control focused and its
    // label and hints in view below the sticky header (the field's scroll-margin).
    node.querySelector("[data-sr=problems]").addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var target = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!target) return;
      event.preventDefault();
      target.focus({ preventScroll: true });
      (target.closest(".sr-wf-field") || target).scrollIntoView({ block: "start" });
    });
    node.querySelector("[data-sr=download]").addEventListener("click", function () { form.download(); });
    node.querySelector("[data-sr=copy]").addEventListener("click", function () { form.copy(); });
    form.update();
  });

  function choose(name) {
    Object.keys(forms).forEach(function (other) { forms[other].node.hidden = other !== name; });
    var q = new URLSearchParams(location.search);
    q.set("form", name);
    history.replaceState(null, "", location.pathname + "?" + q + location.hash);
  }
  var radios = app.querySelectorAll("input[name=sr-wf-form]");
  Array.prototype.forEach.call(radios, function (radio) {
    radio.addEventListener("change", function () { if (radio.checked) choose(radio.value); });
  });
  var query = new URLSearchParams(location.search);
  var wanted = query.get("form");
  // Only a form of the page's own (form=__proto__ or toString is no form: an inherited
  // property hid every form).
  if (wanted && Object.prototype.hasOwnProperty.call(forms, wanted)) {
    Array.prototype.forEach.call(radios, function (radio) { radio.checked = radio.value === wanted; });
    Object.keys(forms).forEach(function (other) { forms[other].node.hidden = other !== wanted; });
    prefill(forms[wanted], query);
  }

  // Answers named in the address (form.html?form=cooperation&project=GD-2025-0001), as
  // GitHub fills an issue form from its query: a text as given (bounded), a choice only if
  // it is one of the choices. Pledges are never ticked for the submitter.
  function prefill(form, given) {
    form.spec.elements.forEach(function (el) {
      var value = given.get(el.id);
      if (value === null || el.widget === "checkbox") return;
      value = value.slice(0, 20000);
      var field = form.field(el);
      if (el.widget === "multi") {
        Array.prototype.forEach.call(field.querySelectorAll("input"), function (box) {
          box.checked = value.split(",").indexOf(box.value) >= 0;
        });
      } else {
        var control = field.querySelector("[name]");
        if (control.tagName === "SELECT" && !Array.prototype.some.call(control.options, function (o) { return o.value === value; })) return;
        control.value = value;
      }
      form.touched[el.id] = "typed";
    });
    form.update();
  }
  app.hidden = false;
  // For the tests: the forms' states, and one answer read as intake reads it.
  window.SpringrainWebform = {
    forms: forms,
    read: function (form, id, raw) {
      var el = forms[form].spec.elements.filter(function (e) { return e.id === id; })[0];
      var problems = [];
      return [valueOf(el, { text: raw }, problems), problems];
    },
    listText: joinList,
    // The texts of the record some answers make, read together as the validator reads them.
    together: function (form, raws) {
      var values = {};
      forms[form].spec.elements.forEach(function (el) {
        var raw = Object.prototype.hasOwnProperty.call(raws, el.id) ? raws[el.id] : null;
        // An answer as each widget holds it: text typed, a code chosen, codes ticked.
        values[el.id] = raw === null ? null : valueOf(el, { text: raw, code: raw, codes: raw, checked: raw }, []);
      });
      return together(recordOf(forms[form].spec, values), forms[form].spec.together);
    }
  };
})();
