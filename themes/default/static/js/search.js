/* Wenji search page: queries the sharded index under search/ (format: docs/search-format.md).
 *
 * Plain JavaScript, no dependencies. The tokenizer, the postings decoder and the ranking below
 * must stay in step with generator/search/tokenizer.py and generator/search/query.py; both are
 * checked against the same table of cases. Data is only ever put into the page as text nodes.
 */
(function () {
  "use strict";

  /* ---------------------------------------------------------------- tokenizer */

  var CJK_RANGES = [
    [0x3005, 0x3007], [0x3021, 0x3029], [0x3038, 0x303B], [0x3040, 0x30FF],
    [0x31F0, 0x31FF], [0x3400, 0x4DBF], [0x4E00, 0x9FFF], [0xAC00, 0xD7AF],
    [0xF900, 0xFAFF], [0x20000, 0x323AF]
  ];
  var MAX_WORD = 40;
  var KEY_CHARS = 2;
  var WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;

  function isCJK(cp) {
    for (var i = 0; i < CJK_RANGES.length; i++) {
      if (cp >= CJK_RANGES[i][0] && cp <= CJK_RANGES[i][1]) return true;
    }
    return false;
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
        (classOf(ch) || classOf(m)) ? m : ch;
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

  function classOf(ch) {
    if (isCJK(ch.codePointAt(0))) return "c";
    return WORD_CHAR.test(ch) ? "w" : "";
  }

  /* [kind "c" | "w", UTF-16 offset, text] of each run of folded text. */
  function runs(folded) {
    var out = [], kind = "", start = 0, at = 0, buf = "";
    for (var ch of folded) {
      var k = classOf(ch);
      if (k !== kind) {
        if (kind) out.push([kind, start, buf]);
        kind = k; start = at; buf = "";
      }
      if (k) buf += ch;
      at += ch.length;
    }
    if (kind) out.push([kind, start, buf]);
    return out;
  }

  /* Index tokens of folded text: {token: [offsets]} (mirrors tokenizer.tokens). */
  function tokens(folded, title) {
    var out = new Map();
    function add(tok, at) {
      if (!out.has(tok)) out.set(tok, []);
      out.get(tok).push(at);
    }
    runs(folded).forEach(function (r) {
      var chars = Array.from(r[2]);
      if (r[0] === "w") {
        if (chars.length <= MAX_WORD) add(r[2], r[1]);
        return;
      }
      var at = r[1], offs = [];
      chars.forEach(function (ch) { offs.push(at); at += ch.length; });
      for (var i = 0; i + 1 < chars.length; i++) add(chars[i] + chars[i + 1], offs[i]);
      if (title) chars.forEach(function (ch, j) { add(ch, offs[j]); });
    });
    return out;
  }

  function tokenList(text, title) {
    var pairs = [];
    tokens(fold(text), title).forEach(function (ats, tok) {
      ats.forEach(function (at) { pairs.push([tok, at]); });
    });
    return pairs.sort(function (a, b) {
      return a[1] - b[1] || Array.from(a[0]).length - Array.from(b[0]).length ||
        (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
    });
  }

  /* Bigrams at code points 0, 2, 4, … (and the last one for odd lengths) with UTF-16 offsets. */
  function cover(run) {
    var chars = Array.from(run), offs = [], at = 0, picks = [];
    chars.forEach(function (ch) { offs.push(at); at += ch.length; });
    for (var i = 0; i + 1 < chars.length; i += 2) picks.push(i);
    if (chars.length % 2 === 1) picks.push(chars.length - 2);
    return picks.map(function (j) { return [chars[j] + chars[j + 1], offs[j]]; });
  }

  function shardKey(tok) {
    return isCJK(tok.codePointAt(0)) ? tok : Array.from(tok).slice(0, KEY_CHARS).join("");
  }

  function fnv1a(s) {
    var bytes = new TextEncoder().encode(s), h = 0x811C9DC5;
    for (var i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
    return h >>> 0;
  }

  function shardOf(tok, shards) {
    return fnv1a(shardKey(tok)) % shards;
  }

  /* Query → terms {kind: "phrase" | "char" | "word", text}, without repeats. */
  function parse(query) {
    var terms = [], seen = new Set();
    runs(fold(query)).forEach(function (r) {
      var kind = r[0] === "w" ? "word" : Array.from(r[2]).length === 1 ? "char" : "phrase";
      if (!seen.has(kind + "\0" + r[2])) {
        seen.add(kind + "\0" + r[2]);
        terms.push({ kind: kind, text: r[2] });
      }
    });
    return terms;
  }

  /* ------------------------------------------------------------------- index */

  var K1 = 1.2, B = 0.75, TITLE_BOOST = 2.0;
  var LENGTH_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

  async function readJSON(url, init) {
    var res = await fetch(url, init);
    if (!res.ok) throw new Error(res.status + " " + url);
    var bytes = new Uint8Array(await res.arrayBuffer());
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) {  // stored gzipped, served as it is
      var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
      bytes = new Uint8Array(await new Response(stream).arrayBuffer());
    }
    return JSON.parse(new TextDecoder().decode(bytes));
  }

  /* Postings → Map doc → [title offsets, body offsets]. */
  function decode(ints) {
    var out = new Map(), i = 0, doc = -1;
    while (i < ints.length) {
      doc += ints[i];
      var head = ints[i + 1], fields = [[], []];
      i += 2;
      var counts = [head & 1 ? ints[i++] : 0, head >> 1];
      for (var f = 0; f < 2; f++) {
        for (var at = 0, n = 0; n < counts[f]; n++) {
          at += ints[i++];
          fields[f].push(at);
        }
      }
      out.set(doc, fields);
    }
    return out;
  }

  function verify(lists, offsets) {
    var sets = lists.slice(1).map(function (ps) { return new Set(ps); });
    return lists[0].filter(function (p) {
      return sets.every(function (s, j) { return s.has(p + offsets[j + 1]); });
    });
  }

  function Index(base) {
    this.base = base;
    this.cache = new Map();
    this.whole = new Map();
    this.manifest = null;
  }

  Index.prototype.open = async function () {
    if (!this.manifest) {
      var m = await readJSON(this.base + "manifest.json", { cache: "no-cache" });
      if (m.format !== "wenji-search" || m.version !== 1) throw new Error("unknown index format");
      this.manifest = m;
      this.dated = m.years.reduce(function (n, y) { return n + y[2]; }, 0);
    }
    return this.manifest;
  };

  Index.prototype.url = function (path) {
    return this.base + path + "?v=" + encodeURIComponent(this.manifest.build);
  };

  Index.prototype.file = function (path) {
    if (!this.cache.has(path)) {
      var self = this;
      var p = readJSON(this.url(path)).catch(function (err) { self.cache.delete(path); throw err; });
      this.cache.set(path, p);
    }
    return this.cache.get(path);
  };

  Index.prototype.shard = async function (n) {
    return (await this.file("p/" + n + ".json.gz")).t;
  };

  Index.prototype.lengths = async function () {
    if (!this._lengths) {
      var q = (await this.file("lengths.json.gz")).q, out = new Float64Array(q.length);
      for (var i = 0; i < q.length; i++) out[i] = Math.pow(2, LENGTH_ALPHABET.indexOf(q[i]) / 3) - 1;
      this._lengths = out;
    }
    return this._lengths;
  };

  Index.prototype.facets = function () {
    return this.file("facets.json.gz");
  };

  Index.prototype.doc = async function (i) {
    var chunk = this.manifest.chunk;
    return (await this.file("d/" + Math.floor(i / chunk) + ".json.gz")).docs[i % chunk];
  };

  Index.prototype.postings = async function (tok) {
    var ints = (await this.shard(shardOf(tok, this.manifest.shards)))[tok];
    return ints ? decode(ints) : new Map();
  };

  /* Map doc → [title offsets, body offsets] of every match of TERM. */
  Index.prototype.matches = async function (term) {
    var out = new Map();
    if (term.kind === "char") {
      (await this.postings(term.text)).forEach(function (f, d) { if (f[0].length) out.set(d, [f[0], []]); });
      return out;
    }
    if (term.kind === "word") {
      var chars = Array.from(term.text);
      if (chars.length > MAX_WORD) return out;
      var shard = await this.shard(shardOf(term.text, this.manifest.shards));
      var exact = chars.length < KEY_CHARS;
      Object.keys(shard).sort().forEach(function (tok) {
        if (tok !== term.text && (exact || !tok.startsWith(term.text))) return;
        decode(shard[tok]).forEach(function (f, d) {
          var old = out.get(d) || [[], []];
          out.set(d, [old[0].concat(f[0]).sort(numeric), old[1].concat(f[1]).sort(numeric)]);
        });
      });
      return out;
    }
    var cov = cover(term.text), self = this;
    var lists = await Promise.all(cov.map(function (c) { return self.postings(c[0]); }));
    var offsets = cov.map(function (c) { return c[1]; });
    var smallest = lists.reduce(function (a, b) { return b.size < a.size ? b : a; });
    smallest.forEach(function (_, d) {
      if (!lists.every(function (l) { return l.has(d); })) return;
      var found = [0, 1].map(function (f) {
        return verify(lists.map(function (l) { return l.get(d)[f]; }), offsets);
      });
      if (found[0].length || found[1].length) out.set(d, found);
    });
    return out;
  };

  function numeric(a, b) { return a - b; }

  /* Every doc matching all terms of QUERY: [{doc, matches, titleHits, score}], unordered. */
  Index.prototype.search = async function (query) {
    await this.open();
    var terms = parse(query), self = this;
    if (!terms.length) return { terms: terms, hits: [] };
    var found = await Promise.all(terms.map(function (t) { return self.matches(t); }));
    var lengths = await this.lengths(), m = this.manifest, avgdl = m.avgdl || 1;
    var idfs = found.map(function (f) {
      return Math.log(1 + (m.docs - f.size + 0.5) / (f.size + 0.5));
    });
    var hits = [];
    found[0].forEach(function (_, d) {
      if (!found.every(function (f) { return f.has(d); })) return;
      var hit = { doc: d, matches: found.map(function (f) { return f.get(d); }), titleHits: 0, score: 0 };
      var norm = K1 * (1 - B + B * lengths[d] / avgdl);
      hit.matches.forEach(function (mt, j) {
        if (mt[0].length) { hit.titleHits += 1; hit.score += TITLE_BOOST * idfs[j]; }
        var tf = mt[1].length;
        if (tf) hit.score += idfs[j] * tf * (K1 + 1) / (tf + norm);
      });
      hits.push(hit);
    });
    return { terms: terms, hits: hits };
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

  /* Code units [start, end) of text file FILE, by an HTTP Range request when the server allows. */
  Index.prototype.units = async function (file, start, end) {
    var path = "t/" + file + ".bin", bytes;
    if (this.whole.has(path)) {
      bytes = (await this.whole.get(path)).subarray(2 * start, 2 * end);
    } else {
      var res = await fetch(this.url(path), { headers: { Range: "bytes=" + 2 * start + "-" + (2 * end - 1) } });
      if (!res.ok) throw new Error(res.status + " " + path);
      if (res.status === 206) {
        bytes = new Uint8Array(await res.arrayBuffer());
      } else {  // the server sent the whole file: keep it for the next excerpts
        var whole = res.arrayBuffer().then(function (b) { return new Uint8Array(b); });
        this.whole.set(path, whole);
        bytes = (await whole).subarray(2 * start, 2 * end);
      }
    }
    return new TextDecoder("utf-16le").decode(bytes.subarray(0, bytes.length & ~1));
  };

  /* ---------------------------------------------------------------- highlight */

  /* Ranges [start, end) in FOLDED text where the terms occur (words at word starts only). */
  function findRanges(folded, terms, withChars) {
    var ranges = [];
    terms.forEach(function (t) {
      if (t.kind === "char" && !withChars) return;
      for (var at = folded.indexOf(t.text); at >= 0; at = folded.indexOf(t.text, at + 1)) {
        if (t.kind === "word" && at > 0 && classOf(String.fromCodePoint(folded.codePointAt(at - 1))) === "w") continue;
        if (t.kind === "word" && Array.from(t.text).length < KEY_CHARS) {
          var after = folded.codePointAt(at + t.text.length);
          if (after !== undefined && classOf(String.fromCodePoint(after)) === "w") continue;
        }
        ranges.push([at, at + t.text.length]);
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
  function markTitle(node, title, terms) {
    var shown = title.normalize("NFC");
    appendMarked(node, shown, findRanges(foldNormalized(shown), terms, true));
  }

  var api = {
    fold: fold, foldNormalized: foldNormalized, lowerEach: lowerEach, runs: runs, tokens: tokens, tokenList: tokenList,
    cover: cover, shardKey: shardKey, fnv1a: fnv1a, shardOf: shardOf, parse: parse,
    decode: decode, order: order, findRanges: findRanges, Index: Index
  };
  window.WenjiSearch = api;

  /* ----------------------------------------------------------------------- UI */

  var PAGE = 10;
  var root = document.getElementById("search");
  if (!root) return;

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
  var index = new Index(new URL(root.dataset.index || "./", location.href).href);
  api.index = index;
  var state = { q: "", terms: [], hits: [], list: [], shown: 0, facets: null, yearOf: null };
  var runNo = 0, timer = 0;

  function params() {
    var p = new URLSearchParams(location.search);
    return { q: p.get("q") || "", sort: p.get("sort") || "relevance", year: p.get("year") || "",
             account: p.get("account") || "", tag: p.get("tag") || "" };
  }

  function writeURL() {
    var p = new URLSearchParams();
    if (el.q.value) p.set("q", el.q.value);
    [["sort", el.sort.value === "relevance" ? "" : el.sort.value], ["year", el.year.value],
     ["account", el.account.value], ["tag", el.tag.value]].forEach(function (kv) {
      if (kv[1]) p.set(kv[0], kv[1]);
    });
    var s = p.toString();
    history.replaceState(null, "", s ? "?" + s : location.pathname);
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
    timer = setTimeout(run, 220);
  }

  async function run() {
    clearTimeout(timer);
    var no = ++runNo, q = el.q.value;
    writeURL();
    document.title = (q.trim() ? "“" + q.trim() + "” · " : "") + baseTitle;
    if (!parse(q).length) {
      state.hits = []; state.terms = []; state.q = q;
      el.results.textContent = ""; el.more.hidden = true; el.tools.hidden = true;
      status(q.trim() ? "请输入中文词句或英文单词。" : "");
      return;
    }
    status("正在搜索…");
    try {
      var found = await index.search(q);
      if (wantsFacets()) await loadFacets();
      if (no !== runNo) return;
      state.q = q; state.terms = found.terms; state.hits = found.hits;
      await refresh(no);
    } catch (err) {
      if (no === runNo) status("搜索索引加载失败（" + err.message + "）。");
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
    fillSelect(el.year, "全部年份", years, index.manifest.years.map(function (y) { return String(y[0]); }));
    var f = state.facets;
    if (!f) return;
    var byCount = function (counts, names) {
      return names.slice().sort(function (a, b) { return (counts.get(b) || 0) - (counts.get(a) || 0); });
    };
    var accounts = countBy("account", function (d) { return f.a[d] >= 0 ? [f.accounts[f.a[d]]] : []; });
    fillSelect(el.account, "全部公众号", accounts, byCount(accounts, f.accounts));
    var tags = countBy("tag", function (d) { return f.g[d].map(function (t) { return f.tags[t]; }); });
    fillSelect(el.tag, "全部标签", tags, byCount(tags, f.tags));
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
    var filtered = n !== state.hits.length ? "（筛选前 " + state.hits.length + " 篇）" : "";
    status(n ? "找到 " + n + " 篇文章" + filtered + "。" : "没有找到包含“" + state.q.trim() + "”的文章" + filtered + "。");
    await showMore(no, false);
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
      var title = doc.t || "（无标题）", target = new URL(doc.u, siteRoot);
      var holder = it.h2;
      if (target.origin === siteRoot.origin) {
        holder = document.createElement("a");
        holder.href = target.href;
        it.h2.appendChild(holder);
      }
      markTitle(holder, title, state.terms);
      fillMeta(it.meta, doc);
      await fillExcerpt(it, doc);
    } catch (err) {
      it.excerpt.textContent = "（摘要加载失败）";
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
      t.textContent = +p[0] + "年" + +p[1] + "月" + +p[2] + "日";
      node.appendChild(t);
    } else {
      node.appendChild(span("", "未注明日期"));
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
        b.title = "只看标签“" + tag + "”";
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

  var BEFORE = 40, WINDOW = 140;

  async function fillExcerpt(it, doc) {
    var x = doc.x, anchor = -1;
    it.hit.matches.forEach(function (m) { if (anchor < 0 && m[1].length) anchor = m[1][0]; });
    var from = anchor < 0 ? 0 : Math.max(0, anchor - BEFORE);
    var to = Math.min(x[2], from + WINDOW);
    from = Math.max(0, Math.min(from, to - WINDOW));
    if (to <= from) return;  // an empty body
    var text = await index.units(x[0], x[1] + from, x[1] + to);
    if (/^[\uDC00-\uDFFF]/.test(text)) text = text.slice(1);  // cut through a surrogate pair
    if (/[\uD800-\uDBFF]$/.test(text)) text = text.slice(0, -1);
    var ranges = findRanges(foldNormalized(text), state.terms, false);
    if (from > 0) it.excerpt.appendChild(document.createTextNode("…"));
    appendMarked(it.excerpt, text, ranges);
    if (to < x[2]) it.excerpt.appendChild(document.createTextNode("…"));
  }

  /* ----------------------------------------------------------------- keyboard */

  function resultLinks() {
    return Array.prototype.slice.call(el.results.querySelectorAll(".entry-title a"));
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
  el.form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
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
      status("筛选数据加载失败（" + err.message + "）。");
    }
  });

  var start = params();
  el.q.value = start.q;
  setSelect(el.sort, start.sort);
  setSelect(el.year, start.year);
  setSelect(el.account, start.account);
  setSelect(el.tag, start.tag);
  if (start.account || start.tag) el.facets.open = true;
  var header = document.getElementById("site-search-q");
  if (header) header.value = start.q;
  if (start.q) run(); else el.q.focus();
})();
