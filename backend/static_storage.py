"""Static files: hashed names and precompressed copies (whitenoise), lenient about the manifest."""
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    # A file missing from the manifest is served under its plain name rather than breaking
    # the page (e.g. a test run before collectstatic); collectstatic still hashes everything.
    manifest_strict = False
