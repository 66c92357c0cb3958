"""The C extension of ecogov; everything else about the package is in pyproject.toml.

``ecogov.standards.hj212._native`` holds the per-packet loops of the HJ 212 codec: its CRC16s and
the parser's fast-path scans (see its source). pip builds it with the machine's C compiler and the
Python headers, also for an editable install; where it cannot, the install still succeeds and
the codec runs on its pure-Python fallback (``docs/decisions/native-fallback.md``).
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "ecogov.standards.hj212._native",
            sources=["src/ecogov/standards/hj212/_native.c"],
            extra_compile_args=["-O2", "-Wall", "-Wextra"],
            # Without a C compiler the install goes on: kernels.py falls back to _pure.py.
            optional=True,
        )
    ]
)
