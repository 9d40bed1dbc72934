"""One module per subcommand, each exposing ``command``; cli.py registers them all."""
