"""The API-change report between two versions of the models (``diff``).

``sources`` reads one side (a directory or a git revision), ``surface``
resolves a service with the generator's own resolver into what a user of the
generated package sees, ``compare`` classes every difference, ``diff`` ties
them together and ``formats`` writes text, markdown or json.
"""
