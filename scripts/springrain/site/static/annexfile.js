// springrain: the official annex file of the web form, made in the browser. The blank
// annex is the template the Python writer makes (site/static/webform/annexN.xlsx, a zip of
// stored members); its answer cells, listed by the generated cell plan, get the answers as
// inline strings, and the members are zipped again, stored, each with its CRC-32. No
// compression library: a stored zip is a valid .xlsx, and the importer reads it.
(function (root) {
  "use strict";

  var MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
  var XML = "http://www.w3.org/XML/1998/namespace";

  var TABLE = (function () {
    var table = new Uint32Array(256);
    for (var n = 0; n < 256; n++) {
      var c = n;
      for (var k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
    return table;
  })();

  function crc32(bytes) {
    var crc = 0xffffffff;
    for (var i = 0; i < bytes.length; i++) crc = TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
    return (crc ^ 0xffffffff) >>> 0;
  }

  // The members of a zip whose members are stored (as the generated templates are).
  function read(buffer) {
    var bytes = new Uint8Array(buffer);
    var view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    var end = -1;
    for (var i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
      if (view.getUint32(i, true) === 0x06054b50) { end = i; break; }
    }
    if (end < 0) throw new Error("not a zip file");
    var count = view.getUint16(end + 10, true);
    var at = view.getUint32(end + 16, true);
    var names = new TextDecoder("utf-8");
    var members = [];
    for (var m = 0; m < count; m++) {
      if (view.getUint32(at, true) !== 0x02014b50) throw new Error("damaged zip directory");
      var method = view.getUint16(at + 10, true);
      var size = view.getUint32(at + 20, true);
      var nameLength = view.getUint16(at + 28, true);
      var extra = view.getUint16(at + 30, true);
      var comment = view.getUint16(at + 32, true);
      var local = view.getUint32(at + 42, true);
      var name = names.decode(bytes.subarray(at + 46, at + 46 + nameLength));
      if (method !== 0) throw new Error("member " + name + " is compressed");
      var start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
      members.push({ name: name, data: bytes.slice(start, start + size) });
      at += 46 + nameLength + extra + comment;
    }
    return members;
  }

  // A stored zip of members [{name, data}], dated as the Python writer dates its files.
  function write(members, date) {
    var encoder = new TextEncoder();
    var time = 0;
    var day = ((date[0] - 1980) << 9) | (date[1] << 5) | date[2];
    var parts = [], directory = [], offset = 0;
    members.forEach(function (member) {
      var name = encoder.encode(member.name);
      var crc = crc32(member.data);
      var head = new DataView(new ArrayBuffer(30));
      head.setUint32(0, 0x04034b50, true);
      head.setUint16(4, 20, true);
      head.setUint16(6, 0, true);
      head.setUint16(8, 0, true);
      head.setUint16(10, time, true);
      head.setUint16(12, day, true);
      head.setUint32(14, crc, true);
      head.setUint32(18, member.data.length, true);
      head.setUint32(22, member.data.length, true);
      head.setUint16(26, name.length, true);
      head.setUint16(28, 0, true);
      var entry = new DataView(new ArrayBuffer(46));
      entry.setUint32(0, 0x02014b50, true);
      entry.setUint16(4, 20, true);
      entry.setUint16(6, 20, true);
      entry.setUint16(8, 0, true);
      entry.setUint16(10, 0, true);
      entry.setUint16(12, time, true);
      entry.setUint16(14, day, true);
      entry.setUint32(16, crc, true);
      entry.setUint32(20, member.data.length, true);
      entry.setUint32(24, member.data.length, true);
      entry.setUint16(28, name.length, true);
      entry.setUint32(38, (0o644 << 16) >>> 0, true);
      entry.setUint32(42, offset, true);
      parts.push(new Uint8Array(head.buffer), name, member.data);
      directory.push(new Uint8Array(entry.buffer), name);
      offset += 30 + name.length + member.data.length;
    });
    var size = 0;
    directory.forEach(function (part) { size += part.length; });
    var tail = new DataView(new ArrayBuffer(22));
    tail.setUint32(0, 0x06054b50, true);
    tail.setUint16(8, members.length, true);
    tail.setUint16(10, members.length, true);
    tail.setUint32(12, size, true);
    tail.setUint32(16, offset, true);
    var all = parts.concat(directory, [new Uint8Array(tail.buffer)]);
    var total = 0;
    all.forEach(function (part) { total += part.length; });
    var out = new Uint8Array(total);
    var at = 0;
    all.forEach(function (part) { out.set(part, at); at += part.length; });
    return out;
  }

  function codePoints(text) { return Array.from(text).length; }

  // What an XML document may hold (XML 1.0, Char): anything else makes the file unreadable.
  var NOT_XML = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;

  function Refused(message) { this.message = message; }

  // The sheet's XML with each cell of `cells` ({ref, row, text, width}) holding its text as an
  // inline string, and its row as high as the writer would make it for that text.
  function fillSheet(xml, cells, lineHeight) {
    var doc = new DOMParser().parseFromString(xml, "application/xml");
    if (doc.getElementsByTagName("parsererror").length) throw new Error("the template sheet cannot be read");
    var rows = {};
    Array.prototype.forEach.call(doc.getElementsByTagNameNS(MAIN, "row"), function (row) { rows[row.getAttribute("r")] = row; });
    cells.forEach(function (cell) {
      var row = rows[String(cell.row)];
      if (!row) throw new Error("row " + cell.row + " missing from the template");
      var target = null;
      Array.prototype.forEach.call(row.getElementsByTagNameNS(MAIN, "c"), function (c) { if (c.getAttribute("r") === cell.ref) target = c; });
      if (!target) throw new Error("cell " + cell.ref + " missing from the template");
      var bad = NOT_XML.exec(cell.text);
      if (bad) throw new Refused("答案中有 Excel 无法保存的字符（U+" + bad[0].codePointAt(0).toString(16).toUpperCase().padStart(4, "0") + "），请删除后再下载。");
      while (target.firstChild) target.removeChild(target.firstChild);
      target.setAttribute("t", "inlineStr");
      var is = doc.createElementNS(MAIN, "is");
      var t = doc.createElementNS(MAIN, "t");
      t.setAttributeNS(XML, "xml:space", "preserve");
      t.textContent = cell.text;
      is.appendChild(t);
      target.appendChild(is);
      var lines = 0;
      cell.text.split("\n").forEach(function (part) { lines += Math.max(1, Math.ceil(codePoints(part) / cell.width)); });
      var height = lines * lineHeight + 4;
      var current = Number(row.getAttribute("ht")) || lineHeight;
      if (height > current) {
        row.setAttribute("ht", String(height));
        row.setAttribute("customHeight", "1");
      }
    });
    return new XMLSerializer().serializeToString(doc);
  }

  // The template (an ArrayBuffer) with the answers in its cells, as the bytes of an .xlsx.
  function make(template, plan, cells, date) {
    var members = read(template);
    var sheet = members.filter(function (m) { return m.name === plan.sheet; })[0];
    if (!sheet) throw new Error("the template has no " + plan.sheet);
    var xml = new TextDecoder("utf-8").decode(sheet.data);
    sheet.data = new TextEncoder().encode(fillSheet(xml, cells, plan.line_height));
    return write(members, date);
  }

  root.SpringrainAnnex = { make: make, read: read, write: write, crc32: crc32, fillSheet: fillSheet, Refused: Refused };
})(this);
