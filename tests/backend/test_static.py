"""Production static files: hashed names (a year's cache) and precompressed copies."""

import importlib

from backend import static_storage


def test_production_storage_hashes_and_compresses():
    settings = importlib.import_module("backend.settings")
    assert settings.STORAGES["staticfiles"]["BACKEND"] == "backend.static_storage.StaticStorage"
    from whitenoise.storage import CompressedManifestStaticFilesStorage

    assert issubclass(static_storage.StaticStorage, CompressedManifestStaticFilesStorage)
    assert "compression_middleware.middleware.CompressionMiddleware" in settings.MIDDLEWARE
