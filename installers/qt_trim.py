"""Qt plugins a desktop PaidUp never loads, left out of the bundle with what they pull in.

Used by the hooks in installers/hooks/, which run PySide6's standard hooks and then drop
these plugins before PyInstaller follows their libraries: the GTK theme would bring a copy
of GTK, cairo and pango that can clash with the user's own; the embedded-device platforms
(eglfs, linuxfb, vnc, ...), their input plugins and the QML virtual keyboard, network status
and Qt's TLS (mail uses Python's ssl) are not used at all.
"""

from __future__ import annotations

from pathlib import PurePath

UNUSED_PLUGIN_FOLDERS = {"egldeviceintegrations", "generic", "networkinformation", "tls"}
UNUSED_PLUGINS = {
    "platformthemes": {"qgtk3"},
    "platforms": {"qeglfs", "qlinuxfb", "qminimal", "qminimalegl", "qvnc", "qvkkhrdisplay"},
    "platforminputcontexts": {"qtvirtualkeyboardplugin"},
}


def _plugin_name(path: PurePath) -> str:
    stem = path.name.split(".")[0]
    return stem.removeprefix("lib")


def unused(source: str) -> bool:
    path = PurePath(source)
    if "plugins" not in path.parts[:-1]:
        return False
    folder = path.parent.name
    return folder in UNUSED_PLUGIN_FOLDERS or _plugin_name(path) in UNUSED_PLUGINS.get(folder, ())


def trimmed(binaries: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(source, dest) for source, dest in binaries if not unused(source)]
