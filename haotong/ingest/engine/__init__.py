"""Pure text engine: raw news/report text → articles and project facts with provenance.

No Django here. ``extract_text(text)`` returns the JSON-ready dict documented in
``haotong/ingest/README.md``; ``extract_file(path)`` decodes and streams a file.
"""

from haotong.ingest.engine.decode import DecodeError
from haotong.ingest.engine.pipeline import extract_file, extract_text

__all__ = ["DecodeError", "extract_file", "extract_text"]
