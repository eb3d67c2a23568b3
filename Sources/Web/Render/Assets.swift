/// The stylesheet and script, compiled into the binary (no CDN, no resource bundle). Served at
/// `/assets/app.css` and `/assets/app.js` and copied by `docs generate`.
enum Assets {
    static let files: [String: (contentType: String, body: String)] = [
        "app.css": ("text/css; charset=utf-8", css),
        "app.js": ("text/javascript; charset=utf-8", js),
    ]

    static let css = """
    :root { --fg:#1f2937; --muted:#6b7280; --line:#e5e7eb; --bg:#f8fafc; --card:#fff; --accent:#2563eb; }
    * { box-sizing: border-box; }
    body { margin:0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color:var(--fg); background:var(--bg); }
    header.top { display:flex; align-items:center; gap:24px; padding:10px 20px; background:#0f172a; color:#fff; }
    header.top a { color:#cbd5e1; text-decoration:none; margin-right:14px; }
    header.top a.active, header.top a:hover { color:#fff; }
    header.top .brand { color:#fff; font-weight:700; font-size:16px; }
    header.top .project { margin-left:auto; color:#94a3b8; }
    main { padding:16px 20px; }
    footer { padding:10px 20px; color:var(--muted); font-size:12px; }
    h1 { font-size:20px; margin:4px 0 12px; } h2 { font-size:15px; margin:18px 0 8px; }
    a { color:var(--accent); }
    code, pre { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size:12.5px; }
    pre.sql { background:#0f172a; color:#e2e8f0; padding:12px; border-radius:6px; overflow:auto; max-height:420px; }
    .muted, .hint { color:var(--muted); }
    .toolbar { display:flex; flex-wrap:wrap; align-items:center; gap:16px; }
    .toolbar h1 { margin-right:12px; }
    form.search input { width:240px; padding:5px 8px; border:1px solid var(--line); border-radius:5px; }
    button { padding:5px 10px; border:1px solid #cbd5e1; background:#fff; border-radius:5px; cursor:pointer; }
    .legend { list-style:none; display:flex; flex-wrap:wrap; gap:12px; padding:0; margin:4px 0; font-size:12px; color:var(--muted); }
    .swatch { display:inline-block; width:10px; height:10px; border-radius:2px; margin-right:5px; vertical-align:middle; }
    .lineage-wrap { overflow:auto; background:#fff; border:1px solid var(--line); border-radius:8px; }
    svg.lineage .edge { fill:none; stroke:#cbd5e1; stroke-width:1.2; }
    svg.lineage .edge.hl { stroke:#1d4ed8; stroke-width:2; } svg.lineage .edge.dim { opacity:.15; }
    svg.lineage .node rect { fill:#fff; stroke:#94a3b8; stroke-width:1.2; }
    svg.lineage .node text { font-size:11.5px; fill:#111827; }
    svg.lineage .node:hover rect { stroke-width:2.5; }
    svg.lineage .n-source rect, .swatch.n-source { fill:#dcfce7; background:#dcfce7; stroke:#16a34a; }
    svg.lineage .n-seed rect, .swatch.n-seed { fill:#fef9c3; background:#fef9c3; stroke:#ca8a04; }
    svg.lineage .n-model rect, .swatch.n-model { fill:#dbeafe; background:#dbeafe; stroke:#2563eb; }
    svg.lineage .n-snapshot rect, .swatch.n-snapshot { fill:#fae8ff; background:#fae8ff; }
    svg.lineage .n-test rect, .swatch.n-test { fill:#f3f4f6; background:#f3f4f6; stroke:#9ca3af; }
    svg.lineage .node.dim { opacity:.25; }
    svg.lineage .node.focus rect { stroke:#111827; stroke-width:3; }
    svg.lineage .node.up rect { stroke:#1d4ed8; stroke-width:2.5; }
    svg.lineage .node.down rect { stroke:#059669; stroke-width:2.5; }
    svg.lineage .node.match rect { stroke:#dc2626; stroke-width:2.5; }
    .badge { font-size:11px; font-weight:500; padding:2px 7px; border-radius:10px; vertical-align:middle; }
    .badge.n-model { background:#dbeafe; } .badge.n-source { background:#dcfce7; } .badge.n-test { background:#f3f4f6; } .badge.n-seed { background:#fef9c3; }
    dl.facts { display:grid; grid-template-columns:max-content 1fr; gap:4px 14px; margin:8px 0; }
    dl.facts dt { color:var(--muted); } dl.facts dd { margin:0; }
    table { border-collapse:collapse; background:#fff; width:100%; }
    th, td { text-align:left; padding:5px 8px; border-bottom:1px solid var(--line); vertical-align:top; }
    th { font-weight:600; background:#f1f5f9; } td.num { text-align:right; font-variant-numeric:tabular-nums; } td.null { color:#9ca3af; }
    .status { display:inline-block; padding:1px 7px; border-radius:10px; font-size:12px; background:#e5e7eb; }
    .s-success, .s-pass { background:#dcfce7; color:#166534; } .s-error, .s-fail { background:#fee2e2; color:#991b1b; }
    .s-warn { background:#fef3c7; color:#92400e; } .s-skipped { background:#f3f4f6; color:#6b7280; }
    .deps { display:grid; grid-template-columns:1fr 1fr; gap:16px; }
    .error { color:#991b1b; background:#fee2e2; padding:6px 10px; border-radius:6px; }
    .cards { display:grid; grid-template-columns:repeat(auto-fill, minmax(460px, 1fr)); gap:14px; }
    .card { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:12px 14px; min-width:0; }
    .card h2 { margin:0 0 4px; } .card .desc { margin:0 0 6px; color:var(--muted); font-size:12.5px; }
    .card .big { font-size:38px; font-weight:700; margin:6px 0; }
    .card .compare.ok { color:#166534; } .card .compare.warn { color:#92400e; }
    .card-table .table-wrap { max-height:300px; overflow:auto; }
    svg.chart { width:100%; height:auto; }
    svg.chart .grid { stroke:#eef2f7; } svg.chart .tick { font-size:10.5px; fill:#6b7280; }
    svg.chart .line { stroke-width:2; }
    form.filters { display:flex; gap:12px; align-items:center; }
    form.filters select { padding:4px 6px; }
    .cards.loading { opacity:.5; }
    svg.timeline .bar { fill:#60a5fa; } svg.timeline .bar.s-error, svg.timeline .bar.s-fail { fill:#ef4444; }
    svg.timeline .bar.s-warn { fill:#f59e0b; } svg.timeline .bar.s-pass { fill:#34d399; } svg.timeline .bar.s-success { fill:#60a5fa; }
    svg.timeline text { font-size:11px; fill:#374151; }
    """

