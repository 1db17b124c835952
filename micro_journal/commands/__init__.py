"""Plain (non-TUI) subcommands that live in their own modules.

Each module has ``register(subparsers)``, which adds its parsers with
``set_defaults(handler=fn)``; ``fn(args, config) -> int``. ``cli.COMMAND_MODULES`` lists
them. What they share is in ``commands.common``; none of them imports ``cli`` (it is
the layer above them: pyproject.toml, ``[tool.importlinter]``).
"""
