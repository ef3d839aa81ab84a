"""Curated gazetteer tables (see README.md here), shipped as ``geo_sites.curated``."""
