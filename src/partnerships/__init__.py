"""Mongolia defense partnerships report."""
