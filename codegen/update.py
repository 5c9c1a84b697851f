"""Copies the installed botocore's model files into ``models/``.

botocore's loader merges its ``*.sdk-extras.json`` files, so what lands here
is what botocore itself uses. Files are pretty-printed and uncompressed, and
the botocore version is recorded beside them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from codegen.errors import ModelError
from codegen.loader import OPTIONAL_FILES, SERVICE_FILE

SOURCE_FILE = "source.json"


def copy_models(
    services: list[str], models_dir: Path
) -> Iterator[tuple[str, list[str]]]:
    import botocore
    import botocore.session
    from botocore.exceptions import DataNotFoundError, UnknownServiceError

    data_loader = botocore.session.get_session().get_component("data_loader")
    for name in services:
        try:
            api_version = data_loader.determine_latest_version(name, "service-2")
        except (DataNotFoundError, UnknownServiceError) as exc:
            raise ModelError(
                name, [], f"botocore {botocore.__version__} has no such service"
            ) from exc
        documents = {
            SERVICE_FILE: data_loader.load_service_model(name, "service-2", api_version)
        }
        for filename in OPTIONAL_FILES.values():
            type_name = filename.removesuffix(".json")
            try:
                documents[filename] = data_loader.load_service_model(
                    name, type_name, api_version
                )
            except DataNotFoundError:
                continue
        target = models_dir / name
        target.mkdir(parents=True, exist_ok=True)
        for filename in OPTIONAL_FILES.values():
            if filename not in documents and (target / filename).exists():
                (target / filename).unlink()
        source = {"botocore": botocore.__version__, "apiVersion": api_version}
        documents[SOURCE_FILE] = source
        for filename, document in documents.items():
            text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
            (target / filename).write_text(text, encoding="utf-8")
        yield name, sorted(documents)
