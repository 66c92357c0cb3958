"""Monitoring network (一网): air stations and surface-water sections, their observations and
imports. Each medium is a domain of its own (``monitoring.air``, ``monitoring.water``)."""
