/* Customer-data detectors: a mirror of debriefs/sensitive.py (keep the two in step; the table in
   tests/debriefs/test_sensitive.py runs through both). Exposes DebriefSensitive.find(text) ->
   [{kind, start, end}] and DebriefSensitive.kinds(text) -> ["email", "card", ...]. */
(function (root) {
  "use strict";
  var KINDS = ["email", "card", "phone", "account"];
  var EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
  var CARD = /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g;
  var PHONES = [
    /(?<![\d+])(?:\+?1[ .-]?)?(?:\([2-9]\d{2}\)|[2-9]\d{2})[ .-]?[2-9]\d{2}[ .-]?\d{4}(?!\d)/g,
    /(?<![\d+])(?:\+|00)[1-9]\d{0,2}(?:[ .-]?\(?\d{1,4}\)?){2,6}(?!\d)/g,
    /(?<!\d)0[1-9](?:[ .-]?\d{2}){4}(?!\d)/g
  ];
  var ACCOUNTS = [/(?<!\d)\d{8,}(?!\d)/g, /(?<![\d-])\d(?:[ -]?\d){11,}(?![\d-])/g];

  function digits(text) { return text.replace(/\D/g, ""); }

  function luhnValid(value) {
    if (!/^\d+$/.test(value)) { return false; }
    var total = 0;
    for (var i = 0; i < value.length; i++) {
      var n = value.charCodeAt(value.length - 1 - i) - 48;
      if (i % 2 === 1) { n *= 2; if (n > 9) { n -= 9; } }
      total += n;
    }
    return total % 10 === 0;
  }

  function find(text) {
    var found = [];
    if (!text) { return found; }
    function add(kind, start, end) {
      for (var i = 0; i < found.length; i++) {
        if (start < found[i].end && found[i].start < end) { return; }
      }
      found.push({ kind: kind, start: start, end: end });
    }
    function each(pattern, fn) {
      pattern.lastIndex = 0;
      var match;
      while ((match = pattern.exec(text)) !== null) {
        fn(match[0], match.index, match.index + match[0].length);
        if (match[0].length === 0) { pattern.lastIndex++; }
      }
    }
    each(EMAIL, function (m, s, e) { add("email", s, e); });
    each(CARD, function (m, s, e) {
      var d = digits(m);
      if (d.length >= 13 && d.length <= 19 && luhnValid(d)) { add("card", s, e); }
    });
    PHONES.forEach(function (pattern) {
      each(pattern, function (m, s, e) {
        var n = digits(m).length;
        if (n >= 7 && n <= 15) { add("phone", s, e); }
      });
    });
    ACCOUNTS.forEach(function (pattern) {
      each(pattern, function (m, s, e) { add("account", s, e); });
    });
    return found.sort(function (a, b) { return a.start - b.start; });
  }

  function kinds(text) {
    var seen = {};
    find(text).forEach(function (f) { seen[f.kind] = true; });
    return KINDS.filter(function (k) { return seen[k]; });
  }

  var api = { find: find, kinds: kinds, luhnValid: luhnValid, KINDS: KINDS };
  if (typeof module === "object" && module.exports) { module.exports = api; }
  root.DebriefSensitive = api;
})(typeof window !== "undefined" ? window : globalThis);
