"""michigrad: a small scalar autograd engine, and a command line to evaluate and differentiate.

The engine is ``michigrad.engine.Value``; neural-network pieces are in ``michigrad.nn``;
pictures of a graph in ``michigrad.visualize``; the expression language in
``michigrad.grammar``; the ``michigrad`` command in ``michigrad.cli``.
"""

__version__ = "0.1.0"
