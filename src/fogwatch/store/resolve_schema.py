"""Migration 2: tables of the cross-article resolution stage (``fogwatch.resolve``).

- ``resolved_articles``: articles resolution has seen, so a later run only touches new ones.
- ``clusters``: one de-duplicated event, with a summary of its reports (date, place,
  actor, the low / high of the fatality figures its sources claim).
- ``cluster_reports``: one asserted event record of one article in one cluster, with the
  blocking key it was found under, the features it was compared on and ``reasons``
  (JSON: why it joined, relative to the report it matched best).
- ``cluster_overrides``: a user's split: two reports that must never share a cluster.
  Clustering consults it on every run, so a split survives re-runs.
- ``figure_series``: each cumulative figure's series (metric | victim class | source)
  and day (its article's publication date), so a run re-checks only the series it touched.
- ``figure_flags``: a cumulative figure that breaks its series, with the figure it
  contradicts.
- ``contested_pairs``: a claim and the denial or counter-accusation of it by another party.
"""

from __future__ import annotations

RESOLVE_V2: tuple[str, ...] = (
    """
    CREATE TABLE resolved_articles (
        article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        resolved_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE clusters (
        id INTEGER PRIMARY KEY,
        type TEXT NOT NULL,
        mode TEXT,
        date TEXT,
        place TEXT,
        place_kind TEXT,
        country_code TEXT,
        lat REAL,
        lon REAL,
        actor TEXT,
        actor_id TEXT,
        target TEXT,
        report_count INTEGER NOT NULL DEFAULT 0,
        fatalities_low INTEGER,
        fatalities_high INTEGER,
        injured_low INTEGER,
        injured_high INTEGER,
        figures_by_source TEXT NOT NULL DEFAULT '{}',
        updated_at TEXT NOT NULL
    )
    """,
    "CREATE INDEX clusters_date ON clusters(date)",
    "CREATE INDEX clusters_type ON clusters(type)",
    """
    CREATE TABLE cluster_reports (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        cluster_id INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
        block_type TEXT NOT NULL,
        block_country TEXT,
        block_date TEXT,
        features TEXT NOT NULL,
        reasons TEXT NOT NULL,
        PRIMARY KEY (article_id, idx)
    )
    """,
    "CREATE INDEX cluster_reports_cluster ON cluster_reports(cluster_id)",
    "CREATE INDEX cluster_reports_block ON cluster_reports(block_type, block_date, block_country)",
    """
    CREATE TABLE cluster_overrides (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL DEFAULT 'cannot_link',
        report_a TEXT NOT NULL,
        report_b TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (kind, report_a, report_b)
    )
    """,
    "CREATE INDEX cluster_overrides_b ON cluster_overrides(report_b)",
    """
    CREATE TABLE figure_series (
        figure_id INTEGER PRIMARY KEY REFERENCES figures(id) ON DELETE CASCADE,
        series TEXT NOT NULL,
        grp TEXT NOT NULL,
        day TEXT NOT NULL,
        value INTEGER NOT NULL
    )
    """,
    "CREATE INDEX figure_series_series ON figure_series(series, day)",
    "CREATE INDEX figure_series_grp ON figure_series(grp, day)",
    """
    CREATE TABLE figure_flags (
        id INTEGER PRIMARY KEY,
        series TEXT NOT NULL,
        kind TEXT NOT NULL,
        figure_id INTEGER NOT NULL REFERENCES figures(id) ON DELETE CASCADE,
        other_figure_id INTEGER NOT NULL REFERENCES figures(id) ON DELETE CASCADE,
        detail TEXT NOT NULL,
        UNIQUE (kind, figure_id, other_figure_id)
    )
    """,
    "CREATE INDEX figure_flags_series ON figure_flags(series)",
    """
    CREATE TABLE contested_pairs (
        id INTEGER PRIMARY KEY,
        claim_id INTEGER NOT NULL REFERENCES statements(id) ON DELETE CASCADE,
        counter_id INTEGER NOT NULL REFERENCES statements(id) ON DELETE CASCADE,
        relation TEXT NOT NULL,
        reasons TEXT NOT NULL,
        UNIQUE (claim_id, counter_id)
    )
    """,
    "CREATE INDEX contested_pairs_counter ON contested_pairs(counter_id)",
)
