// The markup, style and script of a snapshot's index.html (see
// snapshot_page.hpp). Everything is inline and the Content-Security-Policy
// forbids any network access, so the page works from a downloaded artifact
// folder (file://) with no connection. The script builds the DOM with
// textContent only, so no name or content is ever parsed as markup, and
// renders lazily: a folder's children when it is first opened (in chunks of
// kChunk), a file's contents when it is clicked, so 10,000 files open fast.
//
// Hooks for tests and links: index.html#file=<path> opens that file (and the
// folders above it); #open=all opens every folder. When rendering is done the
// element #memfs-status says "rendered"; script errors are listed in
// #memfs-errors (tests read both from the DOM).
#include "snapshot/snapshot_page.hpp"

namespace memfs::detail {

const char* const kPageHead = R"memfs_page(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>memfs snapshot</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2329;background:#f6f7f9}
header{background:#24292f;color:#fff;padding:14px 20px}
header h1{font-size:18px;margin:0 0 4px;word-break:break-all}
header .meta{color:#c9d1d9;font-size:13px}
main{padding:12px 20px 40px}
section{background:#fff;border:1px solid #d0d7de;border-radius:6px;margin:12px 0;padding:10px 14px}
section>h2{font-size:15px;margin:0 0 8px}
code,pre,.mono{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-size:12.5px}
pre{white-space:pre-wrap;word-break:break-all;margin:4px 0;background:#f6f8fa;padding:6px 8px;border-radius:4px}
.failure{border-left:4px solid #cf222e}
.kv{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px}
.kv>.k{color:#57606a}
button{font:inherit;font-size:12px;padding:1px 8px;cursor:pointer}
.browse{display:grid;grid-template-columns:minmax(260px,38%) 1fr;gap:12px}
.tree{overflow:auto;max-height:75vh}
.tree details{margin-left:14px}.tree>details{margin-left:0}
.tree summary{cursor:pointer;white-space:nowrap}
.file{margin-left:28px;cursor:pointer;white-space:nowrap}
.file:hover,.file.sel{background:#ddf4ff}
.size,.note,.muted{color:#6e7781;font-size:12px;margin-left:6px}
.badge{font-size:11px;background:#fff8c5;border:1px solid #d4a72c;border-radius:8px;padding:0 5px;margin-left:6px}
.viewer{overflow:auto;max-height:75vh;min-width:0}
.code{display:table;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12.5px;width:100%}
.row{display:table-row}.ln{display:table-cell;text-align:right;color:#8c959f;padding-right:10px;user-select:none;width:1%}
.tx{display:table-cell;white-space:pre-wrap;word-break:break-all}
.hex .tx{white-space:pre}
.row.del{background:#ffebe9}.row.ins{background:#dafbe1}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #d0d7de;padding:3px 6px;vertical-align:top;text-align:left}
table.diff td:nth-child(3),table.diff td:nth-child(4){width:36%}
ol.timeline{list-style:none;padding-left:0;border-left:3px solid #d0d7de;margin-left:6px}
ol.timeline li{padding:2px 0 2px 10px;position:relative}
ol.timeline li::before{content:"";position:absolute;left:-7px;top:9px;width:10px;height:10px;border-radius:5px;background:#cf222e}
.esc{color:#953800;background:#fff1e5}
img.shot{max-width:100%;border:1px solid #d0d7de;background:repeating-conic-gradient(#eee 0 25%,#fff 0 50%) 0 0/16px 16px}
#memfs-errors{color:#cf222e}
</style>
</head>
<body>
<header><h1 id="title">memfs snapshot</h1><div class="meta" id="subtitle"></div></header>
<main id="main"><noscript>This page needs JavaScript to show the snapshot; the same data is in manifest.json and tree/.</noscript></main>
<div id="memfs-errors"></div><div id="memfs-status" hidden>loading</div>
<script type="application/json" id="memfs-data">)memfs_page";

const char* const kPageTail = R"memfs_page(</script>
<script>
(function () {
  "use strict";
  var kChunk = 400, kHexBytes = 65536;
  var errors = [];
  function report(msg) {
    errors.push(String(msg));
    var box = document.getElementById("memfs-errors");
    var p = document.createElement("div");
    p.className = "page-error";
    p.textContent = "page error: " + msg;
    box.appendChild(p);
  }
  window.addEventListener("error", function (e) { report(e.message || "error"); });
  window.addEventListener("unhandledrejection", function (e) { report("rejected: " + e.reason); });

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function add(parent, child) { parent.appendChild(child); return child; }
  function human(n) {
    n = Number(n || 0);
    if (n < 1024) return n + " B";
    var units = ["KiB", "MiB", "GiB", "TiB"], v = n / 1024, i = 0;
    while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
    return v.toFixed(1) + " " + units[i];
  }
  function hex2(b) { return (b < 16 ? "0" : "") + b.toString(16).toUpperCase(); }
  function pctBytes(s) {
    var out = [];
    for (var i = 0; i < s.length; i++) {
      if (s[i] === "%" && i + 2 < s.length + 1) { out.push(parseInt(s.substr(i + 1, 2), 16)); i += 2; }
      else out.push(s.charCodeAt(i) & 255);
    }
    return new Uint8Array(out);
  }
  function utf8(s) { return new TextEncoder().encode(s || ""); }
  function b64(s) {
    var bin = atob(s || ""), a = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) a[i] = bin.charCodeAt(i);
    return a;
  }
  // Bytes as the test saw them: valid UTF-8 as is, control characters and
  // bytes that are not UTF-8 as \xNN (as memfs's tree pictures show them).
  function showBytes(b, keepNewlines) {
    var out = "", i = 0;
    while (i < b.length) {
      var c = b[i], n = 0, cp = 0;
      if (c < 0x80) { n = 1; cp = c; }
      else if ((c & 0xe0) === 0xc0 && c >= 0xc2) { n = 2; cp = c & 0x1f; }
      else if ((c & 0xf0) === 0xe0) { n = 3; cp = c & 0x0f; }
      else if ((c & 0xf8) === 0xf0 && c <= 0xf4) { n = 4; cp = c & 7; }
      var ok = n > 0 && i + n <= b.length;
      for (var k = 1; ok && k < n; k++) {
        if ((b[i + k] & 0xc0) !== 0x80) ok = false; else cp = (cp << 6) | (b[i + k] & 0x3f);
      }
      if (ok && n === 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ok = false;
      if (ok && n === 4 && (cp < 0x10000 || cp > 0x10ffff)) ok = false;
      if (!ok) { out += "\\x" + hex2(c); i++; continue; }
      if ((cp < 0x20 && !(keepNewlines && (cp === 10 || cp === 9))) || cp === 0x7f) out += "\\x" + hex2(cp);
      else out += String.fromCodePoint(cp);
      i += n;
    }
    return out;
  }
  function shownPath(obj, key) {
    var exact = obj[key + "_bytes"];
    return showBytes(exact !== undefined ? pctBytes(exact) : utf8(obj[key]));
  }
  function kv(parent, rows) {
    var box = add(parent, el("div", "kv"));
    rows.forEach(function (r) {
      if (r[1] === undefined || r[1] === null || r[1] === "") return;
      add(box, el("div", "k", r[0]));
      var v = add(box, el("div", "v"));
      if (r[1] instanceof Node) v.appendChild(r[1]); else v.textContent = String(r[1]);
    });
    return box;
  }
  function section(id, title) {
    var s = add(document.getElementById("main"), el("section"));
    s.id = id;
    add(s, el("h2", null, title));
    return s;
  }
  function copyButton(text) {
    var b = el("button", "copy", "copy");
    b.type = "button";
    b.addEventListener("click", function () {
      function fallback() {
        var t = add(document.body, el("textarea"));
        t.value = text; t.select();
        try { document.execCommand("copy"); b.textContent = "copied"; } catch (e) { b.textContent = "select and copy"; }
        document.body.removeChild(t);
      }
      try {
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(text).then(function () { b.textContent = "copied"; }, fallback);
        } else fallback();
      } catch (e) { fallback(); }
    });
    return b;
  }
  // Text with line numbers; `marks` (optional) gives a class per line.
  function codeView(text, marks) {
    var box = el("div", "code");
    var lines = text.split("\n");
    if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
    lines.forEach(function (line, i) {
      var r = add(box, el("div", "row" + (marks && marks[i] ? " " + marks[i] : "")));
      add(r, el("span", "ln", i + 1));
      add(r, el("span", "tx", line));
    });
    return box;
  }
  function hexView(bytes) {
    var box = el("div", "code hex"), n = Math.min(bytes.length, kHexBytes);
    for (var off = 0; off < n; off += 16) {
      var hex = "", ascii = "";
      for (var k = 0; k < 16; k++) {
        if (off + k < n) {
          var c = bytes[off + k];
          hex += hex2(c) + " ";
          ascii += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : ".";
        } else hex += "   ";
        if (k === 7) hex += " ";
      }
      var r = add(box, el("div", "row"));
      add(r, el("span", "ln", ("0000000" + off.toString(16)).slice(-8)));
      add(r, el("span", "tx", hex + " |" + ascii + "|"));
    }
    if (bytes.length > n) add(box, el("div", "note", "hex view stops after " + human(n)));
    return box;
  }
  function isText(bytes, cut) {
    var end = bytes.length;
    if (cut) end = Math.max(0, end - 3);
    for (var i = 0; i < end; i++) if (bytes[i] === 0) return false;
    try { new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, end)); return true; }
    catch (e) { return false; }
  }

  var data = JSON.parse(document.getElementById("memfs-data").textContent);
  var M = data.manifest || {}, S = M.sections || {}, C = data.contents || { files: [] };
  var entries = M.entries || [];
  var contentOf = {};
  (C.files || []).forEach(function (f) { contentOf[f.entry] = f; });
  var hostOf = {};
  (M.escaped_names || []).forEach(function (e) { hostOf[shownPath(e, "path")] = e.host; });

  // --- the test, its failures ---------------------------------------------
  var test = S.test || {};
  document.getElementById("title").textContent = test.name || M.name || "memfs snapshot";
  document.title = (test.name || M.name || "snapshot") + " — memfs snapshot";
  document.getElementById("subtitle").textContent =
    "snapshot " + (M.name || "") + " · exported " + (M.exported_at || "?") +
    (test.framework ? " · " + test.framework : "");
  var ts = section("test", "Test");
  var cmd = null;
  if (test.command) {
    cmd = el("span");
    add(cmd, el("code", "command", test.command));
    add(cmd, document.createTextNode(" "));
    add(cmd, copyButton(test.command));
  }
  kv(ts, [["name", test.name || M.name], ["parameter", test.parameter],
          ["location", test.file && test.line ? test.file + ":" + test.line : test.file],
          ["run", test.run], ["re-run", cmd], ["snapshot of", M.prefix],
          ["mounted at", S.mount_path]]);

  var failures = S.failures || [];
  var fs = section("failures", "Failures (" + failures.length + ")");
  if (!failures.length) add(fs, el("div", "muted", "No failure messages were recorded."));
  failures.forEach(function (f) { add(fs, el("pre", "failure", f)); });

  // --- tree comparisons (TreeEquals) ---------------------------------------
  var diffs = S.tree_diffs || [];
  if (diffs.length) {
    var ds = section("tree-diff", "Tree comparisons that did not match (" + diffs.length + ")");
    diffs.forEach(function (d, n) {
      add(ds, el("div", "muted", "comparison " + (n + 1) + " of the tree under " + (d.prefix || "/") +
                 ": " + (d.differences || []).length + " difference(s)"));
      var t = add(ds, el("table", "diff"));
      var h = add(t, el("tr"));
      ["path", "what", "expected", "actual"].forEach(function (x) { add(h, el("th", null, x)); });
      (d.differences || []).forEach(function (x) {
        var r = add(t, el("tr", "kind-" + x.kind));
        add(r, el("td", "mono", shownPath(x, "path") + (x.directory ? "/" : "")));
        add(r, el("td", null, x.kind.replace("_", " ")));
        var exp = add(r, el("td")), act = add(r, el("td"));
        function side(cell, present, dir, size, text, other, mark) {
          if (!present) { add(cell, el("span", "muted", "(nothing)")); return; }
          if (dir) { add(cell, el("span", null, "directory")); return; }
          add(cell, el("div", "size", human(size)));
          if (text !== undefined) {
            var a = text.split("\n"), b = (other || "").split("\n"), marks = [];
            for (var i = 0; i < a.length; i++) marks.push(other !== undefined && a[i] !== b[i] ? mark : "");
            add(cell, codeView(showBytes(utf8(text), true), marks));
          }
        }
        var k = x.kind;
        side(exp, k !== "unexpected", k === "wrong_type" ? x.directory : x.directory, x.expected_size, x.expected, x.actual, "del");
        side(act, k !== "missing", k === "wrong_type" ? !x.directory : x.directory, x.actual_size, x.actual, x.expected, "ins");
        if (x.detail) add(r.lastChild, el("pre", null, x.detail));
      });
    });
  }

  // --- the tree and the file viewer ---------------------------------------
  var bs = section("files", "Files (" + entries.length + " entries)");
  if (C.cut_files || C.omitted_files) {
    add(bs, el("div", "note", "Contents are embedded up to " + human(C.per_file) + " per file and " +
        human(C.total) + " in all: " + (C.cut_files || 0) + " file(s) cut, " + (C.omitted_files || 0) +
        " left out. The whole files are in tree/ next to this page."));
  }
  var browse = add(bs, el("div", "browse"));
  var treeBox = add(browse, el("div", "tree"));
  var viewer = add(browse, el("div", "viewer"));
  add(viewer, el("div", "muted", "Click a file to see its contents."));

  function node(name, entry) { return { name: name, entry: entry, kids: null, index: null }; }
  var root = node(M.prefix || "/", 0);
  root.kids = [];
  var prefix = entries.length ? shownPath(entries[0], "path") : "/";
  var byPath = {};
  byPath[prefix] = root;
  function parentOf(p) { var cut = p.lastIndexOf("/"); return cut <= 0 ? "/" : p.slice(0, cut); }
  function ensureDir(path) {
    var n = byPath[path];
    if (n) return n;
    var parent = ensureDir(parentOf(path));
    n = node(path.slice(path.lastIndexOf("/") + 1), -1);
    n.kids = [];
    n.path = path;
    parent.kids.push(n);
    byPath[path] = n;
    return n;
  }
  entries.forEach(function (e, i) {
    if (i === 0) return;
    var p = shownPath(e, "path");
    var parent = ensureDir(parentOf(p));
    var n;
    if (e.type === "directory") { n = ensureDir(p); n.entry = i; }
    else { n = node(p.slice(p.lastIndexOf("/") + 1), i); n.path = p; parent.kids.push(n); byPath[p] = n; }
  });
  root.path = prefix;
  function sortKids(n) {
    n.kids.sort(function (a, b) { return a.name < b.name ? -1 : a.name > b.name ? 1 : 0; });
  }
  function nameSpan(n) {
    var s = el("span", "name" + (/\\x[0-9A-F]{2}/.test(n.name) ? " esc" : ""), n.name + (n.kids && n !== root ? "/" : ""));
    return s;
  }
  function badges(row, n) {
    var host = hostOf[n.path];
    if (host) add(row, el("span", "badge", "saved as " + host));
    var c = contentOf[n.entry];
    if (c && c.cut) add(row, el("span", "badge", "cut"));
  }
  function fileRow(n) {
    var r = el("div", "file");
    r.dataset.path = n.path;
    add(r, nameSpan(n));
    add(r, el("span", "size", human((entries[n.entry] || {}).size)));
    badges(r, n);
    r.addEventListener("click", function () { showFile(n, r); });
    n.row = r;
    return r;
  }
  function fill(box, n, from) {
    var end = Math.min(n.kids.length, from + kChunk);
    for (var i = from; i < end; i++) {
      var k = n.kids[i];
      add(box, k.kids ? dirRow(k) : fileRow(k));
    }
    if (end < n.kids.length) {
      var more = add(box, el("button", "more", "show " + Math.min(kChunk, n.kids.length - end) +
                             " more of " + (n.kids.length - end)));
      more.addEventListener("click", function () { box.removeChild(more); fill(box, n, end); });
    }
  }
  function open(d, n) {
    if (n.filled) return;
    n.filled = true;
    sortKids(n);
    fill(d, n, 0);
  }
  function dirRow(n) {
    var d = el("details", "dir");
    d.dataset.path = n.path;
    var s = add(d, el("summary"));
    add(s, nameSpan(n));
    add(s, el("span", "size", n.kids.length + (n.kids.length === 1 ? " entry" : " entries")));
    badges(s, n);
    d.addEventListener("toggle", function () { if (d.open) open(d, n); });
    n.details = d;
    return d;
  }
  var top = dirRow(root);
  top.open = true;
  open(top, root);
  add(treeBox, top);

  function showFile(n, row) {
    var prev = treeBox.querySelector(".file.sel");
    if (prev) prev.classList.remove("sel");
    if (row) row.classList.add("sel");
    viewer.textContent = "";
    var e = entries[n.entry] || {}, c = contentOf[n.entry];
    add(viewer, el("h3", "mono viewing", n.path));
    kv(viewer, [["size", human(e.size) + " (" + e.size + " bytes)"], ["modified", e.modified],
                ["generation", e.generation], ["saved as", hostOf[n.path]]]);
    if (!c) { add(viewer, el("div", "note", "Not in the snapshot (see skipped paths below).")); return; }
    var bytes = b64(c.data);
    if (c.cut) {
      add(viewer, el("div", "note cut-note", bytes.length === 0
          ? "Contents left out: the page's limit of " + human(C.total) + " was reached. The file is in tree/."
          : "Showing the first " + human(bytes.length) + " of " + human(c.size) + "; the whole file is in tree/."));
    }
    var lower = n.name.toLowerCase(), m = /\.(png|jpe?g|gif|svg)$/.exec(lower);
    if (m && !c.cut && bytes.length) {
      var mime = { png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", gif: "image/gif", svg: "image/svg+xml" }[m[1]];
      var img = add(viewer, el("img", "shot"));
      img.alt = n.name;
      img.src = "data:" + mime + ";base64," + c.data;
      return;
    }
    if (!bytes.length) { add(viewer, el("div", "muted", "(empty file)")); return; }
    if (isText(bytes, c.cut)) add(viewer, codeView(showBytes(bytes, true)));
    else { add(viewer, el("div", "muted", "binary: hex view")); add(viewer, hexView(bytes)); }
  }
  // Opens the folders down to `path` and returns its node.
  function reveal(path) {
    var n = byPath[path];
    if (!n) return null;
    var chain = [], p = path;
    while (p !== prefix && p !== "/") {
      p = parentOf(p);
      if (byPath[p]) chain.unshift(byPath[p]);
    }
    chain.forEach(function (d) {
      if (d === root) return;
      if (!d.details) return;
      d.details.open = true;
      open(d.details, d);
    });
    return n;
  }

  // --- fault injection -----------------------------------------------------
  var F = S.faults;
  var fsec = section("faults", "Fault injection");
  if (!F) add(fsec, el("div", "muted", "No fault injector was attached to this filesystem."));
  else {
    kv(fsec, [["seed", String(F.seed)], ["rules", (F.rules || []).length ? null : "none armed"],
              ["dropped log entries", F.dropped ? F.dropped : null]]);
    if ((F.rules || []).length) {
      var ul = add(fsec, el("ol", "rules"));
      F.rules.forEach(function (r) { add(add(ul, el("li")), el("code", null, r)); });
    }
    var events = F.timeline || (F.log || []).map(function (t) { return { text: t }; });
    add(fsec, el("div", "muted", events.length ? "Timeline: every fault that fired, in order." : "No fault fired."));
    var tl = add(fsec, el("ol", "timeline"));
    events.forEach(function (ev) {
      var li = add(tl, el("li", "event"));
      if (ev.text !== undefined) { li.textContent = ev.text; return; }
      add(li, el("b", null, "#" + ev.sequence + " " + ev.op + " "));
      add(li, el("code", null, shownPath(ev, "path") + (ev.path2 ? " → " + shownPath(ev, "path2") : "")));
      add(li, el("span", null, ": " + ev.action));
      add(li, el("span", "muted", "rule " + ev.rule_id + " '" + ev.rule + "', call " + ev.call));
    });
    if (F.reproduce) {
      var rp = add(fsec, el("div"));
      add(rp, el("span", "k", "reproduce with: "));
      add(rp, el("code", "reproduce", F.reproduce));
      add(rp, document.createTextNode(" "));
      add(rp, copyButton(F.reproduce));
    }
  }

  // --- real-disk accesses (filled by the interception module) ----------------
  var R = S.real_disk_accesses;
  var rs = section("real-disk", "Real-disk accesses");
  if (!R || !R.length) add(rs, el("div", "muted", "None recorded."));
  else {
    var rt = add(rs, el("table"));
    R.forEach(function (a) {
      var r = add(rt, el("tr"));
      add(r, el("td", null, a.op || ""));
      add(r, el("td", "mono", shownPath(a, "path")));
      add(r, el("td", null, a.result || a.error || ""));
      add(r, el("td", "muted", a.thread ? "thread " + a.thread +
          (a.count > 1 ? ", " + a.count + " times" : "") : ""));
    });
  }

  // --- the rest of the manifest -------------------------------------------
  var os = section("state", "Filesystem state");
  var st = M.stats || {};
  kv(os, [["used", human(st.used) + (st.quota ? " of " + human(st.quota) : "")],
          ["files", st.file_count], ["directories", st.directory_count],
          ["node limit", st.node_limit], ["open handles", st.open_handles]]);
  function list(title, items, fmt) {
    if (!items || !items.length) return;
    add(os, el("h3", null, title + " (" + items.length + ")"));
    var u = add(os, el("ul"));
    items.forEach(function (x) { add(u, el("li", "mono", fmt(x))); });
  }
  list("Open handles", M.open_handles, function (h) {
    return shownPath(h, "path") + " (" + h.mode + (h.lock ? ", " + h.lock + " lock" : "") + ", owner " + h.owner + (h.removed ? ", removed" : "") + ")";
  });
  list("Skipped (unreadable at export)", M.skipped, function (s) { return shownPath(s, "path") + ": " + s.error; });
  list("Escaped names (saved under another name on disk)", M.escaped_names, function (e) {
    return shownPath(e, "path") + "  →  " + e.host;
  });

  function route() {
    var h = location.hash.slice(1);
    try { h = decodeURIComponent(h); } catch (e) { /* a malformed link: taken as written */ }
    if (h === "open=all") {
      Object.keys(byPath).forEach(function (p) { reveal(p); var n = byPath[p]; if (n.kids && n.details) { n.details.open = true; open(n.details, n); } });
    } else if (h.indexOf("file=") === 0) {
      var n = reveal(h.slice(5));
      if (n && !n.kids) showFile(n, n.row);
    }
  }
  window.addEventListener("hashchange", route);
  route();
  var status = document.getElementById("memfs-status");
  status.textContent = "rendered";
})();
</script>
<script>
(function () {
  var s = document.getElementById("memfs-status");
  if (s.textContent !== "rendered") s.textContent = "failed";
})();
</script>
</body>
</html>
)memfs_page";

}  // namespace memfs::detail
