"""Everything that opens a user's file and turns it into the validated model.

``yamlfile`` (safe YAML with line numbers), ``files`` (profile and prospect YAML), ``table/``
(CSV, XLSX, JSON and YAML lists as rows of text), ``crm/`` (CRM exports into prospects),
``closings`` (the bundled closing-line library), ``textclean`` (cleaning user text) and
``explain`` (pydantic errors as sentences a user can act on).
"""
