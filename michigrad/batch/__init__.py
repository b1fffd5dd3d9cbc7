"""Many points in one run: ``michigrad eval --input``.

Rows stream in from CSV, TSV or JSON Lines (``readers``), a chunk at a time; the program's
steps run once per chunk on NumPy arrays (``evaluation``, with the rules of ``operations``);
the results go out in the shape of eval's formats (``writers``); ``pipeline`` ties the three.
``columns`` offers the same to a program on columns already in memory (NumPy, pandas, Dask).
``decimals`` reads and writes the numbers of a whole chunk at once, exactly as ``float()``
and ``repr`` do. These modules import NumPy and orjson, so the command line imports them
only for ``--input``.
"""

from michigrad.batch.columns import evaluate_columns
from michigrad.batch.evaluation import Results, evaluate_rows
from michigrad.batch.pipeline import OUTPUT_FORMATS, run_batch
from michigrad.batch.readers import INPUT_FORMATS

__all__ = ["INPUT_FORMATS", "OUTPUT_FORMATS", "Results", "evaluate_columns", "evaluate_rows", "run_batch"]
