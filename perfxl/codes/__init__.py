"""The catalogue entries, as data: one module per area, each a list of :func:`perfxl.findings.rule`
declarations (code, slug, severity, titles, message templates, why, example, kinds).

The guards, the reader and the checks import the entries they emit from here, and
:mod:`perfxl.catalogue` puts them together.  These modules import nothing of perfxl but
the entry record (:mod:`perfxl.findings`) and the spec's sheet names — so nothing that
finds something can sit in an import circle with the catalogue of what it finds.  This
package module imports nothing, so that importing one area costs only that area.
"""
