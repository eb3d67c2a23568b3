/// The page templates, rendered by our Jinja engine. Compiled into the binary as string literals
/// (no resource bundle to ship). Every value they print was escaped when the context was built
/// (see ``HTML``), so `{{ x }}` is safe; `*_html` values are markup this module built.
enum Templates {
    static let all: [String: String] = [
        "layout.html": layout, "lineage.html": lineage, "node.html": node, "runs.html": runs, "run.html": run,
        "dashboards.html": dashboards, "dashboard.html": dashboard, "error.html": error,
    ]

    static let layout = """
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>{{ title }} · OpsFlow</title>
    <link rel="stylesheet" href="{{ links.css }}">
    </head>
    <body data-page="{{ page }}">
    <header class="top">
      <a class="brand" href="{{ links.home }}">OpsFlow</a>
      <nav>
        <a href="{{ links.home }}"{% if page == 'lineage' %} class="active"{% endif %}>Lineage</a>
        <a href="{{ links.runs }}"{% if page in ['runs', 'run'] %} class="active"{% endif %}>Runs</a>
        {% if has_dashboards %}<a href="{{ links.dashboards }}"{% if page in ['dashboards', 'dashboard'] %} class="active"{% endif %}>Dashboards</a>{% endif %}
      </nav>
      <span class="project">{{ project }}</span>
    </header>
    <main>
    {{ body_html }}
    </main>
    <footer>Generated from target/manifest.json ({{ generated_at }}){% if static %} · static site{% endif %}</footer>
    <script src="{{ links.js }}" defer></script>
    </body>
    </html>
    """

    static let lineage = """
    <div class="toolbar">
      <h1>Lineage</h1>
      <form class="search" method="get" action="{{ links.home }}">
        <input type="search" name="q" id="lineage-search" value="{{ q }}" placeholder="Search nodes…" autocomplete="off">
        {% if focus %}<input type="hidden" name="focus" value="{{ focus }}">{% endif %}
        {% if not tests %}<input type="hidden" name="tests" value="0">{% endif %}
        <button type="submit">Search</button>
      </form>
      {% if not static %}<a class="toggle" href="{{ toggle_href }}">{{ 'Hide tests' if tests else 'Show tests' }}</a>{% endif %}
      <ul class="legend kinds">
        {% for k in kinds %}<li><span class="swatch n-{{ k }}"></span>{{ k }}</li>{% endfor %}
      </ul>
    </div>
    {% if focus %}<p class="focus-note">Showing <strong>{{ focus_name }}</strong> with its upstream (blue) and downstream (green). <a href="{{ links.home }}">Clear</a></p>{% endif %}
    {% if q %}<p class="matches">{{ matches | length }} match{{ '' if matches | length == 1 else 'es' }} for “{{ q }}”:
      {% for m in matches %}<a href="{{ m.href }}">{{ m.name }}</a>{{ ', ' if not loop.last }}{% endfor %}</p>{% endif %}
    <div class="lineage-wrap">{{ svg_html }}</div>
    <p class="hint">{{ count }} nodes. Click a node to open it; hover to see its upstream and downstream.</p>
    """

    static let node = """
    <p class="crumbs"><a href="{{ links.home }}">Lineage</a> › {{ n.type }}</p>
    <h1>{{ n.name }} <span class="badge n-{{ n.type }}">{{ n.type }}</span></h1>
    {% if n.description %}<p class="description">{{ n.description }}</p>{% else %}<p class="description muted">No description.</p>{% endif %}
    <dl class="facts">
      <dt>Unique id</dt><dd><code>{{ n.id }}</code></dd>
      {% if n.materialized %}<dt>Materialization</dt><dd>{{ n.materialized }}</dd>{% endif %}
      {% if n.relation %}<dt>Relation</dt><dd><code>{{ n.relation }}</code></dd>{% endif %}
      {% if n.row_count %}<dt>Row count</dt><dd class="row-count">{{ n.row_count }}</dd>{% endif %}
      <dt>Last run</dt><dd class="last-run">{% if n.last_run %}<span class="status s-{{ n.last_run.status_class }}">{{ n.last_run.status }}</span> {{ n.last_run.when }} · {{ n.last_run.duration }}{% else %}not run yet{% endif %}</dd>
      {% if n.path %}<dt>File</dt><dd><code>{{ n.path }}</code></dd>{% endif %}
      <dt>Lineage</dt><dd><a href="{{ n.focus_href }}">show upstream and downstream</a></dd>
    </dl>
    {% if n.columns %}
    <h2>Columns</h2>
    <table class="columns"><thead><tr><th>Column</th><th>Type</th><th>Description</th><th>Tests</th></tr></thead><tbody>
    {% for c in n.columns %}<tr><td><code>{{ c.name }}</code></td><td>{{ c.type }}</td><td>{{ c.description }}</td><td>{{ c.tests }}</td></tr>{% endfor %}
    </tbody></table>
    {% endif %}
    {% if n.tests %}
    <h2>Tests</h2>
    <table class="tests"><thead><tr><th>Test</th><th>Column</th><th>Severity</th><th>Latest status</th></tr></thead><tbody>
    {% for t in n.tests %}<tr><td><a href="{{ t.href }}">{{ t.name }}</a></td><td>{{ t.column }}</td><td>{{ t.severity }}</td><td><span class="status s-{{ t.status_class }}">{{ t.status }}</span>{% if t.failures %} ({{ t.failures }} failing rows){% endif %}</td></tr>{% endfor %}
    </tbody></table>
    {% endif %}
    <div class="deps">
      <div><h2>Upstream</h2><ul>{% for d in n.parents %}<li><a href="{{ d.href }}">{{ d.name }}</a> <span class="muted">{{ d.type }}</span></li>{% else %}<li class="muted">none</li>{% endfor %}</ul></div>
      <div><h2>Downstream</h2><ul>{% for d in n.children %}<li><a href="{{ d.href }}">{{ d.name }}</a> <span class="muted">{{ d.type }}</span></li>{% else %}<li class="muted">none</li>{% endfor %}</ul></div>
    </div>
    {% if n.raw_code %}<h2>SQL</h2><pre class="sql"><code>{{ n.raw_code }}</code></pre>{% endif %}
    {% if n.compiled_code %}<h2>Compiled SQL</h2><pre class="sql compiled"><code>{{ n.compiled_code }}</code></pre>{% endif %}
    """

