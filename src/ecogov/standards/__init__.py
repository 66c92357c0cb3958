"""National standards as versioned data tables and pure functions.

No I/O, no database, no frames: every public function cites the clause it implements, gives units in
brackets and names the editions it covers. Higher layers (``engine``, domain packages) build on it;
nothing here imports from them.
"""
