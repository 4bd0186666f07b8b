/* sphinx_pia search: Japanese text by character bigrams, legal citations by structured keys.
 * Static and offline: the index is a set of scripts under _static/pia-search/ that call
 * piaSearchData(name, data); nothing is fetched from another host.  A query loads the
 * directory (meta), the chunks holding its keys, and the records of the results it shows
 * (layout: sphinx_pia/search/index.py).
 * All result text is inserted with textContent, never as HTML. */
(function () {
  "use strict";

  var ROOT = (document.documentElement.dataset.content_root || document.body.dataset.piaRoot || "./");
  var BASE = ROOT + "_static/pia-search/";
  var PAGE = 10; // results shown at a time (more on 「さらに表示」)
  var MAX_GRAMS = 6; // bigrams of a long query looked up, spread over it
  var GROUP = "\u00b6g"; // prefix of the key listing an assessment's records (index.py:GROUP)
  var pending = {};
  var loaded = {};
  var fetched = []; // names of the index files this page loaded (read by benchmarks)
  window.piaSearchFetched = fetched;

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
      fetched.push(name);
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

  // laws.js's table (index.py:_law_table) as {key: [law, article, paragraph, item, table, row, suppl, roles]}
  function lawEntries(laws) {
    if (laws.entries) return laws.entries;
    var out = {};
    Object.keys(laws.laws).forEach(function (law) {
      laws.laws[law].split(";").forEach(function (e) {
        var f = e.split("|");
        out[law + f[0]] = [law].concat(f.slice(1));
      });
    });
    laws.entries = out;
    return out;
  }

  function matchKeys(pattern, keys) {
    var hits = [];
    for (var k in keys) {
      var e = keys[k], exact = true, ok = true;
      // a key is [law, article, paragraph, item, table, row, suppl, roles]
      ["l", "a", "p", "i", "t", "r"].forEach(function (c, n) {
        if (!ok) return;
        if (pattern[c]) { if (e[n] !== pattern[c]) ok = false; }
        else if (e[n] && c !== "l") exact = false;
      });
      if (ok) hits.push({ key: k, entry: e, exact: exact });
    }
    return hits;
  }

  // --- the index ------------------------------------------------------------------------
  var ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  var DIGIT = {};
  for (var di = 0; di < ALPHABET.length; di++) DIGIT[ALPHABET.charCodeAt(di)] = di;

  function decodeInts(enc) {
    var out = [], v = 0, mul = 1;
    for (var i = 0; i < enc.length; i++) {
      var d = DIGIT[enc.charCodeAt(i)];
      if (d >= 32) { v += (d - 32) * mul; mul *= 32; }
      else { out.push(v + d * mul); v = 0; mul = 1; }
    }
    return out;
  }

  var DIGITS = new Int8Array(128).fill(-1);
  for (var dj = 0; dj < ALPHABET.length; dj++) DIGITS[ALPHABET.charCodeAt(dj)] = dj;

  // a posting list: sorted record numbers, and for bigrams whether the title holds it;
  // typed arrays (a big key holds tens of thousands), decoded straight from the string
  function decodePostings(enc) {
    var ids = new Int32Array(enc.length), flags = new Uint8Array(enc.length), n = 0, prev = -1, v = 0, mul = 1;
    for (var i = 0; i < enc.length; i++) {
      var d = DIGITS[enc.charCodeAt(i)];
      if (d >= 32) { v += (d - 32) * mul; mul *= 32; }
      else { v += d * mul; prev += 1 + Math.floor(v / 2); ids[n] = prev; flags[n] = v & 1; n++; v = 0; mul = 1; }
    }
    return { ids: ids.subarray(0, n), flags: flags.subarray(0, n) };
  }

  function concatPostings(parts) {
    if (parts.length === 1) return parts[0];
    var n = 0, at = 0;
    parts.forEach(function (p) { n += p.ids.length; });
    var out = { ids: new Int32Array(n), flags: new Uint8Array(n) };
    parts.forEach(function (p) { out.ids.set(p.ids, at); out.flags.set(p.flags, at); at += p.ids.length; });
    return out;
  }

  var EMPTY = { ids: new Int32Array(0), flags: new Uint8Array(0) };

  function prepare(meta) {
    if (meta.kindStarts) return meta;
    // record numbers run kind by kind (and within a kind by title, then assessment):
    // each kind's first number places a record in its kind and its record chunk
    var at = 0;
    meta.kindStarts = meta.kindCounts.map(function (c) { var start = at; at += c; return start; });
    if (meta.dir) expand(meta.dir); // with the page, not with its first query
    return meta;
  }

  // records are numbered kind by kind: a kind is the last whose first number is at most id
  function kindIndexOf(meta, id) {
    var ks = meta.kindStarts, k = ks.length - 1;
    while (k > 0 && ks[k] > id) k--;
    return k;
  }

  function kindOf(meta, id) { return meta.kinds[kindIndexOf(meta, id)]; }

  // [file, place] of a record: a kind's run is cut every meta.per[kind] records (index.py:record_chunk)
  function recordPlace(meta, id) {
    var k = kindIndexOf(meta, id), off = id - meta.kindStarts[k], per = meta.per[k];
    return ["r" + k.toString(36) + "-" + Math.floor(off / per).toString(36), off % per];
  }

  function fileName(meta, ident, derived) { return (meta.alt && meta.alt[ident]) || derived; }

  function lastAtMost(list, key) {
    var lo = 0, hi = list.length - 1;
    if (!list.length || key < list[0]) return -1;
    while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (list[mid] <= key) lo = mid; else hi = mid - 1; }
    return lo;
  }

  // where a key's list is: {big: [records, blocks]} or {chunk: first key}, or {} when absent;
  // a small directory is in meta itself, a large one in files listed by their first keys
  // a directory as written (index.py:_directory): keys joined by spaces, the big keys'
  // counts encoded; expanded once into a list of chunks' first keys and a map of big keys
  function expand(dir) {
    if (dir.chunks) return dir;
    var bigs = dir.b ? dir.b.split(" ") : [], n = decodeInts(dir.n || "");
    dir.chunks = dir.c ? dir.c.split(" ") : [];
    dir.big = {};
    bigs.forEach(function (k, i) { dir.big[k] = [n[2 * i], n[2 * i + 1]]; });
    return dir;
  }

  function locate(meta, key) {
    var found = function (dir) {
      expand(dir);
      if (Object.prototype.hasOwnProperty.call(dir.big, key)) return { big: dir.big[key] };
      var c = lastAtMost(dir.chunks, key);
      return c < 0 ? {} : { chunk: dir.chunks[c] };
    };
    if (meta.dir) return Promise.resolve(found(meta.dir));
    var d = lastAtMost(meta.dirs, key);
    if (d < 0) return Promise.resolve({});
    var first = meta.dirs[d];
    return load(fileName(meta, "d:" + first, "d" + crc32(first).toString(36))).then(found);
  }

  // the posting list of one located key: {ids, flags} (typed arrays), empty when the index has no such key
  function postings(meta, key, where) {
    if (where.big) {
      var names = [];
      for (var n = 0; n < where.big[1]; n++) names.push(fileName(meta, "b:" + key + "-" + n, "b" + crc32(key).toString(36) + "-" + n));
      return Promise.all(names.map(load)).then(function (blocks) {
        return concatPostings(blocks.map(function (b) { return decodePostings(b[key]); }));
      });
    }
    if (!where.chunk) return Promise.resolve(EMPTY);
    var first = where.chunk;
    return load(fileName(meta, "p:" + first, "p" + crc32(first).toString(36))).then(function (chunk) {
      return Object.prototype.hasOwnProperty.call(chunk, key) ? decodePostings(chunk[key]) : EMPTY;
    });
  }

  function lookup(meta, key) { return locate(meta, key).then(function (where) { return postings(meta, key, where); }); }

  function intersect(a, b) {
    var ai = a.ids, bi = b.ids, n = Math.min(ai.length, bi.length);
    var ids = new Int32Array(n), flags = new Uint8Array(n), k = 0, i = 0, j = 0;
    while (i < ai.length && j < bi.length) {
      var x = ai[i], y = bi[j];
      if (x === y) { ids[k] = x; flags[k] = a.flags[i] & b.flags[j]; k++; i++; j++; }
      else if (x < y) i++; else j++;
    }
    return { ids: ids.subarray(0, k), flags: flags.subarray(0, k) };
  }

  // the bigrams to look up: at most MAX_GRAMS spread over the query (first and last
  // included), the big ones (in most records) left out when a rarer one selects;
  // resolves to [[gram, where], ...]
  function chooseGrams(meta, grams) {
    var picked = grams;
    if (grams.length > MAX_GRAMS) {
      var seen = {};
      picked = [];
      for (var i = 0; i < MAX_GRAMS; i++) {
        var g = grams[Math.round(i * (grams.length - 1) / (MAX_GRAMS - 1))];
        if (!seen[g]) { seen[g] = 1; picked.push(g); }
      }
    }
    return Promise.all(picked.map(function (g) { return locate(meta, g); })).then(function (wheres) {
      var all = picked.map(function (g, i) { return [g, wheres[i]]; });
      var small = all.filter(function (e) { return !e[1].big; });
      if (small.length) return small;
      return all.sort(function (a, b) { return a[1].big[0] - b[1].big[0]; }).slice(0, 2);
    });
  }

  function loadNames(meta, groups) {
    var names = {};
    groups.forEach(function (gi) { names["n" + Math.floor(gi / meta.namesPer).toString(36)] = 1; });
    return Promise.all(Object.keys(names).map(load));
  }

  function allGroups(meta) { var out = []; for (var i = 0; i < meta.ngroups; i++) out.push(i); return out; }

  function groupName(meta, gi) {
    var chunk = loaded["n" + Math.floor(gi / meta.namesPer).toString(36)];
    var row = chunk ? chunk[gi % meta.namesPer] : null;
    return row && row[0] ? row : null; // [assessment id, title, organization], null for none
  }

  // --- search ---------------------------------------------------------------------------
  var KIND_WEIGHT = { "record-item": 6, "organization": 6, "system": 5, "file": 5, "entrustment": 4, "provision": 4, "transfer": 4,
    "annex-row": 3, "assessment": 3, "law": 3, "section": 2, "risk": 2, "annex": 2, "change": 1 };

  function looksLikeCitation(q) { return /\d+条|別表|条の表/.test(q); }

  /* A query: every candidate ranked by what the index alone tells (citation keys, bigrams
   * in title or text, kind); then page() loads the records of the next PAGE candidates and
   * refines their order by the phrase itself. */
  function search(query, filters) {
    var t0 = performance.now();
    var q = normalize(query);
    if (!q) return Promise.resolve({ q: q, ids: [], scores: {}, total: 0, pos: 0, dropped: 0, ms: 0 });
    return load("meta").then(function (meta) {
      prepare(meta);
      // a score per record number: typed arrays, since candidates run to tens of thousands
      var scores = new Float64Array(meta.count), touched = [];
      var add = function (id, s) { if (!scores[id]) touched.push(id); if (s > scores[id]) scores[id] = s; };
      var weights = meta.kinds.map(function (k) { return KIND_WEIGHT[k] || 0; });
      var weight = function (id) { return weights[kindIndexOf(meta, id)]; };
      var cite = looksLikeCitation(q) ? load("laws") : Promise.resolve(null);
      // a filter by assessment or organization: the records of the assessments it keeps,
      // from their group keys (index.py:group_key), marked in one array
      var keep = null;
      var filterGroups = !(filters.org || filters.assessment) ? Promise.resolve() : loadNames(meta, allGroups(meta)).then(function () {
        var keys = [];
        allGroups(meta).forEach(function (gi) {
          var row = groupName(meta, gi);
          if (!row || (filters.assessment && row[0] !== filters.assessment) || (filters.org && row[2] !== filters.org)) return;
          keys.push(GROUP + gi.toString(36));
        });
        return Promise.all(keys.map(function (key) { return lookup(meta, key); }));
      }).then(function (lists) {
        keep = new Uint8Array(meta.count);
        lists.forEach(function (p) { for (var i = 0; i < p.ids.length; i++) keep[p.ids[i]] = 1; });
      });
      var pattern = null;
      var citations = cite.then(function (laws) {
        pattern = laws ? parseCitation(q, laws.aliases) : null;
        if (!pattern) return;
        var jobs = [];
        matchKeys(pattern, lawEntries(laws)).forEach(function (h) {
          var bonus = h.exact ? 100 : 60, roles = h.entry[7] || "";
          if (roles.indexOf("b") >= 0) jobs.push(lookup(meta, "§" + h.key + ":b").then(function (p) { p.ids.forEach(function (id) { add(id, bonus + 30 + weight(id)); }); }));
          if (roles.indexOf("x") >= 0) jobs.push(lookup(meta, "§" + h.key + ":x").then(function (p) { p.ids.forEach(function (id) { add(id, bonus + 25); }); }));
          if (roles.indexOf("m") >= 0) jobs.push(lookup(meta, "§" + h.key + ":m").then(function (p) { p.ids.forEach(function (id) { add(id, bonus - 20 + weight(id)); }); }));
        });
        return Promise.all(jobs);
      });
      var text = chooseGrams(meta, bigrams(q)).then(function (grams) {
        return Promise.all(grams.map(function (e) { return postings(meta, e[0], e[1]); }));
      }).then(function (lists) {
        if (!lists.length) return;
        var cand = lists.reduce(intersect);
        // the candidates are sorted: their kind is found by walking the kinds' first numbers
        var ks = meta.kindStarts, k = 0, ids = cand.ids, flags = cand.flags;
        for (var i = 0; i < ids.length; i++) {
          var id = ids[i];
          while (k + 1 < ks.length && ks[k + 1] <= id) k++;
          add(id, 10 + (flags[i] ? 20 : 0) + weights[k]);
        }
      });
      return Promise.all([citations, text, filterGroups]).then(function () {
        var ids = !(filters.kind || keep) ? touched : touched.filter(function (id) {
          if (filters.kind && kindOf(meta, id) !== filters.kind) return false;
          return !keep || keep[id] === 1;
        });
        ids = rank(ids, scores);
        var state = { q: q, meta: meta, ids: ids, scores: scores, pattern: pattern, total: ids.length, pos: 0, dropped: 0, t0: t0 };
        return state;
      });
    });
  }

  // by score, high first, then by record number: the numbers sorted natively once (often
  // they already are), then placed by score with a counting sort over the scores, which are
  // small integers (a comparator sort of 50,000 is slow)
  function rank(ids, scores) {
    var n = ids.length, sorted = Int32Array.from(ids), i, s, max = 0, whole = true;
    for (i = 1; i < n; i++) if (sorted[i - 1] > sorted[i]) { sorted.sort(); break; }
    for (i = 0; i < n; i++) { s = scores[sorted[i]]; if (s > max) max = s; if (s !== (s | 0) || s < 0) whole = false; }
    var out = new Array(n);
    if (whole && max <= 65536) {
      var starts = new Int32Array(max + 1), at = 0;
      for (i = 0; i < n; i++) starts[scores[sorted[i]]]++;
      for (s = max; s >= 0; s--) { var c = starts[s]; starts[s] = at; at += c; }
      for (i = 0; i < n; i++) { var id = sorted[i]; out[starts[scores[id]]++] = id; }
      return out;
    }
    var order = Array.from(sorted);
    order.sort(function (a, b) { return scores[b] - scores[a] || a - b; });
    return order;
  }

  // the next PAGE results of a search, with their records
  function page(state) {
    var meta = state.meta, q = state.q;
    if (!meta || state.pos >= state.ids.length) return Promise.resolve([]);
    var batch = state.ids.slice(state.pos, state.pos + PAGE);
    state.pos += batch.length;
    var chunks = {}, places = batch.map(function (id) { return recordPlace(meta, id); });
    places.forEach(function (pl) { chunks[pl[0]] = 1; });
    return Promise.all(Object.keys(chunks).map(load)).then(function () {
      var results = [];
      batch.forEach(function (id, n) {
        // a row: [title, url, section, file, text, cut, place of its assessment's names in the chunk]
        var chunk = loaded[places[n][0]], r = chunk.r[places[n][1]], names = r.length > 6 ? chunk.g[r[6]] : null;
        var title = normalize(r[0]), text = normalize(r[4]), cut = r[5] === 1;
        var s = state.scores[id];
        if (title === q) s += 60; else if (title.indexOf(q) >= 0) s += 40;
        else if (text.indexOf(q) >= 0) s += 15;
        else if (!cut && !(state.pattern && s >= 60)) s -= 25; // bigrams co-occur but the phrase is not there
        if (s <= 0) { state.dropped += 1; return; }
        results.push({ id: id, score: s, title: r[0], url: r[1], section: r[2], file: r[3], text: r[4], cut: cut,
          kind: kindOf(meta, id), assessment: names && names[0] ? names : null });
      });
      results.sort(function (a, b) { return b.score - a.score || a.id - b.id; });
      return results;
    });
  }

  // --- page -------------------------------------------------------------------------------
  function snippet(r, query) {
    var plainText = (r.text || "").replace(/\s+/g, " ");
    var i = plainText.indexOf(query);
    var start = Math.max(0, (i >= 0 ? i : 0) - 40);
    var out = document.createElement("p");
    out.className = "pia-snippet";
    var piece = plainText.substr(start, 160);
    var more = start + 160 < plainText.length || r.cut;
    if (i >= 0) {
      var j = piece.indexOf(query);
      out.appendChild(document.createTextNode((start > 0 ? "…" : "") + piece.substr(0, j)));
      var mark = document.createElement("mark");
      mark.textContent = query;
      out.appendChild(mark);
      out.appendChild(document.createTextNode(piece.substr(j + query.length) + (more ? "…" : "")));
    } else {
      out.textContent = piece + (more ? "…" : "");
    }
    if (r.cut) {
      // the record holds the start of a long text; the index has all of it, the page shows it
      var rest = document.createElement("span");
      rest.className = "pia-snippet-more";
      rest.textContent = "（続きはページで）";
      out.appendChild(rest);
    }
    return out;
  }

  function item(r, kindLabels, query) {
    var li = document.createElement("li");
    li.dataset.kind = r.kind;
    var badge = document.createElement("span");
    badge.className = "sd-badge sd-bg-secondary sd-bg-text-secondary pia-kind";
    badge.textContent = kindLabels[r.kind] || r.kind;
    li.appendChild(badge);
    li.appendChild(document.createTextNode(" "));
    var a = document.createElement("a");
    a.href = ROOT + r.url;
    a.textContent = r.title;
    li.appendChild(a);
    var ctx = document.createElement("div");
    ctx.className = "pia-context";
    ctx.textContent = [r.assessment ? r.assessment[2] : "", r.assessment ? r.assessment[1] : "", r.file, r.section].filter(Boolean).join(" › ");
    li.appendChild(ctx);
    li.appendChild(snippet(r, query));
    return li;
  }

  function summaryText(query, state, shown) {
    var total = state.total - state.dropped;
    if (!total) return "「" + query + "」に一致する項目はありません。";
    return "「" + query + "」の検索結果: " + total + "件" + (shown < total ? "（" + shown + "件を表示）" : "");
  }

  function render(container, query, state, first) {
    container.textContent = "";
    var summary = document.createElement("p");
    summary.className = "pia-search-summary";
    container.appendChild(summary);
    var ul = document.createElement("ul");
    ul.className = "search pia-search-results";
    container.appendChild(ul);
    var more = document.createElement("button");
    more.type = "button";
    more.className = "pia-search-more";
    more.textContent = "さらに表示";
    var kindLabels = state.meta ? state.meta.kindLabels : {};
    var update = function () {
      var shown = ul.children.length;
      summary.textContent = summaryText(query, state, shown);
      more.hidden = state.pos >= state.ids.length;
      container.dataset.total = String(state.total - state.dropped);
      container.dataset.shown = String(shown);
    };
    var append = function (results) {
      results.forEach(function (r) { ul.appendChild(item(r, kindLabels, query.trim())); });
      update();
      return results;
    };
    more.addEventListener("click", function () {
      var before = ul.children.length;
      more.disabled = true;
      container.setAttribute("aria-busy", "true");
      page(state).then(function (results) {
        append(results);
        more.disabled = false;
        container.setAttribute("aria-busy", "false");
        var next = ul.children[before];
        if (next) next.querySelector("a").focus(); // keyboard users continue at the first new result
      });
    });
    container.appendChild(more);
    append(first);
  }

  function init() {
    var container = document.getElementById("search-results");
    var form = document.getElementById("pia-search-form");
    if (!container || !form) return;
    var params = new URLSearchParams(window.location.search);
    var query = params.get("q") || "";
    var filters = { org: params.get("org") || "", assessment: params.get("assessment") || "", kind: params.get("kind") || "" };
    form.elements.q.value = query;
    var sel = form.elements.org, asel = form.elements.assessment, ksel = form.elements.kind;
    // meta (the group table and the directory) is loaded with the page, before a query is
    // typed, and with it laws.js (the citation parser's table) unless the page's own query
    // is no citation: a citation typed into the form then waits on its postings only;
    // the page is ready once they are there and the filter lists are filled
    var laws = !query.trim() || looksLikeCitation(normalize(query)) ? load("laws").catch(function () {}) : null;
    var ready = load("meta").then(function (meta) {
      prepare(meta);
      meta.kinds.forEach(function (k) { ksel.appendChild(new Option(meta.kindLabels[k], k)); });
      ksel.value = filters.kind;
      // the names of every assessment are loaded when a filter is in use or about to be
      var filled = null;
      var fill = function () {
        if (filled) return filled;
        filled = loadNames(meta, allGroups(meta)).then(function () {
          var orgs = {};
          allGroups(meta).forEach(function (gi) {
            var row = groupName(meta, gi);
            if (!row) return;
            orgs[row[2]] = 1;
            asel.appendChild(new Option(row[2] + " " + row[1], row[0]));
          });
          Object.keys(orgs).sort().forEach(function (o) { sel.appendChild(new Option(o, o)); });
          sel.value = filters.org; asel.value = filters.assessment;
        });
        return filled;
      };
      [sel, asel].forEach(function (el) { el.addEventListener("focus", fill); el.addEventListener("pointerdown", fill); });
      return filters.org || filters.assessment || !query.trim() ? fill() : null;
    });
    Promise.all([ready, laws]).then(function () { container.dataset.ready = "true"; }, function () {});

    // a query: from the page's address, or typed into the form of this page (searched in
    // place, the address updated); its time runs from the start of the query to the
    // first results shown, everything it waits on included
    // ``after``: what runs once the results are shown (or the index failed to load)
    var run = function (q, f, t0, after) {
      if (!q.trim()) { container.textContent = ""; if (after) after(); return; }
      container.setAttribute("aria-busy", "true");
      search(q, f).then(function (state) {
        return page(state).then(function (first) {
          render(container, q, state, first);
          var ms = performance.now() - t0;
          window.piaLastQueryMs = ms;
          container.dataset.queryMs = ms.toFixed(1);
          container.setAttribute("aria-busy", "false");
        });
      }).catch(function (err) {
        container.textContent = "検索の索引を読み込めませんでした: " + err.message;
        container.setAttribute("aria-busy", "false");
      }).then(after);
    };
    form.addEventListener("submit", function (ev) {
      var t0 = performance.now();
      ev.preventDefault();
      var q = form.elements.q.value, f = { org: sel.value, assessment: asel.value, kind: ksel.value };
      var next = new URLSearchParams();
      next.set("q", q);
      ["org", "assessment", "kind"].forEach(function (k) { if (f[k]) next.set(k, f[k]); });
      // the address is updated once the results are shown: pushState of a file:// page takes
      // up to ~15 ms in Chromium, and before the search it would delay the index's loads
      run(q, f, t0, function () { history.pushState(null, "", "?" + next.toString()); });
    });
    window.addEventListener("popstate", function () { window.location.reload(); });
    if (query.trim()) run(query, filters, performance.now());
  }

  function searchAll(query, filters) {
    // every result at once, for scripts and tests: {total, results}
    return search(query, filters || {}).then(function (state) {
      var results = [];
      var step = function () {
        return page(state).then(function (batch) {
          results = results.concat(batch);
          return state.pos < state.ids.length ? step() : { total: state.total - state.dropped, results: results };
        });
      };
      return step();
    });
  }

  window.piaSearch = { search: search, page: page, searchAll: searchAll, normalize: normalize, parseCitation: parseCitation };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
