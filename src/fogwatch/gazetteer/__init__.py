"""Offline gazetteer: packaged GeoNames index, curated places, user GeoNames imports."""

from fogwatch.gazetteer.entry import GazEntry
from fogwatch.gazetteer.load import Gazetteer, get_gazetteer
from fogwatch.gazetteer.names import fold, skeleton

__all__ = ["GazEntry", "Gazetteer", "get_gazetteer", "fold", "skeleton"]
