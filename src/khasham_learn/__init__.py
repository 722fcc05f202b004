"""khasham-learn: learn a contested event from the reports that covered it."""

__version__ = "0.1.0"
