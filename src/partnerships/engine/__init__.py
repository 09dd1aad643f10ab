"""The report engine: manifest, execution and cache, rendering (HTML, PDF).

It knows notebooks and a manifest, nothing about the subject: it could build another report.
"""
