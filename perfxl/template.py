def write_template(path, year=None, rulebook=None):
    raise NotImplementedError("template writer not built yet")
