// claimgraph workbench: hover cards, highlight toggles, the actor graph. No framework, and
// no innerHTML: everything from the store is put into the page as text nodes.
(function () {
  "use strict";

  function readJSON(id) {
    var el = document.getElementById(id);
    if (!el) return null;
    try { return JSON.parse(el.textContent); } catch (e) { return null; }
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // -- hover cards over highlighted text ---------------------------------------------------
  var details = readJSON("details") || {};
  var card = document.getElementById("hovercard");

  function showCard(target, x, y) {
    var refs = (target.getAttribute("data-refs") || target.getAttribute("data-ref") || "").split(" ");
    card.replaceChildren();
    var shown = 0;
    refs.forEach(function (ref) {
      var d = details[ref];
      if (!d) return;
      var box = el("div", "hc-item hc-" + (d.kind || ""));
      box.appendChild(el("div", "hc-title", d.title));
      (d.lines || []).forEach(function (line) { box.appendChild(el("div", "hc-line", line)); });
      card.appendChild(box);
      shown += 1;
    });
    if (!shown) { card.hidden = true; return; }
    card.hidden = false;
    var w = card.offsetWidth, h = card.offsetHeight;
    var left = Math.min(x + 14, window.innerWidth - w - 8);
    var top = y + 18 + h > window.innerHeight ? y - h - 10 : y + 18;
    card.style.left = Math.max(4, left) + "px";
    card.style.top = Math.max(4, top) + "px";
  }

  if (card) {
    document.addEventListener("mouseover", function (ev) {
      var t = ev.target.closest && ev.target.closest("[data-refs]");
      if (t) showCard(t, ev.clientX, ev.clientY); else card.hidden = true;
    });
  }

  // -- claim list ↔ text -------------------------------------------------------------------
  function focusRef(ref, scroll) {
    document.querySelectorAll(".hl.focus").forEach(function (n) { n.classList.remove("focus"); });
    if (!ref) return;
    var first = null;
    document.querySelectorAll("#doctext .hl").forEach(function (n) {
      if ((" " + n.getAttribute("data-refs") + " ").indexOf(" " + ref + " ") >= 0) {
        n.classList.add("focus");
        if (!first) first = n;
      }
    });
    if (first && scroll) first.scrollIntoView({ block: "center", behavior: "smooth" });
  }
  document.querySelectorAll(".claimitem, .chips [data-ref]").forEach(function (item) {
    item.addEventListener("mouseenter", function () { focusRef(item.getAttribute("data-ref"), false); });
    item.addEventListener("click", function (ev) {
      if (ev.target.closest("a")) return;
      focusRef(item.getAttribute("data-ref"), true);
    });
  });

  // -- legend toggles ------------------------------------------------------------------------
  document.querySelectorAll("#legend input[data-kind]").forEach(function (box) {
    box.addEventListener("change", function () {
      var text = document.getElementById("doctext");
      if (text) text.classList.toggle("off-" + box.getAttribute("data-kind"), !box.checked);
    });
  });

  // -- paste form ------------------------------------------------------------------------------
  var form = document.getElementById("ingestform");
  if (form) form.addEventListener("submit", function () {
    var busy = document.getElementById("busy");
    if (busy) busy.hidden = false;
    var button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
  });

  // -- the actor graph ---------------------------------------------------------------------------
  var graphBox = document.getElementById("graph");
  var graph = readJSON("graphdata");
  if (graphBox && graph && window.cytoscape) {
    var colours = graph.colours || {};
    var elements = graph.elements || [];
    var cy = window.cytoscape({
      container: graphBox,
      elements: elements,
      minZoom: 0.2, maxZoom: 3,
      style: [
        { selector: "node", style: {
          "label": "data(label)", "font-size": 10, "color": "#222",
          "text-valign": "bottom", "text-margin-y": 3, "text-wrap": "ellipsis", "text-max-width": 110,
          "background-color": "#90a4ae", "width": "mapData(weight, 0, 30, 16, 32)",
          "height": "mapData(weight, 0, 30, 16, 32)", "border-width": 1, "border-color": "#fff" } },
        { selector: "node[?focus]", style: {
          "background-color": "#263238", "font-weight": "bold", "font-size": 12 } },
        { selector: "node[kind = 'state']", style: { "shape": "round-rectangle" } },
        { selector: "node[kind = 'armed_group']", style: { "shape": "diamond" } },
        { selector: "edge", style: {
          "curve-style": "bezier", "target-arrow-shape": "triangle", "arrow-scale": 0.8,
          "width": "mapData(weight, 1, 10, 1.2, 6)",
          "line-color": function (e) { return colours[e.data("type")] || "#9e9e9e"; },
          "target-arrow-color": function (e) { return colours[e.data("type")] || "#9e9e9e"; },
          "opacity": 0.85 } },
        { selector: "edge[?disputed]", style: { "line-style": "dashed", "line-dash-pattern": [6, 3] } },
        { selector: ".faded", style: { "opacity": 0.15 } }
      ],
      layout: graph.depth > 1
        ? { name: "cose", animate: false, padding: 30, nodeRepulsion: 400000, idealEdgeLength: 120,
            nodeDimensionsIncludeLabels: true, randomize: false, numIter: 2000 }
        // One hop: the actor in the middle, its neighbours around it, busiest nearest.
        : { name: "concentric", animate: false, padding: 30, minNodeSpacing: 70,
            concentric: function (n) { return n.data("focus") ? 2 : 1; }, levelWidth: function () { return 1; } }
    });
    // A small neighbourhood would be blown up to fill the box; keep nodes at reading size.
    if (cy.zoom() > 1.2) { cy.zoom(1.2); cy.center(); }
    window.cgGraph = cy;
    graphBox.setAttribute("data-nodes", String(cy.nodes().length));
    graphBox.setAttribute("data-edges", String(cy.edges().length));
    cy.on("mouseover", "node, edge", function (ev) {
      var d = ev.target.data();
      var title = ev.target.isNode() ? (d.label + " (" + d.id + ")")
        : ((d.source_label || d.source) + " → " + (d.target_label || d.target) + " · " + (d.type || "?"));
      var lines = [];
      if (ev.target.isEdge()) {
        if (d.claims !== undefined) lines.push(d.claims + " claim(s)" + (d.denied ? ", " + d.denied + " denied" : ""));
        if (d.disputed) lines.push("disputed: asserted by some, denied by others");
      } else if (d.kind) { lines.push(d.kind); }
      details["__graph"] = { title: title, lines: lines };
      var pos = ev.renderedPosition || { x: 0, y: 0 };
      var rect = graphBox.getBoundingClientRect();
      var fake = { getAttribute: function () { return "__graph"; } };
      showCard(fake, rect.left + pos.x, rect.top + pos.y);
    });
    cy.on("mouseout", "node, edge", function () { if (card) card.hidden = true; });
    cy.on("tap", "node", function (ev) {
      var id = ev.target.id();
      if (id && id !== graph.focus) window.location.href = "/actors/" + encodeURIComponent(id);
    });
    document.querySelectorAll("[data-type-filter]").forEach(function (box) {
      box.addEventListener("change", function () {
        var off = {};
        document.querySelectorAll("[data-type-filter]").forEach(function (b) {
          if (!b.checked) off[b.getAttribute("data-type-filter")] = true;
        });
        cy.edges().forEach(function (e) { e.toggleClass("faded", !!off[e.data("type")]); });
      });
    });
  }
})();
