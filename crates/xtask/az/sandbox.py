"""An azure-cli that cannot touch the person's own Azure state.

Both scripts beside this one import the installed azure-cli in-process. Before the first import
of azure.cli, this module points AZURE_CONFIG_DIR at a fresh temporary folder (no login, no
cached tokens, no defaults from ~/.azure/config), turns telemetry and colour off, and leaves
AZURE_EXTENSION_DIR as the caller set it (cargo xtask points it under target/).
"""

import atexit
import io
import os
import shutil
import tempfile

_CONFIG_DIR = tempfile.mkdtemp(prefix="az-config-")
atexit.register(shutil.rmtree, _CONFIG_DIR, ignore_errors=True)
os.environ["AZURE_CONFIG_DIR"] = _CONFIG_DIR
os.environ["AZURE_CORE_COLLECT_TELEMETRY"] = "false"
os.environ["AZURE_CORE_NO_COLOR"] = "true"
os.environ["AZURE_CORE_SURVEY_MESSAGE"] = "false"
# The CLI's own message only, without the examples it would suggest after a parse error.
os.environ["AZURE_CORE_ERROR_RECOMMENDATION"] = "off"
# Never offer to install a missing extension from the network: say the command is unknown.
os.environ["AZURE_EXTENSION_USE_DYNAMIC_INSTALL"] = "no"

from azure.cli.core import get_default_cli  # noqa: E402  (after the environment above)


def new_cli():
    """A fresh `az` (what one process of the real CLI is), writing its output nowhere."""
    cli = get_default_cli()
    cli.out_file = io.StringIO()
    return cli


def versions():
    """{"azure-cli": "2.91.0", "resource-graph": "2.0.0", …}: the CLI and its extensions."""
    from importlib import metadata

    from azure.cli.core.extension import get_extensions

    found = {"azure-cli": metadata.version("azure-cli")}
    for ext in get_extensions():
        found[ext.name] = ext.version
    return found
