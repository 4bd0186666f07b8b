/* sphinx_pia search: Japanese text by character bigrams, legal citations by structured keys.
 * Static and offline: the index is a set of scripts under _static/pia-search/ that call
 * piaSearchData(name, data); nothing is fetched from another host.
 * All result text is inserted with textContent, never as HTML. */
(function () {
  "use strict";

  var ROOT = (document.documentElement.dataset.content_root || document.body.dataset.piaRoot || "./");
  var BASE = ROOT + "_static/pia-search/";
  var pending = {};
  var loaded = {};

  window.piaSearchData = function (name, data) {
    loaded[name] = data;
    if (pending[name]) { pending[name].forEach(function (fn) { fn(data); }); delete pending[name]; }
  };

  function load(name) {
    if (loaded[name]) return Promise.resolve(loaded[name]);
    return new Promise(function (resolve, reject) {
      var first = !pending[name];
      (pending[name] = pending[name] || []).push(resolve);
      if (!first) return;
      var s = document.createElement("script");
      s.src = BASE + name + ".js";
      s.onerror = function () { reject(new Error("cannot load search index " + name)); };
      document.head.appendChild(s);
    });
  }

  // --- normalization (mirrors sphinx_pia/search/index.py:normalize) -----------------
  var KD = { "〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9 };
  var K = "[〇一二三四五六七八九十百千]+";

  function kanjiToInt(t) {
    if (!t) return null;
    var allDigits = true;
    for (var i = 0; i < t.length; i++) if (!(t[i] in KD)) allDigits = false;
    if (allDigits) { var s = ""; for (var j = 0; j < t.length; j++) s += KD[t[j]]; return parseInt(s, 10); }
    var total = 0, cur = 0;
    for (var k = 0; k < t.length; k++) {
      var ch = t[k];
      if (ch in KD) cur = KD[ch];
      else if (ch === "十" || ch === "百" || ch === "千") { total += (cur || 1) * ({ "十": 10, "百": 100, "千": 1000 })[ch]; cur = 0; }
      else return null;
    }
    return total + cur;
  }

  function kanjiNumbers(t) {
    var conv = function (m, pre, num) { var n = kanjiToInt(num); return pre + (n === null ? num : n); };
    t = t.replace(new RegExp("((?:^|[^表])第)(" + K + ")(?=[条項号])", "g"), conv);
    t = t.replace(new RegExp("(条の|号の|項の)(" + K + ")", "g"), conv);
    t = t.replace(new RegExp("(昭和|平成|令和|大正|明治)(" + K + "|元)(?=年)", "g"), function (m, era, y) { return era + (y === "元" ? 1 : kanjiToInt(y)); });
    t = t.replace(new RegExp("((?:法律|政令|省令|条例|規則)第)(" + K + ")(?=号)", "g"), conv);
    return t;
  }

  function normalize(t) {
    return kanjiNumbers((t || "").normalize("NFKC").toLowerCase()).replace(/\s+/g, "");
  }

  function bigrams(n) {
    if (n.length === 1) return [n];
    var out = {}, list = [];
    for (var i = 0; i < n.length - 1; i++) { var g = n.substr(i, 2); if (!out[g]) { out[g] = 1; list.push(g); } }
    return list;
  }

  // crc32, as Python's zlib.crc32 over UTF-8 bytes, for the shard of a bigram
  var CRC = (function () { var c, t = []; for (var n = 0; n < 256; n++) { c = n; for (var k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1; t[n] = c >>> 0; } return t; })();
  function crc32(str) {
    var bytes = unescape(encodeURIComponent(str)), crc = 0xFFFFFFFF;
    for (var i = 0; i < bytes.length; i++) crc = (crc >>> 8) ^ CRC[(crc ^ bytes.charCodeAt(i)) & 0xFF];
    return (crc ^ 0xFFFFFFFF) >>> 0;
  }

  // --- legal citations ----------------------------------------------------------------
  var TABLE_NAMES = "〇一二三四五六七八九十";

  function parseCitation(q, aliases) {
    var law = null, best = 0;
    for (var alias in aliases) {
      if (alias.length > best && q.indexOf(alias) >= 0) { law = aliases[alias]; best = alias.length; }
    }
    var p = { l: law, a: "", p: "", i: "", t: "", r: "" };
    var m = q.match(/第?(\d+)条((?:の\d+)*)(?:第?(\d+)項)?(?:第?(\d+)号((?:の\d+)*))?/);
    if (m) {
      p.a = m[1] + (m[2] ? m[2].replace(/の/g, "-") : "");
      p.p = m[3] || "";
      p.i = m[4] ? m[4] + (m[5] ? m[5].replace(/の/g, "-") : "") : "";
    }
    var t = q.match(/別表(第?([一二三四五六七八九十]+|\d+))?(?:の|\s)?(\d+(?:の\d+)?)?(?:の?項)?/);
    if (t) {
      var num = t[2] ? (/^\d+$/.test(t[2]) ? parseInt(t[2], 10) : kanjiToInt(t[2])) : null;
      p.t = "別表" + (num !== null && num <= 10 ? "第" + TABLE_NAMES[num] : "");
      p.r = t[3] || "";
      if (p.a && q.indexOf("別表") < q.search(/\d+条/)) { p.a = ""; p.p = ""; p.i = ""; }
    }
    var tb = q.match(/条の表(?:の)?(\d+(?:の\d+)?)?/);
    if (tb) { p.t = "表"; p.r = tb[1] || ""; }
    if (!p.a && !p.t) return null;
    return p;
  }

  function matchKeys(pattern, keys) {
    var hits = [];
    for (var k in keys) {
      var e = keys[k], exact = true, ok = true;
      ["l", "a", "p", "i", "t", "r"].forEach(function (c) {
        if (!ok) return;
        if (pattern[c]) { if (e[c] !== pattern[c]) ok = false; }
        else if (e[c] && c !== "l") exact = false;
      });
      if (ok) hits.push({ key: k, entry: e, exact: exact });
    }
    return hits;
  }

  // --- search ---------------------------------------------------------------------------
  var KIND_WEIGHT = { "record-item": 6, "organization": 6, "system": 5, "file": 5, "entrustment": 4, "provision": 4, "transfer": 4,
    "annex-row": 3, "assessment": 3, "law": 3, "section": 2, "risk": 2, "annex": 2, "change": 1 };

  function undelta(list) { var out = [], v = 0; for (var i = 0; i < list.length; i++) { v += list[i]; out.push(v); } return out; }

  function intersect(a, b) { var s = {}, out = []; b.forEach(function (x) { s[x] = 1; }); a.forEach(function (x) { if (s[x]) out.push(x); }); return out; }

  function search(query, filters) {
    var t0 = performance.now();
    var q = normalize(query);
    if (!q) return Promise.resolve({ results: [], ms: 0 });
    return Promise.all([load("meta"), load("keys")]).then(function (base) {
      var meta = base[0], kd = base[1];
      var scores = {};
      var add = function (id, s) { scores[id] = Math.max(scores[id] || 0, s); };
      var pattern = parseCitation(q, kd.aliases);
      if (pattern) {
        matchKeys(pattern, kd.keys).forEach(function (h) {
          var bonus = h.exact ? 100 : 60;
          h.entry.b.forEach(function (id) { add(id, bonus + 30 + (KIND_WEIGHT[meta.kinds[meta.rk[id]]] || 0)); });
          h.entry.x.forEach(function (id) { add(id, bonus + 25); });
          h.entry.m.forEach(function (id) { add(id, bonus - 20 + (KIND_WEIGHT[meta.kinds[meta.rk[id]]] || 0)); });
        });
      }
      var grams = bigrams(q);
      var names = {};
      grams.forEach(function (g) { names["p" + pad(crc32(g) % meta.shards)] = 1; names["p" + pad(crc32("T" + g) % meta.shards)] = 1; });
      return Promise.all(Object.keys(names).map(load)).then(function () {
        var lists = grams.map(function (g) { var sh = loaded["p" + pad(crc32(g) % meta.shards)]; return sh[g] ? undelta(sh[g]) : []; });
        var cand = lists.length ? lists.reduce(intersect) : [];
        var titleLists = grams.map(function (g) { var sh = loaded["p" + pad(crc32("T" + g) % meta.shards)]; return sh["T" + g] ? undelta(sh["T" + g]) : []; });
        var inTitle = {};
        (titleLists.length ? titleLists.reduce(intersect) : []).forEach(function (id) { inTitle[id] = 1; });
        cand.forEach(function (id) { add(id, 10 + (inTitle[id] ? 20 : 0) + (KIND_WEIGHT[meta.kinds[meta.rk[id]]] || 0)); });
        var ids = Object.keys(scores).map(Number).filter(function (id) {
          if (filters.kind && meta.kinds[meta.rk[id]] !== filters.kind) return false;
          if (filters.assessment && (meta.ra[id] < 0 || meta.assessments[meta.ra[id]][0] !== filters.assessment)) return false;
          if (filters.org && (meta.ra[id] < 0 || meta.assessments[meta.ra[id]][2] !== filters.org)) return false;
          return true;
        });
        ids.sort(function (a, b) { return scores[b] - scores[a] || a - b; });
        var top = ids.slice(0, 60);
        var chunks = {};
        top.forEach(function (id) { chunks["r" + pad4(Math.floor(id / meta.chunk))] = 1; });
        return Promise.all(Object.keys(chunks).map(load)).then(function () {
          var results = [];
          top.forEach(function (id) {
            var r = loaded["r" + pad4(Math.floor(id / meta.chunk))][id % meta.chunk];
            var title = normalize(r[0]), text = normalize(r[3]);
            var s = scores[id];
            if (title === q) s += 60; else if (title.indexOf(q) >= 0) s += 40;
            else if (text.indexOf(q) >= 0) s += 15;
            else if (!(pattern && s >= 60)) s -= 25; // bigrams co-occur but the phrase is not there
            results.push({ id: id, score: s, title: r[0], url: r[1], section: r[2], text: r[3], kind: meta.kinds[meta.rk[id]],
              assessment: meta.ra[id] >= 0 ? meta.assessments[meta.ra[id]] : null });
          });
          results = results.filter(function (r) { return r.score > 0; });
          results.sort(function (a, b) { return b.score - a.score || a.id - b.id; });
          var ms = performance.now() - t0;
          window.piaLastQueryMs = ms;
          return { results: results.slice(0, 50), ms: ms, citation: pattern, kindLabels: meta.kindLabels, meta: meta };
        });
      });
    });
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function pad4(n) { return ("000" + n).slice(-4); }

  // --- page -------------------------------------------------------------------------------
  function snippet(text, query) {
    var plainText = (text || "").replace(/\s+/g, " ");
    var i = plainText.indexOf(query);
    var start = Math.max(0, (i >= 0 ? i : 0) - 40);
    var out = document.createElement("p");
    out.className = "pia-snippet";
    var piece = plainText.substr(start, 160);
    if (i >= 0) {
      var j = piece.indexOf(query);
      out.appendChild(document.createTextNode((start > 0 ? "…" : "") + piece.substr(0, j)));
      var mark = document.createElement("mark");
      mark.textContent = query;
      out.appendChild(mark);
      out.appendChild(document.createTextNode(piece.substr(j + query.length) + "…"));
    } else {
      out.textContent = piece + (plainText.length > 160 ? "…" : "");
    }
    return out;
  }

  function render(container, query, res) {
    container.textContent = "";
    var summary = document.createElement("p");
    summary.className = "pia-search-summary";
    summary.textContent = res.results.length ? "「" + query + "」の検索結果: " + res.results.length + "件" : "「" + query + "」に一致する項目はありません。";
    container.appendChild(summary);
    var ul = document.createElement("ul");
    ul.className = "search pia-search-results";
    res.results.forEach(function (r) {
      var li = document.createElement("li");
      li.dataset.kind = r.kind;
      var badge = document.createElement("span");
      badge.className = "sd-badge sd-bg-secondary sd-bg-text-secondary pia-kind";
      badge.textContent = res.kindLabels[r.kind] || r.kind;
      li.appendChild(badge);
      li.appendChild(document.createTextNode(" "));
      var a = document.createElement("a");
      a.href = ROOT + r.url;
      a.textContent = r.title;
      li.appendChild(a);
      var ctx = document.createElement("div");
      ctx.className = "pia-context";
      ctx.textContent = [r.assessment ? r.assessment[2] : "", r.assessment ? r.assessment[1] : "", r.section].filter(Boolean).join(" › ");
      li.appendChild(ctx);
      li.appendChild(snippet(r.text, query.trim()));
      ul.appendChild(li);
    });
    container.appendChild(ul);
  }

  function init() {
    var container = document.getElementById("search-results");
    var form = document.getElementById("pia-search-form");
    if (!container || !form) return;
    var params = new URLSearchParams(window.location.search);
    var query = params.get("q") || "";
    var filters = { org: params.get("org") || "", assessment: params.get("assessment") || "", kind: params.get("kind") || "" };
    form.elements.q.value = query;
    load("meta").then(function (meta) {
      var orgs = {}, sel = form.elements.org, asel = form.elements.assessment, ksel = form.elements.kind;
      meta.assessments.forEach(function (a) { orgs[a[2]] = 1; asel.appendChild(new Option(a[2] + " " + a[1], a[0])); });
      Object.keys(orgs).sort().forEach(function (o) { sel.appendChild(new Option(o, o)); });
      meta.kinds.forEach(function (k) { ksel.appendChild(new Option(meta.kindLabels[k], k)); });
      sel.value = filters.org; asel.value = filters.assessment; ksel.value = filters.kind;
    });
    if (!query.trim()) return;
    container.setAttribute("aria-busy", "true");
    search(query, filters).then(function (res) {
      render(container, query, res);
      container.setAttribute("aria-busy", "false");
      container.dataset.queryMs = res.ms.toFixed(1);
    }, function (err) {
      container.textContent = "検索の索引を読み込めませんでした: " + err.message;
    });
  }

  window.piaSearch = { search: search, normalize: normalize, parseCitation: parseCitation };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
