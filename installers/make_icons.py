"""Every platform's icon files from the one source, resources/icons/paidup.svg.

    python installers/make_icons.py [OUT_DIR]      (default: build/icons)

Each size is drawn from the SVG by Qt's SVG renderer, so small icons stay sharp instead of
being shrunk from a big one. Writes:
    hicolor/<N>x<N>/apps/<bundle id>.png and hicolor/scalable/apps/<bundle id>.svg (Linux)
    paidup.ico (Windows: 16-256 px) and paidup.icns (macOS: 16-1024 px; Pillow writes both)
Runs the same on the three systems, so nothing generated is kept in the repository.
"""

from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

sys.path.insert(0, str(Path(__file__).resolve().parent))
import app_info

HICOLOR_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)


def render(renderer: QSvgRenderer, size: int) -> Image.Image:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return Image.open(io.BytesIO(data.data())).convert("RGBA")


def make_icons(source: Path, out: Path) -> dict[int, Image.Image]:
    renderer = QSvgRenderer(str(source))
    if not renderer.isValid():
        raise SystemExit(f"make_icons: {source} is not a valid SVG")
    sizes = sorted({*HICOLOR_SIZES, *ICO_SIZES, *ICNS_SIZES})
    images = {size: render(renderer, size) for size in sizes}

    name = app_info.BUNDLE_ID
    for size in HICOLOR_SIZES:
        folder = out / "hicolor" / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True, exist_ok=True)
        images[size].save(folder / f"{name}.png")
    scalable = out / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, scalable / f"{name}.svg")

    largest_ico = images[ICO_SIZES[-1]]
    largest_ico.save(out / "paidup.ico", sizes=[(s, s) for s in ICO_SIZES],
                     append_images=[images[s] for s in ICO_SIZES[:-1]])
    images[ICNS_SIZES[-1]].save(out / "paidup.icns",
                                append_images=[images[s] for s in ICNS_SIZES[:-1]])
    return images


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else app_info.ICONS
    out.mkdir(parents=True, exist_ok=True)
    _app = QGuiApplication.instance() or QGuiApplication(["make_icons", "-platform", "offscreen"])
    make_icons(app_info.ICON_SOURCE, out)
    print(f"make_icons: icons in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