    static let js = """
    // OpsFlow pages work without this script; it adds live search, hover highlighting and
    // in-place dashboard filtering.
    (function () {
      'use strict';
      function ready() {
        lineage();
        dashboard();
      }
      function lineage() {
        var svg = document.getElementById('lineage');
        if (!svg) return;
        var edges = Array.prototype.slice.call(svg.querySelectorAll('path.edge'));
        var nodes = Array.prototype.slice.call(svg.querySelectorAll('a.node'));
        var parents = {}, children = {};
        edges.forEach(function (e) {
          var f = e.getAttribute('data-from'), t = e.getAttribute('data-to');
          (children[f] = children[f] || []).push(t); (parents[t] = parents[t] || []).push(f);
        });
        function walk(start, map) {
          var seen = {}, stack = (map[start] || []).slice();
          while (stack.length) { var n = stack.pop(); if (seen[n]) continue; seen[n] = true; stack = stack.concat(map[n] || []); }
          return seen;
        }
        nodes.forEach(function (n) {
          n.addEventListener('mouseenter', function () {
            var id = n.getAttribute('data-id'), up = walk(id, parents), down = walk(id, children);
            nodes.forEach(function (m) {
              var mid = m.getAttribute('data-id');
              m.classList.toggle('up', !!up[mid]); m.classList.toggle('down', !!down[mid]);
              m.classList.toggle('dim', mid !== id && !up[mid] && !down[mid]);
            });
            edges.forEach(function (e) {
              var f = e.getAttribute('data-from'), t = e.getAttribute('data-to');
              var on = ((f === id || down[f]) && (t === id || down[t])) || ((t === id || up[t]) && (f === id || up[f]));
              e.classList.toggle('hl', on); e.classList.toggle('dim', !on);
            });
          });
          n.addEventListener('mouseleave', function () {
            nodes.forEach(function (m) { m.classList.remove('up', 'down', 'dim'); });
            edges.forEach(function (e) { e.classList.remove('hl', 'dim'); });
            search();
          });
        });
        var input = document.getElementById('lineage-search');
        function search() {
          if (!input) return;
          var q = input.value.trim().toLowerCase();
          nodes.forEach(function (m) {
            var hit = q !== '' && m.getAttribute('data-name').indexOf(q) >= 0;
            m.classList.toggle('match', hit); m.classList.toggle('dim', q !== '' && !hit);
          });
        }
        if (input) input.addEventListener('input', search);
      }
      function dashboard() {
        var form = document.getElementById('filters'), cards = document.getElementById('cards');
        if (!form || !cards || !window.fetch || location.protocol === 'file:') return;
        function apply() {
          var params = new URLSearchParams(new FormData(form));
          Array.from(params.keys()).forEach(function (k) { if (!params.get(k)) params.delete(k); });
          var qs = params.toString();
          cards.classList.add('loading');
          return fetch(form.getAttribute('action') + '/cards' + (qs ? '?' + qs : ''), { credentials: 'same-origin' })
            .then(function (r) { return r.text().then(function (t) { return { ok: r.ok, text: t }; }); })
            .then(function (r) {
              cards.innerHTML = r.text;
              cards.classList.remove('loading');
              cards.setAttribute('data-filters', qs);
              cards.setAttribute('data-updated-by', 'script');
              history.replaceState(null, '', form.getAttribute('action') + (qs ? '?' + qs : ''));
            });
        }
        form.addEventListener('change', function () { apply(); });
        form.addEventListener('submit', function (e) { e.preventDefault(); apply(); });
        // `#set:name=value` chooses a filter as a click would (used by the browser tests).
        var m = /^#set:([A-Za-z0-9_]+)=(.*)$/.exec(location.hash);
        if (m) {
          var select = form.querySelector('select[name="' + m[1] + '"]');
          if (select) { select.value = decodeURIComponent(m[2]); select.dispatchEvent(new Event('change', { bubbles: true })); }
        }
      }
      if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', ready); else ready();
      // The page-load time (navigation start → load event), for the browser tests.
      window.addEventListener('load', function () {
        setTimeout(function () {
          var nav = performance.getEntriesByType && performance.getEntriesByType('navigation')[0];
          var ms = nav && nav.loadEventEnd > 0 ? nav.loadEventEnd : performance.now();
          document.body.setAttribute('data-load-ms', String(Math.round(ms)));
        }, 0);
      });
    })();
    """
}
