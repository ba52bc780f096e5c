"""Make the app icons of the desktop bundles from the one source, resources/icons/app.svg.

Run by the build scripts (not by the app)::

    python packaging/make_icons.py OUT_DIR

Writes into ``OUT_DIR``:

- ``png/culturescope-<N>.png`` for N = 16, 24, 32, 48, 64, 128, 256, 512 and 1024 (the
  Linux hicolor sizes and the window icon);
- ``culturescope.ico`` (Windows: 16-256 px in one file);
- ``culturescope.icns`` (macOS: 16-1024 px).

The SVG is drawn by Qt (PySide6 is a dependency of the app anyway); Pillow, a build-only
dependency here (it also comes with matplotlib), writes the .ico and .icns containers.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1] / "resources" / "icons" / "app.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render_pngs(svg: Path, folder: Path) -> dict[int, Path]:
    """Draw ``svg`` at every size in ``PNG_SIZES``, antialiased, on a transparent ground."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841  (Qt needs one)
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"make_icons: {svg} is not a valid SVG image")
    folder.mkdir(parents=True, exist_ok=True)
    made = {}
    for size in PNG_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter)
        painter.end()
        path = folder / f"culturescope-{size}.png"
        if not image.save(str(path), "PNG"):
            raise SystemExit(f"make_icons: cannot write {path}")
        made[size] = path
    return made


def write_containers(pngs: dict[int, Path], out: Path) -> None:
    from PIL import Image

    largest = Image.open(pngs[max(pngs)]).convert("RGBA")
    # Pillow scales the largest image down for each size; start from our own renders
    # where they exist so small sizes stay crisp.
    ico_images = [Image.open(pngs[s]).convert("RGBA") for s in ICO_SIZES]
    ico_images[-1].save(
        out / "culturescope.ico",
        format="ICO",
        sizes=[(s, s) for s in ICO_SIZES],
        append_images=ico_images[:-1],
    )
    largest.save(out / "culturescope.icns", format="ICNS")


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(argv[0])
    pngs = render_pngs(SOURCE, out / "png")
    write_containers(pngs, out)
    print(f"make_icons: wrote {len(pngs)} PNGs, culturescope.ico and culturescope.icns to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
