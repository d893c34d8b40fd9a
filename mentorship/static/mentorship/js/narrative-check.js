/* The narrative check on the phone: mentorship/narrative.py's rules, run
 * before a note is saved offline, so most identifying details are caught in
 * the village. The server checks every record again when it arrives and
 * stays the authority.
 *
 *   PendampingNarrative.problems(text) -> [{kind, quote, message, details}]
 *   PendampingNarrative.findings(text) -> the same without messages
 *   PendampingNarrative.configure({messages: {...}, desa: {...}})
 *   PendampingNarrative.ready           -> a Promise: true once the desa
 *                                          names are in, false if they could
 *                                          not be fetched
 *   PendampingNarrative.supported       -> false where this browser's RegExp
 *                                          lacks lookbehind or \p{...}: then
 *                                          problems() finds nothing
 *
 * kind is one of nik, kk, phone, email, bpjs, desa, name, name_after,
 * name_age; quote is the text as written. `{% narrative_check %}`
 * (mentorship/templatetags) puts the messages, in the page's language, and
 * the address of the desa names (/magang/narasi/desa.json) in
 * #narrative-check-config, which this script reads by itself.
 *
 * What is ported: the project's own rules (16-digit numbers in any grouping,
 * BPJS numbers, mobile numbers and landlines, e-mail addresses, a desa with
 * an age or a school, a person's name; the name rule's word lists come with
 * the desa names), written with Python's meaning of \d, \w, \b, \s and $,
 * and the parts of lokal-id's detector that need no data (phone numbers in
 * its shapes, spelled-out and URL-encoded e-mail, BPJS numbers after the
 * card's name, KK numbers after "KK"). What is not: lokal-id's NIK check of
 * region and birth date (a NIK glued to letters or a slash), its labelled
 * fields and tables. There the phone may miss what the server refuses; it
 * never refuses what the server accepts (tests/browser/
 * test_narrative_on_a_phone.py holds both to one set of sentences).
 */
