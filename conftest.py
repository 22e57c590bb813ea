"""Loaded first by pytest, for every test, doctest and notebook run: no test may see the
developer's real data store (``afghan-brief data update`` installs into it), so the store the
package honours, ``$AFGHAN_BRIEF_DATA_HOME``, points at an empty temporary directory for the
whole session (kernels started by tests inherit it). ``tests/conftest.py`` gives each test its
own."""

import os
import tempfile

os.environ["AFGHAN_BRIEF_DATA_HOME"] = tempfile.mkdtemp(prefix="afghan-brief-test-store-")
