"""Plain (non-TUI) subcommands that live in their own modules.

Each module has ``register(subparsers)``, which adds its parsers with
``set_defaults(handler=fn)``; ``fn(args, config) -> int``. ``cli.COMMAND_MODULES`` lists
them.
"""
