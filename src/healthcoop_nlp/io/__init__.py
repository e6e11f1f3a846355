"""Reading documents and writing records."""

from .errors import DocumentError, InputError
from .readers import DEFAULT_MAX_CHARS, expand_inputs, read_documents, read_jsonl, read_text_file, split_header
from .writer import JsonlWriter, errors_path, existing_ids, read_records

__all__ = [
    "DocumentError", "InputError", "DEFAULT_MAX_CHARS", "expand_inputs", "read_documents", "read_jsonl",
    "read_text_file", "split_header", "JsonlWriter", "errors_path", "existing_ids", "read_records",
]
