"""Static files: hashed names and precompressed copies (whitenoise), lenient about the manifest."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    # A file missing from the manifest (or not collected at all) is served under its plain
    # name rather than breaking the page, the 500 page included; collectstatic still hashes
    # everything it collects.
    manifest_strict = False
    # ES modules import each other by hashed name too ("./db.js" becomes "./db.<hash>.js"), so
    # a page, its imports and the offline app's precache (greenscore/offline/) all name the
    # same files: otherwise the precache holds app.<hash>.js while it imports ./db.js.
    support_js_module_import_aggregation = True

    def stored_name(self, name):
        try:
            return super().stored_name(name)
        except ValueError:
            return name