    static let runs = """
    <h1>Runs</h1>
    {% if runs %}
    <table class="runs"><thead><tr><th>Run</th><th>Command</th><th>Status</th><th>Started</th><th>Elapsed</th><th>Results</th><th>From</th></tr></thead><tbody>
    {% for r in runs %}<tr class="{{ 'failed' if r.failed else 'ok' }}" data-run="{{ r.id }}"><td><a href="{{ r.href }}"><code>{{ r.short_id }}</code></a></td><td>{{ r.command }}</td><td><span class="status s-{{ r.status_class }}">{{ r.status }}</span></td><td>{{ r.started }}</td><td>{{ r.elapsed }}</td><td>{{ r.counts }}</td><td class="muted">{{ r.source }}</td></tr>{% endfor %}
    </tbody></table>
    {% else %}<p class="muted">No runs yet: <code>opsflow build</code> records one (target/run_results.json and the state database).</p>{% endif %}
    <p class="hint">Source: {{ source }}</p>
    """

    static let run = """
    <p class="crumbs"><a href="{{ links.runs }}">Runs</a> › {{ r.short_id }}</p>
    <h1>Run <code>{{ r.short_id }}</code> <span class="status s-{{ 'error' if r.failed else 'success' }}">{{ r.command }}</span></h1>
    <dl class="facts"><dt>Status</dt><dd><span class="status s-{{ r.status_class }}">{{ r.status }}</span></dd><dt>Started</dt><dd>{{ r.started }}</dd><dt>Elapsed</dt><dd>{{ r.elapsed }}</dd><dt>Results</dt><dd>{{ r.counts }}</dd><dt>From</dt><dd>{{ r.source }}</dd></dl>
    <h2>Timeline</h2>
    <div class="timeline-wrap">{{ timeline_html }}</div>
    <h2>Nodes</h2>
    <table class="results"><thead><tr><th>Node</th><th>Status</th><th>Duration</th><th>Message</th></tr></thead><tbody>
    {% for n in r.nodes %}<tr data-node="{{ n.id }}" data-status="{{ n.status }}"><td><a href="{{ n.href }}">{{ n.name }}</a></td><td><span class="status s-{{ n.status_class }}">{{ n.status }}</span></td><td class="num">{{ n.duration }}</td><td>{{ n.message }}</td></tr>{% endfor %}
    </tbody></table>
    {% if failing %}
    <h2>Failing tests</h2>
    {% for f in failing %}<section class="failing"><h3><a href="{{ f.href }}">{{ f.name }}</a> <span class="status s-{{ f.status_class }}">{{ f.status }}</span> {{ f.failures }} failing rows</h3>{{ f.rows_html }}</section>{% endfor %}
    {% endif %}
    """

    static let dashboards = """
    <h1>Dashboards</h1>
    <ul class="dashboards">{% for d in dashboards %}<li><a href="{{ d.href }}">{{ d.title }}</a> <span class="muted">{{ d.description }}</span></li>{% else %}<li class="muted">No dashboards: add YAML files under the project's dashboards/ folder.</li>{% endfor %}</ul>
    """

    static let dashboard = """
    <div class="toolbar">
      <h1>{{ d.title }}</h1>
      <form class="filters" id="filters" method="get" action="{{ d.action }}" data-dashboard="{{ d.name }}">
        {% for f in d.filters %}
        <label>{{ f.label }}
          <select name="{{ f.name }}" data-filter="{{ f.name }}">
            <option value="">All</option>
            {% for o in f.options %}<option value="{{ o.value }}"{% if o.selected %} selected{% endif %}>{{ o.value }}</option>{% endfor %}
          </select>
        </label>
        {% endfor %}
        {% if d.filters and not static %}<button type="submit">Apply</button>{% endif %}
      </form>
    </div>
    {% if d.description %}<p class="description">{{ d.description }}</p>{% endif %}
    {% if d.error %}<p class="error">{{ d.error }}</p>{% endif %}
    <div class="cards" id="cards" data-filters="{{ d.filter_summary }}">{{ cards_html }}</div>
    <p class="hint">Queries ran read-only in {{ d.ms }} ms{% if static %} (static snapshot, no filters){% endif %}.</p>
    """

    static let error = """
    <h1>{{ heading }}</h1>
    <p class="error">{{ message }}</p>
    """
}
