"""``python -m ecogov`` runs the ``ecogov`` command."""

from ecogov.cli import main

main()
