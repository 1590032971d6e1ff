"""The project sample generator (development code; not part of the installed perfxl).

- :mod:`samplegen.national` writes project forms in the national layout, in every variant
  published tables show; it (with :mod:`.grid` and :mod:`.rules`) knows nothing of perfxl.
- :mod:`samplegen.rules` holds the national scoring rules and an audit of one form.
- :mod:`samplegen.catalogue` and :mod:`samplegen.projects` make the 示例县 projects' data,
  consistent by the rules, with planted mistakes.
- :mod:`samplegen.plan` lays the forms out into files; :mod:`samplegen.writers` is the writer
  registry; :mod:`samplegen.make` writes the files and MANIFEST.json
  (``scripts/make_project_samples.py`` is its command line).
"""
