"""Reading documents and writing records."""

from .errors import DocumentError, InputError, OutputError, UnwritableRecord
from .readers import (DEFAULT_MAX_CHARS, expand_inputs, input_of, read_documents, read_jsonl, read_text_file,
                      resolve_inputs, split_header)
from .writer import JsonlWriter, check_output, errors_path, existing_ids, json_line, read_records

__all__ = [
    "DocumentError", "InputError", "OutputError", "UnwritableRecord", "DEFAULT_MAX_CHARS", "expand_inputs",
    "input_of", "read_documents", "read_jsonl", "read_text_file", "resolve_inputs", "split_header", "JsonlWriter",
    "check_output", "errors_path", "existing_ids", "json_line", "read_records",
]
