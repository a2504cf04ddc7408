"""Where cells run: the engine, target images, staged tools, and the target protocol containers implement."""
