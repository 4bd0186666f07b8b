"""点検: findings a reviewer would raise about an assessment, from the model alone.

Pure Python (no Sphinx).  Each rule has an ID, a severity, a Japanese title and
a basis: the provision of the 指針 or 規則, the form, or the document's own
statement that the rule checks against, with every threshold it uses and
where that threshold comes from.  A finding names the rule, the assessment and
the global ID of the item it concerns, so the site can link to it.
"""

from __future__ import annotations

from .engine import Finding, Rule, Severity, check, check_assessment, rules  # noqa: F401
from . import ruleset as _ruleset  # noqa: F401  (registers the rules)

__all__ = ["Finding", "Rule", "Severity", "check", "check_assessment", "rules"]
