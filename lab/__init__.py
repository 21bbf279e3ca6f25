"""Training, evaluation and corpus readers: used by scripts/, bench/ and the acceptance tests only.

Runtime code (``tickerwire``) never imports this package; ``tests/test_layout.py`` checks that.
"""
