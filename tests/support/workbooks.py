"""Workbooks as other tools leave them: a sheet's <dimension> record rewritten by editing the zip."""

import io
import re
import zipfile


def with_dimension(content: bytes, ref: str) -> bytes:
    """The workbook with its first sheet's <dimension> record rewritten, as a careless tool leaves it."""
    source, target = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                data, replaced = re.subn(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), data)
                assert replaced == 1, "the sheet has no <dimension> record to rewrite"
            archive.writestr(member, data)
    return target.getvalue()
