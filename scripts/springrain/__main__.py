from springrain.cli import entry

entry()
