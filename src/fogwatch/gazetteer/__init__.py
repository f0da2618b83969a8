"""Offline gazetteer: packaged GeoNames index, curated places, user GeoNames imports."""

from fogwatch.gazetteer.entry import GazEntry
from fogwatch.gazetteer.load import Gazetteer, get_gazetteer
from fogwatch.gazetteer.names import fold, skeleton
from fogwatch.gazetteer.user import default_path, import_geonames, user_lookup

__all__ = ["GazEntry", "Gazetteer", "default_path", "fold", "get_gazetteer", "import_geonames", "skeleton", "user_lookup"]
