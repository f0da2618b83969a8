"""Engines that run the extractor over many articles: local processes (``local``) and Ray Data (``ray_data``)."""
