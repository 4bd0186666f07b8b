"""The pure data model of an assessment: no Sphinx, no I/O."""

from .assessment import *  # noqa: F401,F403
from .assessment import __all__ as _assessment_all
from .entities import *  # noqa: F401,F403
from .entities import __all__ as _entities_all
from .values import Checks, Count, Field, FieldKey, Gap, Provenance, Selection, find_field, plain

__all__ = sorted(
    {*_assessment_all, *_entities_all, "Checks", "Count", "Field", "FieldKey", "Gap", "Provenance", "Selection", "find_field", "plain"}
)
