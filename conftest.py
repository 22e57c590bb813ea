"""Loaded first by pytest, for every test, doctest and notebook run: no test may see the
developer's real data store (``afghan-brief data update`` installs into it) nor cache of
validated data, so ``$AFGHAN_BRIEF_DATA_HOME`` and ``$AFGHAN_BRIEF_CACHE_HOME`` point at empty
temporary directories for the whole session (kernels started by tests inherit them).
``tests/conftest.py`` gives each test its own."""

import os
import tempfile

os.environ["AFGHAN_BRIEF_DATA_HOME"] = tempfile.mkdtemp(prefix="afghan-brief-test-store-")
os.environ["AFGHAN_BRIEF_CACHE_HOME"] = tempfile.mkdtemp(prefix="afghan-brief-test-cache-")
