"""The commands, one module per audience; cli.py imports a module only when one of its commands runs."""
