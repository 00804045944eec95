/* Wenji search page: queries the sharded index under search/ (format: docs/search-format.md).
 *
 * Plain JavaScript, no dependencies. The tokenizer, the postings decoder and the ranking below
 * must stay in step with generator/search/tokenizer.py and tests/search_reference.py; both are
 * checked against the same table of cases. Data is only ever put into the page as text nodes.
 */
(function () {
  "use strict";

  /* ------------------------------------------------------------------ folding */

  var CJK_RANGES = [
    [0x3005, 0x3007], [0x3021, 0x3029], [0x3038, 0x303B], [0x3040, 0x30FF],
    [0x31F0, 0x31FF], [0x3400, 0x4DBF], [0x4E00, 0x9FFF], [0xAC00, 0xD7AF],
    [0xF900, 0xFAFF], [0x20000, 0x323AF]
  ];
  var WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
  /* tokenizer.SPACE: what separates terms; no indexed pair spans one. */
  var SPACE = "\u0000\t\n\u000b\u000c\r\u001c\u001d\u001e\u001f \u0085\u00a0\u1680\u2000\u2001" +
    "\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff";
  var SPACES = new RegExp("[" + SPACE + "]+");

  function isCJK(cp) {
    for (var i = 0; i < CJK_RANGES.length; i++) {
      if (cp >= CJK_RANGES[i][0] && cp <= CJK_RANGES[i][1]) return true;
    }
    return false;
  }

  function wordOrCJK(ch) {
    return isCJK(ch.codePointAt(0)) || WORD_CHAR.test(ch);
  }

  /* Lowercase code point by code point; a code point whose lowercase is longer stays as it is. */
  function lowerEach(s) {
    var whole = s.toLowerCase();
    if (whole.length === s.length && whole.indexOf("\u03C2") < 0) return whole;
    var out = "";
    for (var ch of s) {
      var lo = ch.toLowerCase();
      out += Array.from(lo).length === 1 ? lo : ch;
    }
    return out;
  }

  /* Each word or CJK code point → its NFKC form when that is one code point of the same width. */
  function compatEach(s) {
    var out = "";
    for (var ch of s) {
      var m = ch.normalize("NFKC");
      out += m !== ch && m.length === ch.length && Array.from(m).length === 1 &&
        (wordOrCJK(ch) || wordOrCJK(m)) ? m : ch;
    }
    return out;
  }

  /* The searchable form of NFC text; never changes its length. */
  function foldNormalized(s) {
    return lowerEach(compatEach(s));
  }

  function fold(s) {
    return foldNormalized(s.normalize("NFC"));
  }

  /* Query → its folded terms, without repeats; every one must occur. */
  function terms(query) {
    var out = [];
    fold(query).split(SPACES).forEach(function (t) {
      if (t && out.indexOf(t) < 0) out.push(t);
    });
    return out;
  }

  /* Key of one or two UTF-16 code units; the shard it is filed in. */
  function keyOf(s) {
    return s.length === 1 ? s.charCodeAt(0) : s.charCodeAt(0) * 65536 + s.charCodeAt(1);
  }

  function shardOf(key, shards) {
    return (Math.imul(key | 0, 0x9E3779B1 | 0) >>> 0) % shards;
  }

  /* Starts of the pairs that pin down a term of N ≥ 2 code units: 0, 2, 4, … and n − 2. */
  function cover(n) {
    var out = [];
    for (var i = 0; i + 1 < n; i += 2) out.push(i);
    if (out[out.length - 1] !== n - 2) out.push(n - 2);
    return out;
  }

  /* Every integer of a varint stream (LEB128, low bits first). */
  function varints(bytes) {
    var out = [], value = 0, scale = 1;
    for (var i = 0; i < bytes.length; i++) {
      var b = bytes[i];
      value += (b & 0x7F) * scale;
      if (b & 0x80) { scale *= 128; } else { out.push(value); value = 0; scale = 1; }
    }
    return out;
  }

  /* ------------------------------------------------------------------- index */

  var K1 = 1.2, B = 0.75, TITLE_BOOST = 2.0;
  var LENGTH_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

  /* Bytes of URL, inflated when stored gzipped (and served as they are). */
  async function readBytes(url, init) {
    var res = await fetch(url, init);
    if (!res.ok) throw new Error(res.status + " " + url);
    var bytes = new Uint8Array(await res.arrayBuffer());
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
      var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
      bytes = new Uint8Array(await new Response(stream).arrayBuffer());
    }
    return bytes;
  }

  async function readJSON(url, init) {
    return JSON.parse(new TextDecoder().decode(await readBytes(url, init)));
  }

  /* One segment: its files live in BASE + name + "/" and are fetched with ?v=<its version>. */
  function Segment(index, info) {
    this.index = index;
    this.info = info;
    this.base = index.base + info.name + "/";
    this.ids = info.ids;  // null: local doc i is global doc i
    this.dirs = new Map();
    this.postings = new Map();
  }

  Segment.prototype.gid = function (local) { return this.ids ? this.ids[local] : local; };

  Segment.prototype.file = function (path, reader) {
    var cache = this.index.cache, url = this.base + path + "?v=" + this.info.v;
    if (!cache.has(url)) {
      var p = (reader || readJSON)(url).catch(function (err) { cache.delete(url); throw err; });
      cache.set(url, p);
    }
    return cache.get(url);
  };

  /* Directory entry of KEY: [docs, offset, postings bytes, positions bytes], or null. */
  Segment.prototype.where = async function (key) {
    var n = shardOf(key, this.info.shards);
    if (!this.dirs.has(n)) {
      var self = this;
      this.dirs.set(n, this.file("k/" + n + ".bin", readBytes).then(function (bytes) {
        var ints = varints(bytes), map = new Map(), k = 0, at = 0;
        for (var i = 1; i < 1 + 4 * ints[0]; i += 4) {
          k += ints[i];
          map.set(k, [ints[i + 1], at, ints[i + 2], ints[i + 3]]);
          at += ints[i + 2] + ints[i + 3];
        }
        return map;
      }).catch(function (err) { self.dirs.delete(n); throw err; }));
    }
    var dir = await this.dirs.get(n);
    return dir.get(key) || null;
  };

  /* Map local doc → {t: title count, b: other count} of KEY (positions: p, when WITH). */
  Segment.prototype.entries = async function (key, withPositions) {
    var have = this.postings.get(key);
    if (have && (!withPositions || have.positions)) return have.docs;
    var w = await this.where(key), docs = new Map();
    if (w) {
      var n = shardOf(key, this.info.shards), end = w[1] + w[2] + (withPositions ? w[3] : 0);
      var bytes = await this.index.range(this.base + "p/" + n + ".bin?v=" + this.info.v, w[1], end);
      var ints = varints(bytes.subarray(0, w[2])), i = 0, doc = -1;
      for (var j = 0; j < w[0]; j++) {
        doc += ints[i];
        var head = ints[i + 1];
        i += 2;
        docs.set(doc, { t: head & 1 ? ints[i++] : 0, b: Math.floor(head / 2) });
      }
      if (withPositions) {
        var ps = varints(bytes.subarray(w[2])), k = 0;
        docs.forEach(function (e) {
          var at = 0, list = [];
          for (var c = 0; c < e.t + e.b; c++) { at += ps[k++]; list.push(at); }
          e.p = list;
        });
      }
    }
    this.postings.set(key, { docs: docs, positions: withPositions });
    return docs;
  };

  /* Map local doc → [title matches, other matches] of TERM in this segment. */
  Segment.prototype.matches = async function (term) {
    var out = new Map(), self = this;
    if (term.length <= 2) {
      (await this.entries(keyOf(term))).forEach(function (e, d) { out.set(d, [e.t, e.b]); });
      return out;
    }
    var starts = cover(term.length);
    var keys = starts.map(function (s) { return keyOf(term.slice(s, s + 2)); });
    var lists = await Promise.all(keys.map(function (k) { return self.entries(k); }));
    var docs = [];
    lists[0].forEach(function (_, d) {
      if (lists.every(function (l) { return l.has(d); })) docs.push(d);
    });
    if (!docs.length) return out;
    lists = await Promise.all(keys.map(function (k) { return self.entries(k, true); }));
    docs.forEach(function (d) {
      var first = lists[0].get(d), rest = lists.slice(1).map(function (l) { return new Set(l.get(d).p); });
      var t = 0, b = 0;
      first.p.forEach(function (p, rank) {
        for (var j = 0; j < rest.length; j++) if (!rest[j].has(p + starts[j + 1])) return;
        if (rank < first.t) t++; else b++;
      });
      if (t || b) out.set(d, [t, b]);
    });
    return out;
  };

  Segment.prototype.doc = async function (local) {
    var chunk = this.info.chunk;
    return (await this.file("d/" + Math.floor(local / chunk) + ".json.gz")).docs[local % chunk];
  };

  function Index(base) {
    this.base = base;
    this.cache = new Map();
    this.whole = new Map();
    this.manifest = null;
  }

  Index.prototype.open = async function () {
    if (!this.manifest) {
      var m = await readJSON(this.base + "manifest.json", { cache: "no-cache" });
      if (m.format !== "wenji-search" || m.version !== 2) throw new Error("unknown index format");
      var self = this;
      this.segments = m.segments.map(function (info) { return new Segment(self, info); });
      // the segment and local doc that hold each global doc now: the newest that defines it
      this.seg = new Int16Array(m.docs).fill(-1);
      this.local = new Int32Array(m.docs);
      this.segments.forEach(function (s, n) {
        for (var i = 0; i < s.info.docs; i++) { self.seg[s.gid(i)] = n; self.local[s.gid(i)] = i; }
        (s.info.gone || []).forEach(function (g) { self.seg[g] = -1; });
      });
      this.dated = m.years.reduce(function (n, y) { return n + y[2]; }, 0);
      this.manifest = m;
    }
    return this.manifest;
  };

  Index.prototype.facets = function () {
    return this.segments[0].file("facets.json.gz");
  };

  Index.prototype.lengths = async function () {
    if (!this._lengths) {
      var self = this, m = this.manifest;
      var codes = await Promise.all(this.segments.map(function (s) { return s.file("lengths.json.gz"); }));
      var out = new Float64Array(m.docs), live = 0, sum = 0;
      for (var g = 0; g < m.docs; g++) {
        var n = self.seg[g];
        if (n < 0) continue;
        out[g] = Math.pow(2, LENGTH_ALPHABET.indexOf(codes[n].q[self.local[g]]) / 3) - 1;
        live += 1;
        sum += out[g];
      }
      this._lengths = out;
      this.live = live;
      this.avgdl = (live ? sum / live : 0) || 1;
    }
    return this._lengths;
  };

  Index.prototype.doc = function (gid) {
    return this.segments[this.seg[gid]].doc(this.local[gid]);
  };

  /* Map global doc → [title matches, other matches] of TERM over the live documents. */
  Index.prototype.matches = async function (term) {
    var self = this, out = new Map();
    var parts = await Promise.all(this.segments.map(function (s) { return s.matches(term); }));
    parts.forEach(function (found, n) {
      var s = self.segments[n];
      found.forEach(function (m, local) {
        var g = s.gid(local);
        if (self.seg[g] === n && self.local[g] === local) out.set(g, m);
      });
    });
    return out;
  };

  /* Every doc holding all terms of QUERY: {terms, counts (docs per term), hits}, unordered. */
  Index.prototype.search = async function (query) {
    await this.open();
    var ts = terms(query), self = this;
    if (!ts.length) return { terms: ts, counts: [], hits: [] };
    var found = await Promise.all(ts.map(function (t) { return self.matches(t); }));
    var lengths = await this.lengths(), avgdl = this.avgdl, live = this.live;
    var idfs = found.map(function (f) {
      return Math.log(1 + (live - f.size + 0.5) / (f.size + 0.5));
    });
    var hits = [];
    found[0].forEach(function (_, d) {
      if (!found.every(function (f) { return f.has(d); })) return;
      var hit = { doc: d, matches: found.map(function (f) { return f.get(d); }), titleHits: 0, score: 0 };
      var norm = K1 * (1 - B + B * lengths[d] / avgdl);
      hit.matches.forEach(function (mt, j) {
        if (mt[0]) { hit.titleHits += 1; hit.score += TITLE_BOOST * idfs[j]; }
        if (mt[1]) hit.score += idfs[j] * mt[1] * (K1 + 1) / (mt[1] + norm);
      });
      hits.push(hit);
    });
    return { terms: ts, counts: found.map(function (f) { return f.size; }), hits: hits };
  };

  function order(hits, sort, dated) {
    var out = hits.slice();
    if (sort === "newest") return out.sort(function (a, b) { return a.doc - b.doc; });
    if (sort === "oldest") {
      return out.sort(function (a, b) {
        return (a.doc >= dated) - (b.doc >= dated) || b.doc - a.doc;
      });
    }
    return out.sort(function (a, b) {
      return b.titleHits - a.titleHits || b.score - a.score || a.doc - b.doc;
    });
  }

  /* Bytes [start, end) of URL, by an HTTP Range request when the server allows. */
  Index.prototype.range = async function (url, start, end) {
    if (end <= start) return new Uint8Array(0);
    if (this.whole.has(url)) return (await this.whole.get(url)).subarray(start, end);
    var res = await fetch(url, { headers: { Range: "bytes=" + start + "-" + (end - 1) } });
    if (!res.ok) throw new Error(res.status + " " + url);
    if (res.status === 206) return new Uint8Array(await res.arrayBuffer());
    // the server sent the whole file: keep it for the next reads
    var whole = res.arrayBuffer().then(function (b) { return new Uint8Array(b); });
    this.whole.set(url, whole);
    return (await whole).subarray(start, end);
  };

  /* Code units [start, end) of text file FILE of segment SEG. */
  Index.prototype.units = async function (seg, file, start, end) {
    var s = this.segments[seg];
    var bytes = await this.range(s.base + "t/" + file + ".bin?v=" + s.info.v, 2 * start, 2 * end);
    return new TextDecoder("utf-16le").decode(bytes.subarray(0, bytes.length & ~1));
  };

  /* ---------------------------------------------------------------- highlight */

  /* Ranges [start, end) in FOLDED text where the terms occur, merged where they touch. */
  function findRanges(folded, ts) {
    var ranges = [];
    ts.forEach(function (t) {
      for (var at = folded.indexOf(t); at >= 0; at = folded.indexOf(t, at + 1)) {
        ranges.push([at, at + t.length]);
      }
    });
    ranges.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var merged = [];
    ranges.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push(r.slice());
    });
    return merged;
  }

  /* Append TEXT to NODE with RANGES wrapped in <mark>; whitespace runs shown as one space. */
  function appendMarked(node, text, ranges) {
    var at = 0;
    function plain(s) { if (s) node.appendChild(document.createTextNode(s.replace(/\s+/g, " "))); }
    ranges.forEach(function (r) {
      plain(text.slice(at, r[0]));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(r[0], r[1]);
      node.appendChild(mark);
      at = r[1];
    });
    plain(text.slice(at));
  }

  /* Append the NFC form of TITLE with the terms highlighted. */
  function markTitle(node, title, ts) {
    var shown = title.normalize("NFC");
    appendMarked(node, shown, findRanges(foldNormalized(shown), ts));
  }

  var api = {
    fold: fold, foldNormalized: foldNormalized, lowerEach: lowerEach, terms: terms, keyOf: keyOf,
    shardOf: shardOf, cover: cover, varints: varints, order: order, findRanges: findRanges,
    appendMarked: appendMarked, Index: Index, sections: sections
  };
  window.WenjiSearch = api;

  /* ----------------------------------------------------------------------- UI */

  /* ------------------------------------------------- article page: highlight */

  var HIGHLIGHT = "#h=", HIGHLIGHT_PARAM = "h";

  function decoded(s) {
    try { return decodeURIComponent(s); } catch (err) { return ""; }
  }

  /* The query an article was reached with: #h=<query> from a result, ?h=<query>#<heading id>
   * from a sub-result (the fragment then names the heading, which the browser scrolls to). */
  function arrivedWith() {
    if (location.hash.indexOf(HIGHLIGHT) === 0) return { q: decoded(location.hash.slice(HIGHLIGHT.length)) };
    var q = new URLSearchParams(location.search).get(HIGHLIGHT_PARAM) || "";
    var target = location.hash.length > 1 && document.getElementById(decoded(location.hash.slice(1)));
    return { q: q, target: target || null };
  }

  /* On an article reached from a result, mark the query's terms in the title and body. */
  function highlightArticle() {
    var body = document.querySelector(".article-body"), title = document.getElementById("article-title");
    if (!body) return;
    var arrived = arrivedWith(), ts = terms(arrived.q);
    if (!ts.length) return;
    var first = null;
    [title, body].forEach(function (root) {
      if (!root) return;
      var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT), nodes = [];
      for (var n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n);
      nodes.forEach(function (node) {
        var text = node.nodeValue.normalize("NFC"), ranges = findRanges(foldNormalized(text), ts);
        if (!ranges.length || node.parentNode.closest("script, style, mark")) return;
        var frag = document.createDocumentFragment(), at = 0;
        ranges.forEach(function (r) {
          frag.appendChild(document.createTextNode(text.slice(at, r[0])));
          var mark = document.createElement("mark");
          mark.className = "search-hit-mark";
          mark.textContent = text.slice(r[0], r[1]);
          frag.appendChild(mark);
          if (!first && root === body) first = mark;
          at = r[1];
        });
        frag.appendChild(document.createTextNode(text.slice(at)));
        node.parentNode.replaceChild(frag, node);
      });
    });
    if (first && !arrived.target) first.scrollIntoView({ block: "center" });
  }

  var PAGE = 10;
  var root = document.getElementById("search");
  if (!root) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", highlightArticle);
    else highlightArticle();
    window.addEventListener("hashchange", highlightArticle);
    return;
  }

  var el = {
    form: root.querySelector(".search-form"),
    q: document.getElementById("search-q"),
    tools: document.getElementById("search-tools"),
    sort: document.getElementById("search-sort"),
    year: document.getElementById("search-year"),
    facets: document.getElementById("search-facets"),
    account: document.getElementById("search-account"),
    tag: document.getElementById("search-tag"),
    status: document.getElementById("search-status"),
    results: document.getElementById("search-results"),
    more: document.getElementById("search-more")
  };
  var siteRoot = new URL(root.dataset.root || "../", location.href);
  var TEXT = JSON.parse(root.dataset.text || "{}");  /* the site's language: generator/render/i18n.py */
  function tr(key, values) {
    var text = TEXT[key];
    if (text === undefined) return key;
    if (Array.isArray(text)) text = values && values.n === 1 ? text[0] : text[1];
    return text.replace(/\{(\w+)\}/g, function (m, name) {
      return values && name in values ? String(values[name]) : m;
    });
  }
  function quote(t) { return tr("s_quote", { t: t }); }
  var index = new Index(new URL(root.dataset.index || "./", location.href).href);
  api.index = index;
  var state = { q: "", terms: [], hits: [], list: [], shown: 0, facets: null, yearOf: null };
  var runNo = 0, timer = 0, shownAt = 0;
  var KEEP_AFTER = 1000;
  /* A query shown this long (ms), or submitted with Enter, gets its own history entry. */

  function params() {
    var p = new URLSearchParams(location.search);
    return { q: p.get("q") || "", sort: p.get("sort") || "relevance", year: p.get("year") || "",
             account: p.get("account") || "", tag: p.get("tag") || "" };
  }

  /* Put the query and filters in the URL: a new history entry when the query changed after
   * the previous one was submitted or shown for a while (so Back returns to it). */
  function writeURL(how) {
    var p = new URLSearchParams();
    if (el.q.value) p.set("q", el.q.value);
    [["sort", el.sort.value === "relevance" ? "" : el.sort.value], ["year", el.year.value],
     ["account", el.account.value], ["tag", el.tag.value]].forEach(function (kv) {
      if (kv[1]) p.set(kv[0], kv[1]);
    });
    var s = p.toString(), url = s ? "?" + s : location.pathname;
    var before = new URLSearchParams(location.search).get("q") || "";
    var keep = before && before !== el.q.value && how !== "pop" &&
      (how === "submit" || Date.now() - shownAt >= KEEP_AFTER);
    if (keep) history.pushState(null, "", url);
    else history.replaceState(null, "", url);
  }

  function setSelect(select, value) {
    if (value && !Array.prototype.some.call(select.options, function (o) { return o.value === value; })) {
      var o = document.createElement("option");
      o.value = value; o.textContent = value;
      select.appendChild(o);
    }
    select.value = value;
  }

  function status(text) { el.status.textContent = text; }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(function () { run("typed"); }, 220);
  }

  async function run(how) {
    clearTimeout(timer);
    var no = ++runNo, q = el.q.value;
    writeURL(how);
    document.title = (q.trim() ? quote(q.trim()) + " · " : "") + baseTitle;
    if (!terms(q).length) {
      state.hits = []; state.terms = []; state.q = q;
      el.results.textContent = ""; el.more.hidden = true; el.tools.hidden = true;
      status(q.trim() ? tr("s_enter") : "");
      return;
    }
    status(tr("s_searching"));
    try {
      var found = await index.search(q);
      if (wantsFacets()) await loadFacets();
      if (no !== runNo) return;
      state.q = q; state.terms = found.terms; state.hits = found.hits; state.counts = found.counts;
      await refresh(no);
      shownAt = Date.now();
    } catch (err) {
      if (no === runNo) status(tr("s_index_failed", { error: err.message }));
    }
  }

  function wantsFacets() { return el.facets.open || el.account.value || el.tag.value; }

  async function loadFacets() {
    if (!state.facets) state.facets = await index.facets();
    return state.facets;
  }

  function yearOf(doc) {
    if (!state.yearOf) {
      var m = index.manifest, ys = new Int32Array(m.docs);
      m.years.forEach(function (y) { ys.fill(y[0], y[1], y[1] + y[2]); });
      state.yearOf = ys;
    }
    return state.yearOf[doc];
  }

  function passes(hit, skip) {
    var f = state.facets;
    if (skip !== "year" && el.year.value && String(yearOf(hit.doc)) !== el.year.value) return false;
    if (!f) return true;
    if (skip !== "account" && el.account.value && f.accounts[f.a[hit.doc]] !== el.account.value) return false;
    if (skip !== "tag" && el.tag.value && !f.g[hit.doc].some(function (t) { return f.tags[t] === el.tag.value; })) return false;
    return true;
  }

  function fillSelect(select, allLabel, counts, order) {
    var value = select.value;
    select.textContent = "";
    var all = document.createElement("option");
    all.value = ""; all.textContent = allLabel;
    select.appendChild(all);
    order.forEach(function (name) {
      if (!counts.has(name) && name !== value) return;
      var o = document.createElement("option");
      o.value = name;
      o.textContent = name + "（" + (counts.get(name) || 0) + "）";
      select.appendChild(o);
    });
    setSelect(select, value);
  }

  function countBy(skip, keysOf) {
    var counts = new Map();
    state.hits.forEach(function (h) {
      if (!passes(h, skip)) return;
      keysOf(h.doc).forEach(function (k) { counts.set(k, (counts.get(k) || 0) + 1); });
    });
    return counts;
  }

  function fillFacets() {
    var years = countBy("year", function (d) { var y = yearOf(d); return y ? [String(y)] : []; });
    fillSelect(el.year, tr("s_all_years"), years, index.manifest.years.map(function (y) { return String(y[0]); }));
    var f = state.facets;
    if (!f) return;
    var byCount = function (counts, names) {
      return names.slice().sort(function (a, b) { return (counts.get(b) || 0) - (counts.get(a) || 0); });
    };
    var accounts = countBy("account", function (d) { return f.a[d] >= 0 ? [f.accounts[f.a[d]]] : []; });
    fillSelect(el.account, tr("s_all_accounts"), accounts, byCount(accounts, f.accounts));
    var tags = countBy("tag", function (d) { return f.g[d].map(function (t) { return f.tags[t]; }); });
    fillSelect(el.tag, tr("s_all_tags"), tags, byCount(tags, f.tags));
  }

  /* Filter and sort the current hits, then show the first page. */
  async function refresh(no) {
    writeURL();
    fillFacets();
    state.list = order(state.hits.filter(function (h) { return passes(h); }), el.sort.value, index.dated);
    state.shown = 0;
    el.results.textContent = "";
    el.tools.hidden = state.hits.length === 0;
    var n = state.list.length;
    var filtered = n !== state.hits.length ? tr("s_before_filter", { n: state.hits.length }) : "";
    status((n ? tr("s_found", { n: n }) : nothing()) + filtered + tr("s_end"));
    await showMore(no, false);
  }

  /* Why nothing was found: the terms no article holds, or that the terms never meet. */
  function nothing() {
    var ts = state.terms;
    if (ts.length < 2) return tr("s_none", { term: quote(state.q.trim()) });
    var missing = ts.filter(function (t, i) { return !state.counts[i]; });
    if (missing.length) return tr("s_none_each", { terms: missing.map(quote).join(tr("s_or")) });
    var counts = ts.map(function (t, i) { return tr("s_count", { term: quote(t), n: state.counts[i] }); });
    return tr("s_none_all", { terms: ts.map(quote).join(tr("s_and")), counts: counts.join(tr("s_count_sep")) });
  }

  async function showMore(no, focus) {
    var page = state.list.slice(state.shown, state.shown + PAGE);
    state.shown += page.length;
    el.more.hidden = state.shown >= state.list.length;
    var items = page.map(function (hit) { return renderHit(hit); });
    items.forEach(function (it) { el.results.appendChild(it.li); });
    // The first excerpt alone tells whether the server honours Range requests; then the rest.
    if (items.length) await fillHit(items[0], no);
    if (focus && items.length) (items[0].h2.querySelector("a") || items[0].h2).focus();
    await Promise.all(items.slice(1).map(function (it) { return fillHit(it, no); }));
  }

  function renderHit(hit) {
    var li = document.createElement("li");
    li.className = "entry search-hit";
    li.setAttribute("aria-busy", "true");
    var h2 = document.createElement("h2");
    h2.className = "entry-title";
    h2.tabIndex = -1;
    var meta = document.createElement("p");
    meta.className = "entry-meta";
    var excerpt = document.createElement("p");
    excerpt.className = "entry-summary search-excerpt";
    li.append(h2, meta, excerpt);
    return { li: li, hit: hit, h2: h2, meta: meta, excerpt: excerpt };
  }

  async function fillHit(it, no) {
    try {
      var doc = await index.doc(it.hit.doc);
      if (no !== runNo) return;
      var title = doc.t || tr("s_untitled"), target = new URL(doc.u, siteRoot);
      var holder = it.h2;
      if (target.origin === siteRoot.origin) {
        holder = document.createElement("a");
        holder.href = target.href + HIGHLIGHT + encodeURIComponent(state.q.trim());
        it.h2.appendChild(holder);
      }
      markTitle(holder, title, state.terms);
      fillMeta(it.meta, doc);
      var text = await fillExcerpt(it, doc);
      if (no === runNo && doc.h && doc.h.length && target.origin === siteRoot.origin) {
        fillSections(it, doc, text, target);
      }
    } catch (err) {
      it.excerpt.textContent = tr("s_excerpt_failed");
    }
    it.li.removeAttribute("aria-busy");
  }

  function span(cls, text) {
    var s = document.createElement("span");
    s.className = cls;
    s.textContent = text;
    return s;
  }

  function sep(node) {
    var s = span("sep", "·");
    s.setAttribute("aria-hidden", "true");
    node.append(" ", s, " ");
  }

  function fillMeta(node, doc) {
    if (doc.d) {
      var t = document.createElement("time"), p = doc.d.split("-");
      t.dateTime = doc.d;
      t.textContent = tr("s_date", { y: +p[0], d: +p[2],
                                     month: tr("s_months").split(" ")[+p[1] - 1] });
      node.appendChild(t);
    } else {
      node.appendChild(span("", tr("s_undated")));
    }
    if (doc.a) { sep(node); node.appendChild(span("entry-account", doc.a)); }
    if (doc.g && doc.g.length) {
      sep(node);
      var tags = span("search-tags", "");
      doc.g.forEach(function (tag) {
        var b = document.createElement("button");
        b.type = "button";
        b.className = "search-tag";
        b.textContent = "#" + tag;
        b.title = tr("s_only_tag", { tag: quote(tag) });
        b.addEventListener("click", function () { pickTag(tag); });
        tags.appendChild(b);
      });
      node.appendChild(tags);
    }
  }

  async function pickTag(tag) {
    await loadFacets();
    el.facets.open = true;
    setSelect(el.tag, tag);
    await refresh(runNo);
    el.tag.focus();
  }

  var BEFORE = 40, WINDOW = 140, FIRST_READ = 1024, SECTIONS_READ = 65536;

  /* A window of the body around the first match: the body is read from its start, a small
   * part first and the rest only when the match lies further on (an article with headings is
   * read whole, up to SECTIONS_READ units, for its sub-results). The text read is returned. */
  async function fillExcerpt(it, doc) {
    var x = doc.x, seg = index.seg[it.hit.doc];
    if (!x[2]) return "";  // an empty body
    var head = Math.min(x[2], doc.h && doc.h.length ? SECTIONS_READ : FIRST_READ);
    var text = await index.units(seg, x[0], x[1], x[1] + head);
    var anchor = firstMatch(foldNormalized(text));
    if (anchor < 0 && head < x[2]) {
      text += await index.units(seg, x[0], x[1] + head, x[1] + x[2]);
      anchor = firstMatch(foldNormalized(text));
    }
    var from = anchor < 0 ? 0 : Math.max(0, anchor - BEFORE);
    var to = Math.min(x[2], from + WINDOW);
    from = Math.max(0, Math.min(from, to - WINDOW));
    var part = text.slice(from, to);
    if (/^[\uDC00-\uDFFF]/.test(part)) part = part.slice(1);  // cut through a surrogate pair
    if (/[\uD800-\uDBFF]$/.test(part)) part = part.slice(0, -1);
    if (from > 0) it.excerpt.appendChild(document.createTextNode("…"));
    appendMarked(it.excerpt, part, findRanges(foldNormalized(part), state.terms));
    if (to < x[2]) it.excerpt.appendChild(document.createTextNode("…"));
    return text;
  }

  /* Sub-results: the sections (from one heading to the next) of TEXT in which the terms
   * occur, the best SECTIONS of them in the article's order, each a link to its heading. */
  var SECTIONS = 3, SECTION_BEFORE = 20, SECTION_WINDOW = 90;

  function sections(text, heads, ts) {
    var folded = foldNormalized(text), ranges = findRanges(folded, ts), found = [];
    heads.forEach(function (h, i) {
      var start = h[2], end = Math.min(i + 1 < heads.length ? heads[i + 1][2] : text.length, text.length);
      if (start >= end) return;
      var inside = ranges.filter(function (r) { return r[0] >= start && r[0] < end; });
      if (!inside.length) return;
      var part = folded.slice(start, end);
      found.push({ n: i, text: h[0], id: h[1], start: start, end: end, hits: inside.length,
                   terms: ts.filter(function (t) { return part.indexOf(t) >= 0; }).length });
    });
    return found.sort(function (a, b) { return b.terms - a.terms || b.hits - a.hits || a.n - b.n; })
      .slice(0, SECTIONS).sort(function (a, b) { return a.n - b.n; });
  }

  function fillSections(it, doc, text, target) {
    var found = sections(text, doc.h, state.terms);
    if (!found.length) return;
    var list = document.createElement("ul");
    list.className = "search-subs";
    list.setAttribute("aria-label", tr("s_sections"));
    found.forEach(function (sec) {
      var li = document.createElement("li"), a = document.createElement("a"), p = document.createElement("p");
      li.className = "search-sub";
      var url = new URL(target.href);
      url.search = "?" + HIGHLIGHT_PARAM + "=" + encodeURIComponent(state.q.trim());
      url.hash = "#" + encodeURIComponent(sec.id);
      a.href = url.href;
      markTitle(a, sec.text, state.terms);
      // the snippet: from the first match after the heading's own text (else its start)
      var body = Math.min(sec.start + sec.text.length, sec.end);
      while (body < sec.end && /\s/.test(text[body])) body++;
      var ranges = findRanges(foldNormalized(text.slice(body, sec.end)), state.terms);
      var from = body + (ranges.length ? Math.max(0, ranges[0][0] - SECTION_BEFORE) : 0);
      var to = Math.min(sec.end, from + SECTION_WINDOW);
      var part = text.slice(from, to);
      if (/^[\uDC00-\uDFFF]/.test(part)) part = part.slice(1);
      if (/[\uD800-\uDBFF]$/.test(part)) part = part.slice(0, -1);
      p.className = "entry-summary";
      if (from > body) p.appendChild(document.createTextNode("…"));
      appendMarked(p, part, findRanges(foldNormalized(part), state.terms));
      if (to < sec.end) p.appendChild(document.createTextNode("…"));
      li.append(a, p);
      list.appendChild(li);
    });
    it.li.appendChild(list);
  }

  function firstMatch(folded) {
    var best = -1;
    state.terms.forEach(function (t) {
      var at = folded.indexOf(t);
      if (at >= 0 && (best < 0 || at < best)) best = at;
    });
    return best;
  }

  /* ----------------------------------------------------------------- keyboard */

  function resultLinks() {
    return Array.prototype.slice.call(el.results.querySelectorAll(".entry-title a, .search-sub a"));
  }

  document.addEventListener("keydown", function (e) {
    var tag = (e.target.tagName || "").toLowerCase();
    if (e.key === "/" && !e.ctrlKey && !e.metaKey && !e.altKey &&
        !/^(input|textarea|select)$/.test(tag) && !e.target.isContentEditable) {
      e.preventDefault();
      el.q.focus();
      el.q.select();
    }
  });

  el.q.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown") {
      var links = resultLinks();
      if (links.length) { e.preventDefault(); links[0].focus(); }
    } else if (e.key === "Escape" && el.q.value) {
      e.preventDefault();
      el.q.value = "";
      run();
    }
  });

  el.results.addEventListener("keydown", function (e) {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    var links = resultLinks(), i = links.indexOf(document.activeElement);
    if (i < 0) return;
    e.preventDefault();
    if (e.key === "ArrowUp") (i === 0 ? el.q : links[i - 1]).focus();
    else if (i + 1 < links.length) links[i + 1].focus();
    else if (!el.more.hidden) el.more.focus();
  });

  /* ------------------------------------------------------------------- wiring */

  var baseTitle = document.title;
  el.form.addEventListener("submit", function (e) { e.preventDefault(); run("submit"); });
  el.q.addEventListener("input", function (e) { if (!e.isComposing) schedule(); });
  el.q.addEventListener("compositionend", schedule);  // pinyin input: search the characters
  el.more.addEventListener("click", function () { showMore(runNo, true); });
  [el.sort, el.year, el.account, el.tag].forEach(function (s) {
    s.addEventListener("change", function () { refresh(runNo); });
  });
  el.facets.addEventListener("toggle", async function () {
    if (!el.facets.open || state.facets) return;
    try {
      await loadFacets();
      if (state.hits.length) fillFacets();
    } catch (err) {
      status(tr("s_facets_failed", { error: err.message }));
    }
  });

  /* Set the box and filters from the URL (on load, and on Back / Forward). */
  function fromURL() {
    var start = params();
    el.q.value = start.q;
    setSelect(el.sort, start.sort);
    setSelect(el.year, start.year);
    setSelect(el.account, start.account);
    setSelect(el.tag, start.tag);
    if (start.account || start.tag) el.facets.open = true;
    var header = document.getElementById("site-search-q");
    if (header) header.value = start.q;
    return start;
  }

  window.addEventListener("popstate", function () { fromURL(); run("pop"); });
  if (fromURL().q) run("pop"); else el.q.focus();
})();
