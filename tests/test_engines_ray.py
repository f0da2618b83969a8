"""Ray Data engine in Ray's local mode: the same records as the local engine, shards load idempotently."""

from __future__ import annotations

import pytest

from fogwatch.engines.codec import record_from_json
from fogwatch.engines.ray_data import load_shards, read_shards, run_ray
from fogwatch.pipeline import extract_article
from fogwatch.store import Store
from test_engines import make_articles

ray = pytest.importorskip("ray")

# "A few hundred articles" (issue 7), kept short so the test stays well under two minutes.
N_ARTICLES = 200


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield
    ray.shutdown()


@pytest.mark.model
@pytest.mark.slow
def test_ray_engine_matches_local_engine_and_loads_once(tmp_path, local_ray):
    articles = make_articles(N_ARTICLES)
    shards = run_ray(iter(articles), tmp_path / "shards", actors=2, chunk=120)  # two datasets, one shard dir
    rows = list(read_shards(shards))
    assert sorted(r["id"] for r in rows) == sorted(a.id for a in articles)
    assert not any(r["error"] for r in rows)
    by_id = {r["id"]: record_from_json(r["record"]) for r in rows}
    for a in articles:
        assert by_id[a.id] == extract_article(a), a.id

    store = Store(tmp_path / "ray.db", create=True)
    try:
        first = load_shards(shards, store)
        again = load_shards(shards, store)
    finally:
        store.close()
    assert first["articles"] == N_ARTICLES and first["figures"] > 0
    assert again["articles"] == 0 and again["skipped"] == N_ARTICLES
