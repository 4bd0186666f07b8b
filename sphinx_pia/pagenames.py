"""Names the generated pages use, so content IDs can be kept clear of them.

Generated pages live at ``<pia_output_dir>/<assessment id>/<local id>`` (files,
annexes), ``<pia_output_dir>/<assessment id>/<page>`` (systems, changes, ...) and
``<pia_output_dir>/<page>`` (site-wide pages).  An ID equal to one of those page
names would overwrite another page, so the loader refuses it.
"""

from __future__ import annotations

#: Site-wide pages and folders directly under the output directory: no assessment ID may take these.
SITE_PAGES = frozenset({
    "index", "orgs", "laws", "findings", "timeline", "data", "accessibility", "search", "genindex",
    "versions", "static", "diff",
})

#: Pages inside an assessment's folder: no file or annex ID may take these.
ASSESSMENT_PAGES = frozenset({"index", "systems", "changes", "findings", "versions", "diff", "history", "data", "flow"})

#: IDs become file names (with a suffix and a folder); 64 characters keep every path
#: well inside the 255-byte limit of common file systems.
MAX_ID_LENGTH = 64