(function () {
  "use strict";

  var NIK = "nik";
  var KK = "kk";
  var PHONE = "phone";
  var EMAIL = "email";
  var BPJS = "bpjs";
  var DESA = "desa";
  var MAX_DIGITS = 16;

  // Sets of words, with no prototype: a note may say "constructor".
  function setOf(words) {
    var set = Object.create(null);
    (words || "").split(" ").forEach(function (word) {
      if (word) set[word] = true;
    });
    return set;
  }

  var HOTLINES = setOf("08111129129 628111129129");
  var messages = {};
  var places = { desa: setOf(""), several: setOf(""), allowed: setOf("") };
  var resolveReady;
  var ready =
    typeof Promise === "function"
      ? new Promise(function (resolve) {
          resolveReady = resolve;
        })
      : null;

  // ---------------------------------------------------------------------
  // Python's classes, for the patterns of mentorship/narrative*.py

  var WORD_CHARS = "\\p{L}\\p{N}_"; // \w: str.isalnum() or "_"
  var W = "[" + WORD_CHARS + "]";
  var D = "\\p{Nd}"; // \d
  var SPACE_CHARS =
    "\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
  var S = "[" + SPACE_CHARS + "]"; // \s: str.isspace()
  var B = "(?:(?<=" + W + ")(?!" + W + ")|(?<!" + W + ")(?=" + W + "))"; // \b
  var END = "(?=\\n?$)"; // $ without MULTILINE
  var LETTER = "[\\p{L}\\p{Nl}\\p{No}]"; // [^\W\d_]

  // lokal-id's "[dot]" in a spelled-out address.
  var SPELLED_DOT =
    "(?:\\s*(?:\\[\\s*dot\\s*\\]|\\(\\s*dot\\s*\\)|\\{\\s*dot\\s*\\})\\s*|\\.)";

  function py(source, flags) {
    return new RegExp(source, "u" + (flags || ""));
  }

  // Built from strings, never literals: in an engine without lookbehind a
  // literal would stop the whole script from parsing.
  function js(source, flags) {
    return new RegExp(source, flags || "");
  }

  function build() {
    var ageWords = "(?:tahun|thn|th)";
    return {
      alnum: py("^[\\p{L}\\p{N}]$"),
      digitLike: py("^[\\p{Nd}\\p{No}]$"),
      nd: py("^" + D + "$"),
      numberRun: py("\\+?" + D + "+(?:[ .\\-]" + D + "+)*", "g"),
      group: py(D + "+", "g"),
      bpjsWord: py(
        B + "(?:bpjs|kis|jkn|kartu" + S + "+indonesia" + S + "+sehat)" + B +
          "[^" + D + "\\n]{0,30}" + END,
        "i"
      ),
      moneyBefore: py(B + "rp\\.?" + S + "*" + END, "i"),
      kkWord: py(
        B + "(?:kk|kartu" + S + "+keluarga)" + B + "[^" + D + "\\n]{0,25}" + END,
        "i"
      ),
      landline: py(
        "(?<![" + WORD_CHARS + "/])(?:\\(0[2-79]" + D + "{1,2}\\)" + S +
          "?|0[2-79]" + D + "{1,2}[ .\\-])" + D + "{2,4}(?:[ .\\-]?" + D +
          "{1,4})?(?![" + WORD_CHARS + "/]|[ .\\-]?" + D + ")",
        "g"
      ),
      landlineLocal: py(
        "^(?:\\(0" + D + "+\\)|0" + D + "+)[ .\\-]?" + S + "?([^\\n]*)" + END
      ),
      email: py(
        "(?<![" + WORD_CHARS + ".+\\-])[A-Za-z0-9._%+\\-]+@[A-Za-z0-9\\-]+" +
          "(?:\\.[A-Za-z0-9\\-]+)*\\.[A-Za-z]{2,}",
        "g"
      ),
      // narrative_places.py
      word: py(LETTER + "+(?:['\u2019`]" + LETTER + "+)*", "g"),
      join: py("^(?:" + S + "+|" + S + "*-" + S + "*)" + END),
      ageBefore: py(
        B + "(?:umur(?:nya)?|usia(?:nya)?|berumur|berusia)" + S + "*:?" + S +
          "*" + D + "{1,2}(?!" + D + ")(?:" + S + "*" + ageWords + B +
          ")?(?![" + D + "\\-\u2013/.,]" + D + ")",
        "gi"
      ),
      ageAfter: py(
        "(?<![" + D + "\\-\u2013/.,])" + B + D + "{1,2}" + S + "*" + ageWords + B,
        "gi"
      ),
      durationBefore: py(
        B + "(?:selama|sejak|sudah|telah|hukuman|pidana|penjara|vonis|divonis" +
          "|dihukum|dituntut|tuntutan|kurungan|menikah|tinggal|bekerja)" + S +
          "+" + END,
        "i"
      ),
      durationAfter: py(
        "^" + S + "+(?:lalu|yang" + S + "+lalu|silam|terakhir|belakangan" +
          "|penjara|kurungan|lamanya|berturut|" + D + "{4}(?!" + D + "))",
        "i"
      ),
      school: py(
        B + "SD" + B +
          "|" + B + "(?:SDN|SDI|SDK|SMP[NK]?|SMA[NK]?|SMK[N]?|MTsN?)" + B +
          "|" + B + "sekolah(?:nya)?" + B + "|" + B + "siswi" + B +
          "|" + B + "siswa" + B + "|" + B + "murid" + B + "|" + B + "pelajar" + B +
          "|" + B + "kelas" + S + "+(?:" + D + "{1,2}|[IVX]{1,4})" + B,
        "gi"
      ),
      // lokal-id's patterns are JavaScript already (lokal/samaran/detectors.py
      // says so): copied as they are, without the u flag, as lokal-id runs them.
      digitRun: js(String.raw`(?<![\d\w.])\d(?:[ -]?\d){7,18}(?![\d\w])`, "g"),
      kkKeyword: /\b(kk|kartu keluarga)\b[^\d]*$/,
      simKeyword: /\b(sim|surat izin mengemudi|driving licen[cs]e)\b[^\d]*$/,
      bpjsKeyword: /\b(bpjs|jkn|kis|kartu indonesia sehat|kpj|jamsostek)\b/,
      mobileStart: /^(08|628)/,
      mobile: js(String.raw`(?<![\d+\w])(?:\+62|0062|62|0)[ \t-]?8\d{1,2}(?:[ \t.-]?\d{3,4}){2,3}(?![\d\w])`, "g"),
      lokalLandline: js(String.raw`\((?:\+62[ \t]?|0)\d{2,3}\)[ \t]?\d{3,4}[ \t-]?\d{3,4}(?!\d)|(?<![\d\w])\+62[ \t]?[2-79]\d{1,2}[ \t-]?\d{3,4}[ \t-]?\d{3,4}(?!\d)`, "g"),
      phoneWord: /\b(?:telp|telepon|telpon|tlp|tel|phone|fax|faks|hub|hubungi|call|kontak|contact|cp|rumah|kantor|no)\b[^\d]*$/,
      bracketedMobile: js(String.raw`(?<![\d\w])(?:\+?62[ \t]?\(8\d{1,2}\)|\(08\d{1,2}\))[ \t]?\d{3,4}[ \t.-]?\d{3,4}(?!\d)`, "g"),
      groupedMobile: js(String.raw`(?<![\d\w+])(?:\+62[ \t.-]?|62[ \t.-]?|0[ \t.-]?)8(?:[ \t.-]?\d){8,12}(?![\d\w])`, "g"),
      groupSep: /[ \t.-]/,
      spacedZero: /^0[ \t.-]/,
      areaCode: js(String.raw`(?<![\d\w+])0(?:2[1-9]|[3-79]\d)\d{0,2}[ \t.-]?\d{3,4}[ \t.-]?\d{3,4}(?![\d\w])`, "g"),
      reservedEmailDomain: /@(?:[\w-]+\.)*(?:example\.(?:com|net|org)|[\w-]+\.(?:example|test|invalid|localhost))$/i,
      lokalEmail: js(String.raw`(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])`, "g"),
      spelledEmail: new RegExp(
        "(?<![\\w.+-])[A-Za-z0-9._%+-]+" +
          "\\s*(?:\\[\\s*at\\s*\\]|\\(\\s*at\\s*\\)|\\{\\s*at\\s*\\})\\s*" +
          "[A-Za-z0-9-]+(?:" + SPELLED_DOT + "[A-Za-z0-9-]+)*" + SPELLED_DOT +
          "[A-Za-z]{2,}(?![\\w-])",
        "gi"
      ),
      urlEmail: js(String.raw`(?<![\w.+-])[A-Za-z0-9._+-]+%40[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])`, "g"),
      spokenPhone: /\b(?:nol|kosong)[\s,.-]+delapan(?:[\s,.-]+(?:nol|kosong|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan)){8,11}\b/gi,
      gluedPhone: js(String.raw`(?<=[A-Za-z])(?:\+?62|0)8\d{8,11}(?!\d)`, "g"),
      phoneLabelPrefix: /[A-Za-z.]+$/,
      phoneClean: /[\s().-]/g,
    };
  }

  var R = null;
  try {
    R = build();
  } catch (error) {
    R = null; // An old engine: the server's check still runs on arrival.
  }

  // ---------------------------------------------------------------------
  // Small helpers

  function allMatches(regex, text) {
    var found = [];
    var match;
    regex.lastIndex = 0;
    while ((match = regex.exec(text)) !== null) {
      found.push(match);
      if (match[0] === "") regex.lastIndex += 1;
    }
    return found;
  }

  function searchKey(name) {
    return name.toLowerCase().replace(/[^a-z0-9]+/g, "");
  }

  function codePoints(text) {
    return Array.from(text).length;
  }

  // The code point that ends at `index` / starts at `index`, as Python's
  // text[index - 1] and text[index] see it.
  function charBefore(text, index) {
    if (index <= 0) return "";
    var code = text.charCodeAt(index - 1);
    if (code >= 0xdc00 && code <= 0xdfff && index >= 2) {
      var high = text.charCodeAt(index - 2);
      if (high >= 0xd800 && high <= 0xdbff) return text.slice(index - 2, index);
    }
    return text.charAt(index - 1);
  }

  function charAt(text, index) {
    if (index >= text.length) return "";
    return String.fromCodePoint(text.codePointAt(index));
  }

  // text[max(0, index - count):index], counting code points as Python does.
  function before(text, index, count) {
    var start = index;
    for (var i = 0; i < count && start > 0; i += 1) {
      start -= charBefore(text, start).length;
    }
    return text.slice(0, index).slice(start);
  }

  // int() of a group of decimal digits in any script: Unicode assigns each
  // script's digits 0 to 9 in one run of ten.
  function digitValue(char) {
    var code = char.codePointAt(0);
    var offset = 0;
    while (R.nd.test(String.fromCodePoint(code - offset - 1))) offset += 1;
    return offset % 10;
  }

  function numberValue(digits) {
    var value = 0;
    Array.from(digits).forEach(function (char) {
      value = value * 10 + digitValue(char);
    });
    return value;
  }

  function digitsOf(value) {
    return (value.match(py(D, "g")) || []).join("");
  }

  // ---------------------------------------------------------------------
  // The project's number rules (mentorship/narrative.py: _number_hits)

  function windows(text) {
    var spans = [];
    allMatches(R.numberRun, text).forEach(function (run) {
      var value = run[0];
      var offset = run.index;
      var groups = allMatches(R.group, value);
      for (var i = 0; i < groups.length; i += 1) {
        var start = offset + (i === 0 && value.charAt(0) === "+" ? 0 : groups[i].index);
        var separators = {};
        var separatorCount = 0;
        var digits = "";
        for (var j = i; j < groups.length; j += 1) {
          if (j > i) {
            var separator = value.slice(groups[j - 1].index + groups[j - 1][0].length, groups[j].index);
            if (!separators[separator]) {
              separators[separator] = true;
              separatorCount += 1;
            }
            if (separatorCount > 1) break;
          }
          digits += groups[j][0];
          if (codePoints(digits) > MAX_DIGITS) break;
          spans.push({
            start: start,
            end: offset + groups[j].index + groups[j][0].length,
            digits: digits,
            groups: groups.slice(i, j + 1).map(function (g) {
              return g[0];
            }),
            separators: Object.keys(separators),
          });
        }
      }
    });
    return spans;
  }

  function looksLikeMoney(span) {
    var only = span.separators.every(function (s) {
      return s === ".";
    });
    var first = span.groups[0];
    return (
      only &&
      span.groups.length > 1 &&
      codePoints(first) >= 1 &&
      codePoints(first) <= 3 &&
      first.charAt(0) !== "0" &&
      span.groups.slice(1).every(function (g) {
        return codePoints(g) === 3;
      })
    );
  }

  function looksLikeYears(span) {
    return span.groups.every(function (g) {
      var year = codePoints(g) === 4 ? numberValue(g) : 0;
      return year >= 1900 && year <= 2099;
    });
  }

  function bounded(text, start, end) {
    var previous = charBefore(text, start);
    var next = charAt(text, end);
    if (previous && (R.alnum.test(previous) || previous === "/" || previous === "_")) return false;
    if (next && (R.alnum.test(next) || next === "/" || next === "_")) return false;
    var mark = text.charAt(start - 1);
    if (start >= 2 && (mark === "." || mark === "-") && R.digitLike.test(charBefore(text, start - 1))) {
      return false;
    }
    var after = text.charAt(end);
    return !((after === "." || after === "-") && R.digitLike.test(charAt(text, end + 1)));
  }

  function nationalNumber(digits) {
    var prefixes = ["62", "0"];
    for (var i = 0; i < prefixes.length; i += 1) {
      var rest = digits.slice(prefixes[i].length);
      if (digits.indexOf(prefixes[i]) === 0 && rest.charAt(0) === "8") return rest;
    }
    return null;
  }

  function isHotline(value) {
    return HOTLINES[digitsOf(value)] === true;
  }

  function numberHits(text) {
    var hits = [];
    var taken = [];

    function free(start, end) {
      return taken.every(function (t) {
        return end <= t[0] || start >= t[1];
      });
    }

    function add(kind, start, end) {
      taken.push([start, end]);
      hits.push(hit(kind, text, start, end));
    }

    var spans = windows(text).filter(function (span) {
      return bounded(text, span.start, span.end);
    });
    spans.forEach(function (span) {
      if (codePoints(span.digits) !== 16 || !free(span.start, span.end)) return;
      if (looksLikeMoney(span) || looksLikeYears(span)) return;
      add(R.kkWord.test(before(text, span.start, 40)) ? KK : NIK, span.start, span.end);
    });
    spans.forEach(function (span) {
      if (codePoints(span.digits) !== 13 || !free(span.start, span.end)) return;
      var named = R.bpjsWord.test(before(text, span.start, 40));
      if (span.digits.indexOf("000") === 0 || named) add(BPJS, span.start, span.end);
    });
    stableSort(spans, function (a, b) {
      return a.start - b.start || b.end - b.start - (a.end - a.start);
    }).forEach(function (span) {
      if (!free(span.start, span.end)) return;
      var national = nationalNumber(span.digits);
      if (national === null || codePoints(national) < 8 || codePoints(national) > 13) return;
      var first = span.groups[0];
      var later = span.groups.slice(1);
      var short = later.some(function (g) {
        return codePoints(g) < 3;
      });
      var prefixOnly =
        (first === "62" || first === "0") &&
        later.slice(1).every(function (g) {
          return codePoints(g) >= 3;
        });
      if (short && !prefixOnly) return;
      if (looksLikeMoney(span) || R.moneyBefore.test(text.slice(0, span.start))) return;
      if (isHotline(span.digits)) return;
      add(PHONE, span.start, span.end);
    });
    allMatches(R.landline, text).forEach(function (match) {
      var end = match.index + match[0].length;
      var local = R.landlineLocal.exec(match[0]);
      var localDigits = codePoints(digitsOf(local ? local[1] : ""));
      if (localDigits < 5 || localDigits > 8 || !free(match.index, end)) return;
      add(PHONE, match.index, end);
    });
    allMatches(R.email, text).forEach(function (match) {
      var end = match.index + match[0].length;
      if (free(match.index, end)) add(EMAIL, match.index, end);
    });
    return hits;
  }

  // ---------------------------------------------------------------------
  // lokal-id's detector, the parts that need no data (lokal/samaran)

  var PHONE_LABELS = setOf(
    "hp no nomor nohp telp tlp tel telepon telpon phone ph handphone mobile wa " +
      "whatsapp wa.me nowa sms call cs cp kontak contact"
  );
  var CODE_CHARS = /[A-Za-z0-9.]/;
  // JavaScript's whitespace, as String.prototype.trim sees it.
  var JS_SPACE = /^[\s\ufeff]+|[\s\ufeff]+$/g;

  function lokalBefore(text, index, size) {
    var chunk = text.slice(Math.max(0, index - (size || 40)), index);
    var newline = chunk.lastIndexOf("\n");
    return (newline >= 0 ? chunk.slice(newline + 1) : chunk).toLowerCase();
  }

  // lokal.parse_phone: is it a phone number, and of which type.
  function parsePhone(input) {
    var clean = String(input).replace(JS_SPACE, "").replace(R.phoneClean, "");
    var rest;
    if (clean.indexOf("+62") === 0) rest = clean.slice(3);
    else if (clean.indexOf("62") === 0 && clean.length >= 10) rest = clean.slice(2);
    else if (clean.charAt(0) === "0") rest = clean.slice(1);
    else if (clean.charAt(0) === "8") rest = clean;
    else return { valid: false };
    rest = rest.replace(/^0+/, "");
    if (!/^[0-9]+$/.test(rest)) return { valid: false };
    if (rest.charAt(0) === "8") {
      return { valid: rest.length >= 9 && rest.length <= 12, type: "mobile" };
    }
    if ("2345679".indexOf(rest.charAt(0)) >= 0) {
      return { valid: rest.length >= 7 && rest.length <= 11, type: "landline" };
    }
    return { valid: false };
  }

  function luhn(digits) {
    var total = 0;
    var double = false;
    for (var i = digits.length - 1; i >= 0; i -= 1) {
      var d = digits.charCodeAt(i) - 48;
      if (double) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      total += d;
      double = !double;
    }
    return total % 10 === 0;
  }

  function gluedToCode(text, index) {
    if (index === 0 || "-/".indexOf(text.charAt(index - 1)) < 0) return false;
    var i = index - 1;
    while (i > 0 && CODE_CHARS.test(text.charAt(i - 1))) i -= 1;
    var token = text.slice(i, index - 1).toLowerCase();
    return /[a-z]/.test(token) && !PHONE_LABELS[token] && !/wa\.me$/.test(token);
  }

  function candidate(kind, match, high) {
    return { kind: kind, start: match.index, end: match.index + match[0].length, rank: high ? 2 : 1 };
  }

  function lokalDigitRuns(text, out) {
    allMatches(R.digitRun, text).forEach(function (match) {
      var digits = match[0].replace(/[^0-9]/g, "");
      var context = lokalBefore(text, match.index);
      var label = context.slice(-25);
      if (R.mobileStart.test(digits) && parsePhone(digits).valid) return;
      var n = digits.length;
      if (n === 16 && R.kkKeyword.test(label)) {
        out.push(candidate(KK, match, true));
      } else if ((n === 13 || n === 11) && R.bpjsKeyword.test(context)) {
        // Before BPJS, lokal-id reads a 13-digit number after "SIM" as a
        // driving licence and one that passes Luhn as a card.
        var licence = n === 13 && R.simKeyword.test(label);
        var card = n === 13 && "3456".indexOf(digits.charAt(0)) >= 0 && luhn(digits);
        if (!licence && !card) out.push(candidate(BPJS, match, true));
      }
      // A NIK: lokal-id checks its region and birth date, which needs the
      // region list; the project's rule below takes every 16-digit number.
    });
  }

  function lokalPhones(text, out) {
    allMatches(R.mobile, text).forEach(function (match) {
      var value = match[0].indexOf("00") === 0 ? "+" + match[0].slice(2) : match[0];
      if (parsePhone(value).valid && !gluedToCode(text, match.index)) {
        out.push(candidate(PHONE, match, true));
      }
    });
    allMatches(R.lokalLandline, text).forEach(function (match) {
      out.push(candidate(PHONE, match, false));
    });
    allMatches(R.bracketedMobile, text).forEach(function (match) {
      if (parsePhone(match[0]).valid) out.push(candidate(PHONE, match, true));
    });
    allMatches(R.groupedMobile, text).forEach(function (match) {
      var groups = match[0].split(R.groupSep);
      var named = R.phoneWord.test(lokalBefore(text, match.index, 30));
      var wide = groups.slice(1).some(function (g) {
        return g.length > 2;
      });
      if (!named && (groups.length < 4 || wide)) return;
      if (R.spacedZero.test(match[0]) && !named) return;
      if (parsePhone(match[0]).valid && !gluedToCode(text, match.index)) {
        out.push(candidate(PHONE, match, true));
      }
    });
    allMatches(R.areaCode, text).forEach(function (match) {
      if (!R.phoneWord.test(lokalBefore(text, match.index, 30))) return;
      var info = parsePhone(match[0]);
      if (info.valid && info.type === "landline") out.push(candidate(PHONE, match, false));
    });
  }

  function lokalEmails(text, out) {
    allMatches(R.lokalEmail, text).forEach(function (match) {
      if (!R.reservedEmailDomain.test(match[0])) out.push(candidate(EMAIL, match, true));
    });
    allMatches(R.spelledEmail, text).forEach(function (match) {
      out.push(candidate(EMAIL, match, true));
    });
    allMatches(R.urlEmail, text).forEach(function (match) {
      out.push(candidate(EMAIL, match, true));
    });
  }

  function lokalGluedPhones(text, out) {
    allMatches(R.gluedPhone, text).forEach(function (match) {
      var label = R.phoneLabelPrefix.exec(text.slice(Math.max(0, match.index - 12), match.index));
      if (label && PHONE_LABELS[label[0].toLowerCase()] && parsePhone(match[0]).valid) {
        out.push(candidate(PHONE, match, true));
      }
    });
  }

  function lokalHits(text) {
    var candidates = [];
    lokalDigitRuns(text, candidates);
    lokalPhones(text, candidates);
    lokalEmails(text, candidates);
    allMatches(R.spokenPhone, text).forEach(function (match) {
      candidates.push(candidate(PHONE, match, false));
    });
    lokalGluedPhones(text, candidates);
    // Confident first, then longer; nothing that overlaps one kept.
    var taken = [];
    var kept = [];
    stableSort(candidates, function (a, b) {
      return b.rank - a.rank || b.end - b.start - (a.end - a.start) || a.start - b.start;
    }).forEach(function (c) {
      var overlaps = taken.some(function (t) {
        return c.start < t[1] && c.end > t[0];
      });
      if (overlaps) return;
      taken.push([c.start, c.end]);
      if (c.kind === PHONE && isHotline(text.slice(c.start, c.end))) return;
      kept.push(hit(c.kind, text, c.start, c.end));
    });
    return kept;
  }

  // ---------------------------------------------------------------------
  // The desa rule (mentorship/narrative_places.py)

  function agesAndSchools(text) {
    var found = [];
    allMatches(R.ageBefore, text).forEach(function (m) {
      found.push([m.index, m.index + m[0].length, m[0]]);
    });
    allMatches(R.ageAfter, text).forEach(function (m) {
      var end = m.index + m[0].length;
      if (R.durationBefore.test(text.slice(0, m.index)) || R.durationAfter.test(text.slice(end))) {
        return;
      }
      found.push([m.index, end, m[0]]);
    });
    allMatches(R.school, text).forEach(function (m) {
      // "sd" in lower case is mostly "sampai dengan" ("tgl 3 sd 5").
      if (m[0] === "sd") return;
      found.push([m.index, m.index + m[0].length, m[0]]);
    });
    found.sort(function (a, b) {
      return a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0);
    });
    var kept = [];
    var endOfLast = -1;
    found.forEach(function (f) {
      if (f[0] < endOfLast) return;
      kept.push(f[2]);
      endOfLast = f[1];
    });
    return kept;
  }

  var MAX_NAME_WORDS = 4;

  function desaMentions(text) {
    var words = allMatches(R.word, text).map(function (m) {
      return [m.index, m.index + m[0].length, searchKey(m[0])];
    });
    var found = [];
    var i = 0;
    while (i < words.length) {
      var step = 1;
      for (var length = MAX_NAME_WORDS; length >= 1; length -= 1) {
        if (i + length > words.length) continue;
        var part = words.slice(i, i + length);
        var joined = true;
        for (var k = 1; k < part.length; k += 1) {
          if (!R.join.test(text.slice(part[k - 1][1], part[k][0]))) joined = false;
        }
        if (!joined) continue;
        var key = part
          .map(function (w) {
            return w[2];
          })
          .join("");
        if (places.allowed[key]) {
          step = length;
          break;
        }
        var known = length > 1 ? places.several[key] : places.desa[key] || places.several[key];
        if (known) {
          found.push([part[0][0], part[part.length - 1][1]]);
          step = length;
          break;
        }
      }
      i += step;
    }
    return found;
  }

  function desaHits(text) {
    var context = agesAndSchools(text);
    if (!context.length) return [];
    var details = [];
    context.forEach(function (quote) {
      if (details.indexOf(quote) < 0) details.push(quote);
    });
    return desaMentions(text).map(function (span) {
      var found = hit(DESA, text, span[0], span[1]);
      found.details = details;
      return found;
    });
  }

  // ---------------------------------------------------------------------
  // Names of people (mentorship/narrative_names.py)

  var NAME = "name";
  var NAME_AFTER = "name_after";
  var NAME_AGE = "name_age";
  var ABBREVIATIONS = setOf("dr drs prof st sta jl ir hj");
  var MAX_NAME_RUN = 4;
  var lists = {
    given: setOf(""),
    family: setOf(""),
    courtesy: setOf(""),
    not_names: setOf(""),
    institutions: setOf(""),
  };
  var N = null;
  try {
    N = {
      word: py(LETTER + "+(?:['\u2019\\-]" + LETTER + "+)*", "g"),
      spaces: py("^[ \\t]+" + END),
      afterCourtesy: py("^\\.?[ \\t]+" + END),
      sentenceStart: py("(?:^|[.!?:;\\n\"\u201c(]" + S + "*)" + END),
      named: py(
        B + "(?:bernama|namanya|nama" + S + "+(?:korban|anak|pelaku|ibunya|bapaknya" +
          "|ayahnya)" + S + "*:?|nama" + S + "*:)[ \\t]*" + END,
        "i"
      ),
      ageAfterName: py(
        "^(?:" + S + "*\\(" + S + "*(" + D + "{1,2}(?:" + S + "*(?:tahun|thn|th))?)" +
          S + "*\\)|" + S + "*,?" + S + "*(" + D + "{1,2}" + S + "*(?:tahun|thn|th)" +
          B + "))(?!" + S + "*" + D + ")",
        "i"
      ),
      abbreviationBefore: py(B + "(" + LETTER + "{1,4})\\." + S + "*" + END),
      upper: py("^\\p{Lu}"),
      cased: py("[\\p{Lu}\\p{Ll}\\p{Lt}]"),
      notLower: py("[\\p{Lu}\\p{Lt}]"),
      quotes: py("['\u2019\\-]", "g"),
    };
  } catch (error) {
    N = null;
  }

  function isNameWord(word) {
    var letters = word.text.replace(N.quotes, "");
    var rest = Array.from(letters).slice(1).join("");
    return (
      Array.from(letters).length > 1 &&
      N.upper.test(letters) &&
      N.cased.test(rest) &&
      !N.notLower.test(rest) &&
      !lists.not_names[word.key] &&
      !lists.institutions[word.key] &&
      !lists.courtesy[word.key]
    );
  }

  function isPlace(word) {
    var key = searchKey(word.text);
    return Boolean(places.desa[key] || places.several[key] || places.allowed[key]);
  }

  function isAllUpper(text) {
    return text.toUpperCase() === text && text.toLowerCase() !== text;
  }

  function nameHits(text) {
    if (!N) return [];
    var words = allMatches(N.word, text).map(function (m) {
      return {
        start: m.index,
        end: m.index + m[0].length,
        text: m[0],
        key: m[0].toLowerCase(),
      };
    });
    var taken = Object.create(null);
    var hits = [];
    function listed(word) {
      return Boolean(lists.given[word.key] || lists.family[word.key]);
    }
    function gap(a, b) {
      return text.slice(words[a].end, words[b].start);
    }
    function run(i) {
      var j = i;
      while (
        j < words.length &&
        j - i < MAX_NAME_RUN &&
        !taken[j] &&
        isNameWord(words[j]) &&
        (j === i || N.spaces.test(gap(j - 1, j)))
      ) {
        j += 1;
      }
      return j;
    }
    function inInstitution(i) {
      var abbreviation = N.abbreviationBefore.exec(text.slice(0, words[i].start));
      if (
        abbreviation &&
        (Array.from(abbreviation[1]).length === 1 ||
          ABBREVIATIONS[abbreviation[1].toLowerCase()])
      ) {
        return true;
      }
      if (i === 0 || !N.spaces.test(gap(i - 1, i))) return false;
      var previous = words[i - 1];
      return Boolean(
        lists.institutions[previous.key] ||
          (Array.from(previous.text).length > 1 && isAllUpper(previous.text))
      );
    }
    function sentenceStart(i) {
      return N.sentenceStart.test(text.slice(0, words[i].start));
    }
    function add(kind, i, j, details) {
      for (var k = i; k < j; k += 1) taken[k] = true;
      var found = hit(kind, text, words[i].start, words[j - 1].end);
      found.details = details || [];
      hits.push(found);
    }
    var i;
    var j;
    // After a kinship or courtesy word.
    for (i = 0; i < words.length - 1; i += 1) {
      if (!lists.courtesy[words[i].key] || taken[i]) continue;
      if (!N.afterCourtesy.test(gap(i, i + 1))) continue;
      j = run(i + 1);
      if (j > i + 1) {
        taken[i] = true;
        add(NAME_AFTER, i + 1, j, [words[i].text]);
      }
    }
    // After "bernama", "namanya".
    for (i = 0; i < words.length; i += 1) {
      var named = N.named.exec(text.slice(0, words[i].start));
      if (taken[i] || !named) continue;
      j = run(i);
      if (j > i) add(NAME_AFTER, i, j, [named[0].trim().replace(/:$/, "").trim()]);
    }
    // Beside an age.
    i = 0;
    while (i < words.length) {
      j = run(i);
      if (j === i) {
        i += 1;
        continue;
      }
      var age = N.ageAfterName.exec(text.slice(words[j - 1].end));
      var first = i;
      if (j - first > 1 && sentenceStart(first) && !listed(words[first])) first += 1;
      var allPlaces = words.slice(first, j).every(isPlace);
      if (age && !inInstitution(first) && !allPlaces) {
        add(NAME_AGE, first, j, [(age[1] || age[2]).trim()]);
      }
      i = j;
    }
    // A common given or family name.
    i = 0;
    while (i < words.length) {
      j = run(i);
      if (j === i) {
        i += 1;
        continue;
      }
      var start = -1;
      for (var k = i; k < j; k += 1) {
        if (listed(words[k])) {
          start = k;
          break;
        }
      }
      if (start >= 0 && !inInstitution(i)) {
        var alone = j - start === 1;
        var ambiguous =
          alone &&
          (isPlace(words[start]) ||
            (!lists.given[words[start].key] && sentenceStart(start)));
        if (!ambiguous) add(NAME, start, j);
      }
      i = j;
    }
    return hits;
  }

  // ---------------------------------------------------------------------
  // The check

  function hit(kind, text, start, end) {
    return { kind: kind, quote: text.slice(start, end), start: start, end: end, details: [] };
  }

  function stableSort(items, compare) {
    return items
      .map(function (item, index) {
        return [item, index];
      })
      .sort(function (a, b) {
        return compare(a[0], b[0]) || a[1] - b[1];
      })
      .map(function (pair) {
        return pair[0];
      });
  }

  function findings(text) {
    if (!R || !text || !text.replace(py(S, "g"), "")) return [];
    var hits = lokalHits(text);
    numberHits(text).forEach(function (h) {
      var free = hits.every(function (other) {
        return h.end <= other.start || h.start >= other.end;
      });
      if (free) hits.push(h);
    });
    function apart(h, others) {
      return others.every(function (other) {
        return h.end <= other.start || h.start >= other.end;
      });
    }
    // A name is read before a desa: "Yohana Benu 14 thn" is a girl, not Benu.
    var names = nameHits(text).filter(function (h) {
      return apart(h, hits);
    });
    hits = hits.concat(names);
    hits = hits.concat(
      desaHits(text).filter(function (h) {
        return apart(h, names);
      })
    );
    var seen = Object.create(null);
    return stableSort(hits, function (a, b) {
      return a.start - b.start || b.end - a.end;
    })
      .filter(function (h) {
        var kind = h.kind === KK ? NIK : h.kind;
        var key = kind + " " + (searchKey(h.quote) || h.quote);
        if (seen[key]) return false;
        seen[key] = true;
        return true;
      })
      .map(function (h) {
        return { kind: h.kind, quote: h.quote, details: h.details };
      });
  }

  // Python's "%(name)s" % values.
  function format(template, values) {
    return template.replace(/%\((\w+)\)s|%%/g, function (all, name) {
      return name ? String(values[name]) : "%";
    });
  }

  function message(finding) {
    var template = messages[finding.kind];
    if (!template) return finding.quote;
    return format(template, {
      quote: finding.quote,
      place: finding.quote,
      details: finding.details
        .map(function (d) {
          return '"' + d + '"';
        })
        .join(", "),
    });
  }

  function problems(text) {
    return findings(text).map(function (f) {
      return { kind: f.kind, quote: f.quote, message: message(f), details: f.details };
    });
  }

  function configure(options) {
    if (options.messages) messages = options.messages;
    if (options.desa) {
      places = {
        desa: setOf(options.desa.desa),
        several: setOf(options.desa.several),
        allowed: setOf(options.desa.allowed),
      };
      if (options.desa.names) {
        Object.keys(lists).forEach(function (field) {
          lists[field] = setOf(options.desa.names[field]);
        });
      }
      if (resolveReady) resolveReady(true);
    }
  }

  function load(url) {
    if (!window.fetch) {
      if (resolveReady) resolveReady(false);
      return ready;
    }
    return window
      .fetch(url, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (desa) {
        configure({ desa: desa });
        return true;
      })
      .catch(function () {
        // No names (offline, never fetched): the desa rule waits for the server.
        if (resolveReady) resolveReady(false);
        return false;
      });
  }

  window.PendampingNarrative = {
    supported: R !== null,
    ready: ready,
    configure: configure,
    load: load,
    findings: findings,
    problems: problems,
  };

  var config = document.getElementById("narrative-check-config");
  if (config) {
    try {
      var settings = JSON.parse(config.textContent);
      configure({ messages: settings.messages });
      if (settings.desa_url) load(settings.desa_url);
    } catch (error) {
      if (resolveReady) resolveReady(false);
    }
  }
})();
