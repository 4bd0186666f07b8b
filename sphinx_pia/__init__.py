"""sphinx_pia: publish Japanese privacy impact assessments (特定個人情報保護評価書) with Sphinx."""

__version__ = "0.1.0"


def setup(app):
    """Sphinx entry point; the Sphinx layer is imported only when Sphinx loads us."""
    from .sphinx_ext import setup as _setup

    return _setup(app)
