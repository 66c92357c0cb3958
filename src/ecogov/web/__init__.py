"""Web layer: the app factory, the layout, the command-centre home page and the audit browser."""
