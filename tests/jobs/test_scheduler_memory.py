"""The scheduler process stays small: the renderers of files it never makes are not loaded with the app."""

import json
import subprocess
import sys

# What a Word or PDF file costs once imported (measured: WeasyPrint about 43 MB, python-docx 15 MB).
RENDERERS = ("weasyprint", "docx")


def test_the_app_loads_without_the_pdf_and_word_renderers(database_url):
    script = (
        "import json, sys\n"
        "from scp_tracker import create_app\n"
        f"create_app({{'SCP_ENV': 'testing', 'SQLALCHEMY_DATABASE_URI': {database_url!r}}})\n"
        f"print(json.dumps([name for name in {RENDERERS!r} if name in sys.modules]))\n"
    )
    loaded = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120)
    assert json.loads(loaded.stdout.strip().splitlines()[-1]) == []
