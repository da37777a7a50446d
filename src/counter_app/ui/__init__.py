"""The PySide6 front end. The only package that imports Qt."""
