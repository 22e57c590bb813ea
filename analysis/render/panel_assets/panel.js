/* afghan-brief: the charts of a report page and the bar under each (analysis/render/plots.py,
   panel.py). The page's figures are one packed block, drawn here by the local plotly.js.
   "Data (CSV)" builds the file in the browser from the figure's own data; "Image (PNG)" and
   "Image (SVG)" use plotly.js's own offline export; "Sources" lists the page's records for the
   chart. Data text is only ever set as text (textContent), never parsed as markup in the page. */
(function () {
  "use strict";
  var TYPES = {
    f8: Float64Array, f4: Float32Array, i1: Int8Array, u1: Uint8Array, u1c: Uint8ClampedArray,
    i2: Int16Array, u2: Uint16Array, i4: Int32Array, u4: Uint32Array
  };
  if (typeof BigInt64Array !== "undefined") { TYPES.i8 = BigInt64Array; TYPES.u8 = BigUint64Array; }
  var HEADER = ["chart", "series", "panel", "x", "y", "x_axis", "y_axis", "text", "hover",
    "sources", "licences"];
  var parser = new DOMParser();

  function decode(v) {
    if (v === null || v === undefined) return [];
    if (typeof v === "object" && !Array.isArray(v) && typeof v.bdata === "string") {
      var Type = TYPES[v.dtype];
      if (!Type) return [];
      var bin = atob(v.bdata), bytes = new Uint8Array(bin.length);
      for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      return Array.prototype.map.call(new Type(bytes.buffer), function (n) {
        return typeof n === "bigint" ? Number(n) : n;
      });
    }
    if (Array.isArray(v) || ArrayBuffer.isView(v)) return Array.prototype.slice.call(v);
    return [v];
  }

  function plain(text) { // plotly label markup as plain text; the parsed document is inert
    if (text === null || text === undefined) return "";
    var html = String(text).replace(/<br\s*\/?>/gi, " ");
    return parser.parseFromString(html, "text/html").body.textContent.replace(/\s+/g, " ").trim();
  }

  function at(values, i) { return i < values.length ? values[i] : null; }

  function perPoint(value, i) { // a text or hovertext array, or one string for every point
    if (Array.isArray(value) || ArrayBuffer.isView(value)) return plain(at(value, i));
    return typeof value === "string" ? plain(value) : "";
  }

  function missing(v) {
    return v === null || v === undefined || v === "" || (typeof v === "number" && isNaN(v));
  }

  function axis(layout, ref, letter) {
    return layout[letter + "axis" + (ref || letter).slice(1)] || {};
  }

  function axisTitle(ax) {
    var t = ax.title;
    return plain(t && typeof t === "object" ? t.text : t);
  }

  function panelOf(layout, xa, ya) { // make_subplots' title: centred over x, at the top of y
    if (!xa.domain || !ya.domain) return "";
    var cx = (xa.domain[0] + xa.domain[1]) / 2, top = ya.domain[1];
    var notes = layout.annotations || [];
    for (var i = 0; i < notes.length; i++) {
      var a = notes[i];
      if (a.xref === "paper" && a.yref === "paper" && Math.abs(a.x - cx) < 0.01 &&
          Math.abs(a.y - top) < 0.02) return plain(a.text);
    }
    return "";
  }

  function sourceLabel(s) {
    var label = s.title || s.text || "";
    if (s.publisher) label += " (" + s.publisher + ")";
    return label;
  }

  function unique(items) {
    return items.filter(function (v, i) { return v && items.indexOf(v) === i; });
  }

  function rows(gd, title, sources) {
    var layout = gd.layout || {}, out = [];
    var names = sources.map(sourceLabel).join("; ");
    var licences = unique(sources.map(function (s) { return s.licence; })).join("; ");
    (gd.data || []).forEach(function (t, n) {
      var x = decode(t.x), y = decode(t.y);
      var own = (t.meta && t.meta.afghan_brief) || {};
      var xa = axis(layout, t.xaxis, "x"), ya = axis(layout, t.yaxis, "y");
      var panel = panelOf(layout, xa, ya), name = plain(t.name) || "series " + (n + 1);
      for (var i = 0; i < Math.max(x.length, y.length); i++) {
        // a missing-value marker's position on the value axis is a placeholder: left empty
        var xv = own.placeholder === "x" ? null : at(x, i);
        var yv = own.placeholder === "y" ? null : at(y, i);
        var text = perPoint(t.text, i), hover = perPoint(t.hovertext, i);
        if (missing(xv) && missing(yv) && !text && !hover) continue; // a gap or a legend entry
        out.push([title, name, panel, xv, yv, axisTitle(xa), axisTitle(ya), text, hover,
          names, licences]);
      }
    });
    return out;
  }

  function cell(v) {
    if (missing(v)) return "";
    var s = String(v);
    if (typeof v === "string" && /^[=+\-@\t\r]/.test(s)) s = "'" + s; // no formula in a sheet
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  function csv(table) {
    return table.map(function (r) { return r.map(cell).join(","); }).join("\r\n") + "\r\n";
  }

  function slug(text) {
    return (text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "")
      .slice(0, 60).replace(/-+$/, "")) || "chart";
  }

  function stem() {
    var file = decodeURIComponent(location.pathname.split("/").pop() || "report");
    return slug(file.replace(/\.html?$/i, ""));
  }

  function save(name, text) {
    var url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
    var link = document.createElement("a");
    link.href = url;
    link.download = name;
    link.hidden = true; // never part of the page a reader meets
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(url); link.remove(); }, 5000);
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function sourceItem(s) {
    var li = el("li");
    li.appendChild(el("strong", null, s.title || s.text || "unnamed source"));
    if (!s.source_id) {
      li.appendChild(document.createTextNode(
        " (not in the sources table: no version, licence or citation recorded)"));
      return li;
    }
    var facts = [
      s.publisher,
      s.version ? "version " + s.version : s.kind === "dataset" ? "version not recorded" : null,
      s.published ? "published " + s.published : null,
      "retrieved " + (s.retrieved || "(date not recorded)"),
      "licence: " + (s.licence || "not stated")
    ].filter(Boolean);
    li.appendChild(document.createTextNode(". " + facts.join("; ") + "."));
    if (s.citation) li.appendChild(el("div", "ab-cite", "Cite: " + s.citation));
    if (s.url && /^https?:\/\//i.test(s.url)) {
      var a = el("a", null, s.url);
      a.href = s.url;
      a.rel = "noopener noreferrer";
      li.appendChild(el("div")).appendChild(a);
    }
    return li;
  }

  function sourcesBox(gd, id, entry, sources) {
    var box = el("div", "ab-sources");
    box.id = id + "-sources";
    box.hidden = true;
    if (sources.length) {
      var list = el("ul");
      sources.forEach(function (s) { list.appendChild(sourceItem(s)); });
      box.appendChild(list);
    } else {
      box.appendChild(el("p", null, "This chart names no source."));
    }
    if (entry.quotes && entry.quotes.length) {
      box.appendChild(el("p", "ab-quoted", "Quoted from the seed rows this chart shows:"));
      var quotes = el("ul", "ab-quotes");
      entry.quotes.forEach(function (q) {
        var li = el("li");
        li.appendChild(el("q", null, q[1]));
        if (q[0]) li.appendChild(document.createTextNode(" (" + q[0] + ")"));
        quotes.appendChild(li);
      });
      box.appendChild(quotes);
    }
    var footer = ((gd.layout || {}).annotations || []).filter(function (a) {
      return a.name === "source-line";
    }).map(function (a) { return plain(a.text); }).join(" ");
    if (footer) box.appendChild(el("p", "ab-footer", "Under the chart: " + footer));
    box.appendChild(el("p", "ab-hint",
      "Each point's hover, and the hover column of the CSV, cite its own source."));
    return box;
  }

  function button(label, action) {
    var b = el("button", null, label);
    b.type = "button";
    b.addEventListener("click", action);
    return b;
  }

  function nameTheSvg(gd, id, title) { // plotly.js#6920: its SVG has no accessible name
    var svg = gd.querySelector("svg.main-svg");
    if (!svg) return;
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", title);
    svg.setAttribute("aria-describedby", id + "-sum");
  }

  function build(bar, registry) {
    var id = bar.getAttribute("data-figure"), gd = document.getElementById(id);
    var entry = registry.figures[id];
    if (!gd || !entry) return;
    nameTheSvg(gd, id, entry.title);
    if (typeof gd.on === "function") {
      gd.on("plotly_afterplot", function () { nameTheSvg(gd, id, entry.title); });
    }
    var sources = (entry.sources || []).map(function (k) { return registry.sources[k]; })
      .filter(Boolean);
    var base = stem() + "-" + slug(entry.title);
    var status = el("span", "ab-status");
    status.setAttribute("role", "status");
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", "Data, sources and image of the chart: " + entry.title);
    bar.appendChild(button("Data (CSV)", function () {
      var table = rows(gd, entry.title, sources);
      save(base + ".csv", csv([HEADER].concat(table)));
      status.textContent = "CSV saved: " + table.length + " rows.";
    }));
    var box = sourcesBox(gd, id, entry, sources);
    var toggle = button("Sources", function () {
      box.hidden = !box.hidden;
      toggle.setAttribute("aria-expanded", String(!box.hidden));
    });
    toggle.setAttribute("aria-expanded", "false");
    toggle.setAttribute("aria-controls", box.id);
    bar.appendChild(toggle);
    ["png", "svg"].forEach(function (format) {
      bar.appendChild(button("Image (" + format.toUpperCase() + ")", function () {
        status.textContent = "";
        window.Plotly.downloadImage(gd, { format: format, filename: base }).then(function () {
          status.textContent = format.toUpperCase() + " saved.";
        }, function (err) {
          status.textContent = "Image export failed: " + err;
        });
      }));
    });
    bar.appendChild(status);
    bar.appendChild(box);
  }

  function unpack(block) { // the page's figures (analysis/render/plots.py): base64 of deflate
    if (typeof DecompressionStream === "undefined") {
      return Promise.reject(new Error("this browser cannot unpack the chart data " +
        "(no DecompressionStream): open the page in a current browser"));
    }
    var bin = atob(block.textContent.trim()), bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
    return new Response(stream).text().then(JSON.parse);
  }

  function unavailable(gd, err) { // said in the chart's place, as text, and logged
    if (window.console) console.error(err);
    gd.appendChild(el("p", "ab-hint", "The chart could not be drawn: " +
      (err && err.message ? err.message : err)));
  }

  function draw() { // every figure of the page, each from its own data, layout and config
    var block = document.getElementById("ab-figures");
    if (!block) return Promise.resolve();
    return unpack(block).then(function (figures) {
      return Promise.all(Object.keys(figures).map(function (id) {
        var gd = document.getElementById(id);
        if (!gd) return null;
        var fail = function (err) { unavailable(gd, err); };
        try { return Promise.resolve(window.Plotly.newPlot(gd, figures[id])).catch(fail); }
        catch (err) { return fail(err); }
      }));
    }, function (err) {
      Array.prototype.forEach.call(document.querySelectorAll(".plotly-graph-div"), function (gd) {
        unavailable(gd, err);
      });
    });
  }

  function bars() {
    var data = document.getElementById("ab-panels");
    if (!data) return;
    var registry = JSON.parse(data.textContent);
    Array.prototype.forEach.call(document.querySelectorAll(".ab-bar[data-figure]"), function (bar) {
      build(bar, registry);
    });
  }

  function init() { draw().then(bars); }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
