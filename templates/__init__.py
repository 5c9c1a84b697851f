"""The Jinja templates of the generator, shipped as package data (``codegen.templates``)."""
