"""The C extension of ecogov; everything else about the package is in pyproject.toml.

``ecogov.standards.hj212._crc`` holds the CRC16 loops of the HJ 212 codec (see its source). pip
builds it with the machine's C compiler and the Python headers, also for an editable install.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "ecogov.standards.hj212._crc",
            sources=["src/ecogov/standards/hj212/_crc.c"],
            extra_compile_args=["-O2", "-Wall", "-Wextra"],
        )
    ]
)
