"""The analysis: one module per chapter topic, plus the house style (charts) and the
presentation helpers (present). It reads tables through :mod:`partnerships.data`.
"""
