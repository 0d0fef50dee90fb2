"""jsonschema, imported without the one optional format checker that takes seconds to load.

jsonschema imports every format-checking library it finds when it is first imported. One of
them, ``rfc3987-syntax`` (installed with Jupyter, through ``jsonschema[format-nongpl]``),
builds some 35 Lark parsers at import: about 2-3 s on a 2-core machine, paid by every
``kapcourse`` command, every lesson's kernel and every test subprocess (jsonschema issue
#1428 asks for it to be lazy; not done upstream as of jsonschema 4.26). The course's schemas
use no ``format`` keyword, so nothing here needs it: it is hidden while jsonschema loads and
visible again afterwards, so any other code that imports it still can. If jsonschema is
already loaded (in a Jupyter server, say), it is used as it is.
"""

from __future__ import annotations

import sys

_SLOW = "rfc3987_syntax"

if "jsonschema" in sys.modules or _SLOW in sys.modules:
    import jsonschema
else:
    sys.modules[_SLOW] = None  # type: ignore[assignment]  # import raises ImportError
    try:
        import jsonschema
    finally:
        del sys.modules[_SLOW]

__all__ = ["jsonschema"]
