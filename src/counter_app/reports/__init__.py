"""Reports: exports (xlsx) now; public notice, boards and honours later."""
